#include "common/idempotency.h"

#include <openssl/sha.h>

#include "common/proto_bytes.h"

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

RequestKey MakeRequestKey(absl::string_view principal, absl::string_view method,
                          absl::string_view request_id, const google::protobuf::Message& request) {
  const std::string bytes = BytesWithout(request, {"request_id"});
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return RequestKey{std::string(principal), std::string(method), std::string(request_id),
                    std::string(reinterpret_cast<const char*>(digest), sizeof digest)};
}

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
    return absl::InvalidArgumentError(
        "request_id: already used for a different request; use a new request_id");
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
}  // namespace osan::db
