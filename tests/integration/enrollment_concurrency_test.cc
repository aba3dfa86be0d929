// The seat invariants under concurrency, against real PostgreSQL and real
// servers: many threads apply, claim, drop, withdraw and get promoted at once
// on a small first-come section, for many rounds. After every round:
//   - never more students enrolled than the capacity;
//   - the seat counter equals the number of ENROLLED applications;
//   - never one student twice in a section (live applications);
//   - never a seat given to a withdrawn application.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/enrollment/domain/rules.h"
#include "tests/support/exchange_fixture.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;
using testing::ContextWithToken;
using testing::kAcademy;
using testing::kSchoolA;
using testing::kSchoolB;

constexpr int kRounds = 6;
constexpr int kThreads = 12;
constexpr int kStudentsPerThread = 3;
constexpr int kCapacity = 3;

TEST(EnrollmentConcurrencyTest, SeatsNeverOverbookUnderConcurrentClaimsDropsAndPromotions) {
  testing::Exchange exchange([](ServiceConfig& config) {
    config.db_pool_size = 6;
    config.worker_threads = kThreads + 4;
  });
  exchange.CreateBasics();
  std::vector<std::string> students;
  for (int i = 0; i < kThreads * kStudentsPerThread; ++i) {
    students.push_back(
        exchange.CreateStudent(i % 2 == 0 ? kSchoolA : kSchoolB, absl::StrCat("s-", i)).name());
  }
  for (int round = 0; round < kRounds; ++round) {
    // Each round on a fresh section so that every student can take part.
    const cv1::Section section =
        exchange.CreateSection(kAcademy, absl::StrCat("인기 강좌 ", round), cv1::FIRST_COME,
                               kCapacity, static_cast<cv1::Weekday>(1 + round % 7), 8 + round);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::mt19937 random(round * 1000 + t);
        for (int k = 0; k < kStudentsPerThread; ++k) {
          const std::string& student = students[t * kStudentsPerThread + k];
          const std::string school = ParseStudentName("student", student).value().school;
          const std::string token = exchange.Token(school, auth::v1::SCHOOL);
          v1::Application application;
          const grpc::Status applied =
              exchange.Apply(student, section.name(), 1 + round % 20, true, &application);
          if (!applied.ok()) {
            ADD_FAILURE() << "apply: " << applied.error_message();
            continue;
          }
          // While the application is live, a second one for the same student
          // and section must never be accepted.
          if (application.state() == v1::ENROLLED || application.state() == v1::WAITLISTED) {
            v1::Application duplicate;
            EXPECT_EQ(exchange.Apply(student, section.name(), 20, true, &duplicate).error_code(),
                      grpc::StatusCode::ALREADY_EXISTS)
                << "round " << round << ": " << v1::ApplicationState_Name(duplicate.state());
          }
          const int dice = static_cast<int>(random() % 3);
          if (application.state() == v1::ENROLLED && dice == 0) {
            v1::DropEnrollmentRequest drop;
            drop.set_name(application.name());
            drop.set_reason("학생 요청");
            drop.set_request_id(exchange.NextRequestId());
            v1::Application dropped;
            auto context = ContextWithToken(token);
            EXPECT_TRUE(exchange.enrollment().DropEnrollment(context.get(), drop, &dropped).ok());
          } else if (application.state() == v1::WAITLISTED && dice == 1) {
            v1::DecideApplicationRequest withdraw;
            withdraw.set_name(application.name());
            withdraw.set_request_id(exchange.NextRequestId());
            v1::Application withdrawn;
            auto context = ContextWithToken(token);
            // It may have been promoted meanwhile: then withdrawal is refused.
            const grpc::Status status =
                exchange.enrollment().WithdrawApplication(context.get(), withdraw, &withdrawn);
            EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
                << status.error_message();
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    const std::string id = section.name().substr(section.name().rfind('/') + 1);
    const int64_t enrolled = exchange.QueryEnrollment(absl::StrCat(
        "SELECT count(*) FROM applications WHERE section_id = '", id, "' AND state = 'ENROLLED'"));
    EXPECT_LE(enrolled, kCapacity) << "round " << round;
    EXPECT_EQ(exchange.QueryEnrollment(
                  absl::StrCat("SELECT enrolled FROM section_seats WHERE section_id = '", id, "'")),
              enrolled)
        << "round " << round;
    EXPECT_EQ(exchange.QueryEnrollment(absl::StrCat(
                  "SELECT count(*) FROM (SELECT school_code, student_key FROM applications "
                  "WHERE section_id = '",
                  id,
                  "' AND state IN ('SUBMITTED','APPROVED','HOST_ACCEPTED','ENROLLED','WAITLISTED') "
                  "GROUP BY 1, 2 HAVING count(*) > 1) d")),
              0)
        << "round " << round;
    // Drops happened while students waited: the waitlist must have refilled
    // every seat a drop freed, unless nobody eligible was left waiting.
    const int64_t waiting = exchange.QueryEnrollment(
        absl::StrCat("SELECT count(*) FROM applications WHERE section_id = '", id,
                     "' AND state = 'WAITLISTED'"));
    EXPECT_TRUE(enrolled == kCapacity || waiting == 0)
        << "round " << round << ": " << enrolled << " enrolled with " << waiting << " waiting";
  }
  // No application was ever enrolled after it was withdrawn (events carry the
  // application's version as its etag).
  pqxx::connection connection(exchange.enrollment_service().database().url());
  pqxx::nontransaction tx(connection);
  std::map<std::string, std::vector<std::pair<int64_t, v1::ApplicationState>>> history;
  for (const auto& row :
       tx.exec("SELECT application_id::text, application FROM application_events")) {
    v1::Application application;
    ASSERT_TRUE(application.ParseFromString(pqxx::binarystring(row[1]).str()));
    history[row[0].as<std::string>()].emplace_back(std::stoll(application.etag()),
                                                   application.state());
  }
  for (auto& [id, states] : history) {
    std::sort(states.begin(), states.end());
    bool withdrawn = false;
    for (const auto& [version, state] : states) {
      withdrawn = withdrawn || state == v1::WITHDRAWN;
      EXPECT_FALSE(withdrawn && state == v1::ENROLLED) << id;
    }
  }
}

}  // namespace
}  // namespace osan::enrollment
