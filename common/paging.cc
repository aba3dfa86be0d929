#include "common/paging.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/proto_bytes.h"
#include "common/status.h"

namespace osan {
namespace {
// Bytes of the HMAC kept in a token: 128 bits is ample against forgery.
constexpr size_t kMacBytes = 16;
// Bytes of a caller's tag: tells callers apart, the MAC protects it.
constexpr size_t kCallerTagBytes = 8;
const std::string kSeparator(1, '\0');

bool ConstantTimeEqual(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}
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
  return absl::StrCat(method, kSeparator, BytesWithout(request, {"page_token", "page_size"}));
}

std::string PageTokens::Mac(absl::string_view purpose, absl::string_view message,
                            size_t bytes) const {
  const std::string input = absl::StrCat(purpose, kSeparator, message);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), std::min<size_t>(size, bytes));
}

std::string PageTokens::CallerTag(absl::string_view caller) const {
  return Mac("caller", caller, kCallerTagBytes);
}

// Token: base64(position) "." expiry (Unix seconds) "." base64(caller tag)
// "." base64(MAC of scope, caller tag, expiry and position).
std::string PageTokens::Encode(absl::string_view scope, absl::string_view caller,
                               absl::string_view position, absl::Time now) const {
  const std::string tag = CallerTag(caller);
  const std::string expiry = absl::StrCat(absl::ToUnixSeconds(now + kPageTokenLifetime));
  const std::string mac =
      Mac("page", absl::StrCat(scope, kSeparator, tag, kSeparator, expiry, kSeparator, position),
          kMacBytes);
  return absl::StrCat(absl::WebSafeBase64Escape(position), ".", expiry, ".",
                      absl::WebSafeBase64Escape(tag), ".", absl::WebSafeBase64Escape(mac));
}

absl::StatusOr<std::string> PageTokens::Decode(absl::string_view scope, absl::string_view caller,
                                               absl::string_view token, absl::Time now) const {
  if (token.empty()) {
    return std::string();
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string position;
  int64_t expiry = 0;
  std::string tag;
  std::string mac;
  if (parts.size() != 4 || !absl::WebSafeBase64Unescape(parts[0], &position) || position.empty() ||
      !absl::SimpleAtoi(parts[1], &expiry) || !absl::WebSafeBase64Unescape(parts[2], &tag) ||
      !absl::WebSafeBase64Unescape(parts[3], &mac)) {
    return InvalidField("page_token", "malformed");
  }
  const std::string expected =
      Mac("page", absl::StrCat(scope, kSeparator, tag, kSeparator, parts[1], kSeparator, position),
          kMacBytes);
  if (!ConstantTimeEqual(mac, expected)) {
    return InvalidField("page_token",
                        "not issued for this query (filters changed or token altered)");
  }
  if (!ConstantTimeEqual(tag, CallerTag(caller))) {
    return InvalidField("page_token",
                        "issued to another caller; a page token serves only the institution "
                        "that received it");
  }
  if (now >= absl::FromUnixSeconds(expiry)) {
    return InvalidField("page_token", absl::StrCat("expired (page tokens last ",
                                                   absl::ToInt64Minutes(kPageTokenLifetime),
                                                   " minutes); list again from the first page"));
  }
  return position;
}

}  // namespace osan
