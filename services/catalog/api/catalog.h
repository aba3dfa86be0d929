// The catalog's use cases: each method checks the request, authorizes the
// caller, and runs one database transaction (the public listing, served from
// memory, is PublicListing's). gRPC-free, so tests and the
// service adapter (catalog_service.h) call it alike.
#ifndef OSAN_SERVICES_CATALOG_API_CATALOG_H_
#define OSAN_SERVICES_CATALOG_API_CATALOG_H_

#include "absl/status/statusor.h"
#include "common/paging.h"
#include "common/server.h"
#include "common/ttl_cache.h"
#include "common/use_case.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "services/catalog/api/public_listing.h"
#include "services/catalog/store/records.h"

namespace osan::catalog {

class Catalog {
 public:
  // `listing` learns of every write committed here (PublicListing::NoteWrite).
  Catalog(store::Store* store, PageTokens page_tokens, PublicListing* listing)
      : store_(store), page_tokens_(std::move(page_tokens)), listing_(listing) {}

  using Call = server::CallContext;

  // Adds the root institutions (catalog/domain/registry.h) that are missing.
  absl::Status AddRootInstitutions();
  // Whether `principal` may act (catalog/domain/registry.h), from this
  // catalog's institutions, cached for 5 s (unknown codes for 1 s).
  absl::Status Admit(const auth::Principal& principal);

  absl::StatusOr<v1::Institution> CreateInstitution(const Call& call,
                                                    const v1::CreateInstitutionRequest& request);
  absl::StatusOr<v1::Institution> GetInstitution(const Call& call,
                                                 const v1::GetInstitutionRequest& request);
  absl::StatusOr<v1::ListInstitutionsResponse> ListInstitutions(
      const Call& call, const v1::ListInstitutionsRequest& request);
  absl::StatusOr<v1::Institution> UpdateInstitution(const Call& call,
                                                    const v1::UpdateInstitutionRequest& request);

  absl::StatusOr<v1::Term> CreateTerm(const Call& call, const v1::CreateTermRequest& request);
  absl::StatusOr<v1::Term> GetTerm(const Call& call, const v1::GetTermRequest& request);
  absl::StatusOr<v1::ListTermsResponse> ListTerms(const Call& call,
                                                  const v1::ListTermsRequest& request);
  absl::StatusOr<v1::Term> UpdateTerm(const Call& call, const v1::UpdateTermRequest& request);

  absl::StatusOr<v1::Course> CreateCourse(const Call& call, const v1::CreateCourseRequest& request);
  absl::StatusOr<v1::Course> GetCourse(const Call& call, const v1::GetCourseRequest& request);
  absl::StatusOr<v1::ListCoursesResponse> ListCourses(const Call& call,
                                                      const v1::ListCoursesRequest& request);
  absl::StatusOr<v1::Course> UpdateCourse(const Call& call, const v1::UpdateCourseRequest& request);
  absl::StatusOr<v1::Course> ReviewRecognition(const Call& call,
                                               const v1::ReviewRecognitionRequest& request);

  absl::StatusOr<v1::Programme> CreateProgramme(const Call& call,
                                                const v1::CreateProgrammeRequest& request);
  absl::StatusOr<v1::Programme> GetProgramme(const Call& call,
                                             const v1::GetProgrammeRequest& request);
  absl::StatusOr<v1::ListProgrammesResponse> ListProgrammes(
      const Call& call, const v1::ListProgrammesRequest& request);
  absl::StatusOr<v1::Programme> UpdateProgramme(const Call& call,
                                                const v1::UpdateProgrammeRequest& request);

  absl::StatusOr<v1::Section> CreateSection(const Call& call,
                                            const v1::CreateSectionRequest& request);
  absl::StatusOr<v1::Section> GetSection(const Call& call, const v1::GetSectionRequest& request);
  absl::StatusOr<v1::SectionFacts> GetSectionFacts(const Call& call,
                                                   const v1::GetSectionRequest& request);
  absl::StatusOr<v1::ListSectionsResponse> ListSections(const Call& call,
                                                        const v1::ListSectionsRequest& request);
  absl::StatusOr<v1::Section> UpdateSection(const Call& call,
                                            const v1::UpdateSectionRequest& request);
  absl::StatusOr<v1::Section> TransitionSection(const Call& call,
                                                const v1::TransitionSectionRequest& request);

  // The public listing: see public_listing.h.

 private:
  // IdempotentMutation, then the listing learns of the write.
  template <class Resource, class Request, class Mutate>
  absl::StatusOr<Resource> Write(const Call& call, const char* method, const Request& request,
                                 Mutate&& mutate) {
    absl::StatusOr<Resource> written =
        IdempotentMutation<Resource>(*store_, call, method, request, std::forward<Mutate>(mutate));
    if (written.ok()) {
      listing_->NoteWrite();
    }
    return written;
  }

  store::Store* const store_;
  const PageTokens page_tokens_;
  PublicListing* const listing_;
  TtlCache<v1::Institution> registry_{absl::Seconds(5), absl::Seconds(1)};
};

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_API_CATALOG_H_
