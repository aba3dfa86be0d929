// PostgreSQL access: a bounded connection pool and one-transaction-per-call
// execution with retries of serialization failures and deadlocks.
//
// Contract for callers (the store layer): every statement a store runs is a
// named statement registered in `PoolOptions::statements`, prepared once per
// connection. libpqxx exceptions never escape `Pool::Transact`; they become
// statuses whose messages contain no SQL:
//   serialization failure, deadlock   -> retried, then ABORTED
//   unique violation                  -> ALREADY_EXISTS
//   foreign key violation             -> FAILED_PRECONDITION
//   check violation, data exception   -> INVALID_ARGUMENT
//   broken connection                 -> retried once on a new connection, then UNAVAILABLE
//                                        (idle connections the server closed are replaced
//                                        before use, so a restart costs no call)
//   in-doubt commit                   -> UNAVAILABLE, never retried (it may have committed)
//   anything else                     -> INTERNAL (details logged server-side)
#ifndef OSAN_COMMON_DB_H_
#define OSAN_COMMON_DB_H_

#include <atomic>
#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/unit_of_work.h"

namespace osan::db {

// A named SQL statement. Keep them as constants beside the store using them.
struct Statement {
  const char* name;
  const char* sql;
};

struct PoolOptions {
  // libpq connection URI, e.g. postgresql://user@127.0.0.1:5432/osan_catalog.
  std::string url;
  // Most connections open at once.
  int size = 8;
  // How long a call waits for a free connection before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // Server-side limit on any one statement.
  absl::Duration statement_timeout = absl::Seconds(10);
  // Attempts for a transaction that hits serialization failures or deadlocks.
  int max_attempts = 5;
  std::vector<Statement> statements;
};

// Sees each transaction of a pool as it starts each attempt, and just before
// and just after it commits: the
// audit trail (common/audit.h) writes its records in the transaction whose
// work they record. BeforeCommit may run statements on `tx`; an exception
// from it fails the transaction as one from the body would (and it may be
// retried); to refuse the commit with a message for the client, throw
// CommitRefused (the transaction fails with UNAVAILABLE and that message).
// AfterCommit runs only once the commit succeeded.
class CommitRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  // Before each attempt of a transaction's body: 1 for the first, more for
  // retries (after a conflict or a broken connection).
  virtual void BeforeAttempt(int attempt) = 0;
  virtual void BeforeCommit(pqxx::work& tx) = 0;
  virtual void AfterCommit() = 0;
};

class Pool {
 public:
  // Opens the first connection eagerly so that a wrong URL fails at start-up.
  static absl::StatusOr<std::unique_ptr<Pool>> Open(PoolOptions options);

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // Runs `body(pqxx::work&)` in one READ COMMITTED transaction and commits it
  // if `body` returns OK. `body` returns absl::Status or absl::StatusOr<T>; a
  // non-OK result rolls the transaction back, so nothing is written. `body`
  // may run more than once (on serialization failure or deadlock) and so must
  // have no effects outside the transaction.
  //
  // Example:
  //   absl::StatusOr<int> n = pool.Transact([&](pqxx::work& tx) -> absl::StatusOr<int> {
  //     return tx.exec_prepared1("count_sections").at(0).as<int>();
  //   });
  template <class Body>
  std::invoke_result_t<Body&, pqxx::work&> Transact(Body&& body);

  int size() const { return options_.size; }

  // What the pool holds now, and the failures it met since it opened (for
  // metrics).
  struct Stats {
    int open = 0;
    int idle = 0;
    int64_t broken_connections = 0;  // found broken in use, or closed while idle
    int64_t conflicts = 0;           // serialization failures and deadlocks (retried)
    int64_t busy = 0;                // no connection free in time
    int64_t errors = 0;              // other failures of a transaction
  };
  Stats stats();

  // Installs `observer` for every later transaction. Call it before the pool
  // is shared between threads; `observer` must outlive the pool's use.
  void SetCommitObserver(CommitObserver* observer) { observer_ = observer; }

 private:
  explicit Pool(PoolOptions options);

  class Lease;
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect();
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire();
  void Release(std::unique_ptr<pqxx::connection> connection);
  // Closes every idle connection (after one broke: the server they reached
  // may be gone).
  void DropIdle();

  // Runs `attempt` on a pooled connection with the retry and error-mapping
  // rules above. `attempt` returns true to commit, false to roll back.
  absl::Status Run(absl::FunctionRef<bool(pqxx::work&)> attempt);

  const PoolOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<int64_t> broken_{0};
  std::atomic<int64_t> conflicts_{0};
  std::atomic<int64_t> busy_{0};
  std::atomic<int64_t> errors_{0};
  CommitObserver* observer_ = nullptr;
};

// A PostgreSQL array literal of `values` (each quoted and escaped), for
// passing a list as one parameter: `... = ANY ($1::text[])`, `unnest($1::text[])`.
std::string TextArray(const std::vector<std::string>& values);

template <class Body>
std::invoke_result_t<Body&, pqxx::work&> Pool::Transact(Body&& body) {
  using Result = std::invoke_result_t<Body&, pqxx::work&>;
  Result result = absl::InternalError("transaction did not run");
  const absl::Status run = Run([&](pqxx::work& tx) {
    result = body(tx);
    return osan::internal::StatusOf(result).ok();
  });
  if (!run.ok()) {
    return run;
  }
  return result;
}

// A store's transactions (common/unit_of_work.h) in PostgreSQL: each runs on
// `pool` with its rules, through `PgRecords`, the store's Records over one
// pqxx transaction (constructed from pqxx::work&).
template <class Records, class PgRecords>
class PgUnitOfWork final : public UnitOfWork<Records> {
 public:
  static_assert(std::is_base_of_v<Records, PgRecords>);

  explicit PgUnitOfWork(Pool* pool) : pool_(pool) {}

 protected:
  absl::Status Run(absl::FunctionRef<absl::Status(Records&)> attempt) override {
    return pool_->Transact([&](pqxx::work& tx) {
      PgRecords records(tx);
      return attempt(records);
    });
  }

 private:
  Pool* const pool_;
};

}  // namespace osan::db

#endif  // OSAN_COMMON_DB_H_
