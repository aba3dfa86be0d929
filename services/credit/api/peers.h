// What credit-record asks the other services of the suite: catalog's
// sections, institutions and programmes (with the service's own token,
// cached; see catalog_client.h), enrollment's rosters and application counts
// (with the caller's token, so that enrollment checks the caller itself).
// The server asks them over gRPC (GrpcPeers); unit tests of the use cases
// give their own answers.
#ifndef OSAN_SERVICES_CREDIT_API_PEERS_H_
#define OSAN_SERVICES_CREDIT_API_PEERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/catalog/client/catalog_client.h"
#include "services/enrollment/client/enrollment_client.h"

namespace osan::credit {

class Peers {
 public:
  virtual ~Peers() = default;

  // The section named `name` with its course and term (NOT_FOUND if there
  // is none).
  virtual absl::StatusOr<catalog::SectionFacts> Section(const std::string& name,
                                                        absl::Time deadline) = 0;
  virtual absl::StatusOr<catalog::v1::Institution> Institution(const std::string& name,
                                                               absl::Time deadline) = 0;
  virtual absl::StatusOr<catalog::v1::Programme> Programme(const std::string& name,
                                                           absl::Time deadline) = 0;
  // Every section of `term` that `filter`'s fields (but term) select.
  virtual absl::StatusOr<std::vector<catalog::v1::Section>> TermSections(
      const std::string& term, const catalog::v1::ListSectionsRequest& filter,
      absl::Time deadline) = 0;
  // The roster of `section` as the caller (`caller_token`) may read it.
  virtual absl::StatusOr<enrollment::v1::Roster> Roster(const std::string& section,
                                                        const std::string& caller_token,
                                                        absl::Time deadline) = 0;
  // The application counts of `term` as the caller may read them.
  virtual absl::StatusOr<enrollment::v1::CountApplicationsResponse> CountApplications(
      const std::string& term, const std::string& caller_token, absl::Time deadline) = 0;
};

// The peers over gRPC, through their clients (which must outlive it).
class GrpcPeers final : public Peers {
 public:
  GrpcPeers(catalog::CatalogClient* catalog, enrollment::EnrollmentClient* enrollment)
      : catalog_(catalog), enrollment_(enrollment) {}

  absl::StatusOr<catalog::SectionFacts> Section(const std::string& name,
                                                absl::Time deadline) override {
    return catalog_->GetSection(name, deadline);
  }
  absl::StatusOr<catalog::v1::Institution> Institution(const std::string& name,
                                                       absl::Time deadline) override {
    return catalog_->GetInstitution(name, deadline);
  }
  absl::StatusOr<catalog::v1::Programme> Programme(const std::string& name,
                                                   absl::Time deadline) override {
    return catalog_->GetProgramme(name, deadline);
  }
  absl::StatusOr<std::vector<catalog::v1::Section>> TermSections(
      const std::string& term, const catalog::v1::ListSectionsRequest& filter,
      absl::Time deadline) override {
    return catalog_->TermSections(term, filter, deadline);
  }
  absl::StatusOr<enrollment::v1::Roster> Roster(const std::string& section,
                                                const std::string& caller_token,
                                                absl::Time deadline) override {
    return enrollment_->Roster(section, caller_token, deadline);
  }
  absl::StatusOr<enrollment::v1::CountApplicationsResponse> CountApplications(
      const std::string& term, const std::string& caller_token, absl::Time deadline) override {
    return enrollment_->CountApplications(term, caller_token, deadline);
  }

 private:
  catalog::CatalogClient* const catalog_;
  enrollment::EnrollmentClient* const enrollment_;
};

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_API_PEERS_H_
