// Unit tests of the role checks (common/roles.h), on osan_core alone.
#include "common/roles.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace osan::auth {
namespace {

constexpr char kSchool[] = "J10-7531001";
constexpr char kOtherSchool[] = "J10-7531002";

Principal Caller(const std::string& institution, Role role) {
  Principal principal;
  principal.institution = institution;
  principal.role = role;
  return principal;
}

TEST(RequireHomeSchoolTest, AllowsTheHomeSchool) {
  const absl::Status status = RequireHomeSchool(Caller(kSchool, v1::SCHOOL), kSchool);
  EXPECT_TRUE(status.ok()) << status;
}

TEST(RequireHomeSchoolTest, DeniesEveryoneElse) {
  for (const Principal& principal : {
           Caller(kOtherSchool, v1::SCHOOL),
           Caller(kSchool, v1::ACADEMY),
           Caller(kSchool, v1::CITY),
           Caller(kSchool, v1::EDU_OFFICE),
           Caller(kSchool, v1::SERVICE),
           Caller(kSchool, v1::ROLE_UNSPECIFIED),
           Caller("OSAN-CITY", v1::CITY),
       }) {
    SCOPED_TRACE(absl::StrCat(principal.institution, " ", v1::Role_Name(principal.role)));
    EXPECT_EQ(RequireHomeSchool(principal, kSchool).code(), absl::StatusCode::kPermissionDenied);
  }
}

TEST(RequireHomeSchoolTest, ComparesBareCodes) {
  // The argument is the bare code, not `schools/{code}` or `institutions/{code}`.
  const Principal principal = Caller(kSchool, v1::SCHOOL);
  EXPECT_EQ(RequireHomeSchool(principal, "schools/J10-7531001").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireHomeSchool(principal, absl::StrCat("institutions/", kSchool)).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RequireHostTest, AllowsHostingSchoolOrAcademy) {
  const absl::Status school =
      RequireHost(Caller(kSchool, v1::SCHOOL), absl::StrCat("institutions/", kSchool));
  EXPECT_TRUE(school.ok()) << school;
  const absl::Status academy =
      RequireHost(Caller("OSAN-AICODING", v1::ACADEMY), "institutions/OSAN-AICODING");
  EXPECT_TRUE(academy.ok()) << academy;
}

TEST(RequireHostTest, DeniesOthers) {
  const std::string host = "institutions/OSAN-AICODING";
  for (const Principal& principal : {
           Caller("OSAN-OTHER", v1::ACADEMY),
           Caller(kSchool, v1::SCHOOL),
           Caller("OSAN-AICODING", v1::CITY),
           Caller("OSAN-AICODING", v1::EDU_OFFICE),
           Caller("OSAN-AICODING", v1::SERVICE),
           Caller("OSAN-AICODING", v1::ROLE_UNSPECIFIED),
       }) {
    SCOPED_TRACE(absl::StrCat(principal.institution, " ", v1::Role_Name(principal.role)));
    EXPECT_EQ(RequireHost(principal, host).code(), absl::StatusCode::kPermissionDenied);
  }
}

TEST(RequireHostTest, HostIsTheInstitutionName) {
  // A bare code is not the host's resource name.
  EXPECT_EQ(RequireHost(Caller("OSAN-AICODING", v1::ACADEMY), "OSAN-AICODING").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RequireHostOrCityTest, CityMayActForAnyHost) {
  EXPECT_TRUE(RequireHostOrCity(Caller("OSAN-CITY", v1::CITY), "institutions/OSAN-AICODING").ok());
  EXPECT_TRUE(RequireHostOrCity(Caller("OSAN-CITY", v1::CITY), "institutions/J10-7531001").ok());
}

TEST(RequireHostOrCityTest, HostItselfAsSchoolOrAcademy) {
  EXPECT_TRUE(
      RequireHostOrCity(Caller("J10-7531001", v1::SCHOOL), "institutions/J10-7531001").ok());
  EXPECT_TRUE(
      RequireHostOrCity(Caller("OSAN-AICODING", v1::ACADEMY), "institutions/OSAN-AICODING").ok());
}

TEST(RequireHostOrCityTest, RefusesOtherInstitutionsAndRoles) {
  EXPECT_EQ(RequireHostOrCity(Caller("J10-7531002", v1::SCHOOL), "institutions/J10-7531001").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      RequireHostOrCity(Caller("OSAN-MAKER", v1::ACADEMY), "institutions/OSAN-AICODING").code(),
      absl::StatusCode::kPermissionDenied);
  // The right institution in a role that does not host.
  for (const Role role : {v1::EDU_OFFICE, v1::SERVICE, v1::ROLE_UNSPECIFIED}) {
    EXPECT_EQ(RequireHostOrCity(Caller("OSAN-AICODING", role), "institutions/OSAN-AICODING").code(),
              absl::StatusCode::kPermissionDenied)
        << RoleName(role);
  }
  // The bare code is not the institution's name.
  EXPECT_EQ(RequireHostOrCity(Caller("OSAN-AICODING", v1::ACADEMY), "OSAN-AICODING").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RequireEducationOfficeTest, EducationOfficeOnly) {
  EXPECT_TRUE(RequireEducationOffice(Caller("HWASEONG-OSAN", v1::EDU_OFFICE), "review").ok());
  for (const Role role : {v1::CITY, v1::SCHOOL, v1::ACADEMY, v1::SERVICE, v1::ROLE_UNSPECIFIED}) {
    EXPECT_EQ(RequireEducationOffice(Caller("OSAN-CITY", role), "review").code(),
              absl::StatusCode::kPermissionDenied)
        << RoleName(role);
  }
}

TEST(RequireCityOrOfficeTest, CityAndEducationOfficeOnly) {
  EXPECT_TRUE(RequireCityOrOffice(Caller("OSAN-CITY", v1::CITY), "run allocations").ok());
  EXPECT_TRUE(RequireCityOrOffice(Caller("HWASEONG-OSAN", v1::EDU_OFFICE), "run allocations").ok());
  for (const Role role : {v1::SCHOOL, v1::ACADEMY, v1::SERVICE, v1::ROLE_UNSPECIFIED}) {
    const absl::Status refused = RequireCityOrOffice(Caller(kSchool, role), "run allocations");
    EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << RoleName(role);
    EXPECT_EQ(refused.message(), "only CITY or EDU_OFFICE may run allocations");
  }
}

}  // namespace
}  // namespace osan::auth
