// The shared foundation against real PostgreSQL and a real server: the pool's
// error mapping and retries, the worker queue limit and graceful shutdown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/db.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "tests/support/registry.h"
#include "tests/support/test_env.h"

namespace osan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pqxx::connection connection(database_.url());
    pqxx::nontransaction tx(connection);
    tx.exec0("CREATE TABLE item (id int PRIMARY KEY, value int NOT NULL CHECK (value >= 0))");
    tx.exec0("INSERT INTO item VALUES (1, 0), (2, 0)");
    db::PoolOptions options;
    options.url = database_.url();
    options.size = 4;
    options.statement_timeout = absl::Seconds(2);
    options.statements = {{"bump", "UPDATE item SET value = value + 1 WHERE id = $1"},
                          {"value", "SELECT value FROM item WHERE id = $1"},
                          {"insert", "INSERT INTO item VALUES ($1, $2)"}};
    auto pool = db::Pool::Open(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
  }

  int Value(int id) {
    auto value = pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<int> {
      return tx.exec_prepared1("value", id)[0].as<int>();
    });
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or(-1);
  }

  testing::TestDatabase database_;
  std::unique_ptr<db::Pool> pool_;
};

TEST_F(PoolTest, CommitsOnOkAndRollsBackOnError) {
  ASSERT_TRUE(pool_
                  ->Transact([](pqxx::work& tx) {
                    tx.exec_prepared0("bump", 1);
                    return absl::OkStatus();
                  })
                  .ok());
  const absl::Status failed = pool_->Transact([](pqxx::work& tx) {
    tx.exec_prepared0("bump", 1);
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Value(1), 1);
}

TEST_F(PoolTest, MapsConstraintViolationsWithoutLeakingSql) {
  const absl::Status duplicate = pool_->Transact([](pqxx::work& tx) {
    tx.exec_prepared0("insert", 1, 5);
    return absl::OkStatus();
  });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(duplicate.message(), Not(HasSubstr("INSERT")));
  EXPECT_THAT(duplicate.message(), Not(HasSubstr("23505")));

  const absl::Status negative = pool_->Transact([](pqxx::work& tx) {
    tx.exec_prepared0("insert", 3, -1);
    return absl::OkStatus();
  });
  EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(negative.message(), Not(HasSubstr("item")));
}

TEST_F(PoolTest, RetriesDeadlocksUntilBothTransactionsCommit) {
  // Two transactions lock the rows in opposite orders; PostgreSQL kills one
  // as a deadlock victim and the pool retries it.
  absl::Notification first_locked, second_locked;
  auto run = [&](int a, int b, absl::Notification* mine, absl::Notification* other) {
    bool first_attempt = true;
    return pool_->Transact([&](pqxx::work& tx) {
      // Detect the deadlock well before the 2-s statement timeout, however
      // busy the machine (the default is 1 s).
      tx.exec0("SET LOCAL deadlock_timeout = '100ms'");
      tx.exec_prepared0("bump", a);
      if (first_attempt) {
        first_attempt = false;
        mine->Notify();
        other->WaitForNotification();
      }
      tx.exec_prepared0("bump", b);
      return absl::OkStatus();
    });
  };
  auto one = std::async(std::launch::async, run, 1, 2, &first_locked, &second_locked);
  auto two = std::async(std::launch::async, run, 2, 1, &second_locked, &first_locked);
  EXPECT_TRUE(one.get().ok());
  EXPECT_TRUE(two.get().ok());
  EXPECT_EQ(Value(1), 2);
  EXPECT_EQ(Value(2), 2);
}

TEST_F(PoolTest, ReconnectsAfterTheServerDropsAConnection) {
  ASSERT_EQ(Value(1), 0);
  {
    pqxx::connection admin(database_.url());
    pqxx::nontransaction tx(admin);
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }
  EXPECT_EQ(Value(1), 0);
}

// A database made read-only (maintenance, or a standby reached directly)
// refuses the write: the caller is told so and may retry; nothing changed.
TEST_F(PoolTest, AReadOnlyDatabaseRefusesWritesWithAClearError) {
  // New sessions of the database start read-only (or not); those open end.
  const auto set_read_only = [this](bool read_only) {
    pqxx::connection admin(database_.url());
    pqxx::nontransaction tx(admin);
    tx.exec0("SET default_transaction_read_only = off");  // this session may lift it
    tx.exec0(absl::StrCat("ALTER DATABASE ", admin.dbname(),
                          " SET default_transaction_read_only = ", read_only ? "on" : "off"));
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  };
  set_read_only(true);
  const absl::Status refused = pool_->Transact([](pqxx::work& tx) {
    tx.exec_prepared0("bump", 1);
    return absl::OkStatus();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable) << refused;
  EXPECT_THAT(refused.message(), HasSubstr("read-only"));
  set_read_only(false);
  EXPECT_EQ(Value(1), 0);
}

// A server out of disk space (SQLSTATE 53100, raised here as the server would
// raise it mid-write) fails the transaction as a whole, saying so.
TEST_F(PoolTest, ADiskFullDatabaseFailsTheWriteWholeWithAClearError) {
  const absl::Status refused = pool_->Transact([](pqxx::work& tx) {
    tx.exec_prepared0("bump", 1);
    tx.exec("DO $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$");
    return absl::OkStatus();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable) << refused;
  EXPECT_THAT(refused.message(), HasSubstr("out of disk space"));
  EXPECT_THAT(refused.message(), HasSubstr("nothing was written"));
  EXPECT_EQ(Value(1), 0) << "the bump before it was rolled back";
}

// After the server ends every session of a full pool (as a restart does),
// no call fails: idle connections the server closed are replaced before a
// transaction uses them, and one found broken on use takes the others with it.
TEST_F(PoolTest, NoCallFailsAfterTheServerEndsEverySession) {
  // Four transactions at once: the pool holds four connections.
  absl::Notification all_in;
  std::atomic<int> inside{0};
  std::vector<std::future<absl::Status>> running;
  for (int i = 0; i < pool_->size(); ++i) {
    running.push_back(std::async(std::launch::async, [&] {
      return pool_->Transact([&](pqxx::work& tx) {
        tx.exec_prepared1("value", 1);
        if (++inside == pool_->size()) {
          all_in.Notify();
        }
        all_in.WaitForNotification();
        return absl::OkStatus();
      });
    }));
  }
  for (auto& call : running) {
    ASSERT_TRUE(call.get().ok());
  }
  const auto terminate_all = [&] {
    pqxx::connection admin(database_.url());
    pqxx::nontransaction tx(admin);
    return tx
        .exec1(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")[0]
        .as<int>();
  };
  ASSERT_EQ(terminate_all(), pool_->size());
  for (int i = 0; i < 2 * pool_->size(); ++i) {
    const absl::Status bumped = pool_->Transact([](pqxx::work& tx) {
      tx.exec_prepared0("bump", 1);
      return absl::OkStatus();
    });
    EXPECT_TRUE(bumped.ok()) << "call " << i << ": " << bumped;
  }
  EXPECT_EQ(Value(1), 2 * pool_->size());
}

TEST_F(PoolTest, StatementTimeoutIsDeadlineExceeded) {
  const absl::Status slow = pool_->Transact([](pqxx::work& tx) {
    tx.exec0("SELECT pg_sleep(5)");
    return absl::OkStatus();
  });
  EXPECT_EQ(slow.code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(PoolOpenTest, WrongUrlFailsAtStartWithUnavailable) {
  db::PoolOptions options;
  options.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  auto pool = db::Pool::Open(options);
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
}

// A catalog server whose single worker can be held up by a table lock, to
// observe queueing and shutdown.
class ServerLimitsTest : public ::testing::Test {
 protected:
  ServerLimitsTest()
      : service_(catalog::CatalogDefinition(),
                 [](ServiceConfig& config) {
                   config.db_pool_size = 1;
                   config.worker_threads = 1;
                   config.max_queued_calls = 1;
                 }),
        stub_(catalog::v1::CatalogService::NewStub(service_.channel())),
        token_(testing::TestKeys::Get().Token("OSAN-CITY", auth::v1::CITY)) {}

  // Holds an exclusive lock on `terms` until ReleaseLock().
  void LockTerms() {
    locker_ = std::make_unique<pqxx::connection>(service_.database().url());
    lock_tx_ = std::make_unique<pqxx::work>(*locker_);
    lock_tx_->exec0("LOCK TABLE terms IN ACCESS EXCLUSIVE MODE");
  }
  void ReleaseLock() { lock_tx_->abort(); }

  // Starts GetTerm asynchronously; the future yields its status code.
  std::future<grpc::StatusCode> GetTermAsync() {
    return std::async(std::launch::async, [this] { return GetTerm().code; });
  }

  struct Outcome {
    grpc::StatusCode code;
    std::string message;
    // The `grpc-retry-pushback-ms` trailer; empty if none.
    std::string pushback;
  };
  Outcome GetTerm() {
    auto context = testing::ContextWithToken(token_);
    catalog::v1::GetTermRequest request;
    request.set_name("terms/2026-1");
    catalog::v1::Term term;
    const grpc::Status status = stub_->GetTerm(context.get(), request, &term);
    return {status.error_code(), status.error_message(),
            testing::Trailer(*context, "grpc-retry-pushback-ms")};
  }

  // Waits until the database shows a session waiting for the lock.
  void AwaitBlockedQuery() {
    pqxx::connection watcher(service_.database().url());
    for (int i = 0; i < 500; ++i) {
      pqxx::nontransaction tx(watcher);
      // Only this test's database: tests running beside it (ctest -j2) wait on locks too.
      if (tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND datname = current_database()")[0]
              .as<int>() > 0) {
        return;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    FAIL() << "no query ever blocked on the lock";
  }

  // Calls GetTerm until one is answered `code` at once; calls that are
  // queued instead (unanswered after kQueued: an answer from a busy machine
  // comes well within it) are kept in `waiting`.
  void AwaitAnswer(grpc::StatusCode code, std::vector<std::future<grpc::StatusCode>>* waiting) {
    constexpr auto kQueued = std::chrono::seconds(5);
    for (int i = 0; i < 200; ++i) {
      auto probe = GetTermAsync();
      if (probe.wait_for(kQueued) != std::future_status::ready) {
        waiting->push_back(std::move(probe));
      } else if (probe.get() == code) {
        return;
      }
    }
    FAIL() << "no call was answered " << code;
  }

  testing::TestService service_;
  std::unique_ptr<catalog::v1::CatalogService::Stub> stub_;
  std::string token_;
  std::unique_ptr<pqxx::connection> locker_;
  std::unique_ptr<pqxx::work> lock_tx_;
};

TEST_F(ServerLimitsTest, FullQueueAnswersResourceExhausted) {
  LockTerms();
  auto running = GetTermAsync();
  AwaitBlockedQuery();
  // One worker is busy and the queue holds one call: of four more calls, at
  // least three are refused at once, while the lock is still held.
  std::vector<std::future<grpc::StatusCode>> more;
  for (int i = 0; i < 4; ++i) {
    more.push_back(GetTermAsync());
  }
  int refused = 0;
  for (int waited = 0; waited < 1000 && refused < 3; ++waited) {
    refused = 0;
    for (auto& call : more) {
      if (call.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) {
        ++refused;
      }
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(refused, 3);
  // A refusal says when to retry, to people and to clients' retry policies.
  const Outcome busy = GetTerm();
  EXPECT_EQ(busy.code, grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(busy.pushback, "250");
  EXPECT_THAT(busy.message, ::testing::HasSubstr("retry in 250 ms"));
  ReleaseLock();
  EXPECT_EQ(running.get(), grpc::StatusCode::NOT_FOUND);
  std::multiset<grpc::StatusCode> codes;
  for (auto& call : more) {
    codes.insert(call.get());
  }
  EXPECT_EQ(codes.count(grpc::StatusCode::RESOURCE_EXHAUSTED), 3u);
  EXPECT_EQ(codes.count(grpc::StatusCode::NOT_FOUND), 1u) << "the queued call ran after all";
}

TEST_F(ServerLimitsTest, ShutdownLetsCallsInFlightFinish) {
  LockTerms();
  auto in_flight = GetTermAsync();
  AwaitBlockedQuery();
  // Fill the queue, so that further calls are answered at once.
  std::vector<std::future<grpc::StatusCode>> queued;
  AwaitAnswer(grpc::StatusCode::RESOURCE_EXHAUSTED, &queued);
  ASSERT_EQ(queued.size(), 1u);
  auto shutdown = std::async(std::launch::async, [this] { service_.Shutdown(); });
  // Shutdown has begun once new calls are refused as UNAVAILABLE; the calls
  // it took still wait on the lock, and so does the shutdown.
  std::vector<std::future<grpc::StatusCode>> late;
  AwaitAnswer(grpc::StatusCode::UNAVAILABLE, &late);
  EXPECT_TRUE(late.empty()) << "a call was taken after shutdown began";
  EXPECT_EQ(shutdown.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "shutdown did not wait for the calls it had taken";
  ReleaseLock();
  shutdown.get();
  // Both calls finished with their real answer, not a cancellation.
  EXPECT_EQ(in_flight.get(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(queued[0].get(), grpc::StatusCode::NOT_FOUND);
}

// A clock the test moves: it starts at the real time (so that tokens hold)
// and stands still until advanced.
class ManualClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mu_);
    now_ += by;
  }
  std::function<absl::Time()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ = absl::Now();
};

TEST(RateLimitTest, ExcessCallsOfOneInstitutionGetResourceExhaustedWithARetryHint) {
  ManualClock clock;
  testing::TestService service(catalog::CatalogDefinition(), [&](ServiceConfig& config) {
    config.rate_limit_per_second = 1;
    config.rate_limit_burst = 3;
    config.clock = clock.AsFunction();
  });
  auto stub = catalog::v1::CatalogService::NewStub(service.channel());
  testing::RegisterSchools(service.channel(), {"J10-7531001", "J10-7531002"});
  const auto get_term = [&](const std::string& institution, std::string* pushback) {
    auto context =
        testing::ContextWithToken(testing::TestKeys::Get().Token(institution, auth::v1::SCHOOL));
    catalog::v1::GetTermRequest request;
    request.set_name("terms/2026-1");
    catalog::v1::Term term;
    const grpc::StatusCode code = stub->GetTerm(context.get(), request, &term).error_code();
    if (pushback != nullptr) {
      *pushback = testing::Trailer(*context, "grpc-retry-pushback-ms");
    }
    return code;
  };
  // The burst passes (NOT_FOUND: there is no such term), the next is refused.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get_term("J10-7531001", nullptr), grpc::StatusCode::NOT_FOUND);
  }
  std::string pushback;
  EXPECT_EQ(get_term("J10-7531001", &pushback), grpc::StatusCode::RESOURCE_EXHAUSTED);
  int64_t ms = 0;
  EXPECT_TRUE(absl::SimpleAtoi(pushback, &ms)) << pushback;
  EXPECT_GT(ms, 0);
  EXPECT_LE(ms, 1000);
  // Other institutions have their own budget.
  EXPECT_EQ(get_term("J10-7531002", nullptr), grpc::StatusCode::NOT_FOUND);
  // The budget refills at the rate, by the server's clock: nothing while it
  // stands still, one call a second later.
  EXPECT_EQ(get_term("J10-7531001", nullptr), grpc::StatusCode::RESOURCE_EXHAUSTED);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(get_term("J10-7531001", nullptr), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get_term("J10-7531001", nullptr), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(RateLimitTest, RepeatedFailedAuthenticationsFromOneAddressAreThrottled) {
  testing::TestService service(catalog::CatalogDefinition(), [](ServiceConfig& config) {
    config.failed_auth_rate_per_second = 0.01;  // one more every 100 s: none during the test
    config.failed_auth_burst = 3;
  });
  auto stub = catalog::v1::CatalogService::NewStub(service.channel());
  testing::RegisterSchools(service.channel(), {"J10-7531001"});
  struct Outcome {
    grpc::StatusCode code;
    std::string pushback;
  };
  const auto get_term = [&](const std::string& token) {
    auto context = testing::ContextWithToken(token);
    catalog::v1::GetTermRequest request;
    request.set_name("terms/2026-1");
    catalog::v1::Term term;
    const grpc::StatusCode code = stub->GetTerm(context.get(), request, &term).error_code();
    return Outcome{code, testing::Trailer(*context, "grpc-retry-pushback-ms")};
  };
  const std::string forged = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJKMTAtNzUzMTAwMSJ9.Zm9yZ2Vk";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get_term(forged).code, grpc::StatusCode::UNAUTHENTICATED) << i;
  }
  const Outcome throttled = get_term(forged);
  EXPECT_EQ(throttled.code, grpc::StatusCode::RESOURCE_EXHAUSTED);
  int64_t ms = 0;
  EXPECT_TRUE(absl::SimpleAtoi(throttled.pushback, &ms)) << throttled.pushback;
  EXPECT_GT(ms, 90000);
  EXPECT_EQ(get_term("").code, grpc::StatusCode::RESOURCE_EXHAUSTED) << "a missing token too";
  // Valid tokens from the same address are not held back.
  EXPECT_EQ(get_term(testing::TestKeys::Get().Token("J10-7531001", auth::v1::SCHOOL)).code,
            grpc::StatusCode::NOT_FOUND);
}

// Lists the current term's public sections without a token; the status code.
grpc::StatusCode ListPublicly(catalog::v1::PublicListingService::Stub& stub) {
  auto context = testing::ContextWithToken("");
  catalog::v1::ListPublicSectionsRequest request;
  request.set_term("terms/2026-1");
  catalog::v1::ListPublicSectionsResponse response;
  return stub.ListPublicSections(context.get(), request, &response).error_code();
}

TEST(RateLimitTest, ManyPublicCallsFromOneAddressAreNotRefusedByDefault) {
  // The institutions' limit as in production; the public one at its default.
  testing::TestService service(catalog::CatalogDefinition(), [](ServiceConfig& config) {
    config.rate_limit_per_second = 200;
    config.rate_limit_burst = 400;
  });
  auto stub = catalog::v1::PublicListingService::NewStub(service.channel());
  constexpr int kThreads = 8;
  constexpr int kCallsEach = 250;  // 2,000 calls, far past the institutions' burst
  std::atomic<int> refused{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsEach; ++i) {
        (ListPublicly(*stub) == grpc::StatusCode::OK ? answered : refused)++;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(refused.load(), 0);
  EXPECT_EQ(answered.load(), kThreads * kCallsEach);
}

TEST(RateLimitTest, APublicLimitPerAddressCanBeSet) {
  testing::TestService service(catalog::CatalogDefinition(), [](ServiceConfig& config) {
    config.public_rate_limit_per_second = 1;
    config.public_rate_limit_burst = 3;
  });
  auto stub = catalog::v1::PublicListingService::NewStub(service.channel());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ListPublicly(*stub), grpc::StatusCode::OK);
  }
  EXPECT_EQ(ListPublicly(*stub), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(RevocationTest, RevokingAnInstitutionTakesEffectWhileRunning) {
  const std::string revocations = testing::WriteSecretFile("# nothing revoked\n");
  testing::TestService service(catalog::CatalogDefinition(), [&](ServiceConfig& config) {
    config.token_revocations_file = revocations;
  });
  auto stub = catalog::v1::CatalogService::NewStub(service.channel());
  testing::RegisterSchools(service.channel(), {"J10-7531001"});
  const std::string token = testing::TestKeys::Get().Token("J10-7531001", auth::v1::SCHOOL);
  const auto get_term = [&] {
    auto context = testing::ContextWithToken(token);
    catalog::v1::GetTermRequest request;
    request.set_name("terms/2026-1");
    catalog::v1::Term term;
    return stub->GetTerm(context.get(), request, &term).error_code();
  };
  EXPECT_EQ(get_term(), grpc::StatusCode::NOT_FOUND);
  {
    std::ofstream out(revocations);
    out << "J10-7531001 " << absl::ToUnixSeconds(absl::Now()) + 60 << "\n";
  }
  grpc::StatusCode code = grpc::StatusCode::NOT_FOUND;
  for (int i = 0; i < 100 && code != grpc::StatusCode::UNAUTHENTICATED; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    code = get_term();
  }
  EXPECT_EQ(code, grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace osan
