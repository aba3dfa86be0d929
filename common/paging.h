// Opaque, tamper-evident page tokens for keyset pagination (AIP-158).
#ifndef OSAN_COMMON_PAGING_H_
#define OSAN_COMMON_PAGING_H_

#include <google/protobuf/message.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace osan {

// A page of a keyset-paginated query: items and, if more may follow, the
// position after the last item (what a page token carries).
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_position;
};

// The page in `rows`, the answer of a keyset query asked for `limit` + 1
// rows (the one more tells whether another page follows): the first `limit`
// rows made items by `decode` (which returns a T or a StatusOr<T>; the first
// error is returned), and when more follow, the position of the last item's
// row by `position`.
template <class T, class Rows, class Decode, class Position>
absl::StatusOr<Page<T>> PageOfRows(const Rows& rows, int limit, const Decode& decode,
                                   const Position& position) {
  Page<T> page;
  const size_t size = static_cast<size_t>(rows.size());
  const size_t count = std::min(size, static_cast<size_t>(std::max(limit, 0)));
  page.items.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    absl::StatusOr<T> item = decode(rows[i]);
    if (!item.ok()) {
      return item.status();
    }
    page.items.push_back(*std::move(item));
  }
  if (size > count && count > 0) {
    page.next_position = position(rows[count - 1]);
  }
  return page;
}

// Rows held in memory as (position, item) pairs in page order, as the
// stores' in-memory twins keep them, and one page of them.
template <class T>
using PositionedRows = std::vector<std::pair<std::string, T>>;

template <class T>
absl::StatusOr<Page<T>> PageOfPositioned(const PositionedRows<T>& rows, int limit) {
  return PageOfRows<T>(
      rows, limit, [](const std::pair<std::string, T>& row) { return row.second; },
      [](const std::pair<std::string, T>& row) { return row.first; });
}

// Page sizes: 0 means `default_size` (kDefaultPageSize unless a method
// documents another); larger than kMaxPageSize is reduced to it; negative is
// INVALID_ARGUMENT.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
absl::StatusOr<int> EffectivePageSize(int requested, int default_size = kDefaultPageSize);

// How long a page token may be used after it was issued (docs/security.md).
inline constexpr absl::Duration kPageTokenLifetime = absl::Hours(1);

// A token carries the keyset position after the last item of a page, bound to
// the query it continues (its "scope": the method and every filter field), to
// the caller it was issued to (an institution code; empty for public
// methods) and to an expiry (kPageTokenLifetime after issue), all
// authenticated with HMAC-SHA256 under a server secret. A token that was
// altered, replayed with different filters, presented by another caller or
// after its expiry is INVALID_ARGUMENT naming which.
// The scope of a List request: `method` and the request with its page_token
// and page_size cleared, serialized deterministically.
std::string QueryScope(absl::string_view method, const google::protobuf::Message& request);

class PageTokens {
 public:
  // `secret`: at least 16 bytes. Every replica of a service must share it for
  // tokens to survive restarts and load balancing.
  explicit PageTokens(std::string secret) : secret_(std::move(secret)) {}

  // A token for `caller` issued at `now`.
  std::string Encode(absl::string_view scope, absl::string_view caller, absl::string_view position,
                     absl::Time now) const;

  // The position in `token`, presented by `caller` at `now`; an empty token
  // decodes to an empty position (the first page).
  absl::StatusOr<std::string> Decode(absl::string_view scope, absl::string_view caller,
                                     absl::string_view token, absl::Time now) const;

 private:
  std::string Mac(absl::string_view purpose, absl::string_view message, size_t bytes) const;
  // Identifies `caller` without naming it (the token is opaque).
  std::string CallerTag(absl::string_view caller) const;
  std::string secret_;
};

}  // namespace osan

#endif  // OSAN_COMMON_PAGING_H_
