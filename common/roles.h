// Who may do what: the role predicates every service checks callers
// against, each written once. A refusal is PERMISSION_DENIED saying who may.
#ifndef OSAN_COMMON_ROLES_H_
#define OSAN_COMMON_ROLES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth.h"

namespace osan::auth {

// The caller is the home school `school_code` (role SCHOOL).
absl::Status RequireHomeSchool(const Principal& principal, absl::string_view school_code);

// The caller is the host `host` (`institutions/{code}`) acting as SCHOOL or
// ACADEMY.
absl::Status RequireHost(const Principal& principal, absl::string_view host);

// RequireHost, or the caller is the city (role CITY), which may act for any
// host.
absl::Status RequireHostOrCity(const Principal& principal, absl::string_view host);

// The caller is the city or the education office (role CITY or EDU_OFFICE);
// the refusal says "only CITY or EDU_OFFICE {what}".
absl::Status RequireCityOrOffice(const Principal& principal, absl::string_view what);

// The caller is the education office (role EDU_OFFICE); the refusal says
// "only EDU_OFFICE {what}".
absl::Status RequireEducationOffice(const Principal& principal, absl::string_view what);

}  // namespace osan::auth

#endif  // OSAN_COMMON_ROLES_H_
