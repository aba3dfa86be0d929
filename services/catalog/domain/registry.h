// Which callers may act at all: a token speaks for an institution of the
// catalog's registry, in the role that institution's kind acts in.
//
// Every service checks each authenticated call against a cached view of the
// registry (server::Dispatcher::SetAdmission): the catalog against its own
// database, the others through CatalogClient. A change to the registry
// (a new, suspended or resumed institution) holds in every service within
// 5 s, the cache's lifetime; an unknown code is remembered for 1 s.
#ifndef OSAN_SERVICES_CATALOG_DOMAIN_REGISTRY_H_
#define OSAN_SERVICES_CATALOG_DOMAIN_REGISTRY_H_

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog {

// The role an institution of `kind` acts in: HIGH_SCHOOL as SCHOOL;
// CITY_ACADEMY, LEARNING_SITE, UNIVERSITY and ONLINE_SCHOOL (hosts without
// students of their own) as ACADEMY; CITY_GOVERNMENT as CITY;
// EDUCATION_OFFICE as EDU_OFFICE.
auth::Role RoleOfKind(v1::InstitutionKind kind);

// Whether `principal` may act. SERVICE principals must name a service of
// the suite (`SVC-…`); any other must name an institution of the registry
// (`look_up`: the registry's answer for the principal's institution, asked
// for institutions only) that is not suspended and whose kind acts in the
// principal's role. Refusals are PERMISSION_DENIED saying why; an error of
// `look_up` other than NOT_FOUND passes as UNAVAILABLE (the registry could
// not be read: retry).
absl::Status AdmitPrincipal(const auth::Principal& principal,
                            absl::FunctionRef<absl::StatusOr<v1::Institution>()> look_up);

// Whether `principal` is a service of the suite (and so not looked up).
bool IsSuiteService(const auth::Principal& principal);

// The institutions every catalog holds from its first start, so that their
// tokens can create the rest: 오산시 (OSAN-CITY) and 화성오산교육지원청
// (HSOS-EDU).
const std::vector<v1::Institution>& RootInstitutions();

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_DOMAIN_REGISTRY_H_
