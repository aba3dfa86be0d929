// At-most-once mutations (AIP-155): a retry with the same request_id returns
// the first result and changes nothing.
#ifndef OSAN_COMMON_IDEMPOTENCY_H_
#define OSAN_COMMON_IDEMPOTENCY_H_

#include <google/protobuf/message.h>

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status.h"

namespace osan::db {

// One mutation as its caller named it.
struct RequestKey {
  // Institution code of the caller: request ids are scoped per caller.
  std::string principal;
  // Full method name; the same id may be used on different methods.
  std::string method;
  std::string request_id;
  // SHA-256 of the request without its request_id: a reused id with another
  // request is refused rather than silently answered with the old result.
  std::string fingerprint;
};

// Builds the key of `request` (whose request_id field is `request_id`).
RequestKey MakeRequestKey(absl::string_view principal, absl::string_view method,
                          absl::string_view request_id, const google::protobuf::Message& request);

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

// Runs `mutate()` (returning absl::StatusOr<Response>, Response a protobuf
// message) once per key, inside `tx`, and stores its response in the same
// transaction. A repeated key returns the stored response without running
// `mutate`. Failed mutations are not stored: they roll back, and a retry runs
// again.
template <class Response, class Mutate>
absl::StatusOr<Response> Idempotent(pqxx::transaction_base& tx, const RequestKey& key,
                                    Mutate&& mutate) {
  OSAN_ASSIGN_OR_RETURN(std::optional<std::string> stored, internal::Claim(tx, key));
  if (stored.has_value()) {
    Response response;
    if (!response.ParseFromString(*stored)) {
      return absl::InternalError("stored response unreadable");
    }
    return response;
  }
  absl::StatusOr<Response> response = mutate();
  if (response.ok()) {
    internal::Record(tx, key, response->SerializeAsString());
  }
  return response;
}

}  // namespace osan::db

#endif  // OSAN_COMMON_IDEMPOTENCY_H_
