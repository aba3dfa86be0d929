// At-most-once mutations (AIP-155) in PostgreSQL: the request log table
// (see common/request_log.h for the rule).
#ifndef OSAN_COMMON_IDEMPOTENCY_H_
#define OSAN_COMMON_IDEMPOTENCY_H_

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/request_log.h"
#include "common/status.h"

namespace osan::db {

// Schema of the request log; ApplyMigrations creates it in every database.
extern const char* const kRequestLogSchema;

namespace internal {
// Claims `key` in `tx`. Returns nullopt if it is new (the caller runs the
// mutation), else the stored response; INVALID_ARGUMENT if the fingerprint
// differs. A concurrent transaction holding the same key makes this wait for
// its outcome.
absl::StatusOr<std::optional<std::string>> Claim(pqxx::transaction_base& tx, const RequestKey& key);
void Record(pqxx::transaction_base& tx, const RequestKey& key, const std::string& response);
}  // namespace internal

// The same for a batch of mutations in one transaction, with two statements
// for the whole batch. ClaimAll returns, per key: nullopt if new (the caller
// runs it and passes its response to RecordAll), else the stored response, or
// INVALID_ARGUMENT if the id was used for a different request. Keys must be
// distinct.
std::vector<absl::StatusOr<std::optional<std::string>>> ClaimAll(
    pqxx::transaction_base& tx, const std::vector<RequestKey>& keys);
// Forgets claims of keys whose mutation failed, so that a retry runs again.
void ReleaseAll(pqxx::transaction_base& tx, const std::vector<RequestKey>& keys);
// Stores the responses of the keys that ClaimAll found new.
void RecordAll(pqxx::transaction_base& tx, const std::vector<RequestKey>& keys,
               const std::vector<std::string>& responses);

// The request log of PostgreSQL's transaction `tx` (the request_log table).
class TxRequestLog final : public RequestLog {
 public:
  explicit TxRequestLog(pqxx::transaction_base& tx) : tx_(tx) {}
  absl::StatusOr<std::optional<std::string>> Claim(const RequestKey& key) override {
    return internal::Claim(tx_, key);
  }
  void Record(const RequestKey& key, const std::string& response) override {
    internal::Record(tx_, key, response);
  }
  void Release(const RequestKey& key) override { db::ReleaseAll(tx_, {key}); }
  std::vector<absl::StatusOr<std::optional<std::string>>> ClaimAll(
      const std::vector<RequestKey>& keys) override {
    return db::ClaimAll(tx_, keys);
  }
  void RecordAll(const std::vector<RequestKey>& keys,
                 const std::vector<std::string>& responses) override {
    db::RecordAll(tx_, keys, responses);
  }
  void ReleaseAll(const std::vector<RequestKey>& keys) override { db::ReleaseAll(tx_, keys); }

 private:
  pqxx::transaction_base& tx_;
};

// What every store's Records over PostgreSQL shares: the transaction it runs
// in (`tx_`), and the request log in that transaction.
template <class Records>
class PgRecordsBase : public RecordsWithLog<Records, TxRequestLog> {
 protected:
  explicit PgRecordsBase(pqxx::transaction_base& tx)
      : RecordsWithLog<Records, TxRequestLog>(tx), tx_(tx) {}

  pqxx::transaction_base& tx_;
};

}  // namespace osan::db

#endif  // OSAN_COMMON_IDEMPOTENCY_H_
