// Unit tests of finalizing a section (services/credit/domain/finalization.h):
// the sessions-held rule, attendance tallies, the decided package and the
// section's statistics, on the messages alone.
#include "services/credit/domain/finalization.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;

using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kAnn[] = "schools/J10-7531001/students/ann";
constexpr char kBo[] = "schools/J10-7531001/students/bo";
constexpr char kCy[] = "schools/J10-7531002/students/cy";

v1::SessionAttendance Session(int number,
                              std::vector<std::pair<std::string, v1::AttendanceStatus>> marks) {
  v1::SessionAttendance session;
  session.set_session_number(number);
  for (const auto& [student, status] : marks) {
    v1::AttendanceMark& mark = *session.add_marks();
    mark.set_student(student);
    mark.set_status(status);
  }
  return session;
}

TEST(CheckSessionsHeldTest, EveryPlannedSessionMustBeHeld) {
  EXPECT_TRUE(CheckSessionsHeld(16, 16).ok());
  EXPECT_TRUE(CheckSessionsHeld(16, 17).ok()) << "make-up sessions are sessions too";
  const absl::Status short_one = CheckSessionsHeld(16, 15);
  EXPECT_EQ(short_one.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(short_one.message(), HasSubstr("16 sessions planned, 15 held"));
}

TEST(SummarizeAttendanceTest, CountsEachStatusAndWhatCountsAsAttended) {
  const std::vector<v1::SessionAttendance> sessions = {
      Session(1, {{kAnn, v1::PRESENT}, {kBo, v1::ABSENT}, {"someone/else", v1::PRESENT}}),
      Session(2, {{kAnn, v1::LATE}, {kBo, v1::EXCUSED}}),
      Session(3, {{kAnn, v1::EARLY_LEAVE}, {kBo, v1::ATTENDANCE_STATUS_UNSPECIFIED}}),
  };
  const auto summaries = SummarizeAttendance(sessions, 4, {kAnn, kBo, kCy});
  ASSERT_EQ(summaries.size(), 3u) << "the students asked for, and only them";

  const v1::AttendanceSummary& ann = summaries.at(kAnn);
  EXPECT_EQ(ann.present(), 1);
  EXPECT_EQ(ann.late(), 1);
  EXPECT_EQ(ann.early_leave(), 1);
  EXPECT_EQ(ann.attended(), 3);
  EXPECT_EQ(ann.sessions_held(), 3);
  EXPECT_EQ(ann.sessions_planned(), 4);

  const v1::AttendanceSummary& bo = summaries.at(kBo);
  EXPECT_EQ(bo.excused(), 1);
  EXPECT_EQ(bo.absent(), 2) << "a mark of no known status counts as absent";
  EXPECT_EQ(bo.attended(), 1) << "an excused absence counts as attended";

  const v1::AttendanceSummary& cy = summaries.at(kCy);
  EXPECT_EQ(cy.attended(), 0);
  EXPECT_EQ(cy.absent(), 0) << "no mark is no count";
  EXPECT_EQ(cy.sessions_held(), 3);
}

SectionOfResults Section() {
  SectionOfResults section;
  section.term = "terms/2027-1";
  section.section = "terms/2027-1/sections/9b2c1d4e-7f30-4a61-8e5b-2d9c0a7f1e43";
  section.course.set_course_etag("etag-3");
  section.course.set_title("인공지능 기초");
  section.course.set_category(cv1::GENERAL_ELECTIVE);
  section.course.set_subject_area(cv1::LIFE_AND_LIBERAL);
  section.course.set_credits(4);
  section.host = "institutions/OSAN-AICODING";
  section.host_display_name = "오산 AI 코딩 아카데미";
  section.delivery_label = "공동교육과정";
  return section;
}

StudentRecord Record(int attended, double achievement_rate, double raw_score) {
  StudentRecord record;
  record.student = kAnn;
  record.entry_year = 2026;
  record.assessment.set_raw_score(raw_score);
  record.assessment.set_achievement_rate(achievement_rate);
  record.assessment.set_notes("성실함");
  record.attendance.set_sessions_held(16);
  record.attendance.set_sessions_planned(16);
  record.attendance.set_present(attended);
  record.attendance.set_attended(attended);
  record.rule.set_curriculum("2022");
  record.rule.set_requires_attendance(true);
  record.rule.set_attendance_numerator(2);
  record.rule.set_attendance_denominator(3);
  record.rule.set_requires_achievement(true);
  record.rule.set_minimum_achievement_rate(40);
  record.rule.set_below_minimum_level(v1::INCOMPLETE_MARK);
  record.rule.set_incomplete_mark("I");
  record.rule.set_remedied_level(v1::LOWEST_LEVEL);
  record.rule.set_incomplete_level(v1::INCOMPLETE_MARK);
  return record;
}

TEST(DecidedPackageTest, CarriesTheRecognisedCourseAndTheRecordAndIsDecided) {
  const v1::ResultPackage package = DecidedPackage(Section(), Record(16, 85, 88.5));
  EXPECT_EQ(package.term(), "terms/2027-1");
  EXPECT_EQ(package.student(), kAnn);
  EXPECT_EQ(package.entry_year(), 2026);
  EXPECT_EQ(package.title(), "인공지능 기초");
  EXPECT_EQ(package.course_etag(), "etag-3");
  EXPECT_EQ(package.credits(), 4);
  EXPECT_EQ(package.raw_score(), 88.5);
  EXPECT_EQ(package.notes(), "성실함");
  EXPECT_EQ(package.attendance().attended(), 16);
  EXPECT_EQ(package.host_display_name(), "오산 AI 코딩 아카데미");
  EXPECT_EQ(package.outcome(), v1::COMPLETED);
  EXPECT_EQ(package.credits_earned(), 4);
  EXPECT_EQ(package.remarks(), "공동교육과정");
}

TEST(DecidedPackageTest, ShortAttendanceNeedsRemediation) {
  const v1::ResultPackage package = DecidedPackage(Section(), Record(10, 85, 88.5));
  EXPECT_EQ(package.outcome(), v1::REMEDIATION_REQUIRED);
  EXPECT_EQ(package.credits_earned(), 0);
}

TEST(StatisticsTest, TheSectionsStatisticsAreSetOnEachPackageAndCompared) {
  const v1::ResultPackage high = DecidedPackage(Section(), Record(16, 95, 90));
  const v1::ResultPackage low = DecidedPackage(Section(), Record(16, 65, 70));
  const SectionStatistics statistics = StatisticsOf({&high, &low});
  EXPECT_EQ(statistics.student_count, 2);
  EXPECT_EQ(statistics.course_mean, 80);
  EXPECT_THAT(statistics.level_percent, ::testing::Contains(Pair("A", 50.0)));

  v1::ResultPackage a = high;
  v1::ResultPackage b = low;
  EXPECT_TRUE(SameStatistics(a, b)) << "neither carries statistics yet";
  SetStatistics(statistics, &a);
  EXPECT_FALSE(SameStatistics(a, b));
  SetStatistics(statistics, &b);
  EXPECT_TRUE(SameStatistics(a, b));
  EXPECT_EQ(a.student_count(), 2);
  EXPECT_EQ(a.course_mean(), 80);
}

}  // namespace
}  // namespace osan::credit
