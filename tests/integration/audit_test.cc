// The audit trail against real servers and PostgreSQL: reads and writes of
// student data, refused attempts included, leave records; the education
// office alone reads them; sealed records cannot be changed or deleted, and
// tampering behind the database's back breaks the verified hash chain.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "absl/time/clock.h"
#include "osan/audit/v1/audit.grpc.pb.h"
#include "tests/support/exchange_fixture.h"

namespace osan {
namespace {

using ::testing::Contains;
using testing::ContextWithToken;
using testing::kSchoolA;
using testing::kSchoolB;

class AuditTest : public ::testing::Test {
 protected:
  AuditTest() : audit_(audit::v1::AuditService::NewStub(exchange_.enrollment_service().channel())) {
    exchange_.CreateBasics();
  }

  // Waits until at least `count` records are sealed (or the chain is found
  // broken); returns the verification.
  audit::v1::VerifyAuditChainResponse AwaitSealed(int64_t count) {
    audit::v1::VerifyAuditChainResponse response;
    for (int i = 0; i < 100; ++i) {
      auto context = ContextWithToken(exchange_.Token("HSOS-EDU", auth::v1::EDU_OFFICE));
      EXPECT_TRUE(audit_->VerifyAuditChain(context.get(), {}, &response).ok());
      if (response.records_verified() >= count || !response.intact()) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return response;
  }

  void Execute(const std::string& sql) {
    pqxx::connection connection(exchange_.enrollment_service().database().url());
    pqxx::nontransaction tx(connection);
    tx.exec0(sql);
  }

  testing::Exchange exchange_;
  std::unique_ptr<audit::v1::AuditService::Stub> audit_;
};

TEST_F(AuditTest, StudentDataAccessIsRecordedAndOnlyTheOfficeReadsIt) {
  const auto student = exchange_.CreateStudent(kSchoolA, "s-1");
  enrollment::v1::GetStudentRequest get;
  get.set_name(student.name());
  enrollment::v1::Student read;
  auto context = ContextWithToken(exchange_.Token(kSchoolB, auth::v1::SCHOOL));
  ASSERT_EQ(exchange_.enrollment().GetStudent(context.get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  context = ContextWithToken(exchange_.Token(kSchoolA, auth::v1::SCHOOL));
  ASSERT_TRUE(exchange_.enrollment().GetStudent(context.get(), get, &read).ok());

  EXPECT_TRUE(AwaitSealed(3).intact());
  audit::v1::ListAuditRecordsRequest list;
  list.set_student(student.name());
  audit::v1::ListAuditRecordsResponse records;
  context = ContextWithToken(exchange_.Token("HSOS-EDU", auth::v1::EDU_OFFICE));
  ASSERT_TRUE(audit_->ListAuditRecords(context.get(), list, &records).ok());
  std::vector<std::string> seen;
  for (const auto& record : records.records()) {
    seen.push_back(record.principal() + " " + record.action() + " " + record.result());
    EXPECT_FALSE(record.source().empty());
  }
  EXPECT_THAT(seen, Contains("J10-7531001 EnrollmentService.CreateStudent OK"));
  EXPECT_THAT(seen, Contains("J10-7531002 EnrollmentService.GetStudent PERMISSION_DENIED"));
  EXPECT_THAT(seen, Contains("J10-7531001 EnrollmentService.GetStudent OK"));

  for (const auto role : {auth::v1::SCHOOL, auth::v1::CITY}) {
    context = ContextWithToken(exchange_.Token(kSchoolA, role));
    EXPECT_EQ(audit_->ListAuditRecords(context.get(), list, &records).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(AuditTest, SealedRecordsCannotBeChangedAndTamperingBreaksTheChain) {
  exchange_.CreateStudent(kSchoolA, "s-1");
  exchange_.CreateStudent(kSchoolA, "s-2");
  ASSERT_EQ(AwaitSealed(2).records_verified(), 2);
  EXPECT_THROW(Execute("UPDATE audit_log SET principal = 'someone' WHERE chain_position = 1"),
               pqxx::sql_error);
  EXPECT_THROW(Execute("DELETE FROM audit_log"), pqxx::sql_error);
  // Behind the database's guards (a superuser disabling the trigger), an
  // edit is still found.
  Execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
  Execute("UPDATE audit_log SET result = 'OK', principal = 'J10-0000000' WHERE chain_position = 1");
  const auto verified = AwaitSealed(2);
  EXPECT_FALSE(verified.intact());
  EXPECT_THAT(verified.problem(), ::testing::HasSubstr("position 1"));
}

}  // namespace
}  // namespace osan
