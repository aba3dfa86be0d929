// Page tokens (common/paging.h) on arbitrary tokens and scopes, and their
// Encode/Decode round trip.
//
// Contracts checked: Decode of anything is a position or INVALID_ARGUMENT
// (never another code); the empty token is the first page; an encoded
// position decodes back under its scope and caller before its expiry, and
// under no other scope or caller, nor after it; a token altered
// anywhere is refused or still decodes to its own position; a page size is
// INVALID_ARGUMENT only when negative; a query's scope ignores its page
// fields.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/paging.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan {
namespace {

using absl::StatusCode;
using fuzz::ExpectCode;

// Every token is issued to and presented by this caller, at this time.
constexpr absl::string_view kCaller = "J10-7531001";
const absl::Time kNow = absl::FromUnixSeconds(1800000000);

const PageTokens& Tokens() {
  static const auto* tokens = new PageTokens("fuzzing-secret-0123456789abcdef");
  return *tokens;
}

void CheckDecode(const std::string& scope, const std::string& token) {
  const absl::StatusOr<std::string> position = Tokens().Decode(scope, kCaller, token, kNow);
  ExpectCode(position.status(), {StatusCode::kOk, StatusCode::kInvalidArgument}, "Decode");
  if (token.empty()) {
    OSAN_FUZZ_CHECK(position.ok() && position->empty());
  } else if (position.ok()) {
    OSAN_FUZZ_CHECK(!position->empty());
    auto again =
        Tokens().Decode(scope, kCaller, Tokens().Encode(scope, kCaller, *position, kNow), kNow);
    OSAN_FUZZ_CHECK(again.ok() && *again == *position);
  }
}

void CheckRoundTrip(const std::string& scope, const std::string& position,
                    const std::string& other_scope, size_t where, char what) {
  if (position.empty()) {
    return;  // positions are never empty: the empty token stands for the first page
  }
  const std::string token = Tokens().Encode(scope, kCaller, position, kNow);
  auto decoded = Tokens().Decode(scope, kCaller, token, kNow);
  OSAN_FUZZ_CHECK(decoded.ok());
  OSAN_FUZZ_CHECK(*decoded == position);

  auto replayed = Tokens().Decode(other_scope, kCaller, token, kNow);
  if (other_scope == scope) {
    OSAN_FUZZ_CHECK(replayed.ok() && *replayed == position);
  } else {
    OSAN_FUZZ_CHECK(replayed.status().code() == StatusCode::kInvalidArgument);
  }
  // Nobody else may use it, nor anyone once it has expired.
  OSAN_FUZZ_CHECK(Tokens().Decode(scope, "J10-7531002", token, kNow).status().code() ==
                  StatusCode::kInvalidArgument);
  OSAN_FUZZ_CHECK(
      Tokens().Decode(scope, kCaller, token, kNow + kPageTokenLifetime).status().code() ==
      StatusCode::kInvalidArgument);

  std::string altered = token;
  altered[where % altered.size()] = what;
  auto tampered = Tokens().Decode(scope, kCaller, altered, kNow);
  ExpectCode(tampered.status(), {StatusCode::kOk, StatusCode::kInvalidArgument}, "Decode");
  if (tampered.ok()) {
    // Only a change the base64 decoding ignores can pass.
    OSAN_FUZZ_CHECK(*tampered == position);
  }
  auto truncated = Tokens().Decode(scope, kCaller, token.substr(0, where % token.size()), kNow);
  ExpectCode(truncated.status(), {StatusCode::kOk, StatusCode::kInvalidArgument}, "Decode");
  if (truncated.ok()) {
    OSAN_FUZZ_CHECK(truncated->empty() || *truncated == position);
  }
}

void CheckPageSize(int requested) {
  const absl::StatusOr<int> size = EffectivePageSize(requested);
  if (requested < 0) {
    OSAN_FUZZ_CHECK(size.status().code() == StatusCode::kInvalidArgument);
    return;
  }
  OSAN_FUZZ_CHECK(size.ok());
  OSAN_FUZZ_CHECK(*size >= 1 && *size <= kMaxPageSize);
  OSAN_FUZZ_CHECK(*size == (requested == 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize)));
}

void CheckScope(const std::string& bytes, const std::string& token, int page_size) {
  catalog::v1::ListSectionsRequest request;
  if (!request.ParseFromString(bytes)) {
    return;
  }
  const std::string scope = QueryScope("ListSections", request);
  OSAN_FUZZ_CHECK(scope == QueryScope("ListSections", request));
  catalog::v1::ListSectionsRequest next_page = request;
  next_page.set_page_token(token);
  next_page.set_page_size(page_size);
  OSAN_FUZZ_CHECK(QueryScope("ListSections", next_page) == scope);
  OSAN_FUZZ_CHECK(QueryScope("ListCourses", request) != scope);
}

}  // namespace
}  // namespace osan

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  osan::fuzz::QuietProtobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const int mode = in.ConsumeIntegralInRange(0, 2);
  const int number = in.ConsumeIntegral<int>();
  const size_t where = in.ConsumeIntegral<uint16_t>();
  const char what = in.ConsumeIntegral<char>();
  const std::string scope = in.ConsumeRandomLengthString(512);
  const std::string text = in.ConsumeRandomLengthString(1024);
  const std::string rest = in.ConsumeRemainingBytesAsString();
  osan::CheckPageSize(number);
  switch (mode) {
    case 0:
      osan::CheckDecode(scope, text);
      osan::CheckDecode(scope, rest);
      break;
    case 1:
      osan::CheckRoundTrip(scope, text, rest, where, what);
      break;
    case 2:
      osan::CheckScope(rest, text, number);
      break;
  }
  return 0;
}
