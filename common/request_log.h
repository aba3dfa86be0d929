// At-most-once mutations (AIP-155), whatever keeps them: a retry with the
// same request_id returns the first result and changes nothing. The
// PostgreSQL log is in common/idempotency.h; stores' in-memory twins keep a
// MemoryRequestLog.
#ifndef OSAN_COMMON_REQUEST_LOG_H_
#define OSAN_COMMON_REQUEST_LOG_H_

#include <google/protobuf/message.h>

#include <map>
#include <optional>
#include <string>
#include <tuple>
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

// INVALID_ARGUMENT: the request_id of a key was used for a different request.
absl::Status RequestIdReused();

// The responses of the mutations a store ran, kept in the transaction that
// ran them.
class RequestLog {
 public:
  virtual ~RequestLog() = default;
  // Claims `key`. Returns nullopt if it is new (the caller runs the
  // mutation), else the stored response; INVALID_ARGUMENT if the key's
  // request_id was used for a different request.
  virtual absl::StatusOr<std::optional<std::string>> Claim(const RequestKey& key) = 0;
  // Stores the response of a key Claim found new.
  virtual void Record(const RequestKey& key, const std::string& response) = 0;
  // Forgets the claim of a key whose mutation failed while the rest of its
  // transaction stands, so that a retry runs again.
  virtual void Release(const RequestKey& key) = 0;

  // The same for a batch of distinct keys in one transaction (a store may
  // answer each with one statement). ClaimAll answers per key as Claim does;
  // RecordAll stores the responses of keys it found new, aligned.
  virtual std::vector<absl::StatusOr<std::optional<std::string>>> ClaimAll(
      const std::vector<RequestKey>& keys);
  virtual void RecordAll(const std::vector<RequestKey>& keys,
                         const std::vector<std::string>& responses);
  virtual void ReleaseAll(const std::vector<RequestKey>& keys);
};

// Runs `mutate()` (returning absl::StatusOr<Response>, Response a protobuf
// message) once per key, and stores its response in `log`, in the same
// transaction. A repeated key returns the stored response without running
// `mutate`. Failed mutations are not stored: they roll back, and a retry runs
// again.
template <class Response, class Mutate>
absl::StatusOr<Response> Idempotent(RequestLog& log, const RequestKey& key, Mutate&& mutate) {
  OSAN_ASSIGN_OR_RETURN(std::optional<std::string> stored, log.Claim(key));
  if (stored.has_value()) {
    Response response;
    if (!response.ParseFromString(*stored)) {
      return absl::InternalError("stored response unreadable");
    }
    return response;
  }
  absl::StatusOr<Response> response = mutate();
  if (response.ok()) {
    log.Record(key, response->SerializeAsString());
  }
  return response;
}

// A request log in memory. Copyable: an in-memory transaction works on a
// copy (common/unit_of_work.h).
class MemoryRequestLog final : public RequestLog {
 public:
  absl::StatusOr<std::optional<std::string>> Claim(const RequestKey& key) override;
  void Record(const RequestKey& key, const std::string& response) override;
  void Release(const RequestKey& key) override;

 private:
  using Id = std::tuple<std::string, std::string, std::string>;  // principal, method, request_id
  // Fingerprint and response (empty until recorded) of each claimed id.
  std::map<Id, std::pair<std::string, std::string>> claimed_;
};

// A store's Records whose request log is a `Log` of its own, built from the
// constructor's arguments: every store's Records over PostgreSQL and
// in memory share this.
template <class Records, class Log>
class RecordsWithLog : public Records {
 public:
  absl::StatusOr<std::optional<std::string>> Claim(const RequestKey& key) final {
    return log_.Claim(key);
  }
  void Record(const RequestKey& key, const std::string& response) final {
    log_.Record(key, response);
  }
  void Release(const RequestKey& key) final { log_.Release(key); }
  std::vector<absl::StatusOr<std::optional<std::string>>> ClaimAll(
      const std::vector<RequestKey>& keys) final {
    return log_.ClaimAll(keys);
  }
  void RecordAll(const std::vector<RequestKey>& keys,
                 const std::vector<std::string>& responses) final {
    log_.RecordAll(keys, responses);
  }
  void ReleaseAll(const std::vector<RequestKey>& keys) final { log_.ReleaseAll(keys); }

 protected:
  template <class... Args>
  explicit RecordsWithLog(Args&&... args) : log_(std::forward<Args>(args)...) {}

 private:
  Log log_;
};

// What every store's in-memory Records shares: a request log of its own,
// copied with the rest of the state.
template <class Records>
using MemoryRecordsBase = RecordsWithLog<Records, MemoryRequestLog>;

}  // namespace osan::db

#endif  // OSAN_COMMON_REQUEST_LOG_H_
