// The city's listing of joint courses as the public page shows it: one
// immutable snapshot of the open term's published sections with their seat
// counts, the page's search query (parsed from URL parameters, every problem
// a message for the page) and the rows a query selects. Pure: no I/O.
#ifndef OSAN_SERVICES_LISTING_DOMAIN_LISTING_H_
#define OSAN_SERVICES_LISTING_DOMAIN_LISTING_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::listing {

// One section as listed.
struct Entry {
  catalog::v1::PublicSection section;
  // The last segment of the section's name: its address on the page.
  std::string id;
  // Title and description, lower-cased (ASCII), for keyword search.
  std::string search_text;
  // Weekdays it meets on (weekly meetings and the weekdays of dated ones).
  std::set<catalog::v1::Weekday> days;
  // capacity - enrolled, never below 0; the capacity until anyone enrols.
  int seats_left = 0;
  int waitlisted = 0;
};

class Listing {
 public:
  // `sections` of `term` as the catalog lists them (version `catalog_version`);
  // `seats` as enrollment counts them (read at `seats_version`).
  Listing(std::string term, std::string catalog_version,
          std::vector<catalog::v1::PublicSection> sections,
          const std::vector<enrollment::v1::SeatCount>& seats, std::string seats_version);

  const std::string& term() const { return term_; }
  // Changes whenever the sections or the seat counts change.
  const std::string& version() const { return version_; }
  // Ordered by title, then name.
  const std::vector<Entry>& entries() const { return entries_; }
  // The entry whose id is `id`, or nullptr.
  const Entry* Find(absl::string_view id) const;

  // Filter choices present in the listing: area names; host codes with their
  // display names, ordered by display name.
  const std::set<std::string>& areas() const { return areas_; }
  const std::vector<std::pair<std::string, std::string>>& hosts() const { return hosts_; }

 private:
  std::string term_;
  std::string version_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> by_id_;
  std::set<std::string> areas_;
  std::vector<std::pair<std::string, std::string>> hosts_;
};

enum class SortOrder { kTitle, kSeatsLeft, kCredits, kHost };

// What a visitor asked for with the page's URL parameters.
struct Query {
  std::string keyword;  // `q`, trimmed; matched in titles and descriptions
  std::optional<catalog::v1::Weekday> day;
  std::optional<catalog::v1::Category> category;
  std::string area;
  std::string host;  // institution code
  std::optional<catalog::v1::DeliveryMode> mode;
  SortOrder sort = SortOrder::kTitle;
  int page = 1;
};

inline constexpr int kPageSize = 50;
inline constexpr int kMaxKeywordChars = 50;
inline constexpr int kMaxParameters = 16;

// Parses decoded URL parameters (name, value), in order. A problem is
// INVALID_ARGUMENT with a message in Korean that names the parameter and
// what it accepts: an unknown or repeated parameter, too many, a keyword
// over kMaxKeywordChars, a day, category, mode or sort that is not one of
// the choices, an area or host the listing does not have, a page that is
// not a positive number. Values must be valid UTF-8.
absl::StatusOr<Query> ParseQuery(const std::vector<std::pair<std::string, std::string>>& params,
                                 const Listing& listing);

// The `sort` parameter's value for `order`: title, seats, credits or host.
const char* SortParameter(SortOrder order);

// The query as URL parameters in a fixed order, without the page and with
// defaults left out: the canonical form for links and caching.
std::string CanonicalParameters(const Query& query);

struct Selection {
  std::vector<const Entry*> rows;  // this page's rows
  int matches = 0;                 // rows on every page
  int page = 1;
  int pages = 1;  // at least 1
};

// The rows matching every filter of `query`, sorted, one page of kPageSize.
// A page past the last gives the last page.
Selection Select(const Listing& listing, const Query& query);

// ----- Labels ---------------------------------------------------------------

// "1학년, 2학년"; "전 학년" when none are listed.
std::string GradesLabel(const google::protobuf::RepeatedField<int32_t>& grades);

}  // namespace osan::listing

#endif  // OSAN_SERVICES_LISTING_DOMAIN_LISTING_H_
