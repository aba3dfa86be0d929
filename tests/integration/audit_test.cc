// The audit trail against real servers and PostgreSQL: reads and writes of
// student data, refused attempts included, leave records; the education
// office alone reads them; sealed records cannot be changed or deleted, and
// tampering behind the database's back breaks the verified hash chain.
#include "common/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db.h"
#include "osan/audit/v1/audit.grpc.pb.h"
#include "tests/support/cli_runner.h"
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

TEST_F(AuditTest, TheOfficeVerifiesAndListsTheTrailWithOsanctl) {
  const auto student = exchange_.CreateStudent(kSchoolA, "s-1");
  exchange_.CreateStudent(kSchoolA, "s-2");
  ASSERT_EQ(AwaitSealed(2).records_verified(), 2);
  const auto osanctl = [&](std::vector<std::string> args, const std::string& token) {
    args.push_back(absl::StrCat("--enrollment=127.0.0.1:", exchange_.enrollment_service().port()));
    args.push_back(absl::StrCat("--token=", token));
    return testing::RunProgram(OSAN_OSANCTL, args);
  };
  const std::string office = exchange_.Token("HSOS-EDU", auth::v1::EDU_OFFICE);

  auto run = osanctl({"audit", "verify", "--service", "enrollment"}, office);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::HasSubstr("enrollment: chain intact, 2 sealed record(s)"));

  run = osanctl({"audit", "list", "--student", student.name()}, office);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::HasSubstr("EnrollmentService.CreateStudent"));
  EXPECT_THAT(run.out, ::testing::HasSubstr("1 record(s), newest first"));

  run = osanctl({"audit", "list"}, exchange_.Token(kSchoolA, auth::v1::SCHOOL));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, ::testing::HasSubstr("PERMISSION_DENIED"));

  Execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
  Execute(
      "UPDATE audit_log SET student = 'schools/J10-7531001/students/s-9'"
      " WHERE chain_position = 2");
  run = osanctl({"audit", "verify", "--service", "enrollment"}, office);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, ::testing::HasSubstr("CHAIN BROKEN: record at position 2 was altered"));
}

// The audit log on a pool of its own, without a server: how records follow
// transactions that retry, roll back or never run.
class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection connection(database_.url());
      pqxx::nontransaction tx(connection);
      tx.exec0(audit::kAuditSchema);
    }
    db::PoolOptions options;
    options.url = database_.url();
    options.size = 2;
    auto pool = db::Pool::Open(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    log_ = std::make_unique<audit::AuditLog>(pool_.get(), absl::Hours(24 * 365));
  }

  // "student result" of every record, in order.
  std::vector<std::string> Records() {
    pqxx::connection connection(database_.url());
    pqxx::read_transaction tx(connection);
    std::vector<std::string> records;
    for (const auto& row : tx.exec("SELECT student || ' ' || result FROM audit_log ORDER BY seq")) {
      records.push_back(row[0].as<std::string>());
    }
    return records;
  }

  testing::TestDatabase database_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<audit::AuditLog> log_;
};

TEST_F(AuditLogTest, ARetriedTransactionRecordsWhatItsCommittedAttemptNamedOnce) {
  audit::CallRecord call({"J10-7531001", "SCHOOL", "test", "Test.Retry", "trace"});
  const audit::TransactionScope scope({&call});
  call.Name("s-before");  // named before the transaction began: kept
  int attempts = 0;
  const absl::Status status = pool_->Transact([&](pqxx::work&) -> absl::Status {
    ++attempts;
    call.Name("s-both");
    if (attempts == 1) {
      call.Name("s-abandoned");
      throw pqxx::serialization_failure("conflict (test)");
    }
    call.Name("s-both");
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts, 2);
  EXPECT_THAT(Records(), ::testing::ElementsAre("s-before OK", "s-both OK"));
  ASSERT_TRUE(log_->Finish(call, absl::OkStatus()).ok());
  EXPECT_THAT(Records(), ::testing::SizeIs(2)) << "nothing is recorded twice";
}

TEST_F(AuditLogTest, ARolledBackTransactionRecordsNothingAndTheCallsOutcomeIsRecordedAfter) {
  audit::CallRecord call({"J10-7531002", "SCHOOL", "test", "Test.Refused", "trace"});
  {
    const audit::TransactionScope scope({&call});
    const absl::Status refused = pool_->Transact([&](pqxx::work&) -> absl::Status {
      call.Name("s-1");
      return absl::PermissionDeniedError("not yours");
    });
    EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(Records(), ::testing::IsEmpty());
  }
  ASSERT_TRUE(log_->Finish(call, absl::PermissionDeniedError("not yours")).ok());
  EXPECT_THAT(Records(), ::testing::ElementsAre("s-1 PERMISSION_DENIED"));
}

TEST_F(AuditLogTest, TransactionsOutsideAScopeRecordNothing) {
  audit::CallRecord call({"J10-7531001", "SCHOOL", "test", "Test.Unscoped", "trace"});
  call.Name("s-1");
  ASSERT_TRUE(pool_->Transact([](pqxx::work&) { return absl::OkStatus(); }).ok());
  EXPECT_THAT(Records(), ::testing::IsEmpty());
}

// The records of `student` for `action` ("EnrollmentService.GetStudent"),
// as "principal result txid" (txid: the transaction that wrote the record).
std::vector<std::string> RecordsOf(testing::Exchange& exchange, const std::string& student,
                                   const std::string& action) {
  pqxx::connection connection(exchange.enrollment_service().database().url());
  pqxx::read_transaction tx(connection);
  std::vector<std::string> records;
  for (const auto& row : tx.exec_params(
           "SELECT principal || ' ' || result FROM audit_log WHERE student = $1 AND action = $2"
           " ORDER BY seq",
           student, action)) {
    records.push_back(row[0].as<std::string>());
  }
  return records;
}

TEST_F(AuditTest, AChangeAndItsRecordCommitTogether) {
  const auto student = exchange_.CreateStudent(kSchoolA, "s-1");
  // The record was written by the transaction that inserted the student.
  EXPECT_EQ(exchange_.QueryEnrollment(
                "SELECT count(*) FROM audit_log a JOIN students s ON s.student_key = 's-1'"
                " WHERE a.student = 'schools/J10-7531001/students/s-1'"
                " AND a.action = 'EnrollmentService.CreateStudent'"
                " AND (a.txid::text::bigint % 4294967296) = s.xmin::text::bigint"),
            1);

  // When the record cannot be written, the change is not made either.
  Execute(
      "ALTER TABLE audit_log ADD CONSTRAINT refuse_unrecordable"
      " CHECK (student NOT LIKE '%unrecordable%') NOT VALID");
  enrollment::v1::CreateStudentRequest create;
  create.set_parent("schools/J10-7531001");
  create.mutable_student()->set_student_key("s-unrecordable");
  create.mutable_student()->set_grade_level(2);
  create.mutable_student()->set_entry_year(2025);
  create.mutable_student()->set_display_name("학생");
  create.set_request_id(exchange_.NextRequestId());
  enrollment::v1::Student created;
  auto context = ContextWithToken(exchange_.Token(kSchoolA, auth::v1::SCHOOL));
  const grpc::Status refused =
      exchange_.enrollment().CreateStudent(context.get(), create, &created);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("audit trail"));
  EXPECT_EQ(exchange_.QueryEnrollment(
                "SELECT count(*) FROM students WHERE student_key = 's-unrecordable'"),
            0);
}

TEST_F(AuditTest, DataIsWithheldWhenItsReadCannotBeRecorded) {
  const auto student = exchange_.CreateStudent(kSchoolA, "s-unrecordable");
  Execute(
      "ALTER TABLE audit_log ADD CONSTRAINT refuse_unrecordable"
      " CHECK (student NOT LIKE '%unrecordable%') NOT VALID");
  enrollment::v1::GetStudentRequest get;
  get.set_name(student.name());
  enrollment::v1::Student read;
  auto context = ContextWithToken(exchange_.Token(kSchoolA, auth::v1::SCHOOL));
  EXPECT_EQ(exchange_.enrollment().GetStudent(context.get(), get, &read).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  Execute("ALTER TABLE audit_log DROP CONSTRAINT refuse_unrecordable");
  context = ContextWithToken(exchange_.Token(kSchoolA, auth::v1::SCHOOL));
  ASSERT_TRUE(exchange_.enrollment().GetStudent(context.get(), get, &read).ok());
  EXPECT_EQ(read.display_name(), "학생 s-unrecordable");
  EXPECT_THAT(RecordsOf(exchange_, student.name(), "EnrollmentService.GetStudent"),
              ::testing::ElementsAre("J10-7531001 OK"));
}

TEST_F(AuditTest, EachFeedEventDeliveredIsRecordedForItsReader) {
  const auto section = exchange_.CreateSection(testing::kAcademy, "감사 시험", catalog::v1::LOTTERY,
                                               10, catalog::v1::MONDAY, 9);
  const auto first = exchange_.CreateStudent(kSchoolA, "s-1");
  const auto second = exchange_.CreateStudent(kSchoolA, "s-2");
  enrollment::v1::Application application;
  ASSERT_TRUE(exchange_.Apply(first.name(), section.name(), 1, false, &application).ok());
  ASSERT_TRUE(exchange_.Apply(second.name(), section.name(), 1, false, &application).ok());

  const auto other = exchange_.CreateStudent(kSchoolB, "s-b");
  ASSERT_TRUE(exchange_.Apply(other.name(), section.name(), 1, false, &application).ok());

  // Each reader's feed: one record per event delivered, for that reader only.
  ASSERT_EQ(exchange_.ReadChanges(exchange_.Token(kSchoolA, auth::v1::SCHOOL), 2).size(), 2);
  ASSERT_EQ(exchange_.ReadChanges(exchange_.Token(kSchoolB, auth::v1::SCHOOL), 1).size(), 1);
  for (const auto& student : {first, second}) {
    EXPECT_THAT(RecordsOf(exchange_, student.name(), "EnrollmentService.WatchChanges"),
                ::testing::ElementsAre("J10-7531001 OK"));
  }
  EXPECT_THAT(RecordsOf(exchange_, other.name(), "EnrollmentService.WatchChanges"),
              ::testing::ElementsAre("J10-7531002 OK"));
}

TEST_F(AuditTest, ARetryAnsweredFromTheFirstResponseIsRecordedToo) {
  const auto section = exchange_.CreateSection(testing::kAcademy, "감사 재시도",
                                               catalog::v1::LOTTERY, 10, catalog::v1::MONDAY, 9);
  const auto student = exchange_.CreateStudent(kSchoolA, "s-1");
  enrollment::v1::Application application;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, false, &application).ok());
  enrollment::v1::DecideApplicationRequest reject;
  reject.set_name(application.name());
  reject.set_reason("not this term");
  reject.set_request_id(exchange_.NextRequestId());
  for (int call = 0; call < 2; ++call) {  // the second is answered from the first's response
    enrollment::v1::Application rejected;
    auto context = ContextWithToken(exchange_.Token(kSchoolA, auth::v1::SCHOOL));
    ASSERT_TRUE(exchange_.enrollment().RejectApplication(context.get(), reject, &rejected).ok());
    EXPECT_EQ(rejected.state(), enrollment::v1::REJECTED);
  }
  EXPECT_THAT(RecordsOf(exchange_, student.name(), "EnrollmentService.RejectApplication"),
              ::testing::ElementsAre("J10-7531001 OK", "J10-7531001 OK"));
}

TEST_F(AuditTest, ConcurrentFirstComeClaimsAreEachRecordedOnceWithTheirOutcome) {
  const auto section = exchange_.CreateSection(testing::kAcademy, "감사 선착순",
                                               catalog::v1::FIRST_COME, 2, catalog::v1::MONDAY, 9);
  constexpr int kStudents = 6;
  std::vector<std::string> students;
  for (int i = 0; i < kStudents; ++i) {
    students.push_back(exchange_.CreateStudent(kSchoolA, absl::StrCat("s-", i)).name());
  }
  // The first student applies twice at once: one of the two claims is
  // refused (a student holds one live application per section), whether
  // the two meet in one batch or not.
  std::vector<std::string> claimants = students;
  claimants.push_back(students[0]);
  std::vector<grpc::Status> outcomes(claimants.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < claimants.size(); ++i) {
    threads.emplace_back([&, i] {
      enrollment::v1::Application application;
      outcomes[i] = exchange_.Apply(claimants[i], section.name(), 1, true, &application);
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_NE(outcomes.front().ok(), outcomes.back().ok()) << "exactly one of the twin claims stands";
  std::map<std::string, std::vector<std::string>> expected;
  for (size_t i = 0; i < claimants.size(); ++i) {
    expected[claimants[i]].push_back(
        "J10-7531001 " +
        absl::StatusCodeToString(static_cast<absl::StatusCode>(outcomes[i].error_code())));
  }
  for (const auto& [student, records] : expected) {
    EXPECT_THAT(RecordsOf(exchange_, student, "EnrollmentService.SubmitApplication"),
                ::testing::UnorderedElementsAreArray(records))
        << student;
  }
  // Each standing claim's record was committed by the transaction (a batch,
  // on another call's thread) that wrote the claim's application.
  int standing = 0;
  for (const grpc::Status& outcome : outcomes) {
    standing += outcome.ok() ? 1 : 0;
  }
  EXPECT_EQ(exchange_.QueryEnrollment(
                "SELECT count(*) FROM audit_log a"
                " WHERE a.action = 'EnrollmentService.SubmitApplication' AND a.result = 'OK'"
                " AND EXISTS (SELECT 1 FROM application_events e"
                " JOIN applications p ON p.id = e.application_id WHERE e.txid = a.txid"
                " AND a.student = 'schools/' || p.school_code || '/students/' || p.student_key)"),
            standing);
}

}  // namespace
}  // namespace osan
