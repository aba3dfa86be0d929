// Unit tests of programme reports (services/credit/domain/report.h): what
// counts toward sections opened and cancelled, applicants, enrolled,
// completed and credits earned, by home school and by host; the sheets
// they render to; and the CSV form of sheets (common/spreadsheet.h). The
// workbook form is read back in credit_api_test (it writes a file).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/csv.h"
#include "common/spreadsheet.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/credit/domain/report.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
using ::testing::ElementsAre;

constexpr char kSchoolA[] = "institutions/J10-7531001";
constexpr char kSchoolB[] = "institutions/J10-7531002";
constexpr char kAcademy[] = "institutions/OSAN-AICODING";

cv1::Section SectionOf(const std::string& id, const std::string& host, cv1::SectionState state) {
  cv1::Section section;
  section.set_name(absl::StrCat("terms/2027-1/sections/", id));
  section.set_host(host);
  section.set_state(state);
  return section;
}

ev1::ApplicationCount Applications(const std::string& section, const std::string& school,
                                   ev1::ApplicationState state, int count) {
  ev1::ApplicationCount applications;
  applications.set_section(absl::StrCat("terms/2027-1/sections/", section));
  applications.set_home_school(school);
  applications.set_state(state);
  applications.set_count(count);
  return applications;
}

ResultFact Result(const std::string& section, const std::string& school, v1::Outcome outcome,
                  int credits) {
  return {absl::StrCat("terms/2027-1/sections/", section), school, outcome, credits};
}

ReportFacts Facts() {
  ReportFacts facts;
  facts.programme.set_name("programmes/2027-osan-credit");
  facts.programme.set_display_name("오산형 학점제");
  facts.term = "terms/2027-1";
  facts.sections = {
      SectionOf("s1", kSchoolA, cv1::IN_PROGRESS), SectionOf("s2", kAcademy, cv1::ENROLLMENT_OPEN),
      SectionOf("s3", kSchoolA, cv1::CANCELLED), SectionOf("s4", kAcademy, cv1::DRAFT)};
  facts.applications = {Applications("s1", kSchoolA, ev1::ENROLLED, 3),
                        Applications("s1", kSchoolB, ev1::ENROLLED, 2),
                        Applications("s1", kSchoolB, ev1::WAITLISTED, 1),
                        Applications("s2", kSchoolB, ev1::SUBMITTED, 4),
                        Applications("s3", kSchoolA, ev1::SECTION_CANCELLED, 2),
                        // Another programme's section: not counted.
                        Applications("other", kSchoolA, ev1::ENROLLED, 9)};
  facts.results = {
      Result("s1", kSchoolA, v1::COMPLETED, 4), Result("s1", kSchoolA, v1::COMPLETED, 4),
      Result("s1", kSchoolA, v1::REMEDIATION_REQUIRED, 0), Result("s1", kSchoolB, v1::COMPLETED, 4),
      Result("s1", kSchoolB, v1::NOT_COMPLETED, 0)};
  facts.institution_names = {{kSchoolA, "매홀고등학교"}, {kAcademy, "AI코딩에듀랩"}};
  return facts;
}

std::vector<int> Counts(const v1::ReportCounts& c) {
  return {c.sections_opened(), c.sections_cancelled(), c.applicants(),
          c.enrolled(),        c.completed(),          c.credits_earned()};
}

TEST(CountsAsOpenedTest, EveryStateOfferedToStudents) {
  for (const auto state : {cv1::PUBLISHED, cv1::ENROLLMENT_OPEN, cv1::ENROLLMENT_CLOSED,
                           cv1::IN_PROGRESS, cv1::COMPLETED}) {
    EXPECT_TRUE(CountsAsOpened(state)) << cv1::SectionState_Name(state);
  }
  EXPECT_FALSE(CountsAsOpened(cv1::DRAFT));
  EXPECT_FALSE(CountsAsOpened(cv1::CANCELLED));
}

TEST(BuildProgrammeReportTest, CountsInTotalBySchoolAndByHost) {
  const v1::ProgrammeReport report = BuildProgrammeReport(Facts());
  EXPECT_EQ(report.programme(), "programmes/2027-osan-credit");
  EXPECT_EQ(report.programme_display_name(), "오산형 학점제");
  EXPECT_EQ(report.term(), "terms/2027-1");
  // Opened: s1, s2 (not the draft); cancelled: s3. Applicants in any
  // state (3+2+1+4+2), enrolled 3+2; completed 3, 12 credits.
  EXPECT_THAT(Counts(report.total()), ElementsAre(2, 1, 12, 5, 3, 12));

  ASSERT_EQ(report.by_school_size(), 2);
  EXPECT_EQ(report.by_school(0).institution(), kSchoolA);
  EXPECT_EQ(report.by_school(0).display_name(), "매홀고등학교");
  EXPECT_THAT(Counts(report.by_school(0).counts()), ElementsAre(0, 0, 5, 3, 2, 8));
  EXPECT_EQ(report.by_school(1).institution(), kSchoolB);
  EXPECT_EQ(report.by_school(1).display_name(), kSchoolB);  // no name known: the name
  EXPECT_THAT(Counts(report.by_school(1).counts()), ElementsAre(0, 0, 7, 2, 1, 4));

  ASSERT_EQ(report.by_host_size(), 2);
  EXPECT_EQ(report.by_host(0).institution(), kSchoolA);
  EXPECT_THAT(Counts(report.by_host(0).counts()), ElementsAre(1, 1, 8, 5, 3, 12));
  EXPECT_EQ(report.by_host(1).institution(), kAcademy);
  EXPECT_THAT(Counts(report.by_host(1).counts()), ElementsAre(1, 0, 4, 0, 0, 0));
}

TEST(BuildProgrammeReportTest, AProgrammeWithoutSectionsReportsZeros) {
  ReportFacts facts = Facts();
  facts.sections.clear();
  const v1::ProgrammeReport report = BuildProgrammeReport(facts);
  EXPECT_TRUE(report.has_total());
  EXPECT_THAT(Counts(report.total()), ElementsAre(0, 0, 0, 0, 0, 0));
  EXPECT_EQ(report.by_school_size(), 0);
  EXPECT_EQ(report.by_host_size(), 0);
}

TEST(ReportSheetsTest, ThreeSheetsWithKoreanHeadersAndNumbers) {
  const auto sheets = ReportSheets(BuildProgrammeReport(Facts()));
  ASSERT_EQ(sheets.size(), 3u);
  EXPECT_EQ(sheets[0].name, "요약");
  EXPECT_THAT(sheets[0].headers, ElementsAre("사업", "사업명", "학기", "개설 강좌", "폐강 강좌",
                                             "신청 인원", "수강 인원", "이수 인원", "취득 학점"));
  ASSERT_EQ(sheets[0].rows.size(), 1u);
  EXPECT_EQ(sheets[0].rows[0][0].text, "programmes/2027-osan-credit");
  EXPECT_EQ(sheets[0].rows[0][3].kind, spreadsheet::Cell::Kind::kInteger);
  EXPECT_EQ(sheets[0].rows[0][5].number, 12);
  EXPECT_EQ(sheets[1].name, "학교별");
  EXPECT_THAT(sheets[1].headers, ElementsAre("학교 코드", "학교명", "신청 인원", "수강 인원",
                                             "이수 인원", "취득 학점"));
  EXPECT_EQ(sheets[1].rows[0][0].text, "J10-7531001");
  EXPECT_EQ(sheets[2].name, "기관별");
  EXPECT_THAT(sheets[2].headers, ElementsAre("기관 코드", "기관명", "개설 강좌", "폐강 강좌",
                                             "신청 인원", "수강 인원", "이수 인원", "취득 학점"));
  EXPECT_EQ(sheets[2].rows[1][1].text, "AI코딩에듀랩");
}

TEST(WorkbookCsvTest, OneSheetIsItsTableAfterAByteOrderMark) {
  spreadsheet::Sheet sheet{"표", {"이름", "값"}, {}};
  sheet.rows.push_back({spreadsheet::Cell::Text("=1+2"), spreadsheet::Cell::Integer(-3)});
  sheet.rows.push_back({spreadsheet::Cell::Text("a,b"), spreadsheet::Cell::Decimal(72.5)});
  EXPECT_EQ(spreadsheet::WorkbookCsv({sheet}),
            "\xEF\xBB\xBF이름,값\r\n'=1+2,-3\r\n\"a,b\",72.5\r\n");
}

TEST(WorkbookCsvTest, SeveralSheetsAreNamedAndSeparatedByAnEmptyLine) {
  const std::string csv = spreadsheet::WorkbookCsv(ReportSheets(BuildProgrammeReport(Facts())));
  const auto records = ParseCsv(csv);
  ASSERT_TRUE(records.ok()) << records.status();
  std::vector<std::string> firsts;
  for (const CsvRecord& record : *records) {
    firsts.push_back(record.fields.front());
  }
  EXPECT_THAT(firsts, ElementsAre("요약", "사업", "programmes/2027-osan-credit", "", "학교별",
                                  "학교 코드", "J10-7531001", "J10-7531002", "", "기관별",
                                  "기관 코드", "J10-7531001", "OSAN-AICODING"));
  EXPECT_THAT((*records)[2].fields, ElementsAre("programmes/2027-osan-credit", "오산형 학점제",
                                                "terms/2027-1", "2", "1", "12", "5", "3", "12"));
}

}  // namespace
}  // namespace osan::credit
