#include "common/request_log.h"

#include <openssl/sha.h>

#include "common/proto_bytes.h"

namespace osan::db {

RequestKey MakeRequestKey(absl::string_view principal, absl::string_view method,
                          absl::string_view request_id, const google::protobuf::Message& request) {
  const std::string bytes = BytesWithout(request, {"request_id"});
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return RequestKey{std::string(principal), std::string(method), std::string(request_id),
                    std::string(reinterpret_cast<const char*>(digest), sizeof digest)};
}

absl::Status RequestIdReused() {
  return absl::InvalidArgumentError(
      "request_id: already used for a different request; use a new request_id");
}

absl::StatusOr<std::optional<std::string>> MemoryRequestLog::Claim(const RequestKey& key) {
  const auto [it, inserted] =
      claimed_.try_emplace({key.principal, key.method, key.request_id}, key.fingerprint, "");
  if (inserted) {
    return std::nullopt;
  }
  if (it->second.first != key.fingerprint) {
    return RequestIdReused();
  }
  return it->second.second;
}

std::vector<absl::StatusOr<std::optional<std::string>>> RequestLog::ClaimAll(
    const std::vector<RequestKey>& keys) {
  std::vector<absl::StatusOr<std::optional<std::string>>> claims;
  claims.reserve(keys.size());
  for (const RequestKey& key : keys) {
    claims.push_back(Claim(key));
  }
  return claims;
}

void RequestLog::RecordAll(const std::vector<RequestKey>& keys,
                           const std::vector<std::string>& responses) {
  for (size_t i = 0; i < keys.size(); ++i) {
    Record(keys[i], responses[i]);
  }
}

void RequestLog::ReleaseAll(const std::vector<RequestKey>& keys) {
  for (const RequestKey& key : keys) {
    Release(key);
  }
}

void MemoryRequestLog::Release(const RequestKey& key) {
  claimed_.erase({key.principal, key.method, key.request_id});
}

void MemoryRequestLog::Record(const RequestKey& key, const std::string& response) {
  claimed_[{key.principal, key.method, key.request_id}].second = response;
}

}  // namespace osan::db
