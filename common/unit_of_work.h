// A store's transactions as its use cases see them, apart from the database
// that keeps them: use cases run against UnitOfWork<Records>, where Records is
// the store's interface for one transaction. The server's store is a
// PgUnitOfWork (common/db.h) over PostgreSQL; unit tests run the same use
// cases on a MemoryUnitOfWork, the store's in-memory twin.
#ifndef OSAN_COMMON_UNIT_OF_WORK_H_
#define OSAN_COMMON_UNIT_OF_WORK_H_

#include <atomic>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace osan {

namespace internal {
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <class T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

template <class Records>
class UnitOfWork {
 public:
  // What a transaction's body receives (common/use_case.h reads it).
  using Transaction = Records;

  virtual ~UnitOfWork() = default;

  // Runs `body(Records&)` in one transaction and commits it if `body` returns
  // OK. `body` returns absl::Status or absl::StatusOr<T>; a non-OK result
  // rolls the transaction back, so nothing is written. `body` may run more
  // than once (after a conflict) and so must have no effects outside the
  // transaction.
  template <class Body>
  std::invoke_result_t<Body&, Records&> Transact(Body&& body) {
    using Result = std::invoke_result_t<Body&, Records&>;
    Result result = absl::InternalError("transaction did not run");
    const absl::Status run = Run([&](Records& records) -> absl::Status {
      result = body(records);
      return internal::StatusOf(result);
    });
    if (!run.ok()) {
      return run;
    }
    return result;
  }

 protected:
  // Runs `attempt` in one transaction, committed if it returns OK; returns
  // its status, or why the transaction could not run or commit.
  virtual absl::Status Run(absl::FunctionRef<absl::Status(Records&)> attempt) = 0;
};

// The in-memory twin of a store: `Memory` is a copyable Records holding the
// whole state. A transaction runs on a copy, installed if it commits; one
// transaction at a time. A transaction begun by a thread inside its own
// transaction (which PostgreSQL would run beside it on another connection)
// is refused with FAILED_PRECONDITION rather than waiting for itself.
template <class Records, class Memory>
class MemoryUnitOfWork final : public UnitOfWork<Records> {
 public:
  static_assert(std::is_base_of_v<Records, Memory>);

  explicit MemoryUnitOfWork(Memory initial = Memory()) : committed_(std::move(initial)) {}

  // A copy of the committed state.
  Memory Committed() const {
    absl::MutexLock lock(&mu_);
    return committed_;
  }

 protected:
  absl::Status Run(absl::FunctionRef<absl::Status(Records&)> attempt) override {
    if (running_in_.load() == std::this_thread::get_id()) {
      return absl::FailedPreconditionError(
          "the in-memory store runs one transaction at a time; this thread is in one");
    }
    absl::MutexLock lock(&mu_);
    running_in_.store(std::this_thread::get_id());
    const absl::Cleanup done = [this] { running_in_.store(std::thread::id()); };
    Memory draft = committed_;
    const absl::Status status = attempt(draft);
    if (status.ok()) {
      committed_ = std::move(draft);
    }
    return status;
  }

 private:
  // The thread whose transaction runs, if any.
  std::atomic<std::thread::id> running_in_;
  mutable absl::Mutex mu_;
  Memory committed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace osan

#endif  // OSAN_COMMON_UNIT_OF_WORK_H_
