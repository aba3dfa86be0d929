#include "common/db.h"

#include <poll.h>

#include <algorithm>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace osan::db {
namespace {

// A write refused by a read-only database, or no writable server to connect to.
constexpr char kReadOnly[] =
    "the database is read-only for now (failover or maintenance); nothing was changed: retry "
    "later";

// Why one attempt ended without a result.
enum class Outcome { kDone, kRetry, kReconnect };

// Whether an idle connection is known to be closed, without a round trip:
// a server that ends a session (a restart, pg_terminate_backend, a crash)
// sends its reason and closes the socket, which makes an idle socket
// readable; an idle session receives nothing else (the suite does not
// LISTEN). Reading then finds the end of the stream.
bool Closed(pqxx::connection& connection) {
  const int socket = connection.sock();
  if (socket < 0) {
    return true;
  }
  pollfd readable{socket, POLLIN, 0};
  if (poll(&readable, 1, 0) == 0) {
    return false;  // nothing waiting: open as far as can be told
  }
  try {
    connection.get_notifs();  // consumes what arrived; throws at the end of the stream
  } catch (const std::exception&) {
    return true;
  }
  return !connection.is_open();
}

}  // namespace

std::string TextArray(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      literal.push_back(',');
    }
    literal.push_back('"');
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') {
        literal.push_back('\\');
      }
      literal.push_back(c);
    }
    literal.push_back('"');
  }
  literal.push_back('}');
  return literal;
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

Pool::~Pool() = default;

absl::StatusOr<std::unique_ptr<Pool>> Pool::Open(PoolOptions options) {
  if (options.size < 1) {
    return absl::InvalidArgumentError("database pool size must be at least 1");
  }
  std::unique_ptr<Pool> pool(new Pool(std::move(options)));
  auto first = pool->Connect();
  if (!first.ok()) {
    return first.status();
  }
  absl::MutexLock lock(&pool->mu_);
  pool->idle_.push_back(*std::move(first));
  pool->open_ = 1;
  return pool;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> Pool::Connect() {
  try {
    auto connection = std::make_unique<pqxx::connection>(options_.url);
    pqxx::nontransaction setup(*connection);
    setup.exec0(absl::StrCat("SET statement_timeout = ",
                             absl::ToInt64Milliseconds(options_.statement_timeout)));
    setup.commit();
    for (const Statement& statement : options_.statements) {
      connection->prepare(statement.name, statement.sql);
    }
    return connection;
  } catch (const std::exception& e) {
    log::Error("database connection failed", {{"error", e.what()}});
    // With target_session_attrs=read-write, libpq refuses a read-only server.
    if (absl::StrContains(e.what(), "session is read-only")) {
      return absl::UnavailableError(kReadOnly);
    }
    return absl::UnavailableError("database unavailable");
  }
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> Pool::Acquire() {
  const absl::Time give_up = absl::Now() + options_.acquire_timeout;
  for (;;) {
    std::unique_ptr<pqxx::connection> idle;
    {
      absl::MutexLock lock(&mu_);
      const auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < options_.size;
      };
      if (!mu_.AwaitWithDeadline(absl::Condition(&can_proceed), give_up)) {
        ++busy_;
        return absl::UnavailableError("database busy; retry later");
      }
      if (idle_.empty()) {
        ++open_;  // Reserve a slot; connect outside the lock.
        break;
      }
      idle = std::move(idle_.back());
      idle_.pop_back();
    }
    if (!Closed(*idle)) {
      return idle;
    }
    // The server ended this session while it was idle: a new one instead.
    log::Info("closed database connection replaced");
    ++broken_;
    idle.reset();
    absl::MutexLock lock(&mu_);
    --open_;
  }
  auto connection = Connect();
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return connection;
}

void Pool::Release(std::unique_ptr<pqxx::connection> connection) {
  absl::MutexLock lock(&mu_);
  if (connection != nullptr && connection->is_open()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
}

Pool::Stats Pool::stats() {
  Stats stats;
  {
    absl::MutexLock lock(&mu_);
    stats.open = open_;
    stats.idle = static_cast<int>(idle_.size());
  }
  stats.broken_connections = broken_;
  stats.conflicts = conflicts_;
  stats.busy = busy_;
  stats.errors = errors_;
  return stats;
}

void Pool::DropIdle() {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;
  absl::MutexLock lock(&mu_);
  open_ -= static_cast<int>(idle_.size());
  dropped.swap(idle_);
}

absl::Status Pool::Run(absl::FunctionRef<bool(pqxx::work&)> attempt) {
  std::minstd_rand jitter(static_cast<unsigned>(absl::ToUnixNanos(absl::Now())));
  bool reconnected = false;
  for (int attempt_number = 1;; ++attempt_number) {
    auto connection = Acquire();
    if (!connection.ok()) {
      return connection.status();
    }
    Outcome outcome = Outcome::kDone;
    absl::Status status;
    try {
      if (observer_ != nullptr) {
        observer_->BeforeAttempt(attempt_number);
      }
      pqxx::work tx(**connection);
      if (attempt(tx)) {
        if (observer_ != nullptr) {
          observer_->BeforeCommit(tx);
        }
        tx.commit();
        if (observer_ != nullptr) {
          observer_->AfterCommit();
        }
      }
    } catch (const pqxx::in_doubt_error& e) {
      log::Error("commit outcome unknown", {{"error", e.what()}});
      (*connection).reset();
      status = absl::UnavailableError(
          "the database connection was lost while committing; the change may or may not "
          "have been applied: retry with the same request_id");
    } catch (const pqxx::broken_connection& e) {
      (*connection).reset();
      DropIdle();  // they reached the same server
      ++broken_;
      outcome = Outcome::kReconnect;
      status = absl::UnavailableError("database unavailable");
      log::Warning("database connection broken", {{"error", e.what()}});
    } catch (const pqxx::serialization_failure&) {
      ++conflicts_;
      outcome = Outcome::kRetry;
      status = absl::AbortedError("concurrent update conflict; retry");
    } catch (const pqxx::deadlock_detected&) {
      ++conflicts_;
      outcome = Outcome::kRetry;
      status = absl::AbortedError("concurrent update conflict; retry");
    } catch (const pqxx::unique_violation&) {
      status = absl::AlreadyExistsError("the resource already exists");
    } catch (const pqxx::foreign_key_violation&) {
      status = absl::FailedPreconditionError("a referenced resource does not exist");
    } catch (const pqxx::check_violation& e) {
      log::Warning("check constraint rejected a write", {{"error", e.what()}});
      status = absl::InvalidArgumentError("a value is out of its allowed range");
    } catch (const pqxx::data_exception& e) {
      log::Warning("database rejected a value", {{"error", e.what()}});
      status = absl::InvalidArgumentError("a value could not be stored");
    } catch (const pqxx::sql_error& e) {
      const std::string sqlstate = e.sqlstate();
      if (sqlstate == "57014") {  // query_canceled: statement timeout
        status = absl::DeadlineExceededError("the database did not answer in time");
      } else if (sqlstate == "25006") {  // read_only_sql_transaction
        log::Warning("database is read-only", {{"error", e.what()}});
        status = absl::UnavailableError(kReadOnly);
      } else if (sqlstate.rfind("53", 0) == 0) {  // insufficient resources: disk full, ...
        log::Error("database out of resources", {{"error", e.what()}, {"sqlstate", sqlstate}});
        ++errors_;
        status = absl::UnavailableError(
            "the database is out of disk space or memory; nothing was written: retry later");
      } else {
        log::Error("database error", {{"error", e.what()}, {"sqlstate", sqlstate}});
        ++errors_;
        status = absl::InternalError("database error");
      }
    } catch (const CommitRefused& e) {
      status = absl::UnavailableError(e.what());
    } catch (const std::exception& e) {
      log::Error("unexpected error in transaction", {{"error", e.what()}});
      ++errors_;
      status = absl::InternalError(e.what());
    }
    Release(*std::move(connection));
    const bool may_retry = (outcome == Outcome::kRetry && attempt_number < options_.max_attempts) ||
                           (outcome == Outcome::kReconnect && !reconnected);
    if (!may_retry) {
      return status;
    }
    reconnected = reconnected || outcome == Outcome::kReconnect;
    // Jittered exponential backoff: 1, 2, 4... ms (+ up to the same again).
    const int base_ms = 1 << std::min(attempt_number - 1, 6);
    absl::SleepFor(absl::Milliseconds(base_ms + static_cast<int>(jitter() % (base_ms + 1))));
  }
}

}  // namespace osan::db
