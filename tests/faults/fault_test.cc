// Faults on real processes. Catalog and enrollment run as their own processes
// over a PostgreSQL that `tools/dev test`'s fault stage runs under Patroni
// (tools/ha/cluster.sh: three nodes, synchronous replication, a multi-host
// URL), and each test breaks something in the middle of work:
//   - a first-come rush (200 students, 50 seats, 16 clients, each claim
//     retried with its request id until answered) while enrollment or
//     catalog is killed -9 and started again, while the leader's PostgreSQL
//     crashes (Patroni restarts it), and while the Patroni leader is killed
//     (the standby takes over): no acknowledged seat lost, no student seated
//     twice, exactly the capacity taken; the outage is printed;
//   - the first call to each service after a PostgreSQL crash succeeds;
//   - catalog down while enrollment serves: what needs no catalog works,
//     what needs it is UNAVAILABLE with a retry hint, and succeeds with the
//     same request id once catalog is back;
//   - a read-only database: writes fail UNAVAILABLE saying so, nothing is
//     half-written, and they succeed once it takes writes again;
//   - enrollment killed while an allocation at Gyeonggi scale writes:
//     nothing changed, and a new run allocates the whole term;
//   - a change-feed follower across enrollment killed while changes are
//     written: resumed from its cursor, every event arrives once, in order.
//
// Not part of ctest: it needs the cluster. The stage runs it with
// OSAN_TEST_PG_URL_FILE (the cluster's URL) and OSAN_HA_DIR (the cluster's
// directory, for tools/ha/cluster.sh). The leader kill runs last: it leaves
// the cluster with two nodes.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/exchange_fixture.h"
#include "tests/support/gyeonggi_term.h"
#include "tests/support/service_process.h"

namespace osan {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
using testing::Exchange;
using testing::kSchoolA;
using testing::kSchoolB;
using testing::ServiceProcess;
using testing::TestKeys;

constexpr int kStudents = 200;
constexpr int kCapacity = 50;
constexpr int kClients = 16;

// Runs tools/ha/cluster.sh COMMAND on the stage's cluster.
void Cluster(const std::string& command) {
  const char* dir = std::getenv("OSAN_HA_DIR");
  ASSERT_NE(dir, nullptr) << "OSAN_HA_DIR is not set; run the fault stage: tools/dev test";
  const std::string line = absl::StrCat(OSAN_HA_SCRIPT, " ", command, " ", dir, " >/dev/null");
  ASSERT_EQ(std::system(line.c_str()), 0) << line;
}

// Whether a claim's failure is one to retry with the same request id.
bool Transient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::ABORTED || code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

struct Rush {
  // Students whose claim was answered ENROLLED.
  std::set<std::string> seated;
  // Claims answered otherwise (waitlisted: the section was full).
  int not_seated = 0;
  // Claims that ended in an error not worth retrying, with the error.
  std::vector<std::string> failed;
  int retries = 0;
  // The longest time without an answer from the fault on.
  absl::Duration outage;
};

class FaultTest : public ::testing::Test {
 protected:
  FaultTest() {
    // The rush would outrun one school's rate limit: not what is tested here.
    catalog_ = std::make_unique<ServiceProcess>(
        OSAN_CATALOG_SERVER,
        std::map<std::string, std::string>{{"OSAN_RATE_LIMIT_PER_SECOND", "0"}});
    enrollment_ = std::make_unique<ServiceProcess>(
        OSAN_ENROLLMENT_SERVER,
        std::map<std::string, std::string>{
            {"OSAN_CATALOG_ADDRESS", catalog_->address()},
            {"OSAN_SERVICE_SIGNING_KEY",
             testing::WriteSecretFile(TestKeys::Get().service_private_key_pem("SVC-ENROLLMENT"))},
            {"OSAN_RATE_LIMIT_PER_SECOND", "0"}});
    // Reconnecting within half a second of a service's return, so that the
    // outage measured is the service's, not the client's backoff.
    const auto channel = [](const std::string& address) {
      grpc::ChannelArguments arguments;
      arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
      arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
      return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
    };
    exchange_ = std::make_unique<Exchange>(
        channel(catalog_->address()), channel(enrollment_->address()), enrollment_->database_url());
    exchange_->CreateBasics();
  }

  // A first-come section with kCapacity seats and kStudents students to claim them.
  void SetUpRush() {
    section_ = exchange_->CreateSection(testing::kAcademy, "인공지능 코딩", cv1::FIRST_COME,
                                        kCapacity, cv1::MONDAY, 16);
    for (int i = 0; i < kStudents; ++i) {
      students_.push_back(
          exchange_->CreateStudent(i % 2 == 0 ? kSchoolA : kSchoolB, absl::StrCat("r-", i)).name());
    }
  }

  // Every student claims a seat once, from kClients threads; a claim failing
  // transiently is retried with its request id for up to 90 s. `fault` runs
  // once, after `fault_after` claims were answered.
  Rush RunRush(int fault_after, const std::function<void()>& fault) {
    Rush rush;
    std::mutex mu;
    std::atomic<int> next{0};
    std::atomic<int> answered{0};
    std::atomic<bool> fault_started{false};
    // When the fault started, then each answer after it.
    std::vector<absl::Time> answers_since_fault;
    std::thread injector([&] {
      while (answered.load() < fault_after && next.load() < kStudents) {
        absl::SleepFor(absl::Milliseconds(1));
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        answers_since_fault.push_back(absl::Now());
        fault_started = true;
      }
      fault();
    });
    std::atomic<int> retries{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&] {
        for (int i = next++; i < kStudents; i = next++) {
          ev1::Application application;
          const grpc::Status status = ApplyUntilAnswered(
              students_[i], section_.name(), absl::StrCat("claim-", i), &application, &retries);
          std::lock_guard<std::mutex> lock(mu);
          if (!status.ok()) {
            rush.failed.push_back(
                absl::StrCat(students_[i], ": ", status.error_code(), " ", status.error_message()));
          } else if (application.state() == ev1::ENROLLED) {
            rush.seated.insert(students_[i]);
          } else {
            ++rush.not_seated;
          }
          if (status.ok() && fault_started) {
            answers_since_fault.push_back(absl::Now());
          }
          ++answered;
        }
      });
    }
    for (std::thread& client : clients) {
      client.join();
    }
    injector.join();
    rush.retries = retries;
    for (size_t i = 1; i < answers_since_fault.size(); ++i) {
      rush.outage = std::max(rush.outage, answers_since_fault[i] - answers_since_fault[i - 1]);
    }
    return rush;
  }

  // Claims a seat for `student`, retrying a transient failure with the same
  // request id every 50 ms for up to 90 s; counts the retries.
  grpc::Status ApplyUntilAnswered(const std::string& student, const std::string& section,
                                  const std::string& request_id, ev1::Application* application,
                                  std::atomic<int>* retries) {
    const absl::Time give_up = absl::Now() + absl::Seconds(90);
    for (;;) {
      const grpc::Status status =
          exchange_->Apply(student, section, 1, true, application, request_id);
      if (status.ok() || !Transient(status.error_code()) || absl::Now() > give_up) {
        return status;
      }
      ++*retries;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  // Checks the rush against the database and prints its figures: every
  // acknowledged seat held, none held twice, exactly the capacity taken.
  void CheckRush(const std::string& fault, const Rush& rush) {
    EXPECT_TRUE(rush.failed.empty()) << rush.failed.front();
    const std::string section_id = section_.name().substr(section_.name().rfind('/') + 1);
    const int64_t enrolled = exchange_->QueryEnrollment(absl::StrCat(
        "SELECT count(*) FROM applications WHERE state = 'ENROLLED' AND section_id = '", section_id,
        "'"));
    const int64_t seat_counter = exchange_->QueryEnrollment(
        absl::StrCat("SELECT enrolled FROM section_seats WHERE section_id = '", section_id, "'"));
    const int64_t twice = exchange_->QueryEnrollment(absl::StrCat(
        "SELECT count(*) FROM (SELECT student_key FROM applications WHERE section_id = '",
        section_id, "' GROUP BY school_code, student_key HAVING count(*) > 1) AS repeated"));
    int lost = 0;
    for (const std::string& student : rush.seated) {
      const std::string key = student.substr(student.rfind('/') + 1);
      lost += exchange_->QueryEnrollment(absl::StrCat(
                  "SELECT count(*) FROM applications WHERE state = 'ENROLLED' AND section_id = '",
                  section_id, "' AND student_key = '", key, "'")) == 1
                  ? 0
                  : 1;
    }
    std::printf(
        "fault: %-44s outage %6.2f s, acknowledged seats %zu, lost %d, seated %lld of %d, "
        "seated twice %lld, retries %d\n",
        fault.c_str(), absl::ToDoubleSeconds(rush.outage), rush.seated.size(), lost,
        static_cast<long long>(enrolled), kCapacity, static_cast<long long>(twice), rush.retries);
    std::fflush(stdout);
    EXPECT_EQ(lost, 0);
    EXPECT_EQ(twice, 0);
    EXPECT_EQ(enrolled, kCapacity);
    EXPECT_EQ(seat_counter, kCapacity);
    EXPECT_EQ(static_cast<int64_t>(rush.seated.size()), enrolled);
    EXPECT_EQ(rush.not_seated, kStudents - kCapacity);
  }

  std::string Token(const std::string& institution, auth::Role role) {
    return TestKeys::Get().Token(institution, role);
  }

  std::unique_ptr<ServiceProcess> catalog_;
  std::unique_ptr<ServiceProcess> enrollment_;
  std::unique_ptr<Exchange> exchange_;
  cv1::Section section_;
  std::vector<std::string> students_;
};

TEST_F(FaultTest, RushSurvivesEnrollmentKilled) {
  SetUpRush();
  const Rush rush = RunRush(20, [&] { enrollment_->Restart(); });
  CheckRush("enrollment killed -9 and restarted", rush);
}

TEST_F(FaultTest, RushSurvivesCatalogKilled) {
  SetUpRush();
  const Rush rush = RunRush(20, [&] { catalog_->Restart(); });
  CheckRush("catalog killed -9 and restarted", rush);
}

TEST_F(FaultTest, RushSurvivesAPostgresCrash) {
  SetUpRush();
  const Rush rush = RunRush(20, [&] { Cluster("crash-postgres"); });
  CheckRush("leader's PostgreSQL killed -9 (restarted)", rush);
  Cluster("revive");  // a synchronous standby again, for the tests after this one
}

// Waits until the cluster's leader takes a write again (at most 60 s).
void AwaitWritableDatabase() {
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  for (;;) {
    try {
      pqxx::connection connection(testing::TestDatabase::AdminUrl());
      pqxx::nontransaction tx(connection);
      tx.exec0("CREATE TEMPORARY TABLE probe (n int)");
      return;
    } catch (const std::exception& e) {
      ASSERT_LT(absl::Now(), give_up) << "the database did not come back: " << e.what();
      absl::SleepFor(absl::Milliseconds(200));
    }
  }
}

TEST_F(FaultTest, FirstCallAfterAPostgresCrashSucceeds) {
  const ev1::Student student = exchange_->CreateStudent(kSchoolA, "first-call");
  // Every pooled connection of both services is open before the crash.
  for (int i = 0; i < 8; ++i) {
    exchange_->CreateStudent(kSchoolA, absl::StrCat("warm-", i));
  }
  Cluster("crash-postgres");
  AwaitWritableDatabase();

  cv1::GetTermRequest term;
  term.set_name(absl::StrCat(
      "terms/", absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year(), "-1"));
  cv1::Term got_term;
  auto context = testing::ContextWithToken(Token(kSchoolA, auth::v1::SCHOOL));
  const grpc::Status catalog_call = exchange_->catalog().GetTerm(context.get(), term, &got_term);
  EXPECT_TRUE(catalog_call.ok()) << catalog_call.error_message();

  ev1::GetStudentRequest get;
  get.set_name(student.name());
  ev1::Student got_student;
  context = testing::ContextWithToken(Token(kSchoolA, auth::v1::SCHOOL));
  const grpc::Status enrollment_call =
      exchange_->enrollment().GetStudent(context.get(), get, &got_student);
  EXPECT_TRUE(enrollment_call.ok()) << enrollment_call.error_message();
  Cluster("revive");
  std::printf("fault: first call after a PostgreSQL crash: catalog %s, enrollment %s\n",
              catalog_call.ok() ? "OK" : catalog_call.error_message().c_str(),
              enrollment_call.ok() ? "OK" : enrollment_call.error_message().c_str());
}

TEST_F(FaultTest, CatalogDownWhileEnrollmentServes) {
  const ev1::Student student = exchange_->CreateStudent(kSchoolA, "catalog-down");
  const cv1::Section section = exchange_->CreateSection(testing::kAcademy, "데이터 과학",
                                                        cv1::FIRST_COME, 10, cv1::TUESDAY, 16);
  catalog_->Kill();

  // What needs no catalog keeps working.
  ev1::GetStudentRequest get;
  get.set_name(student.name());
  ev1::Student got;
  auto context = testing::ContextWithToken(Token(kSchoolA, auth::v1::SCHOOL));
  const grpc::Status read = exchange_->enrollment().GetStudent(context.get(), get, &got);
  EXPECT_TRUE(read.ok()) << read.error_message();

  // A claim needs the section's facts: UNAVAILABLE with a retry hint, nothing written.
  ev1::Application application;
  const grpc::Status refused =
      exchange_->Apply(student.name(), section.name(), 1, true, &application, "catalog-down-1");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "catalog") &&
              absl::StrContains(refused.error_message(), "retry"))
      << refused.error_message();
  EXPECT_EQ(exchange_->QueryEnrollment("SELECT count(*) FROM applications"), 0);

  // Catalog back: the same request succeeds (once enrollment has reconnected).
  catalog_->Restart();
  std::atomic<int> retries{0};
  const grpc::Status retried =
      ApplyUntilAnswered(student.name(), section.name(), "catalog-down-1", &application, &retries);
  EXPECT_TRUE(retried.ok()) << retried.error_message();
  EXPECT_EQ(application.state(), ev1::ENROLLED);
  std::printf(
      "fault: catalog down: read %s, claim %s (\"%s\"), after restart %s\n",
      read.ok() ? "OK" : "failed",
      grpc::StatusCode::UNAVAILABLE == refused.error_code() ? "UNAVAILABLE" : "answered otherwise",
      refused.error_message().c_str(), retried.ok() ? "OK" : "failed");
}

// Sets default_transaction_read_only on enrollment's database and ends its
// sessions, so that the next ones start read-only (or writable again).
void SetReadOnly(const std::string& database_url, bool read_only) {
  const std::string name = database_url.substr(
      database_url.rfind('/') + 1, database_url.find('?') - database_url.rfind('/') - 1);
  pqxx::connection connection(testing::TestDatabase::AdminUrl());
  pqxx::nontransaction tx(connection);
  tx.exec0(absl::StrCat("ALTER DATABASE ", name,
                        " SET default_transaction_read_only = ", read_only ? "on" : "off"));
  tx.exec(absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '",
                       name, "'"));
}

// Through the multi-host URL (target_session_attrs=read-write) a read-only
// database takes no session at all; reached directly, it refuses the write
// (SQLSTATE 25006, tested in foundation_test). Either way the caller is told.
TEST_F(FaultTest, AReadOnlyDatabaseRefusesWritesClearlyAndKeepsNothingHalfWritten) {
  exchange_->CreateStudent(kSchoolA, "before");
  SetReadOnly(enrollment_->database_url(), true);
  ev1::Student created;
  const grpc::Status refused =
      exchange_->CreateStudentAs(auth::v1::SCHOOL, kSchoolA, "during", 2, &created);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "read-only")) << refused.error_message();

  SetReadOnly(enrollment_->database_url(), false);
  EXPECT_EQ(exchange_->QueryEnrollment("SELECT count(*) FROM students"), 1);
  const grpc::Status written =
      exchange_->CreateStudentAs(auth::v1::SCHOOL, kSchoolA, "during", 2, &created);
  EXPECT_TRUE(written.ok()) << written.error_message();
  EXPECT_EQ(exchange_->QueryEnrollment("SELECT count(*) FROM students"), 2);
  std::printf("fault: read-only database: write %s (\"%s\"), after %s\n",
              refused.error_code() == grpc::StatusCode::UNAVAILABLE ? "UNAVAILABLE" : "other",
              refused.error_message().c_str(), written.ok() ? "OK" : "failed");
}

// Enrollment killed -9 while an allocation at Gyeonggi scale writes its
// decisions: the run's one transaction rolls back (nothing changed), and a
// new run allocates the whole term, no section over capacity.
TEST_F(FaultTest, AllocationKilledWhileWritingChangesNothingAndRunsAgain) {
  const testing::GyeonggiTerm term = testing::CreateGyeonggiTerm(*exchange_);
  const std::string city = Token(testing::kCity, auth::v1::CITY);
  const auto start = [&](const std::string& request_id) {
    ev1::RunAllocationRequest request;
    request.set_term(term.term);
    request.set_seed(7);
    request.set_request_id(request_id);
    ev1::AllocationOperation operation;
    grpc::Status status;
    for (const absl::Time give_up = absl::Now() + absl::Seconds(60);;) {
      auto context = testing::ContextWithToken(city);
      status = exchange_->enrollment().RunAllocation(context.get(), request, &operation);
      if (status.ok() || !Transient(status.error_code()) || absl::Now() > give_up) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    EXPECT_TRUE(status.ok()) << status.error_message();
    return operation;
  };

  // Killed once the run writes (its progress says so).
  const ev1::AllocationOperation first = start("allocation-killed");
  std::string stage;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(60);
       stage != "writing decisions" && absl::Now() < deadline;) {
    ev1::GetAllocationOperationRequest get;
    get.set_name(first.name());
    ev1::AllocationOperation read;
    auto context = testing::ContextWithToken(city);
    if (exchange_->enrollment().GetAllocationOperation(context.get(), get, &read).ok()) {
      ASSERT_FALSE(read.done()) << "the run ended before it could be killed while writing";
      stage = read.stage();
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(stage, "writing decisions");
  enrollment_->Restart();
  const int64_t approved =
      exchange_->QueryEnrollment("SELECT count(*) FROM applications WHERE state = 'APPROVED'");
  const int64_t decisions_after_kill =
      exchange_->QueryEnrollment("SELECT count(*) FROM allocation_decisions");
  const int64_t seats_after_kill =
      exchange_->QueryEnrollment("SELECT coalesce(sum(enrolled), 0) FROM section_seats");
  EXPECT_EQ(approved, testing::GyeonggiTerm::kApplications);
  EXPECT_EQ(decisions_after_kill, 0);
  EXPECT_EQ(seats_after_kill, 0);

  // A new run allocates the whole term.
  const absl::Time began = absl::Now();
  const absl::StatusOr<ev1::AllocationRun> run =
      exchange_->AwaitAllocation(start("allocation-again"), city, absl::Seconds(120));
  ASSERT_TRUE(run.ok()) << run.status();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - began);
  const int64_t decided = exchange_->QueryEnrollment("SELECT count(*) FROM allocation_decisions");
  const int64_t still_approved =
      exchange_->QueryEnrollment("SELECT count(*) FROM applications WHERE state = 'APPROVED'");
  const int64_t overbooked = exchange_->QueryEnrollment(
      absl::StrCat("SELECT count(*) FROM (SELECT section_id FROM applications WHERE state = "
                   "'ENROLLED' GROUP BY section_id HAVING count(*) > ",
                   testing::GyeonggiTerm::kCapacity, ") AS over"));
  EXPECT_EQ(decided, testing::GyeonggiTerm::kApplications);
  EXPECT_EQ(still_approved, 0);
  EXPECT_EQ(overbooked, 0);
  EXPECT_EQ(run->enrolled_count(),
            exchange_->QueryEnrollment("SELECT coalesce(sum(enrolled), 0) FROM section_seats"));
  std::printf(
      "fault: enrollment killed -9 while allocating (%s): applications still approved %lld of "
      "%d, decisions %lld, seats %lld; run again in %.1f s: decisions %lld, enrolled %d, "
      "overbooked sections %lld\n",
      stage.c_str(), static_cast<long long>(approved), testing::GyeonggiTerm::kApplications,
      static_cast<long long>(decisions_after_kill), static_cast<long long>(seats_after_kill),
      seconds, static_cast<long long>(decided), run->enrolled_count(),
      static_cast<long long>(overbooked));
  std::fflush(stdout);
}

// A follower of the change feed keeps its cursor through enrollment killed -9
// while changes are being written: resumed from its cursor, it receives every
// event once, in the feed's order.
TEST_F(FaultTest, AFeedFollowerResumesFromItsCursorWithNothingSkippedOrRepeated) {
  constexpr int kClaims = 60;
  section_ = exchange_->CreateSection(testing::kAcademy, "로봇 공학", cv1::FIRST_COME, kClaims,
                                      cv1::WEDNESDAY, 16);
  for (int i = 0; i < kClaims; ++i) {
    students_.push_back(exchange_->CreateStudent(kSchoolA, absl::StrCat("f-", i)).name());
  }
  const std::string host = Token(testing::kAcademy, auth::v1::ACADEMY);

  std::mutex mu;
  std::vector<std::string> received;  // cursors, as they arrived
  grpc::ClientContext* open = nullptr;
  bool stop = false;
  int reconnects = 0;
  std::thread follower([&] {
    std::string cursor;
    for (;;) {
      auto context = testing::ContextWithToken(host);
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stop) {
          return;
        }
        open = context.get();
      }
      ev1::WatchChangesRequest request;
      request.set_cursor(cursor);
      request.set_follow(true);
      auto reader = exchange_->enrollment().WatchChanges(context.get(), request);
      ev1::ChangeEvent event;
      while (reader->Read(&event)) {
        std::lock_guard<std::mutex> lock(mu);
        received.push_back(event.cursor());
        cursor = event.cursor();
      }
      reader->Finish();
      std::lock_guard<std::mutex> lock(mu);
      open = nullptr;
      if (stop) {
        return;
      }
      ++reconnects;
      absl::SleepFor(absl::Milliseconds(100));
    }
  });
  const auto received_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return received.size();
  };

  // Claims at a steady pace; enrollment killed once a third are in.
  std::atomic<int> retries{0};
  for (int i = 0; i < kClaims; ++i) {
    if (i == kClaims / 3) {
      enrollment_->Restart();
    }
    ev1::Application application;
    const grpc::Status status = ApplyUntilAnswered(
        students_[i], section_.name(), absl::StrCat("feed-", i), &application, &retries);
    ASSERT_TRUE(status.ok()) << status.error_message();
    absl::SleepFor(absl::Milliseconds(10));
  }

  // Every event, read in one pass once all are visible, against what the
  // follower got.
  const int64_t expected = exchange_->QueryEnrollment(absl::StrCat(
      "SELECT count(*) FROM application_events WHERE host_code = '", testing::kAcademy, "'"));
  std::vector<std::string> all;
  for (const ev1::ChangeEvent& event : exchange_->ReadChanges(host, expected)) {
    all.push_back(event.cursor());
  }
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);
       received_count() < all.size() && absl::Now() < deadline;) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    if (open != nullptr) {
      open->TryCancel();
    }
  }
  follower.join();

  const std::set<std::string> distinct(received.begin(), received.end());
  const size_t repeated = received.size() - distinct.size();
  size_t skipped = 0;
  for (const std::string& cursor : all) {
    skipped += distinct.count(cursor) == 0 ? 1 : 0;
  }
  std::printf(
      "fault: feed follower across enrollment killed -9: events %zu, received %zu, repeated %zu, "
      "skipped %zu, reconnects %d\n",
      all.size(), received.size(), repeated, skipped, reconnects);
  std::fflush(stdout);
  EXPECT_EQ(static_cast<int64_t>(all.size()), expected);
  EXPECT_EQ(received, all) << "in the feed's order, each once";
  EXPECT_GE(reconnects, 1) << "the kill ended the follower's stream";
}

// Last: the killed node stays down.
TEST_F(FaultTest, RushSurvivesThePatroniLeaderKilled) {
  SetUpRush();
  const Rush rush = RunRush(20, [&] { Cluster("kill-leader"); });
  CheckRush("Patroni leader killed -9 (failover)", rush);
}

}  // namespace
}  // namespace osan
