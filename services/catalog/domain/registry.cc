#include "services/catalog/domain/registry.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace osan::catalog {

auth::Role RoleOfKind(v1::InstitutionKind kind) {
  switch (kind) {
    case v1::HIGH_SCHOOL:
      return auth::v1::SCHOOL;
    case v1::CITY_ACADEMY:
    case v1::LEARNING_SITE:
    case v1::UNIVERSITY:
    case v1::ONLINE_SCHOOL:
      return auth::v1::ACADEMY;
    case v1::CITY_GOVERNMENT:
      return auth::v1::CITY;
    case v1::EDUCATION_OFFICE:
      return auth::v1::EDU_OFFICE;
    default:
      return auth::v1::ROLE_UNSPECIFIED;
  }
}

bool IsSuiteService(const auth::Principal& principal) {
  return principal.role == auth::v1::SERVICE &&
         absl::StartsWith(principal.institution, auth::kSuiteServicePrefix);
}

absl::Status AdmitPrincipal(const auth::Principal& principal,
                            absl::FunctionRef<absl::StatusOr<v1::Institution>()> look_up) {
  if (principal.role == auth::v1::SERVICE) {
    return IsSuiteService(principal)
               ? absl::OkStatus()
               : absl::PermissionDeniedError(
                     absl::StrCat("a SERVICE token must name a service of the suite (",
                                  auth::kSuiteServicePrefix, "…), not ", principal.institution));
  }
  const absl::StatusOr<v1::Institution> found = look_up();
  if (absl::IsNotFound(found.status())) {
    return absl::PermissionDeniedError(
        absl::StrCat("institution ", principal.institution, " is not in the registry"));
  }
  if (!found.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot check the registry now; retry (", found.status().message(), ")"));
  }
  if (found->suspended()) {
    return absl::PermissionDeniedError(
        absl::StrCat("institution ", principal.institution, " is suspended"));
  }
  const auth::Role role = RoleOfKind(found->kind());
  if (role != principal.role) {
    return absl::PermissionDeniedError(absl::StrCat(
        "institution ", principal.institution, " is a ", v1::InstitutionKind_Name(found->kind()),
        ", which acts as ", auth::RoleName(role), ", not ", auth::RoleName(principal.role)));
  }
  return absl::OkStatus();
}

const std::vector<v1::Institution>& RootInstitutions() {
  static const auto* const roots = [] {
    auto* list = new std::vector<v1::Institution>(2);
    (*list)[0].set_kind(v1::CITY_GOVERNMENT);
    (*list)[0].set_host_code("OSAN-CITY");
    (*list)[0].set_display_name("오산시");
    (*list)[0].set_address("경기도 오산시 성호대로 141");
    (*list)[1].set_kind(v1::EDUCATION_OFFICE);
    (*list)[1].set_host_code("HSOS-EDU");
    (*list)[1].set_display_name("화성오산교육지원청");
    (*list)[1].set_address("경기도 화성시");
    return list;
  }();
  return *roots;
}

}  // namespace osan::catalog
