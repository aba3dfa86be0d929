// What enrollment asks the catalog: sections with their course and term
// (cached; see catalog_client.h), and the sections of a term. The server
// asks catalog over gRPC (GrpcCatalogSections); unit tests of the use cases
// give their own answers.
#ifndef OSAN_SERVICES_ENROLLMENT_API_CATALOG_SECTIONS_H_
#define OSAN_SERVICES_ENROLLMENT_API_CATALOG_SECTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/catalog/client/catalog_client.h"

namespace osan::enrollment {

using Freshness = catalog::CatalogClient::Freshness;

class CatalogSections {
 public:
  virtual ~CatalogSections() = default;
  // The section named `name` with its course and term; NOT_FOUND if there
  // is none.
  virtual absl::StatusOr<catalog::SectionFacts> Get(const std::string& name, absl::Time deadline,
                                                    Freshness freshness = Freshness::kCachedOk) = 0;
  // Every section of `term` that `filter`'s fields (but term) select, read now.
  virtual absl::StatusOr<std::vector<catalog::v1::Section>> OfTerm(
      const std::string& term, const catalog::v1::ListSectionsRequest& filter,
      absl::Time deadline) = 0;
};

// The catalog over gRPC, through its client (which must outlive it).
class GrpcCatalogSections final : public CatalogSections {
 public:
  explicit GrpcCatalogSections(catalog::CatalogClient* client) : client_(client) {}

  absl::StatusOr<catalog::SectionFacts> Get(const std::string& name, absl::Time deadline,
                                            Freshness freshness) override {
    return client_->GetSection(name, deadline, freshness);
  }
  absl::StatusOr<std::vector<catalog::v1::Section>> OfTerm(
      const std::string& term, const catalog::v1::ListSectionsRequest& filter,
      absl::Time deadline) override {
    return client_->TermSections(term, filter, deadline);
  }

 private:
  catalog::CatalogClient* const client_;
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_CATALOG_SECTIONS_H_
