#include "common/paging.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/proto_bytes.h"
#include "common/status.h"

namespace osan {
namespace {
// Bytes of the HMAC kept in a token: 128 bits is ample against forgery.
constexpr size_t kMacBytes = 16;
}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested, int default_size) {
  if (requested < 0) {
    return InvalidField("page_size", "must not be negative");
  }
  if (requested == 0) {
    return default_size;
  }
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string QueryScope(absl::string_view method, const google::protobuf::Message& request) {
  return absl::StrCat(method, std::string(1, '\0'),
                      BytesWithout(request, {"page_token", "page_size"}));
}

std::string PageTokens::Mac(absl::string_view scope, absl::string_view position) const {
  const std::string message = absl::StrCat(scope, std::string(1, '\0'), position);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), std::min<size_t>(size, kMacBytes));
}

std::string PageTokens::Encode(absl::string_view scope, absl::string_view position) const {
  return absl::StrCat(absl::WebSafeBase64Escape(position), ".",
                      absl::WebSafeBase64Escape(Mac(scope, position)));
}

absl::StatusOr<std::string> PageTokens::Decode(absl::string_view scope,
                                               absl::string_view token) const {
  if (token.empty()) {
    return std::string();
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string position;
  std::string mac;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[0], &position) ||
      !absl::WebSafeBase64Unescape(parts[1], &mac) || position.empty()) {
    return InvalidField("page_token", "malformed");
  }
  const std::string expected = Mac(scope, position);
  if (mac.size() != expected.size() ||
      CRYPTO_memcmp(mac.data(), expected.data(), expected.size()) != 0) {
    return InvalidField("page_token",
                        "not issued for this query (filters changed or token altered)");
  }
  return position;
}

}  // namespace osan
