// Unit tests of common/validation.h.
#include "common/validation.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_assertions.h"

namespace osan {
namespace {

using ::osan::testing::IsInvalidField;
using ::testing::HasSubstr;

std::string Repeat(absl::string_view piece, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    absl::StrAppend(&text, piece);
  }
  return text;
}

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

}  // namespace
}  // namespace osan
