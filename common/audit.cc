#include "common/audit.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/sha.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status.h"

namespace osan::audit {

const char* const kAuditSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit_log (
  seq bigserial PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at timestamptz NOT NULL DEFAULT now(),
  principal text NOT NULL,
  role text NOT NULL,
  source text NOT NULL,
  student text NOT NULL,
  action text NOT NULL,
  result text NOT NULL,
  trace_id text NOT NULL,
  chain_position bigint UNIQUE,
  prev_hash bytea,
  hash bytea
);
CREATE INDEX IF NOT EXISTS audit_log_student ON audit_log (student, seq);
CREATE INDEX IF NOT EXISTS audit_log_unsealed ON audit_log (txid, seq) WHERE hash IS NULL;
CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_setting('osan.audit_retention', true) = 'on' AND OLD.hash IS NOT NULL THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit records are append-only';
  END IF;
  IF OLD.hash IS NOT NULL OR NEW.seq <> OLD.seq OR NEW.at <> OLD.at
     OR NEW.principal <> OLD.principal OR NEW.role <> OLD.role OR NEW.source <> OLD.source
     OR NEW.student <> OLD.student OR NEW.action <> OLD.action OR NEW.result <> OLD.result
     OR NEW.trace_id <> OLD.trace_id THEN
    RAISE EXCEPTION 'audit records are append-only; only sealing may set their chain fields';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
)sql";

namespace {

// One sealer at a time, across every replica of the service.
constexpr long long kSealLockKey = 0x0A0D17;

#define OSAN_AUDIT_COLUMNS                                                     \
  "seq, (extract(epoch FROM at) * 1000000)::bigint, principal, role, source, " \
  "student, action, result, trace_id, coalesce(chain_position, 0), prev_hash, hash"

// The positions of OSAN_AUDIT_COLUMNS, in its order. The hash covers the
// fields before kChainPosition.
enum AuditColumn : int {
  kSequence,
  kAtMicros,
  kPrincipal,
  kRole,
  kSource,
  kStudent,
  kAction,
  kResult,
  kTraceId,
  kChainPosition,
  kPrevHash,
  kHash,
};

// SHA-256 over the previous hash and every field of the record, each field
// length-prefixed so that no two records hash alike by shifting text.
std::string Hash(const std::string& prev_hash, const pqxx::row& row) {
  std::string material = prev_hash;
  for (int i = kSequence; i < kChainPosition; ++i) {
    const std::string field = row[i].as<std::string>();
    absl::StrAppend(&material, field.size(), ":", field);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string Bytes(const pqxx::field& field) {
  return field.is_null() ? "" : pqxx::binarystring(field).str();
}

v1::AuditRecord ToRecord(const pqxx::row& row) {
  v1::AuditRecord record;
  record.set_sequence(row[kSequence].as<int64_t>());
  *record.mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[kAtMicros].as<int64_t>());
  record.set_principal(row[kPrincipal].as<std::string>());
  record.set_role(row[kRole].as<std::string>());
  record.set_source(row[kSource].as<std::string>());
  record.set_student(row[kStudent].as<std::string>());
  record.set_action(row[kAction].as<std::string>());
  record.set_result(row[kResult].as<std::string>());
  record.set_trace_id(row[kTraceId].as<std::string>());
  record.set_chain_position(row[kChainPosition].as<int64_t>());
  record.set_hash(Bytes(row[kHash]));
  return record;
}

}  // namespace

namespace {

// The innermost TransactionScope of this thread.
thread_local const TransactionScope* current_scope = nullptr;

// How many students each call of this thread's scope had named when the
// first attempt of the transaction running now began.
thread_local std::vector<std::pair<CallRecord*, size_t>> named_before_transaction;

// What BeforeCommit wrote in the transaction now committing on this thread:
// each call, and how many of its students are recorded once it commits.
thread_local std::vector<std::pair<CallRecord*, size_t>> records_committing;

// Inserts a record of each of `call`'s students from `recorded` on, in one
// statement (a page of a list may name hundreds).
void Insert(pqxx::work& tx, const CallRecord& call, const std::string& result) {
  const Caller& c = call.caller();
  const std::vector<std::string> students(call.students().begin() + call.recorded(),
                                          call.students().end());
  tx.exec_params0(
      "INSERT INTO audit_log (principal, role, source, student, action, result, trace_id)"
      " SELECT $1, $2, $3, student, $4, $5, $6"
      " FROM unnest($7::text[]) WITH ORDINALITY AS named (student, position) ORDER BY position",
      c.principal, c.role, c.source, c.action, result, c.trace_id, db::TextArray(students));
}

}  // namespace

void CallRecord::Name(std::string student) {
  if (named_.insert(student).second) {
    students_.push_back(std::move(student));
  }
}

void CallRecord::ForgetAfter(size_t count) {
  while (students_.size() > std::max(count, recorded_)) {
    named_.erase(students_.back());
    students_.pop_back();
  }
}

TransactionScope::TransactionScope(std::vector<CallRecord*> calls)
    : calls_(std::move(calls)), enclosing_(current_scope) {
  current_scope = this;
}

TransactionScope::~TransactionScope() { current_scope = enclosing_; }

const std::vector<CallRecord*>& TransactionScope::Current() {
  static const std::vector<CallRecord*> kNone;
  return current_scope == nullptr ? kNone : current_scope->calls_;
}

AuditLog::AuditLog(db::Pool* pool, absl::Duration retention) : pool_(pool), retention_(retention) {
  pool_->SetCommitObserver(this);
}

void AuditLog::BeforeAttempt(int attempt) {
  if (attempt == 1) {
    named_before_transaction.clear();
    for (CallRecord* call : TransactionScope::Current()) {
      named_before_transaction.emplace_back(call, call->students().size());
    }
    return;
  }
  for (const auto& [call, named] : named_before_transaction) {
    call->ForgetAfter(named);
  }
}

void AuditLog::BeforeCommit(pqxx::work& tx) {
  records_committing.clear();
  for (CallRecord* call : TransactionScope::Current()) {
    if (call->recorded() >= call->students().size()) {
      continue;
    }
    try {
      Insert(tx, *call, "OK");
    } catch (const pqxx::transaction_rollback&) {
      throw;  // a conflict: the transaction is retried as a whole
    } catch (const pqxx::sql_error& e) {
      log::Error("audit records not written; the transaction is rolled back",
                 {{"action", call->caller().action},
                  {"trace_id", call->caller().trace_id},
                  {"error", e.what()}});
      throw db::CommitRefused(kNotRecorded);
    }
    records_committing.emplace_back(call, call->students().size());
  }
}

void AuditLog::AfterCommit() {
  for (const auto& [call, recorded] : records_committing) {
    call->MarkRecorded(recorded);
  }
  records_committing.clear();
}

absl::Status AuditLog::Finish(CallRecord& call, const absl::Status& outcome) {
  if (call.recorded() >= call.students().size()) {
    return absl::OkStatus();
  }
  const TransactionScope no_call({});  // this transaction writes the records itself
  const std::string result = absl::StatusCodeToString(outcome.code());
  OSAN_RETURN_IF_ERROR(pool_->Transact([&](pqxx::work& tx) {
    Insert(tx, call, result);
    return absl::OkStatus();
  }));
  call.MarkRecorded(call.students().size());
  return absl::OkStatus();
}

absl::StatusOr<int> AuditLog::Seal() {
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<int> {
    if (!tx.exec_params1("SELECT pg_try_advisory_xact_lock($1)", kSealLockKey)[0].as<bool>()) {
      return 0;  // another replica is sealing
    }
    const pqxx::result last = tx.exec(
        "SELECT chain_position, hash FROM audit_log WHERE hash IS NOT NULL"
        " ORDER BY chain_position DESC LIMIT 1");
    int64_t position = last.empty() ? 0 : last[0][0].as<int64_t>();
    std::string previous = last.empty() ? "" : Bytes(last[0][1]);
    // Only records of finished transactions: none can commit behind them.
    const pqxx::result unsealed = tx.exec(
        "SELECT " OSAN_AUDIT_COLUMNS
        " FROM audit_log WHERE hash IS NULL"
        " AND txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txid, seq LIMIT 5000");
    for (const auto& row : unsealed) {
      const std::string hash = Hash(previous, row);
      tx.exec_params0(
          "UPDATE audit_log SET chain_position = $2, prev_hash = $3, hash = $4 WHERE seq = $1",
          row[kSequence].as<int64_t>(), ++position, pqxx::binarystring(previous),
          pqxx::binarystring(hash));
      previous = hash;
    }
    tx.exec("SELECT set_config('osan.audit_retention', 'on', true)");
    tx.exec_params0(
        "DELETE FROM audit_log WHERE hash IS NOT NULL AND at < now() - make_interval(secs => $1)"
        " AND chain_position < (SELECT max(chain_position) FROM audit_log)",
        absl::ToDoubleSeconds(retention_));
    return static_cast<int>(unsealed.size());
  });
}

absl::StatusOr<v1::VerifyAuditChainResponse> AuditLog::VerifyChain() {
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<v1::VerifyAuditChainResponse> {
    v1::VerifyAuditChainResponse response;
    response.set_intact(true);
    std::string previous;
    int64_t expected_position = 0;
    bool first = true;
    for (const auto& row :
         tx.exec("SELECT " OSAN_AUDIT_COLUMNS " FROM audit_log WHERE hash IS NOT NULL"
                 " ORDER BY chain_position")) {
      const int64_t position = row[kChainPosition].as<int64_t>();
      if (first) {
        previous = Bytes(row[kPrevHash]);  // the chain continues from before the retention cut
        first = false;
      } else if (position != expected_position || Bytes(row[kPrevHash]) != previous) {
        response.set_intact(false);
        response.set_problem(absl::StrCat("chain broken before position ", position));
        return response;
      }
      if (Hash(previous, row) != Bytes(row[kHash])) {
        response.set_intact(false);
        response.set_problem(absl::StrCat("record at position ", position, " was altered"));
        return response;
      }
      previous = Bytes(row[kHash]);
      expected_position = position + 1;
      response.set_records_verified(response.records_verified() + 1);
    }
    return response;
  });
}

absl::StatusOr<std::vector<v1::AuditRecord>> AuditLog::List(const std::string& student,
                                                            const std::string& principal,
                                                            int64_t before_seq, int limit) {
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<std::vector<v1::AuditRecord>> {
    std::vector<v1::AuditRecord> records;
    for (const auto& row :
         tx.exec_params("SELECT " OSAN_AUDIT_COLUMNS " FROM audit_log"
                        " WHERE ($1 = '' OR student = $1) AND ($2 = '' OR principal = $2)"
                        " AND ($3 = 0 OR seq < $3) ORDER BY seq DESC LIMIT $4",
                        student, principal, before_seq, limit)) {
      v1::AuditRecord record = ToRecord(row);
      records.push_back(std::move(record));
    }
    return records;
  });
}

}  // namespace osan::audit
