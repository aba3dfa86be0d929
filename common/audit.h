// The audit trail of student data (see docs/security.md).
//
// A call names the students whose data it reads or writes
// (CallContext::Audit). Each transaction it commits carries, in the same
// commit, a record for every student named so far (result OK): a change and
// its record are written together or not at all, and data read in a
// transaction is recorded before the call can return it. Students named
// outside a committed transaction (refused or failed calls, reads outside
// one) are recorded when the call ends, with its outcome, before the reply.
//
// A sealer then links committed records, in commit order, into a SHA-256
// hash chain: each hash covers the previous hash and the record, so altering,
// deleting or reordering a sealed record breaks every later hash, which
// VerifyChain finds. Triggers refuse changes to sealed records and deletions
// other than the retention clean-up, which removes only the oldest sealed
// records; the chain stays verifiable from the first record kept.
#ifndef OSAN_COMMON_AUDIT_H_
#define OSAN_COMMON_AUDIT_H_

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db.h"
#include "osan/audit/v1/audit.pb.h"

namespace osan::audit {

// Created in every service database by ApplyMigrations.
extern const char* const kAuditSchema;

// The client's message when an access could not be recorded: the access is
// refused (a change rolled back, data withheld) with UNAVAILABLE.
inline constexpr char kNotRecorded[] =
    "the access could not be recorded in the audit trail, so nothing was changed or returned; "
    "retry (a change retried with the same request_id is not applied twice)";

// Who made a call: the fields every record of the call shares.
struct Caller {
  std::string principal;
  std::string role;
  std::string source;
  std::string action;
  std::string trace_id;
};

// The audit subject of one call: its caller, and the students it named, each
// once, of which the first `recorded()` are recorded with a committed
// transaction.
class CallRecord {
 public:
  explicit CallRecord(Caller caller = {}) : caller_(std::move(caller)) {}

  const Caller& caller() const { return caller_; }
  const std::vector<std::string>& students() const { return students_; }
  size_t recorded() const { return recorded_; }

  // Names `student`; naming a student again changes nothing.
  void Name(std::string student);
  // The first `count` students are recorded (never fewer than before).
  void MarkRecorded(size_t count) { recorded_ = std::max(recorded_, count); }
  // Forgets the students named after the first `count` that are not recorded
  // yet: what an abandoned attempt of a retried transaction named.
  void ForgetAfter(size_t count);

 private:
  Caller caller_;
  std::vector<std::string> students_;
  absl::flat_hash_set<std::string> named_;
  size_t recorded_ = 0;
};

// While alive, names the calls whose students the transactions committed on
// this thread record (through a pool an AuditLog observes): the call a worker
// thread serves, or the calls whose changes a coalesced batch commits.
// Scopes nest; destroying one restores the enclosing set.
class TransactionScope {
 public:
  explicit TransactionScope(std::vector<CallRecord*> calls);
  ~TransactionScope();
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;

  // Replaces the set, e.g. once a batch knows which of its changes stand.
  // Call it inside the transaction body: a retried body sets it again.
  void Set(std::vector<CallRecord*> calls) { calls_ = std::move(calls); }

  // The calls of the innermost scope on this thread (empty if none).
  static const std::vector<CallRecord*>& Current();

 private:
  std::vector<CallRecord*> calls_;
  const TransactionScope* const enclosing_;
};

// For work coalesced from many calls into one transaction (common/coalescer.h):
// each request keeps the calls of the thread that submitted it, e.g. as a
// member `std::vector<CallRecord*> audited_calls = TransactionScope::Current();`,
// and the batch's transaction body ends with
// `scope.Set(StandingCalls(batch, results))`, so that its commit records the
// students of the requests that stand (OK results), and only theirs.
template <class Request, class Result>
std::vector<CallRecord*> StandingCalls(const std::vector<Request*>& batch,
                                       const std::vector<Result>& results) {
  std::vector<CallRecord*> calls;
  for (size_t i = 0; i < batch.size() && i < results.size(); ++i) {
    if (results[i].ok()) {
      calls.insert(calls.end(), batch[i]->audited_calls.begin(), batch[i]->audited_calls.end());
    }
  }
  return calls;
}

class AuditLog : public db::CommitObserver {
 public:
  // Observes `pool`'s commits (db::Pool::SetCommitObserver) from now on.
  AuditLog(db::Pool* pool, absl::Duration retention);

  // Records `call`'s students not yet recorded, with `outcome`'s code, in a
  // transaction of their own; they then count as recorded.
  absl::Status Finish(CallRecord& call, const absl::Status& outcome);

  // db::CommitObserver: the calls of this thread's TransactionScope get their
  // unrecorded students recorded (result OK) in the committing transaction;
  // a retried attempt first forgets what the abandoned one named.
  void BeforeAttempt(int attempt) override;
  void BeforeCommit(pqxx::work& tx) override;
  void AfterCommit() override;

  // Seals the committed, unsealed records into the chain (one sealer at a
  // time across replicas), then deletes sealed records older than the
  // retention. Returns how many were sealed.
  absl::StatusOr<int> Seal();

  // Recomputes the chain from the first record kept.
  absl::StatusOr<v1::VerifyAuditChainResponse> VerifyChain();

  // Newest first, optionally only one student's or one principal's records;
  // `before_seq` is the sequence a previous page ended with (0: newest).
  absl::StatusOr<std::vector<v1::AuditRecord>> List(const std::string& student,
                                                    const std::string& principal,
                                                    int64_t before_seq, int limit);

 private:
  db::Pool* const pool_;
  const absl::Duration retention_;
};

}  // namespace osan::audit

#endif  // OSAN_COMMON_AUDIT_H_
