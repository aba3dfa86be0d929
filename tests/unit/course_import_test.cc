// Unit tests of the CSV course import (tools/osanctl/course_import.h): the
// header, every value, every refusal with its line and column, and request ids.
#include "tools/osanctl/course_import.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/domain/rules.h"

namespace osan::cli {
namespace {

namespace v1 = catalog::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHost[] = "institutions/OSAN-AICODING";

TEST(CourseImportTest, ConvertsKoreanHeadersAndLabels) {
  const auto rows = ParseCourseImport(
      "\xEF\xBB\xBF과목명,구분,교과,학점,수업 방식,과목 소개\r\n"
      "인공지능 기초,진로선택,과학,3,대면,\"파이썬, 머신러닝\"\r\n"
      "  드로잉  ,교양,예술,,실시간 온라인,\r\n"
      "경제 수학,일반선택,수학,4,혼합,\r\n"
      "텃밭,융합선택,생활·교양,2,대면,\r\n",
      kHost);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 4u);
  const v1::Course& ai = (*rows)[0].request.course();
  EXPECT_EQ((*rows)[0].line, 2);
  EXPECT_EQ(ai.host(), kHost);
  EXPECT_EQ(ai.title(), "인공지능 기초");
  EXPECT_EQ(ai.category(), v1::CAREER_ELECTIVE);
  EXPECT_EQ(ai.subject_area(), v1::SCIENCE);
  EXPECT_EQ(ai.credits(), 3);
  EXPECT_EQ(ai.delivery_mode(), v1::IN_PERSON);
  EXPECT_EQ(ai.description(), "파이썬, 머신러닝");
  const v1::Course& drawing = (*rows)[1].request.course();
  EXPECT_EQ(drawing.title(), "드로잉");  // trimmed
  EXPECT_EQ(drawing.category(), v1::LIBERAL_ARTS);
  EXPECT_EQ(drawing.subject_area(), v1::ARTS);
  EXPECT_EQ(drawing.credits(), 0);  // the catalog's default
  EXPECT_EQ(drawing.delivery_mode(), v1::ONLINE_REALTIME);
  EXPECT_EQ((*rows)[2].request.course().category(), v1::GENERAL_ELECTIVE);
  EXPECT_EQ((*rows)[2].request.course().delivery_mode(), v1::BLENDED);
  EXPECT_EQ((*rows)[3].request.course().category(), v1::CONVERGENCE_ELECTIVE);
  EXPECT_EQ((*rows)[3].request.course().subject_area(), v1::LIFE_AND_LIBERAL);
  EXPECT_EQ((*rows)[3].line, 5);
}

TEST(CourseImportTest, AcceptsEnglishAliasesProtoNamesAnyOrderAndCp949) {
  auto rows = ParseCourseImport(
      "Delivery Mode,subject_area,TITLE,category\n"
      "online_realtime,MATHEMATICS,Calculus,career elective\n",
      kHost);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].request.course().title(), "Calculus");
  EXPECT_EQ((*rows)[0].request.course().category(), v1::CAREER_ELECTIVE);
  EXPECT_EQ((*rows)[0].request.course().subject_area(), v1::MATHEMATICS);
  EXPECT_EQ((*rows)[0].request.course().delivery_mode(), v1::ONLINE_REALTIME);
  // "과목명,구분,교과,수업 방식\r\n물리학 실험,진로선택,과학,대면\r\n" in CP949.
  rows = ParseCourseImport(
      "\xB0\xFA\xB8\xF1\xB8\xED,\xB1\xB8\xBA\xD0,\xB1\xB3\xB0\xFA,"
      "\xBC\xF6\xBE\xF7\x20\xB9\xE6\xBD\xC4\r\n"
      "\xB9\xB0\xB8\xAE\xC7\xD0\x20\xBD\xC7\xC7\xE8,\xC1\xF8\xB7\xCE\xBC\xB1\xC5\xC3,"
      "\xB0\xFA\xC7\xD0,\xB4\xEB\xB8\xE9\r\n",
      kHost);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].request.course().title(), "물리학 실험");
  EXPECT_EQ((*rows)[0].request.course().category(), v1::CAREER_ELECTIVE);
  EXPECT_EQ((*rows)[0].request.course().subject_area(), v1::SCIENCE);
  EXPECT_EQ((*rows)[0].request.course().delivery_mode(), v1::IN_PERSON);
}

TEST(CourseImportTest, ReportsEveryBadRowWithLineAndColumn) {
  const auto rows = ParseCourseImport(
      "과목명,구분,교과,학점,수업 방식\r\n"
      "좋은 과목,진로선택,과학,3,대면\r\n"
      "나쁜 구분,진로,과학,3,대면\r\n"
      "\r\n"
      ",공통,국어,4,대면\r\n"
      "학점 오류,공통,국어,3.5,대면\r\n"
      "학점 범위,공통,국어,9,대면\r\n"
      "교과 오류,공통,철학,4,원격\r\n",
      kHost);
  ASSERT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(rows.status().message());
  EXPECT_THAT(message, HasSubstr("6 problem(s)"));
  EXPECT_THAT(message, HasSubstr("nothing is created"));
  EXPECT_THAT(message, HasSubstr("line 3, column '구분': unknown category '진로'"));
  EXPECT_THAT(message, HasSubstr("line 5, column '과목명': is required"));
  EXPECT_THAT(message, HasSubstr("line 6, column '학점': '3.5' is not a whole number"));
  EXPECT_THAT(message, HasSubstr("line 7, column '학점': must be between 1 and 8"));
  EXPECT_THAT(message, HasSubstr("line 8, column '교과': unknown subject area '철학'"));
  EXPECT_THAT(message, HasSubstr("line 8, column '수업 방식': unknown mode '원격'"));
  EXPECT_THAT(message, Not(HasSubstr("line 2")));
}

TEST(CourseImportTest, UsesTheCatalogsOwnChecks) {
  const std::string long_title(101, 'x');
  const auto rows = ParseCourseImport(
      "title,category,area,mode\n" + long_title + ",COMMON,KOREAN,IN_PERSON\n", kHost);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rows.status().message(),
              HasSubstr("line 2, column 'title': must be at most 100 characters"));
}

TEST(CourseImportTest, RefusesABadHeader) {
  auto rows = ParseCourseImport("과목명,구분,장소,과목\n", kHost);
  ASSERT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rows.status().message(), HasSubstr("line 1, column '장소': unknown column"));
  EXPECT_THAT(rows.status().message(),
              HasSubstr("line 1, column '과목': names the same column as '과목명'"));
  EXPECT_THAT(rows.status().message(), HasSubstr("required column '교과' (subject_area)"));
  EXPECT_THAT(rows.status().message(), HasSubstr("required column '수업 방식' (delivery_mode)"));
}

TEST(CourseImportTest, RefusesValuesUnderAColumnWithoutAName) {
  const auto rows =
      ParseCourseImport("과목명,구분,교과,수업 방식,\n물리,공통,과학,대면,메모\n", kHost);
  ASSERT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rows.status().message(), HasSubstr("line 2: a value in column 5"));
}

TEST(CourseImportTest, RefusesEmptyFilesBadCsvAndABadHost) {
  EXPECT_THAT(ParseCourseImport("", kHost).status().message(), HasSubstr("empty"));
  EXPECT_THAT(ParseCourseImport("과목명,구분,교과,수업 방식\r\n\r\n", kHost).status().message(),
              HasSubstr("no courses"));
  const auto unbalanced =
      ParseCourseImport("과목명,구분,교과,수업 방식\r\n\"물리,공통,과학,대면\r\n", kHost);
  EXPECT_EQ(unbalanced.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unbalanced.status().message(), HasSubstr("line 2"));
  const auto host = ParseCourseImport("과목명,구분,교과,수업 방식\n물리,공통,과학,대면\n", "OSAN");
  EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(host.status().message(), HasSubstr("--host"));
}

TEST(CourseImportTest, RequestIdsDependOnTheRowNotItsPosition) {
  const std::string header = "과목명,구분,교과,수업 방식\n";
  const auto first =
      ParseCourseImport(header + "물리,공통,과학,대면\n화학,공통,과학,대면\n", kHost);
  const auto second = ParseCourseImport(
      header + "생물,공통,과학,대면\n화학,공통,과학,대면\n물리,공통,과학,대면\n", kHost);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*first)[0].request.request_id(), (*second)[2].request.request_id());
  EXPECT_EQ((*first)[1].request.request_id(), (*second)[1].request.request_id());
  EXPECT_NE((*first)[0].request.request_id(), (*first)[1].request.request_id());
  EXPECT_NE((*second)[0].request.request_id(), (*second)[1].request.request_id());
  // The catalog's request id rules: 1..64 characters of [A-Za-z0-9._:-].
  for (const CourseRow& row : *second) {
    const std::string& id = row.request.request_id();
    EXPECT_TRUE(absl::StartsWith(id, "csv-")) << id;
    EXPECT_EQ(id.size(), 44u);
    EXPECT_EQ(id.find_first_not_of("csv-0123456789abcdef"), std::string::npos) << id;
  }
}

TEST(CourseImportTest, IdenticalRowsGetDistinctIdsAndOtherHostsOthers) {
  const std::string file = "과목명,구분,교과,수업 방식\n물리,공통,과학,대면\n물리,공통,과학,대면\n";
  const auto rows = ParseCourseImport(file, kHost);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_NE((*rows)[0].request.request_id(), (*rows)[1].request.request_id());
  const auto again = ParseCourseImport(file, kHost);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*rows)[1].request.request_id(), (*again)[1].request.request_id());
  const auto elsewhere = ParseCourseImport(file, "institutions/J10-7531001");
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_NE((*rows)[0].request.request_id(), (*elsewhere)[0].request.request_id());
}

TEST(CourseImportTest, ABlankAndAnExplicitDefaultGiveTheSameRequestId) {
  const std::string header = "과목명,구분,교과,학점,수업 방식\n";
  const auto blank = ParseCourseImport(header + "물리,공통,과학,,대면\n", kHost);
  ASSERT_TRUE(blank.ok()) << blank.status();
  const int default_credits = catalog::DefaultCredits((*blank)[0].request.course());
  ASSERT_GT(default_credits, 0);
  const auto explicit_default =
      ParseCourseImport(absl::StrCat(header, "물리,공통,과학,", default_credits, ",대면\n"), kHost);
  ASSERT_TRUE(explicit_default.ok()) << explicit_default.status();
  EXPECT_EQ((*blank)[0].request.request_id(), (*explicit_default)[0].request.request_id());
  const auto other = ParseCourseImport(
      absl::StrCat(header, "물리,공통,과학,", default_credits + 1, ",대면\n"), kHost);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE((*blank)[0].request.request_id(), (*other)[0].request.request_id());
}

TEST(CourseImportTest, ListsAtMostAHundredProblems) {
  std::string file = "과목명,구분,교과,수업 방식\n";
  for (int i = 0; i < 150; ++i) {
    file += "물리,없음,과학,대면\n";
  }
  const auto rows = ParseCourseImport(file, kHost);
  ASSERT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rows.status().message(), HasSubstr("150 problem(s)"));
  EXPECT_THAT(rows.status().message(), HasSubstr("line 101,"));
  EXPECT_THAT(rows.status().message(), Not(HasSubstr("line 102,")));
  EXPECT_THAT(rows.status().message(), HasSubstr("... and 50 more"));
}

}  // namespace
}  // namespace osan::cli
