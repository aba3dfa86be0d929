// Unit tests of the results CSV (osan::credit::ResultsCsv): the columns the
// record defines (sessions counted, the distribution in percent, the
// deciding rule and its source, the support recorded); text cells are
// neutralised against formula injection, the service's numbers are not.
#include <map>
#include <string>
#include <vector>

#include "common/csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/results_sheet.h"

namespace osan::credit {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

TEST(ResultsCsvTest, NeutralisesTextButNotTheServicesNumbers) {
  v1::LedgerEntry entry;
  entry.set_name("ledger/entries/e-1");
  entry.set_version(2);
  v1::ResultPackage& p = *entry.mutable_package();
  p.set_student("schools/J10-7531001/students/s-104");
  p.set_title("=HYPERLINK(\"http://evil.example\",\"click\")");
  p.set_notes("-2+3 looks like a sum, \"quoted\"");
  p.set_remarks("@SUM(A1:A9)");
  p.set_credits(4);
  p.set_course_mean(-1.5);
  const std::string csv = ResultsCsv({entry});
  const auto records = ParseCsv(csv);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  const std::vector<std::string>& row = (*records)[1].fields;
  ASSERT_EQ(row.size(), 28u);
  EXPECT_EQ(row[0], "schools/J10-7531001/students/s-104");
  EXPECT_EQ(row[2], "'=HYPERLINK(\"http://evil.example\",\"click\")");
  EXPECT_EQ(row[4], "4");
  EXPECT_EQ(row[7], "-1.5");  // a number the service computed stays a number
  EXPECT_EQ(row[12], "'-2+3 looks like a sum, \"quoted\"");
  EXPECT_EQ(row[18], "'@SUM(A1:A9)");
  EXPECT_THAT(std::vector<std::string>(row.end() - 2, row.end()),
              ElementsAre("ledger/entries/e-1", "2"));
  // The raw text: the formula is quoted and prefixed, the number bare.
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","),
            std::string::npos);
  EXPECT_NE(csv.find(",-1.5,"), std::string::npos);
}

TEST(ResultsCsvTest, ColumnsAsTheRecordDefinesThem) {
  v1::LedgerEntry entry;
  entry.set_name("ledger/e-2");
  entry.set_version(3);
  v1::ResultPackage& p = *entry.mutable_package();
  p.set_student("schools/J10-7531002/students/s-7");
  p.set_title("인공지능 기초");
  p.set_achievement_level("B");
  (*p.mutable_level_distribution_percent())["A"] = 33.3;
  (*p.mutable_level_distribution_percent())["B"] = 66.7;
  (*p.mutable_level_distribution_percent())["C"] = 0;
  p.mutable_attendance()->set_sessions_held(64);
  p.mutable_attendance()->set_sessions_planned(64);
  p.mutable_attendance()->set_attended(40);
  p.mutable_attendance()->set_absent(24);
  p.set_remarks("학교 밖 교육, 출석률 미달로 인한 추가학습 실시");
  v1::CompletionRule& rule = *p.mutable_rule();
  rule.set_curriculum("2022");
  rule.set_first_school_year(2026);
  rule.set_subject_kind(v1::ELECTIVE_SUBJECT);
  rule.set_requires_attendance(true);
  rule.set_attendance_numerator(2);
  rule.set_attendance_denominator(3);
  rule.set_minimum_achievement_rate(40);
  rule.set_source("2026-01-28 국가교육위원회 결정");
  v1::SupportRecord& preventive = *p.add_support();
  preventive.set_kind(v1::PREVENTIVE_INSTRUCTION);
  preventive.set_label("예방지도");
  v1::SupportRecord& study = *p.add_support();
  study.set_kind(v1::ADDITIONAL_STUDY);
  study.set_label("추가학습");
  study.set_satisfied(true);

  const auto records = ParseCsv(ResultsCsv({entry}));
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  const std::vector<std::string>& header = (*records)[0].fields;
  const std::vector<std::string>& row = (*records)[1].fields;
  ASSERT_EQ(header.size(), row.size());
  // Sessions are counted, not days.
  EXPECT_THAT(header, Contains("수업 횟수"));
  EXPECT_THAT(header, Contains("출석 횟수"));
  EXPECT_THAT(header, Not(Contains("수업일수")));
  EXPECT_THAT(header, Not(Contains("출석일수")));
  std::map<std::string, std::string> cells;
  for (size_t i = 0; i < header.size(); ++i) {
    cells[header[i]] = row[i];
  }
  EXPECT_EQ(cells["성취도별 분포비율"], "A:33.3% B:66.7% C:0.0%");
  EXPECT_EQ(cells["수업 횟수"], "64");
  EXPECT_EQ(cells["출석 횟수"], "40");
  EXPECT_EQ(cells["결석"], "24");
  EXPECT_EQ(cells["비고"], "학교 밖 교육, 출석률 미달로 인한 추가학습 실시");
  EXPECT_EQ(cells["최소 성취수준 보장지도"], "예방지도, 추가학습 이수");
  EXPECT_EQ(cells["교육과정"], "2022 개정");
  EXPECT_EQ(cells["이수 기준"], "출석 2/3 이상");
  EXPECT_EQ(cells["이수 기준 근거"], "2026-01-28 국가교육위원회 결정");
  EXPECT_EQ(cells["결과"], "ledger/e-2");
  EXPECT_EQ(cells["버전"], "3");
}

}  // namespace
}  // namespace osan::credit
