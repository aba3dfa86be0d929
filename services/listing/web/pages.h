// The listing page's HTML, rendered from the mustache templates in
// templates/ (compiled into the binary): the index with its search form,
// one section, and error pages. Every value is HTML-escaped by the template
// engine (mstch); nothing about students is ever rendered.
#ifndef OSAN_SERVICES_LISTING_WEB_PAGES_H_
#define OSAN_SERVICES_LISTING_WEB_PAGES_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/listing/domain/listing.h"

namespace osan::listing {

class Pages {
 public:
  // Templates by file name without extension (head, foot, index, section,
  // error); the compiled-in set by default.
  Pages();
  explicit Pages(std::map<std::string, std::string> templates);

  // The index for `query`; with `problem` set, the form shows it instead of
  // results (the query as far as it was understood stays in the form).
  std::string Index(const Listing& listing, const Query& query, absl::string_view problem) const;
  std::string Section(const Entry& entry) const;
  std::string Error(absl::string_view heading, absl::string_view message) const;

 private:
  std::map<std::string, std::string> templates_;
};

// "2027학년도 1학기" for `terms/2027-1`.
std::string TermLabel(absl::string_view term);
// "2027-03-02 09:00 ~ 2027-03-06 18:00" in Korea time; "" when unset.
std::string WindowLabel(const catalog::v1::PublicSection& section);

// The compiled-in templates (generated from templates/*.mustache).
const std::map<std::string, std::string>& ListingTemplates();

}  // namespace osan::listing

#endif  // OSAN_SERVICES_LISTING_WEB_PAGES_H_
