// Opaque, tamper-evident page tokens for keyset pagination (AIP-158).
#ifndef OSAN_COMMON_PAGING_H_
#define OSAN_COMMON_PAGING_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace osan {

// Page sizes: 0 means `default_size` (kDefaultPageSize unless a method
// documents another); larger than kMaxPageSize is reduced to it; negative is
// INVALID_ARGUMENT.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
absl::StatusOr<int> EffectivePageSize(int requested, int default_size = kDefaultPageSize);

// A token carries the keyset position after the last item of a page, bound to
// the query it continues (its "scope": the method and every filter field), and
// authenticated with HMAC-SHA256 under a server secret. A token that was
// altered, or that is replayed with different filters, is INVALID_ARGUMENT.
// The scope of a List request: `method` and the request with its page_token
// and page_size cleared, serialized deterministically.
std::string QueryScope(absl::string_view method, const google::protobuf::Message& request);

class PageTokens {
 public:
  // `secret`: at least 16 bytes. Every replica of a service must share it for
  // tokens to survive restarts and load balancing.
  explicit PageTokens(std::string secret) : secret_(std::move(secret)) {}

  std::string Encode(absl::string_view scope, absl::string_view position) const;

  // The position in `token`; an empty token decodes to an empty position (the
  // first page).
  absl::StatusOr<std::string> Decode(absl::string_view scope, absl::string_view token) const;

 private:
  std::string Mac(absl::string_view scope, absl::string_view position) const;
  std::string secret_;
};

}  // namespace osan

#endif  // OSAN_COMMON_PAGING_H_
