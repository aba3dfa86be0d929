// The catalog's use cases: each method checks the request, authorizes the
// caller, and runs one database transaction. gRPC-free, so tests and the
// service adapter (catalog_service.h) call it alike.
#ifndef OSAN_SERVICES_CATALOG_API_CATALOG_H_
#define OSAN_SERVICES_CATALOG_API_CATALOG_H_

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/paging.h"
#include "common/server.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog {

class Catalog {
 public:
  Catalog(db::Pool* pool, PageTokens page_tokens)
      : pool_(pool), page_tokens_(std::move(page_tokens)) {}

  using Call = server::CallContext;

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
  absl::StatusOr<v1::ListSectionsResponse> ListSections(const Call& call,
                                                        const v1::ListSectionsRequest& request);
  absl::StatusOr<v1::Section> UpdateSection(const Call& call,
                                            const v1::UpdateSectionRequest& request);
  absl::StatusOr<v1::Section> TransitionSection(const Call& call,
                                                const v1::TransitionSectionRequest& request);

  absl::StatusOr<v1::ListPublicSectionsResponse> ListPublicSections(
      const Call& call, const v1::ListPublicSectionsRequest& request);
  absl::StatusOr<v1::PublicSection> GetPublicSection(const Call& call,
                                                     const v1::GetPublicSectionRequest& request);

 private:
  db::Pool* const pool_;
  const PageTokens page_tokens_;
};

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_API_CATALOG_H_
