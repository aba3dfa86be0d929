// Unit tests of common/paging.h.
#include "common/paging.h"

#include <climits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "tests/support/status_assertions.h"

namespace osan {
namespace {

using ::osan::testing::IsInvalidField;
using ::testing::HasSubstr;
using ::testing::Not;

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

}  // namespace
}  // namespace osan
