// Unit tests of the shared foundation (common/): validation, paging, auth
// tokens, field masks, status mapping, deterministic bytes and request keys.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/field_mask.h"
#include "common/idempotency.h"
#include "common/paging.h"
#include "common/proto_bytes.h"
#include "common/rate_limiter.h"
#include "common/server.h"
#include "common/status.h"
#include "common/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/auth/v1/claims.pb.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "tests/support/status_assertions.h"

namespace osan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using ::osan::testing::IsInvalidField;

std::string Repeat(absl::string_view piece, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    absl::StrAppend(&text, piece);
  }
  return text;
}

// ============================================================================
// validation.h
// ============================================================================

TEST(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("매홀고"), 3u);            // 9 bytes
  EXPECT_EQ(Utf8Length("AI코딩"), 4u);            // 8 bytes
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);  // U+1F600, 4 bytes
}

TEST(CheckTextTest, AcceptsPlainAndKoreanText) {
  EXPECT_TRUE(CheckText("title", "Intro to AI", 1, 100).ok());
  EXPECT_TRUE(CheckText("title", "인공지능 기초", 1, 100).ok());
  EXPECT_TRUE(CheckText("title", "\xF0\x9F\x98\x80 emoji", 1, 100).ok());
}

TEST(CheckTextTest, RejectsInvalidUtf8) {
  for (const absl::string_view text : {
           absl::string_view("\xff"), absl::string_view("ok\xfe"),
           absl::string_view("\xc0\xaf"),              // overlong '/'
           absl::string_view("\xe0\x80\xaf"),          // overlong '/', 3 bytes
           absl::string_view("\xf0\x80\x80\xaf"),      // overlong '/', 4 bytes
           absl::string_view("\xc1\xbf"),              // overlong U+007F
           absl::string_view("\xed\xa0\x80"),          // surrogate U+D800
           absl::string_view("\xf4\x90\x80\x80"),      // U+110000, past Unicode
           absl::string_view("\xf8\x88\x80\x80\x80"),  // 5-byte form
           absl::string_view("\x80"),                  // lone continuation byte
           absl::string_view("\xea\xb0"),              // truncated 가
           absl::string_view("\xea\x41\x80"),          // bad continuation
       }) {
    SCOPED_TRACE(absl::CHexEscape(text));
    const absl::Status status = CheckText("title", text, 0, 100);
    EXPECT_TRUE(IsInvalidField(status, "title"));
    EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
  }
}

TEST(CheckTextTest, RejectsControlCharacters) {
  for (const absl::string_view text :
       {absl::string_view("a\x01z"), absl::string_view("a\nz"), absl::string_view("a\tz"),
        absl::string_view("a\rz"), absl::string_view("a\x7fz"), absl::string_view("a\0z", 3),
        absl::string_view("\x1b[31m")}) {
    SCOPED_TRACE(absl::CHexEscape(text));
    EXPECT_TRUE(IsInvalidField(CheckText("title", text, 0, 100), "title"));
  }
}

TEST(CheckTextTest, MultilineAllowsNewlineAndTabOnly) {
  EXPECT_TRUE(CheckText("description", "첫 줄\n둘째 줄\n\t들여쓰기", 0, 100, true).ok());
  EXPECT_TRUE(IsInvalidField(CheckText("description", "a\rz", 0, 100, true), "description"));
  EXPECT_TRUE(IsInvalidField(CheckText("description", "a\x01z", 0, 100, true), "description"));
  EXPECT_TRUE(IsInvalidField(CheckText("description", "a\x7fz", 0, 100, true), "description"));
}

TEST(CheckTextTest, LengthCountsCodePointsNotBytes) {
  // Three Hangul syllables are nine bytes but three characters.
  EXPECT_TRUE(CheckText("name", "매홀고", 3, 3).ok());
  EXPECT_TRUE(IsInvalidField(CheckText("name", "매홀고등", 0, 3), "name"));
  EXPECT_TRUE(IsInvalidField(CheckText("name", "매홀", 3, 10), "name"));
  EXPECT_TRUE(CheckText("name", Repeat("가", 100), 1, 100).ok());
  EXPECT_TRUE(IsInvalidField(CheckText("name", Repeat("가", 101), 1, 100), "name"));
}

TEST(CheckTextTest, MinimumLength) {
  const absl::Status required = CheckText("title", "", 1, 100);
  EXPECT_TRUE(IsInvalidField(required, "title"));
  EXPECT_THAT(required.message(), HasSubstr("required"));
  EXPECT_TRUE(IsInvalidField(CheckText("title", "a", 2, 100), "title"));
  EXPECT_TRUE(CheckText("title", "", 0, 100).ok());
}

TEST(CheckRequestIdTest, AcceptsAllowedCharacters) {
  EXPECT_TRUE(CheckRequestId("a").ok());
  EXPECT_TRUE(CheckRequestId("req-2026.03:create_course-01").ok());
  EXPECT_TRUE(CheckRequestId("3f2504e0-4f89-41d3-9a0c-0305e82c3301").ok());
  EXPECT_TRUE(CheckRequestId(std::string(64, 'x')).ok());
}

TEST(CheckRequestIdTest, RejectsMissingLongOrOddIds) {
  for (const std::string& id :
       {std::string(""), std::string(65, 'x'), std::string("a b"), std::string("a/b"),
        std::string("a+b"), std::string("요청1"), std::string("a\nb"), std::string("a\0b", 3)}) {
    SCOPED_TRACE(absl::CHexEscape(id));
    EXPECT_TRUE(IsInvalidField(CheckRequestId(id), "request_id"));
  }
}

TEST(CheckRangeTest, InclusiveBounds) {
  EXPECT_TRUE(CheckRange("credits", 1, 1, 8).ok());
  EXPECT_TRUE(CheckRange("credits", 8, 1, 8).ok());
  EXPECT_TRUE(IsInvalidField(CheckRange("credits", 0, 1, 8), "credits"));
  EXPECT_TRUE(IsInvalidField(CheckRange("credits", 9, 1, 8), "credits"));
  EXPECT_TRUE(IsInvalidField(CheckRange("credits", LLONG_MIN, 1, 8), "credits"));
}

// ============================================================================
// paging.h
// ============================================================================

TEST(EffectivePageSizeTest, DefaultsAndClamps) {
  EXPECT_EQ(EffectivePageSize(0).value(), kDefaultPageSize);
  EXPECT_EQ(EffectivePageSize(0).value(), 50);
  EXPECT_EQ(EffectivePageSize(1).value(), 1);
  EXPECT_EQ(EffectivePageSize(200).value(), 200);
  EXPECT_EQ(EffectivePageSize(201).value(), kMaxPageSize);
  EXPECT_EQ(EffectivePageSize(INT_MAX).value(), 200);
}

TEST(EffectivePageSizeTest, RejectsNegative) {
  EXPECT_TRUE(IsInvalidField(EffectivePageSize(-1).status(), "page_size"));
  EXPECT_TRUE(IsInvalidField(EffectivePageSize(INT_MIN).status(), "page_size"));
}

// Rows of a keyset query asked for limit + 1: here, numbers.
TEST(PageOfRowsTest, TakesLimitRowsAndThePositionOfTheLastWhenMoreFollow) {
  const auto decode = [](int row) { return absl::StrCat("item ", row); };
  const auto position = [](int row) { return absl::StrCat(row); };
  const std::vector<int> three = {10, 11, 12};
  const auto more = PageOfRows<std::string>(three, 2, decode, position);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->items, (std::vector<std::string>{"item 10", "item 11"}));
  EXPECT_EQ(more->next_position, "11");
  const auto last = PageOfRows<std::string>(three, 3, decode, position);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->items.size(), 3u);
  EXPECT_FALSE(last->next_position.has_value()) << "no row beyond the limit: the last page";
  const auto none = PageOfRows<std::string>(std::vector<int>{}, 2, decode, position);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(none->next_position.has_value());
}

TEST(PageOfRowsTest, StopsAtTheFirstRowThatDoesNotDecode) {
  const auto decode = [](int row) -> absl::StatusOr<int> {
    if (row < 0) {
      return absl::DataLossError("bad row");
    }
    return row;
  };
  const auto page =
      PageOfRows<int>(std::vector<int>{1, -1, 2}, 5, decode, [](int) { return std::string(); });
  EXPECT_EQ(page.status().code(), absl::StatusCode::kDataLoss);
}

constexpr absl::string_view kSecret = "0123456789abcdef-page-token-secret";
constexpr absl::string_view kMethod = "/osan.catalog.v1.CatalogService/ListSections";
// The caller page tokens are issued to, and when, unless a test says otherwise.
constexpr absl::string_view kCaller = "J10-7531001";
constexpr absl::Time kIssued = absl::FromUnixSeconds(1800000000);

catalog::v1::ListSectionsRequest SectionsRequest() {
  catalog::v1::ListSectionsRequest request;
  request.set_parent("terms/2026-1");
  request.set_host("institutions/OSAN-AICODING");
  request.set_state(catalog::v1::ENROLLMENT_OPEN);
  return request;
}

TEST(PageTokensTest, RoundTripsPosition) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string scope = QueryScope(kMethod, SectionsRequest());
  for (const std::string& position :
       {std::string("인공지능 기초\x1f"
                    "3f2504e0"),
        std::string("a"), std::string("\0\xff\x01", 3), std::string(1000, 'p')}) {
    SCOPED_TRACE(absl::CHexEscape(position));
    const std::string token = tokens.Encode(scope, kCaller, position, kIssued);
    const absl::StatusOr<std::string> decoded = tokens.Decode(scope, kCaller, token, kIssued);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, position);
  }
}

TEST(PageTokensTest, TokenIsUrlSafeAndHidesNoSecret) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string token = tokens.Encode("scope", kCaller, std::string(300, '\xfb'), kIssued);
  EXPECT_EQ(token.find_first_of("+/= \n"), std::string::npos) << token;
  EXPECT_THAT(token, Not(HasSubstr(kSecret)));
}

TEST(PageTokensTest, EmptyTokenIsFirstPage) {
  const PageTokens tokens{std::string(kSecret)};
  const absl::StatusOr<std::string> decoded = tokens.Decode("any scope", kCaller, "", kIssued);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "");
}

TEST(PageTokensTest, RejectsTamperedPosition) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string token = tokens.Encode("scope", kCaller, "title-0042", kIssued);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 4u);
  parts[0] = absl::WebSafeBase64Escape("title-9999");
  const std::string forged = absl::StrJoin(parts, ".");
  EXPECT_TRUE(
      IsInvalidField(tokens.Decode("scope", kCaller, forged, kIssued).status(), "page_token"));
}

TEST(PageTokensTest, RejectsTamperedMac) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string token = tokens.Encode("scope", kCaller, "title-0042", kIssued);
  const size_t dot = token.rfind('.');
  ASSERT_NE(dot, std::string::npos);
  std::string forged = token;
  forged[dot + 1] = forged[dot + 1] == 'A' ? 'B' : 'A';  // changes the first MAC byte
  EXPECT_TRUE(
      IsInvalidField(tokens.Decode("scope", kCaller, forged, kIssued).status(), "page_token"));

  // A truncated MAC.
  EXPECT_TRUE(IsInvalidField(
      tokens.Decode("scope", kCaller, token.substr(0, token.size() - 4), kIssued).status(),
      "page_token"));
}

TEST(PageTokensTest, RejectsTokenOfAnotherScope) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string token = tokens.Encode("scope-a", kCaller, "title-0042", kIssued);
  EXPECT_TRUE(
      IsInvalidField(tokens.Decode("scope-b", kCaller, token, kIssued).status(), "page_token"));
}

TEST(PageTokensTest, RejectsTokenReplayedWithOtherFilters) {
  const PageTokens tokens{std::string(kSecret)};
  const catalog::v1::ListSectionsRequest first = SectionsRequest();
  const std::string token =
      tokens.Encode(QueryScope(kMethod, first), kCaller, "title-0042", kIssued);

  catalog::v1::ListSectionsRequest other_host = first;
  other_host.set_host("institutions/J10-7531001");
  other_host.set_page_token(token);
  EXPECT_TRUE(IsInvalidField(
      tokens.Decode(QueryScope(kMethod, other_host), kCaller, token, kIssued).status(),
      "page_token"));

  catalog::v1::ListSectionsRequest other_method = first;
  EXPECT_TRUE(IsInvalidField(
      tokens
          .Decode(QueryScope("/osan.catalog.v1.CatalogService/ListCourses", other_method), kCaller,
                  token, kIssued)
          .status(),
      "page_token"));
}

TEST(PageTokensTest, NextPageRequestCarryingTheTokenDecodes) {
  const PageTokens tokens{std::string(kSecret)};
  catalog::v1::ListSectionsRequest first = SectionsRequest();
  first.set_page_size(10);
  const std::string token =
      tokens.Encode(QueryScope(kMethod, first), kCaller, "title-0042", kIssued);

  catalog::v1::ListSectionsRequest next = SectionsRequest();
  next.set_page_size(25);
  next.set_page_token(token);
  const absl::StatusOr<std::string> decoded =
      tokens.Decode(QueryScope(kMethod, next), kCaller, token, kIssued);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "title-0042");
}

TEST(PageTokensTest, RejectsTokenOfAnotherSecret) {
  const PageTokens tokens{std::string(kSecret)};
  const PageTokens other{"another-secret-of-32-bytes-long!"};
  const std::string token = other.Encode("scope", kCaller, "title-0042", kIssued);
  EXPECT_TRUE(
      IsInvalidField(tokens.Decode("scope", kCaller, token, kIssued).status(), "page_token"));
}

TEST(PageTokensTest, RejectsTokenPresentedByAnotherCaller) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string token = tokens.Encode("scope", kCaller, "title-0042", kIssued);
  for (const absl::string_view other : {"J10-7531002", "", "J10-753100"}) {
    SCOPED_TRACE(other);
    const absl::Status refused = tokens.Decode("scope", other, token, kIssued).status();
    EXPECT_TRUE(IsInvalidField(refused, "page_token"));
    EXPECT_THAT(refused.message(), HasSubstr("another caller"));
  }
  EXPECT_THAT(token, Not(HasSubstr(kCaller))) << "the token does not name its caller";
}

TEST(PageTokensTest, ExpiresAfterItsLifetime) {
  const PageTokens tokens{std::string(kSecret)};
  const std::string token = tokens.Encode("scope", kCaller, "title-0042", kIssued);
  EXPECT_EQ(kPageTokenLifetime, absl::Hours(1));
  const absl::StatusOr<std::string> in_time =
      tokens.Decode("scope", kCaller, token, kIssued + kPageTokenLifetime - absl::Seconds(1));
  ASSERT_TRUE(in_time.ok()) << in_time.status();
  EXPECT_EQ(*in_time, "title-0042");
  const absl::Status expired =
      tokens.Decode("scope", kCaller, token, kIssued + kPageTokenLifetime).status();
  EXPECT_TRUE(IsInvalidField(expired, "page_token"));
  EXPECT_THAT(expired.message(), HasSubstr("expired"));

  // The expiry cannot be moved: it is under the MAC.
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 4u);
  parts[1] = absl::StrCat(absl::ToUnixSeconds(kIssued + absl::Hours(100)));
  EXPECT_THAT(
      tokens.Decode("scope", kCaller, absl::StrJoin(parts, "."), kIssued + kPageTokenLifetime)
          .status()
          .message(),
      HasSubstr("token altered"));
}

TEST(PageTokensTest, RejectsGarbage) {
  const PageTokens tokens{std::string(kSecret)};
  for (const absl::string_view garbage :
       {"abc", ".", "..", "a.b.c", "!!!.@@@", "dGl0bGU.", ".AAAAAAAAAAAAAAAAAAAAAA", "한글.토큰",
        "dGl0bGU.AAAAAAAAAAAAAAAAAAAAAA", "dGl0bGU AAAA", "%00.%00"}) {
    SCOPED_TRACE(garbage);
    EXPECT_TRUE(
        IsInvalidField(tokens.Decode("scope", kCaller, garbage, kIssued).status(), "page_token"));
  }
}

TEST(QueryScopeTest, IgnoresPageTokenAndPageSize) {
  catalog::v1::ListSectionsRequest plain = SectionsRequest();
  catalog::v1::ListSectionsRequest paged = SectionsRequest();
  paged.set_page_size(17);
  paged.set_page_token("abc.def");
  EXPECT_EQ(QueryScope(kMethod, plain), QueryScope(kMethod, paged));
}

TEST(QueryScopeTest, DependsOnEveryFilterAndTheMethod) {
  const std::string base = QueryScope(kMethod, SectionsRequest());

  catalog::v1::ListSectionsRequest parent = SectionsRequest();
  parent.set_parent("terms/2026-2");
  EXPECT_NE(QueryScope(kMethod, parent), base);

  catalog::v1::ListSectionsRequest host = SectionsRequest();
  host.clear_host();
  EXPECT_NE(QueryScope(kMethod, host), base);

  catalog::v1::ListSectionsRequest state = SectionsRequest();
  state.set_state(catalog::v1::PUBLISHED);
  EXPECT_NE(QueryScope(kMethod, state), base);

  EXPECT_NE(
      QueryScope("/osan.catalog.v1.PublicListingService/ListPublicSections", SectionsRequest()),
      base);
}

// ============================================================================
// proto_bytes.h
// ============================================================================

TEST(BytesWithoutTest, ClearsNamedFieldsOnlyInTheCopy) {
  catalog::v1::ListSectionsRequest request = SectionsRequest();
  request.set_page_token("token");
  request.set_page_size(10);

  catalog::v1::ListSectionsRequest expected = SectionsRequest();
  EXPECT_EQ(BytesWithout(request, {"page_token", "page_size"}), BytesWithout(expected, {}));
  EXPECT_NE(BytesWithout(request, {"page_token"}), BytesWithout(expected, {}));
  // The original is untouched.
  EXPECT_EQ(request.page_token(), "token");
  EXPECT_EQ(request.page_size(), 10);
}

TEST(BytesWithoutTest, IgnoresUnknownNamesAndRoundTrips) {
  const catalog::v1::ListSectionsRequest request = SectionsRequest();
  const std::string bytes = BytesWithout(request, {"no_such_field"});
  catalog::v1::ListSectionsRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.parent(), "terms/2026-1");
  EXPECT_EQ(parsed.host(), "institutions/OSAN-AICODING");
  EXPECT_EQ(parsed.state(), catalog::v1::ENROLLMENT_OPEN);
}

// ============================================================================
// idempotency.h (MakeRequestKey only)
// ============================================================================

catalog::v1::CreateCourseRequest CreateCourse(absl::string_view request_id) {
  catalog::v1::CreateCourseRequest request;
  request.set_request_id(std::string(request_id));
  request.mutable_course()->set_title("인공지능 기초");
  request.mutable_course()->set_host("institutions/OSAN-AICODING");
  request.mutable_course()->set_credits(4);
  return request;
}

constexpr absl::string_view kCreateCourse = "/osan.catalog.v1.CatalogService/CreateCourse";

TEST(MakeRequestKeyTest, CopiesCallerMethodAndRequestId) {
  const db::RequestKey key =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", CreateCourse("req-1"));
  EXPECT_EQ(key.principal, "OSAN-AICODING");
  EXPECT_EQ(key.method, kCreateCourse);
  EXPECT_EQ(key.request_id, "req-1");
  EXPECT_EQ(key.fingerprint.size(), 32u);  // SHA-256
}

TEST(MakeRequestKeyTest, FingerprintIgnoresRequestId) {
  const db::RequestKey first =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", CreateCourse("req-1"));
  const db::RequestKey second =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-2", CreateCourse("req-2"));
  EXPECT_EQ(first.fingerprint, second.fingerprint);
  EXPECT_NE(first.request_id, second.request_id);
}

TEST(MakeRequestKeyTest, DifferentRequestsHaveDifferentFingerprints) {
  const db::RequestKey base =
      db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", CreateCourse("req-1"));

  catalog::v1::CreateCourseRequest title = CreateCourse("req-1");
  title.mutable_course()->set_title("인공지능 심화");
  EXPECT_NE(db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", title).fingerprint,
            base.fingerprint);

  catalog::v1::CreateCourseRequest credits = CreateCourse("req-1");
  credits.mutable_course()->set_credits(3);
  EXPECT_NE(db::MakeRequestKey("OSAN-AICODING", kCreateCourse, "req-1", credits).fingerprint,
            base.fingerprint);
}

// ============================================================================
// auth.h
// ============================================================================

// 2026-03-02 00:00:00 UTC.
constexpr absl::Time kNow = absl::FromUnixSeconds(1772409600);

auth::Principal School() { return auth::Principal{"J10-7531001", auth::v1::SCHOOL}; }

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<auth::KeyPair> pair = auth::GenerateKeyPair();
    ASSERT_TRUE(pair.ok()) << pair.status();
    keys_ = *std::move(pair);
    absl::StatusOr<auth::TokenSigner> signer = auth::TokenSigner::Create(keys_.private_key_pem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = std::make_unique<auth::TokenSigner>(*std::move(signer));
    absl::StatusOr<auth::TokenVerifier> verifier =
        auth::TokenVerifier::Create(keys_.public_key_pem);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::make_unique<auth::TokenVerifier>(*std::move(verifier));
  }

  std::string Issue(const auth::Principal& principal, absl::Time now, absl::Duration lifetime) {
    absl::StatusOr<std::string> token = signer_->Issue(principal, now, lifetime);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // Claims as Issue would make them for School() at kNow for one hour.
  static auth::v1::Claims ValidClaims() {
    auth::v1::Claims claims;
    claims.set_iss("osan-credit-exchange");
    claims.set_aud("osan");
    claims.set_sub("J10-7531001");
    claims.set_role(auth::v1::SCHOOL);
    claims.set_iat(absl::ToUnixSeconds(kNow));
    claims.set_nbf(absl::ToUnixSeconds(kNow));
    claims.set_exp(absl::ToUnixSeconds(kNow + absl::Hours(1)));
    return claims;
  }

  std::string Sign(const auth::v1::Claims& claims) {
    absl::StatusOr<std::string> token = signer_->Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  static ::testing::AssertionResult IsUnauthenticated(const absl::StatusOr<auth::Principal>& r) {
    if (r.ok()) {
      return ::testing::AssertionFailure()
             << "expected UNAUTHENTICATED, got principal " << r->institution;
    }
    if (r.status().code() != absl::StatusCode::kUnauthenticated) {
      return ::testing::AssertionFailure() << "expected UNAUTHENTICATED, got " << r.status();
    }
    return ::testing::AssertionSuccess();
  }

  auth::KeyPair keys_;
  std::unique_ptr<auth::TokenSigner> signer_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
};

TEST_F(TokenTest, GeneratesPemKeyPair) {
  EXPECT_THAT(keys_.private_key_pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(keys_.public_key_pem, StartsWith("-----BEGIN PUBLIC KEY-----"));
  const absl::StatusOr<auth::KeyPair> other = auth::GenerateKeyPair();
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->private_key_pem, keys_.private_key_pem);
}

TEST_F(TokenTest, ValidTokenYieldsPrincipal) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);

  const absl::StatusOr<auth::Principal> principal =
      verifier_->Verify(token, kNow + absl::Minutes(30));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->institution, "J10-7531001");
  EXPECT_EQ(principal->role, auth::v1::SCHOOL);
  EXPECT_EQ(principal->institution_name(), "institutions/J10-7531001");
}

TEST_F(TokenTest, ValidAtIssueTime) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier_->Verify(token, kNow).ok());
}

TEST_F(TokenTest, ExpiryToleratesClockSkewOnly) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  const absl::Time expiry = kNow + absl::Hours(1);
  EXPECT_TRUE(verifier_->Verify(token, expiry).ok());
  EXPECT_TRUE(verifier_->Verify(token, expiry + absl::Seconds(60)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, expiry + absl::Seconds(61))));
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, expiry + absl::Hours(24))));
}

TEST_F(TokenTest, NotBeforeToleratesClockSkewOnly) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier_->Verify(token, kNow - absl::Seconds(60)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, kNow - absl::Seconds(61))));
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, kNow - absl::Hours(1))));
}

TEST_F(TokenTest, ClockSkewIsConfigurable) {
  auth::TokenOptions strict;
  strict.clock_skew = absl::ZeroDuration();
  const absl::StatusOr<auth::TokenVerifier> verifier =
      auth::TokenVerifier::Create(keys_.public_key_pem, strict);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier->Verify(token, kNow + absl::Hours(1)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier->Verify(token, kNow + absl::Hours(1) + absl::Seconds(1))));
  EXPECT_TRUE(IsUnauthenticated(verifier->Verify(token, kNow - absl::Seconds(1))));
}

TEST_F(TokenTest, RejectsWrongIssuer) {
  auth::TokenOptions options;
  options.issuer = "someone-else";
  const absl::StatusOr<auth::TokenSigner> signer =
      auth::TokenSigner::Create(keys_.private_key_pem, options);
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::StatusOr<std::string> token = signer->Issue(School(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(*token, kNow)));
}

TEST_F(TokenTest, RejectsWrongAudience) {
  auth::TokenOptions options;
  options.audience = "another-system";
  const absl::StatusOr<auth::TokenSigner> signer =
      auth::TokenSigner::Create(keys_.private_key_pem, options);
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::StatusOr<std::string> token = signer->Issue(School(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(*token, kNow)));
}

TEST_F(TokenTest, RejectsSignatureOfAnotherKey) {
  const absl::StatusOr<auth::KeyPair> other = auth::GenerateKeyPair();
  ASSERT_TRUE(other.ok()) << other.status();
  const absl::StatusOr<auth::TokenSigner> signer =
      auth::TokenSigner::Create(other->private_key_pem);
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::StatusOr<std::string> token = signer->Issue(School(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(*token, kNow)));
}

TEST_F(TokenTest, RejectsTamperedPayload) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  ASSERT_THAT(payload, HasSubstr("\"SCHOOL\""));
  // Promote the caller to CITY, keeping the original signature.
  parts[1] = absl::WebSafeBase64Escape(absl::StrReplaceAll(payload, {{"\"SCHOOL\"", "\"CITY\""}}));
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
}

TEST_F(TokenTest, RejectsTamperedSignature) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string signature;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[2], &signature));
  signature[0] = static_cast<char>(signature[0] ^ 0x01);
  parts[2] = absl::WebSafeBase64Escape(signature);
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
}

TEST_F(TokenTest, RejectsOtherAlgorithmHeader) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  parts[0] = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
  parts[2] = "";
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
}

TEST_F(TokenTest, RejectsMalformedStrings) {
  for (const absl::string_view token :
       {"", "a", "a.b", "a.b.c", "..", "...", "a.b.c.d", "!!.??.**", "Bearer x.y.z"}) {
    SCOPED_TRACE(token);
    const absl::StatusOr<auth::Principal> principal = verifier_->Verify(token, kNow);
    EXPECT_TRUE(IsUnauthenticated(principal));
    EXPECT_THAT(std::string(principal.status().message()), StartsWith("invalid token: "));
  }
}

TEST_F(TokenTest, RejectsClaimsWithoutExpiryInstitutionOrRole) {
  auth::v1::Claims no_expiry = ValidClaims();
  no_expiry.clear_exp();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(no_expiry), kNow)));

  auth::v1::Claims no_subject = ValidClaims();
  no_subject.clear_sub();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(no_subject), kNow)));

  auth::v1::Claims no_role = ValidClaims();
  no_role.clear_role();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(no_role), kNow)));

  // The same claims, complete, pass: the failures above are the missing fields.
  EXPECT_TRUE(verifier_->Verify(Sign(ValidClaims()), kNow).ok());
}

TEST_F(TokenTest, ClaimsWithoutNotBeforeAreValidFromIssueUntilExpiry) {
  auth::v1::Claims claims = ValidClaims();
  claims.clear_nbf();
  EXPECT_TRUE(verifier_->Verify(Sign(claims), kNow - absl::Seconds(60)).ok());
  EXPECT_TRUE(verifier_->Verify(Sign(claims), kNow + absl::Hours(1)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(claims), kNow - absl::Hours(5))))
      << "issued in the future";
}

// An ECDSA P-256 key pair in PEM, neither of which is Ed25519.
auth::KeyPair EcKeyPair() {
  auth::KeyPair pair;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
  if (key == nullptr) {
    return pair;
  }
  for (const bool private_key : {true, false}) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    const int ok = private_key ? PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0,
                                                          nullptr, nullptr)
                               : PEM_write_bio_PUBKEY(bio.get(), key.get());
    if (ok != 1) {
      continue;
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    (private_key ? pair.private_key_pem : pair.public_key_pem) =
        std::string(data, static_cast<size_t>(size));
  }
  return pair;
}

TEST_F(TokenTest, KeysMustBeEd25519PemOfTheRightKind) {
  EXPECT_EQ(auth::TokenSigner::Create(keys_.public_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenVerifier::Create(keys_.private_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenSigner::Create("not a key").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenVerifier::Create("").status().code(), absl::StatusCode::kInvalidArgument);

  const auth::KeyPair ec = EcKeyPair();
  ASSERT_FALSE(ec.private_key_pem.empty());
  ASSERT_FALSE(ec.public_key_pem.empty());
  EXPECT_EQ(auth::TokenSigner::Create(ec.private_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenVerifier::Create(ec.public_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PrincipalTest, InstitutionNameAndRoleName) {
  const auth::Principal academy{"OSAN-AICODING", auth::v1::ACADEMY};
  EXPECT_EQ(academy.institution_name(), "institutions/OSAN-AICODING");
  EXPECT_EQ(auth::RoleName(auth::v1::SCHOOL), "SCHOOL");
  EXPECT_EQ(auth::RoleName(auth::v1::EDU_OFFICE), "EDU_OFFICE");
}

// ============================================================================
// field_mask.h
// ============================================================================

std::set<std::string> Updatable() {
  return {"capacity", "location", "eligible_grades", "weekly_meetings"};
}

catalog::v1::Section TargetSection() {
  catalog::v1::Section section;
  section.set_name("terms/2026-1/sections/9b2c1d4e-7f30-4a61-8e5b-2d9c0a7f1e43");
  section.set_capacity(20);
  section.set_location("에듀랩 2층");
  section.add_eligible_grades(1);
  section.add_eligible_grades(2);
  section.set_state(catalog::v1::DRAFT);
  return section;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) {
    mask.add_paths(path);
  }
  return mask;
}

TEST(ApplyFieldMaskTest, CopiesOnlyMaskedFields) {
  catalog::v1::Section patch;
  patch.set_capacity(30);
  patch.set_location("오산시청");
  patch.set_state(catalog::v1::CANCELLED);
  catalog::v1::Section target = TargetSection();
  ASSERT_TRUE(ApplyFieldMask(patch, Mask({"capacity"}), Updatable(), &target).ok());
  EXPECT_EQ(target.capacity(), 30);
  EXPECT_EQ(target.location(), "에듀랩 2층");
  EXPECT_EQ(target.state(), catalog::v1::DRAFT);
  EXPECT_EQ(target.name(), TargetSection().name());
}

TEST(ApplyFieldMaskTest, MaskedEmptyValueClearsField) {
  catalog::v1::Section patch;  // location empty
  catalog::v1::Section target = TargetSection();
  ASSERT_TRUE(ApplyFieldMask(patch, Mask({"location"}), Updatable(), &target).ok());
  EXPECT_EQ(target.location(), "");
}

TEST(ApplyFieldMaskTest, RejectsEmptyMask) {
  catalog::v1::Section patch;
  patch.set_capacity(30);
  catalog::v1::Section target = TargetSection();
  EXPECT_TRUE(IsInvalidField(ApplyFieldMask(patch, Mask({}), Updatable(), &target), "update_mask"));
  EXPECT_EQ(target.SerializeAsString(), TargetSection().SerializeAsString());
}

TEST(ApplyFieldMaskTest, RejectsPathNotUpdatableAndLeavesTargetUnchanged) {
  catalog::v1::Section patch;
  patch.set_capacity(30);
  patch.set_state(catalog::v1::CANCELLED);
  for (const auto& mask : {Mask({"state"}), Mask({"capacity", "state"}), Mask({"no_such_field"}),
                           Mask({"capacity", "weekly_meetings.weekday"})}) {
    SCOPED_TRACE(mask.ShortDebugString());
    catalog::v1::Section target = TargetSection();
    const absl::Status status = ApplyFieldMask(patch, mask, Updatable(), &target);
    EXPECT_TRUE(IsInvalidField(status, "update_mask"));
    EXPECT_THAT(status.message(), HasSubstr(mask.paths(mask.paths_size() - 1)));
    EXPECT_EQ(target.SerializeAsString(), TargetSection().SerializeAsString());
  }
}

TEST(ApplyFieldMaskTest, ReplacesRepeatedFieldsInsteadOfAppending) {
  catalog::v1::Section patch;
  patch.add_eligible_grades(3);
  catalog::v1::Section target = TargetSection();
  ASSERT_TRUE(ApplyFieldMask(patch, Mask({"eligible_grades"}), Updatable(), &target).ok());
  EXPECT_THAT(target.eligible_grades(), ElementsAre(3));

  catalog::v1::Section with_meetings = TargetSection();
  with_meetings.add_weekly_meetings()->set_weekday(catalog::v1::MONDAY);
  with_meetings.add_weekly_meetings()->set_weekday(catalog::v1::WEDNESDAY);
  catalog::v1::Section meetings_patch;
  meetings_patch.add_weekly_meetings()->set_weekday(catalog::v1::FRIDAY);
  ASSERT_TRUE(
      ApplyFieldMask(meetings_patch, Mask({"weekly_meetings"}), Updatable(), &with_meetings).ok());
  ASSERT_EQ(with_meetings.weekly_meetings_size(), 1);
  EXPECT_EQ(with_meetings.weekly_meetings(0).weekday(), catalog::v1::FRIDAY);
}

TEST(ApplyFieldMaskTest, ReplacesMessageFieldsInsteadOfMerging) {
  catalog::v1::Term target;
  target.mutable_application_window()->set_start_unix(100);
  target.mutable_application_window()->set_end_unix(200);
  catalog::v1::Term patch;
  patch.mutable_application_window()->set_start_unix(150);
  ASSERT_TRUE(
      ApplyFieldMask(patch, Mask({"application_window"}), {"application_window"}, &target).ok());
  EXPECT_EQ(target.application_window().start_unix(), 150);
  EXPECT_EQ(target.application_window().end_unix(), 0);
}

// ============================================================================
// status.h
// ============================================================================

TEST(InvalidFieldTest, NamesTheField) {
  const absl::Status status = InvalidField("capacity", "must be between 1 and 500");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "capacity: must be between 1 and 500");
}

absl::Status FailIfNegative(int value) {
  if (value < 0) {
    return absl::OutOfRangeError("negative");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Half(int value) {
  if (value % 2 != 0) {
    return absl::InvalidArgumentError("odd");
  }
  return value / 2;
}

absl::StatusOr<int> HalfOfNonNegative(int value, int* steps) {
  OSAN_RETURN_IF_ERROR(FailIfNegative(value));
  ++*steps;
  OSAN_ASSIGN_OR_RETURN(const int half, Half(value));
  ++*steps;
  return half;
}

TEST(StatusMacrosTest, ReturnEarlyOnError) {
  int steps = 0;
  EXPECT_EQ(HalfOfNonNegative(-2, &steps).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(steps, 0);

  steps = 0;
  EXPECT_EQ(HalfOfNonNegative(3, &steps).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(steps, 1);

  steps = 0;
  const absl::StatusOr<int> half = HalfOfNonNegative(8, &steps);
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_EQ(*half, 4);
  EXPECT_EQ(steps, 2);
}

TEST(RateLimiterTest, AllowsTheBurstThenTheRateAndRefusesWithAWait) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  const absl::Time start = absl::FromUnixSeconds(1800000000);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("a", start), absl::ZeroDuration()) << i;
  }
  EXPECT_EQ(limiter.Acquire("a", start), absl::Milliseconds(500));
  EXPECT_EQ(limiter.Acquire("b", start), absl::ZeroDuration()) << "keys are independent";
  EXPECT_EQ(limiter.Acquire("a", start + absl::Milliseconds(500)), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire("a", start + absl::Milliseconds(500)), absl::ZeroDuration());
  // Refilling stops at the burst.
  const absl::Time later = start + absl::Hours(1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("a", later), absl::ZeroDuration()) << i;
  }
  EXPECT_GT(limiter.Acquire("a", later), absl::ZeroDuration());
}

TEST(RateLimiterTest, IdleBucketsAreEvictedSoTheTableStaysBounded) {
  // Refills from empty in burst / rate = 2 s.
  RateLimiter limiter(/*per_second=*/2, /*burst=*/4);
  absl::Time now = absl::FromUnixSeconds(1800000000);
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(limiter.Acquire(absl::StrCat("peer-", round, "-", i), now), absl::ZeroDuration());
    }
    // Only this round's keys and, at most, the previous round's.
    EXPECT_LE(limiter.size(), 2000u) << round;
    now += absl::Seconds(2);
  }
  now += absl::Seconds(2);
  limiter.Acquire("last", now);
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiterTest, EvictionForgetsNoBucketStillRefilling) {
  // Refills from empty in burst / rate = 2 s.
  RateLimiter limiter(/*per_second=*/1, /*burst=*/2);
  const absl::Time start = absl::FromUnixSeconds(1800000000);
  ASSERT_EQ(limiter.Acquire("busy", start), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire("busy", start), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire("idle", start), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire("busy", start + absl::Seconds(1)), absl::ZeroDuration());
  // The sweep due at 2 s drops "idle" (full again) but keeps "busy" (1 of 2).
  const absl::Time later = start + absl::Seconds(2);
  ASSERT_EQ(limiter.Acquire("other", later), absl::ZeroDuration());
  EXPECT_EQ(limiter.size(), 2u) << "busy and other";
  EXPECT_EQ(limiter.Acquire("busy", later), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire("busy", later), absl::ZeroDuration()) << "its spent calls still count";
}

TEST(RateLimiterTest, ZeroRateDisablesLimiting) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(limiter.Acquire("a", absl::UnixEpoch()), absl::ZeroDuration());
  }
}

}  // namespace
TEST(ReadFileTest, ReadsAtMostTheBytesAsked) {
  const auto head = server::ReadFile("/dev/zero", 100000);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->size(), 100000u);
  const auto whole = server::ReadFile("/proc/self/cmdline");
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_FALSE(whole->empty());
  EXPECT_EQ(server::ReadFile("/nonexistent/file").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace osan
