#include "common/idempotency.h"

#include "absl/strings/escaping.h"
#include "common/db.h"

namespace osan::db {

const char* const kRequestLogSchema = R"sql(
CREATE TABLE IF NOT EXISTS request_log (
  principal text NOT NULL,
  method text NOT NULL,
  request_id text NOT NULL,
  fingerprint bytea NOT NULL,
  response bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, method, request_id)
);
CREATE INDEX IF NOT EXISTS request_log_created_at ON request_log (created_at);
)sql";

namespace internal {

absl::StatusOr<std::optional<std::string>> Claim(pqxx::transaction_base& tx,
                                                 const RequestKey& key) {
  const pqxx::binarystring fingerprint(key.fingerprint);
  const pqxx::result inserted = tx.exec_params(
      "INSERT INTO request_log (principal, method, request_id, fingerprint) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
      key.principal, key.method, key.request_id, fingerprint);
  if (inserted.affected_rows() == 1) {
    return std::nullopt;
  }
  const pqxx::row row = tx.exec_params1(
      "SELECT fingerprint, response FROM request_log "
      "WHERE principal = $1 AND method = $2 AND request_id = $3",
      key.principal, key.method, key.request_id);
  if (pqxx::binarystring(row[0]).str() != key.fingerprint) {
    return RequestIdReused();
  }
  return pqxx::binarystring(row[1]).str();
}

void Record(pqxx::transaction_base& tx, const RequestKey& key, const std::string& response) {
  tx.exec_params0(
      "UPDATE request_log SET response = $4 "
      "WHERE principal = $1 AND method = $2 AND request_id = $3",
      key.principal, key.method, key.request_id, pqxx::binarystring(response));
}

}  // namespace internal

namespace {

struct KeyColumns {
  std::vector<std::string> principals, methods, request_ids;
};

KeyColumns Columns(const std::vector<RequestKey>& keys) {
  KeyColumns columns;
  for (const RequestKey& key : keys) {
    columns.principals.push_back(key.principal);
    columns.methods.push_back(key.method);
    columns.request_ids.push_back(key.request_id);
  }
  return columns;
}

std::string Hex(const std::string& bytes) { return absl::BytesToHexString(bytes); }

}  // namespace

std::vector<absl::StatusOr<std::optional<std::string>>> ClaimAll(
    pqxx::transaction_base& tx, const std::vector<RequestKey>& keys) {
  std::vector<absl::StatusOr<std::optional<std::string>>> results(keys.size(), std::nullopt);
  if (keys.empty()) {
    return results;
  }
  const KeyColumns columns = Columns(keys);
  std::vector<std::string> fingerprints;
  for (const RequestKey& key : keys) {
    fingerprints.push_back(Hex(key.fingerprint));
  }
  // Rows already there (committed by earlier requests, or by a concurrent
  // duplicate, which this statement waits for) are not inserted.
  const pqxx::result existing = tx.exec_params(
      "WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
      "  AS k(principal, method, request_id, fingerprint)),"
      " inserted AS (INSERT INTO request_log (principal, method, request_id, fingerprint)"
      "  SELECT principal, method, request_id, decode(fingerprint, 'hex') FROM k"
      "  ON CONFLICT DO NOTHING RETURNING principal, method, request_id)"
      " SELECT k.principal, k.method, k.request_id FROM k"
      " WHERE NOT EXISTS (SELECT 1 FROM inserted i WHERE i.principal = k.principal"
      "  AND i.method = k.method AND i.request_id = k.request_id)",
      TextArray(columns.principals), TextArray(columns.methods), TextArray(columns.request_ids),
      TextArray(fingerprints));
  for (const auto& row : existing) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].principal == row[0].c_str() && keys[i].method == row[1].c_str() &&
          keys[i].request_id == row[2].c_str()) {
        results[i] = internal::Claim(tx, keys[i]);  // reads the stored response
      }
    }
  }
  return results;
}

void ReleaseAll(pqxx::transaction_base& tx, const std::vector<RequestKey>& keys) {
  if (keys.empty()) {
    return;
  }
  const KeyColumns columns = Columns(keys);
  tx.exec_params0(
      "DELETE FROM request_log WHERE (principal, method, request_id) IN"
      " (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))",
      TextArray(columns.principals), TextArray(columns.methods), TextArray(columns.request_ids));
}

void RecordAll(pqxx::transaction_base& tx, const std::vector<RequestKey>& keys,
               const std::vector<std::string>& responses) {
  if (keys.empty()) {
    return;
  }
  const KeyColumns columns = Columns(keys);
  std::vector<std::string> hex;
  for (const std::string& response : responses) {
    hex.push_back(Hex(response));
  }
  tx.exec_params0(
      "UPDATE request_log r SET response = decode(v.response, 'hex')"
      " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
      "  AS v(principal, method, request_id, response)"
      " WHERE r.principal = v.principal AND r.method = v.method AND r.request_id = v.request_id",
      TextArray(columns.principals), TextArray(columns.methods), TextArray(columns.request_ids),
      TextArray(hex));
}

}  // namespace osan::db
