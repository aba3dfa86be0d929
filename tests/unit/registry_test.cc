// Which callers may act: catalog/domain/registry.h.
#include "services/catalog/domain/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"

namespace osan::catalog {
namespace {

using ::testing::HasSubstr;

auth::Principal Caller(const std::string& institution, auth::Role role) {
  auth::Principal principal;
  principal.institution = institution;
  principal.role = role;
  return principal;
}

v1::Institution Of(v1::InstitutionKind kind) {
  v1::Institution institution;
  institution.set_kind(kind);
  return institution;
}

// AdmitPrincipal with the registry answering `found`.
absl::Status Admit(const auth::Principal& principal, const absl::StatusOr<v1::Institution>& found) {
  return AdmitPrincipal(principal, [&] { return found; });
}

TEST(RegistryTest, EachKindActsInOneRole) {
  EXPECT_EQ(RoleOfKind(v1::HIGH_SCHOOL), auth::v1::SCHOOL);
  for (const auto kind : {v1::CITY_ACADEMY, v1::LEARNING_SITE, v1::UNIVERSITY, v1::ONLINE_SCHOOL}) {
    EXPECT_EQ(RoleOfKind(kind), auth::v1::ACADEMY) << v1::InstitutionKind_Name(kind);
  }
  EXPECT_EQ(RoleOfKind(v1::CITY_GOVERNMENT), auth::v1::CITY);
  EXPECT_EQ(RoleOfKind(v1::EDUCATION_OFFICE), auth::v1::EDU_OFFICE);
  EXPECT_EQ(RoleOfKind(v1::INSTITUTION_KIND_UNSPECIFIED), auth::v1::ROLE_UNSPECIFIED);
}

TEST(RegistryTest, AKnownActiveInstitutionInItsRoleIsAdmitted) {
  EXPECT_TRUE(Admit(Caller("J10-7531001", auth::v1::SCHOOL), Of(v1::HIGH_SCHOOL)).ok());
  EXPECT_TRUE(Admit(Caller("OSAN-AICODING", auth::v1::ACADEMY), Of(v1::CITY_ACADEMY)).ok());
  EXPECT_TRUE(Admit(Caller("OSAN-CITY", auth::v1::CITY), Of(v1::CITY_GOVERNMENT)).ok());
  EXPECT_TRUE(Admit(Caller("HSOS-EDU", auth::v1::EDU_OFFICE), Of(v1::EDUCATION_OFFICE)).ok());
}

TEST(RegistryTest, AnUnknownInstitutionIsRefusedByName) {
  const absl::Status refused =
      Admit(Caller("J10-9999999", auth::v1::SCHOOL), absl::NotFoundError("no such institution"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.message(), HasSubstr("J10-9999999 is not in the registry"));
}

TEST(RegistryTest, ARoleTheKindDoesNotActInIsRefused) {
  const absl::Status academy_as_school =
      Admit(Caller("OSAN-AICODING", auth::v1::SCHOOL), Of(v1::CITY_ACADEMY));
  EXPECT_EQ(academy_as_school.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(academy_as_school.message(),
              HasSubstr("OSAN-AICODING is a CITY_ACADEMY, which acts as ACADEMY, not SCHOOL"));
  EXPECT_EQ(Admit(Caller("J10-7531001", auth::v1::EDU_OFFICE), Of(v1::HIGH_SCHOOL)).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Admit(Caller("J10-7531001", auth::v1::CITY), Of(v1::HIGH_SCHOOL)).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RegistryTest, ASuspendedInstitutionIsRefused) {
  v1::Institution suspended = Of(v1::HIGH_SCHOOL);
  suspended.set_suspended(true);
  const absl::Status refused = Admit(Caller("J10-7531001", auth::v1::SCHOOL), suspended);
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.message(), HasSubstr("suspended"));
}

TEST(RegistryTest, AnUnreadableRegistryIsUnavailableNotARefusal) {
  const absl::Status unreadable =
      Admit(Caller("J10-7531001", auth::v1::SCHOOL), absl::UnavailableError("catalog down"));
  EXPECT_EQ(unreadable.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(unreadable.message(), HasSubstr("retry"));
}

TEST(RegistryTest, ServicesMustBeTheSuitesOwn) {
  bool looked_up = false;
  EXPECT_TRUE(AdmitPrincipal(Caller("SVC-ENROLLMENT", auth::v1::SERVICE),
                             [&]() -> absl::StatusOr<v1::Institution> {
                               looked_up = true;
                               return absl::NotFoundError("services are not institutions");
                             })
                  .ok());
  EXPECT_FALSE(looked_up) << "services are not looked up in the registry";
  const absl::Status stranger =
      Admit(Caller("J10-7531001", auth::v1::SERVICE), Of(v1::HIGH_SCHOOL));
  EXPECT_EQ(stranger.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(stranger.message(), HasSubstr("must name a service of the suite"));
}

TEST(RegistryTest, TheRootsAreTheCityAndTheOffice) {
  ASSERT_EQ(RootInstitutions().size(), 2u);
  EXPECT_EQ(RootInstitutions()[0].kind(), v1::CITY_GOVERNMENT);
  EXPECT_EQ(RootInstitutions()[0].host_code(), "OSAN-CITY");
  EXPECT_EQ(RootInstitutions()[1].kind(), v1::EDUCATION_OFFICE);
  EXPECT_EQ(RootInstitutions()[1].host_code(), "HSOS-EDU");
}

}  // namespace
}  // namespace osan::catalog
