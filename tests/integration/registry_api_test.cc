// Tokens speak only for institutions of the registry, in their kind's role,
// while not suspended: checked by the catalog and by enrollment (through its
// cached view of the catalog), on real servers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/support/exchange_fixture.h"

namespace osan::testing {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
using ::testing::HasSubstr;

class RegistryApiTest : public ::testing::Test {
 protected:
  void SetUp() override { exchange_.CreateBasics(); }

  grpc::Status CreateStudent(const std::string& school, auth::Role role, const std::string& key) {
    ev1::Student created;
    return exchange_.CreateStudentAs(role, school, key, 2, &created);
  }

  grpc::Status ListTerms(const std::string& institution, auth::Role role) {
    cv1::ListTermsRequest request;
    cv1::ListTermsResponse response;
    auto context = ContextWithToken(exchange_.Token(institution, role));
    return exchange_.catalog().ListTerms(context.get(), request, &response);
  }

  Exchange exchange_;
};

TEST_F(RegistryApiTest, AnUnknownInstitutionIsRefusedEverywhere) {
  const grpc::Status enrollment = CreateStudent("J10-9999999", auth::v1::SCHOOL, "s-1");
  EXPECT_EQ(enrollment.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(enrollment.error_message(), HasSubstr("J10-9999999 is not in the registry"));
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM students"), 0);
  const grpc::Status catalog = ListTerms("J10-9999999", auth::v1::SCHOOL);
  EXPECT_EQ(catalog.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(catalog.error_message(), HasSubstr("not in the registry"));
}

TEST_F(RegistryApiTest, ATokenInARoleItsKindDoesNotActInIsRefused) {
  // An academy's code with a school's role reads nothing of the academy.
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 10, cv1::TUESDAY, 18);
  ev1::ListRosterRequest roster_request;
  roster_request.set_section(section.name());
  ev1::Roster roster;
  auto context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::SCHOOL));
  const grpc::Status roster_status =
      exchange_.enrollment().ListRoster(context.get(), roster_request, &roster);
  EXPECT_EQ(roster_status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(roster_status.error_message(), HasSubstr("acts as ACADEMY, not SCHOOL"));
  // A school's code has no office powers.
  const grpc::Status office = ListTerms(kSchoolA, auth::v1::EDU_OFFICE);
  EXPECT_EQ(office.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(office.error_message(), HasSubstr("acts as SCHOOL, not EDU_OFFICE"));
  // The roots act in theirs.
  EXPECT_TRUE(ListTerms(kCity, auth::v1::CITY).ok());
  EXPECT_TRUE(ListTerms(kOffice, auth::v1::EDU_OFFICE).ok());
  // Only a service's own key signs SERVICE tokens, and only for that service.
  const grpc::Status as_service = CreateStudent(kSchoolA, auth::v1::SERVICE, "s-2");
  EXPECT_EQ(as_service.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(as_service.error_message(), HasSubstr("must be signed by the service's own key"));
}

TEST_F(RegistryApiTest, ASuspendedInstitutionIsRefusedUntilResumed) {
  ASSERT_TRUE(CreateStudent(kSchoolA, auth::v1::SCHOOL, "s-1").ok());
  const auto suspend = [&](bool suspended) {
    cv1::GetInstitutionRequest get;
    get.set_name(absl::StrCat("institutions/", kSchoolA));
    cv1::Institution current;
    auto context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
    ASSERT_TRUE(exchange_.catalog().GetInstitution(context.get(), get, &current).ok());
    cv1::UpdateInstitutionRequest update;
    *update.mutable_institution() = current;
    update.mutable_institution()->set_suspended(suspended);
    update.mutable_update_mask()->add_paths("suspended");
    update.set_request_id(exchange_.NextRequestId());
    cv1::Institution updated;
    context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
    const grpc::Status status =
        exchange_.catalog().UpdateInstitution(context.get(), update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(updated.suspended(), suspended);
  };
  // Within the caches' 5 s (polled for up to 15 s on a busy machine).
  int keys = 0;
  const auto eventually = [&](grpc::StatusCode code) {
    grpc::Status last;
    for (int i = 0; i < 150; ++i) {
      last = CreateStudent(kSchoolA, auth::v1::SCHOOL, absl::StrCat("k-", ++keys));
      if (last.error_code() == code) {
        return last;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return last;
  };
  suspend(true);
  const grpc::Status refused = eventually(grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("suspended"));
  suspend(false);
  EXPECT_TRUE(eventually(grpc::StatusCode::OK).ok());
}

// Enrollment asks the catalog with its own SERVICE token, naming the caller
// it serves (server::kOnBehalfOfMetadata), and the catalog counts the call
// against that caller: one school asking about sections without end spends
// its own budget there, not enrollment's for every school.
TEST(RelayedCallsTest, CountAgainstTheCallerNotTheRelayingService) {
  Exchange exchange(nullptr, {}, [](ServiceConfig& config) {
    config.rate_limit_per_second = 0.2;
    config.rate_limit_burst = 30;
  });
  exchange.CreateBasics();
  const std::string section =
      exchange.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 10, cv1::TUESDAY, 18)
          .name();
  const std::string sections = section.substr(0, section.find("/sections/") + 10);
  const auto unknown = [&](int i) {
    return absl::StrFormat("%s00000000-0000-4000-8000-%012d", sections, i);
  };

  const ev1::Student a = exchange.CreateStudent(kSchoolA, "a-1", 2);
  ev1::Application application;
  grpc::Status status;
  for (int i = 0; i < 100 && status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED; ++i) {
    status = exchange.Apply(a.name(), unknown(i), 1, false, &application);
    ASSERT_TRUE(status.error_code() == grpc::StatusCode::NOT_FOUND ||
                status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << status.error_code() << " " << status.error_message();
  }
  ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << "school A was never held to its rate at the catalog";
  EXPECT_THAT(status.error_message(), HasSubstr("rate limit exceeded"));

  // School B, served by the same enrollment at the same time, is not held
  // back: its admission and its question reach the catalog.
  const ev1::Student b = exchange.CreateStudent(kSchoolB, "b-1", 2);
  EXPECT_FALSE(b.name().empty());
  const grpc::Status other = exchange.Apply(b.name(), unknown(1000), 1, false, &application);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND) << other.error_message();
}

}  // namespace
}  // namespace osan::testing
