// The audit trail of student data (see docs/security.md).
//
// Records are appended after each call that touched a student's data (the
// use case names the students with CallContext::Audit). A sealer then links
// committed records, in commit order, into a SHA-256 hash chain: each hash
// covers the previous hash and the record, so altering, deleting or
// reordering a sealed record breaks every later hash, which VerifyChain
// finds. Triggers refuse changes to sealed records and deletions other than
// the retention clean-up, which removes only the oldest sealed records; the
// chain stays verifiable from the first record kept.
#ifndef OSAN_COMMON_AUDIT_H_
#define OSAN_COMMON_AUDIT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db.h"
#include "osan/audit/v1/audit.pb.h"

namespace osan::audit {

// Created in every service database by ApplyMigrations.
extern const char* const kAuditSchema;

struct Entry {
  std::string principal;
  std::string role;
  std::string source;
  std::string student;
  std::string action;
  std::string result;
  std::string trace_id;
};

class AuditLog {
 public:
  AuditLog(db::Pool* pool, absl::Duration retention) : pool_(pool), retention_(retention) {}

  // Appends `entries` in one transaction.
  absl::Status Append(const std::vector<Entry>& entries);

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
