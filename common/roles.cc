#include "common/roles.h"

#include "absl/strings/str_cat.h"

namespace osan::auth {
namespace {

bool IsInstitutionActingAsHost(const Principal& principal, absl::string_view host) {
  return (principal.role == v1::SCHOOL || principal.role == v1::ACADEMY) &&
         principal.institution_name() == host;
}

}  // namespace

absl::Status RequireHomeSchool(const Principal& principal, absl::string_view school_code) {
  if (principal.role == v1::SCHOOL && principal.institution == school_code) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("only the student's home school may do this");
}

absl::Status RequireHost(const Principal& principal, absl::string_view host) {
  if (IsInstitutionActingAsHost(principal, host)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("only the section's host may do this");
}

absl::Status RequireHostOrCity(const Principal& principal, absl::string_view host) {
  if (principal.role == v1::CITY || IsInstitutionActingAsHost(principal, host)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("only the host (", host, ") or the city may change its courses and sections"));
}

absl::Status RequireCityOrOffice(const Principal& principal, absl::string_view what) {
  if (principal.role == v1::CITY || principal.role == v1::EDU_OFFICE) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat("only CITY or EDU_OFFICE may ", what));
}

absl::Status RequireEducationOffice(const Principal& principal, absl::string_view what) {
  if (principal.role == v1::EDU_OFFICE) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat("only EDU_OFFICE may ", what));
}

}  // namespace osan::auth
