// Unit tests of enrollment's rules (services/enrollment/domain/rules.h).
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/enrollment/domain/rules.h"
#include "tests/support/status_assertions.h"

namespace osan::enrollment {
namespace {

namespace cv1 = ::osan::catalog::v1;
using ::osan::testing::IsInvalidField;

constexpr char kSchool[] = "J10-7531001";
constexpr char kOtherSchool[] = "J10-7531002";
constexpr char kUuid[] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
constexpr char kUpperUuid[] = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";

// Every value of v1::ApplicationState.
std::vector<v1::ApplicationState> AllStates() {
  std::vector<v1::ApplicationState> states;
  for (int i = v1::ApplicationState_MIN; i <= v1::ApplicationState_MAX; ++i) {
    if (v1::ApplicationState_IsValid(i)) {
      states.push_back(static_cast<v1::ApplicationState>(i));
    }
  }
  return states;
}

const Action kAllActions[] = {Action::kApprove, Action::kReject,  Action::kWithdraw,
                              Action::kAccept,  Action::kDecline, Action::kDrop};

std::string ActionName(Action action) {
  switch (action) {
    case Action::kApprove:
      return "kApprove";
    case Action::kReject:
      return "kReject";
    case Action::kWithdraw:
      return "kWithdraw";
    case Action::kAccept:
      return "kAccept";
    case Action::kDecline:
      return "kDecline";
    case Action::kDrop:
      return "kDrop";
  }
  return "?";
}

v1::Student ValidStudent() {
  v1::Student student;
  student.set_student_key("s-2026.001_a");
  student.set_entry_year(2025);
  student.set_display_name("김민준");
  return student;
}

type::v1::TimeOfDay Time(int hours, int minutes) {
  type::v1::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

void AddWeekly(cv1::Section* section, cv1::Weekday weekday, int start_hour, int start_minute,
               int end_hour, int end_minute) {
  cv1::WeeklyMeeting* meeting = section->add_weekly_meetings();
  meeting->set_weekday(weekday);
  *meeting->mutable_start_time() = Time(start_hour, start_minute);
  *meeting->mutable_end_time() = Time(end_hour, end_minute);
}

void AddDated(cv1::Section* section, int year, int month, int day, int start_hour, int start_minute,
              int end_hour, int end_minute) {
  cv1::DatedMeeting* meeting = section->add_dated_meetings();
  meeting->mutable_date()->set_year(year);
  meeting->mutable_date()->set_month(month);
  meeting->mutable_date()->set_day(day);
  *meeting->mutable_start_time() = Time(start_hour, start_minute);
  *meeting->mutable_end_time() = Time(end_hour, end_minute);
}

// ----- Names ----------------------------------------------------------------

TEST(ApplicationNameTest, BuildsName) {
  EXPECT_EQ(ApplicationName(kUuid), absl::StrCat("applications/", kUuid));
}

TEST(ParseApplicationNameTest, RoundTrips) {
  const auto parsed = ParseApplicationName("name", ApplicationName(kUuid));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, kUuid);
}

TEST(ParseApplicationNameTest, CanonicalisesUpperCaseUuid) {
  const auto parsed = ParseApplicationName("name", ApplicationName(kUpperUuid));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, kUuid);
}

TEST(ParseApplicationNameTest, RejectsMalformedNames) {
  for (const std::string& name : {
           std::string(""),
           std::string("applications/"),                                       // empty id
           std::string(kUuid),                                                 // no prefix
           absl::StrCat("application/", kUuid),                                // wrong prefix
           absl::StrCat("courses/", kUuid),                                    // another kind
           std::string("applications/not-a-uuid"),                             // not a uuid
           std::string("applications/3f2504e04f8941d39a0c0305e82c3301"),       // no dashes
           std::string("applications/3f2504e0-4f89-41d3-9a0c-0305e82c330"),    // too short
           std::string("applications/3f2504e0-4f89-41d3-9a0c-0305e82c33011"),  // too long
           std::string("applications/3g2504e0-4f89-41d3-9a0c-0305e82c3301"),   // non-hex
           absl::StrCat("applications/", kUuid, "/"),                          // trailing slash
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseApplicationName("name", name).status(), "name"));
  }
}

// ----- Students -------------------------------------------------------------

TEST(LooksLikeResidentNumberTest, DetectsResidentNumbers) {
  EXPECT_TRUE(LooksLikeResidentNumber("0701013234567"));
  EXPECT_TRUE(LooksLikeResidentNumber("070101-3234567"));
}

TEST(LooksLikeResidentNumberTest, DetectsEverySeparatorAfterTheBirthDate) {
  for (const absl::string_view key : {"900101.1234567", "900101 1234567", "900101/1234567",
                                      "900101_1234567", "900101:1234567", "900101A1234567"}) {
    SCOPED_TRACE(key);
    EXPECT_TRUE(LooksLikeResidentNumber(key));
  }
}

TEST(LooksLikeResidentNumberTest, RejectsOtherShapes) {
  for (const absl::string_view key : {
           "",
           "070101323456",     // 12 digits
           "07010132345678",   // 14 digits
           "070101-323456",    // 12 digits with dash
           "070101-32345678",  // 14 digits with dash
           "0701-013234567",   // dash in the wrong place
           "0701013-234567",   // dash one place late
           "07010-13234567",   // dash one place early
           "070101--3234567",  // two dashes
           "-0701013234567",   // leading dash
           "0701013234567-",   // trailing dash
           "07010A3234567",    // a letter among 13 characters
           "0701013234567A",   // 13 digits and a letter
           "070101..3234567",  // two separators
           "0701.013234567",   // separator in the wrong place
       }) {
    SCOPED_TRACE(key);
    EXPECT_FALSE(LooksLikeResidentNumber(key));
  }
}

TEST(ValidateStudentTest, AcceptsValidStudent) {
  const absl::Status status = ValidateStudent(ValidStudent());
  EXPECT_TRUE(status.ok()) << status;
}

TEST(ValidateStudentTest, AcceptsKeyOfEveryAllowedCharacterAndLength) {
  for (const std::string& key : {std::string("a"), std::string(64, 'Z'), std::string("AZaz09._-"),
                                 std::string("0701013234567890")}) {
    SCOPED_TRACE(key);
    v1::Student student = ValidStudent();
    student.set_student_key(key);
    const absl::Status status = ValidateStudent(student);
    EXPECT_TRUE(status.ok()) << status;
  }
}

TEST(ValidateStudentTest, RejectsBadKeys) {
  for (const std::string& key : {
           std::string(""),
           std::string(65, 'a'),
           std::string("a b"),
           std::string("a/b"),
           std::string("a:b"),
           std::string("a+b"),
           std::string("민준"),
       }) {
    SCOPED_TRACE(key);
    v1::Student student = ValidStudent();
    student.set_student_key(key);
    EXPECT_TRUE(IsInvalidField(ValidateStudent(student), "student_key"));
  }
}

TEST(ValidateStudentTest, RejectsResidentNumberKeys) {
  for (const std::string& key : {std::string("0701013234567"), std::string("070101-3234567"),
                                 std::string("900101.1234567"), std::string("900101_1234567")}) {
    SCOPED_TRACE(key);
    v1::Student student = ValidStudent();
    student.set_student_key(key);
    EXPECT_TRUE(IsInvalidField(ValidateStudent(student), "student_key"));
  }
}

TEST(ValidateStudentTest, GradeLevelIsOutputOnly) {
  // The grade follows from the cohort; whatever a client sends is ignored.
  for (const int grade : {-1, 0, 2, 4}) {
    SCOPED_TRACE(grade);
    v1::Student student = ValidStudent();
    student.set_grade_level(grade);
    const absl::Status status = ValidateStudent(student);
    EXPECT_TRUE(status.ok()) << status;
  }
}

TEST(WithGradeAtTest, GradeTurnsOnTheFirstOfMarchInKorea) {
  const v1::Student student = ValidStudent();  // entered 2025
  const absl::TimeZone korea = absl::FixedTimeZone(9 * 60 * 60);
  EXPECT_EQ(WithGradeAt(absl::FromCivil(absl::CivilSecond(2026, 2, 28, 23, 59, 59), korea), student)
                .grade_level(),
            1);
  EXPECT_EQ(WithGradeAt(absl::FromCivil(absl::CivilSecond(2026, 3, 1, 0, 0, 0), korea), student)
                .grade_level(),
            2);
  EXPECT_EQ(WithGradeAt(absl::FromCivil(absl::CivilSecond(2027, 12, 1, 0, 0, 0), korea), student)
                .grade_level(),
            3);
}

TEST(ValidateStudentTest, EntryYearMustBe2000To2100) {
  for (const int year : {2000, 2026, 2100}) {
    SCOPED_TRACE(year);
    v1::Student student = ValidStudent();
    student.set_entry_year(year);
    const absl::Status status = ValidateStudent(student);
    EXPECT_TRUE(status.ok()) << status;
  }
  for (const int year : {0, 1999, 2101}) {
    SCOPED_TRACE(year);
    v1::Student student = ValidStudent();
    student.set_entry_year(year);
    EXPECT_TRUE(IsInvalidField(ValidateStudent(student), "entry_year"));
  }
}

std::string Repeat(absl::string_view text, int times) {
  std::string result;
  for (int i = 0; i < times; ++i) {
    absl::StrAppend(&result, text);
  }
  return result;
}

TEST(ValidateStudentTest, DisplayNameOf1To50CodePoints) {
  // 50 Hangul syllables are 150 bytes but 50 characters.
  for (const std::string& name : {std::string("A"), std::string("민"), Repeat("민", 50),
                                  std::string(50, 'a'), std::string("Kim 민준")}) {
    SCOPED_TRACE(name);
    v1::Student student = ValidStudent();
    student.set_display_name(name);
    const absl::Status status = ValidateStudent(student);
    EXPECT_TRUE(status.ok()) << status;
  }
  for (const std::string& name : {std::string(""), Repeat("민", 51), std::string(51, 'a')}) {
    SCOPED_TRACE(name);
    v1::Student student = ValidStudent();
    student.set_display_name(name);
    EXPECT_TRUE(IsInvalidField(ValidateStudent(student), "display_name"));
  }
}

TEST(ValidateStudentTest, DisplayNameRejectsControlCharacters) {
  for (const std::string& name :
       {std::string("김\n민준"), std::string("김\t민준"), std::string("김\r민준"),
        std::string("김\x7f"), std::string("김\x01"), std::string("\x1b[0m")}) {
    SCOPED_TRACE(name);
    v1::Student student = ValidStudent();
    student.set_display_name(name);
    EXPECT_TRUE(IsInvalidField(ValidateStudent(student), "display_name"));
  }
}

TEST(ValidateStudentTest, DisplayNameRejectsInvalidUtf8) {
  v1::Student student = ValidStudent();
  student.set_display_name("\xed\x95");  // a truncated Hangul syllable
  EXPECT_TRUE(IsInvalidField(ValidateStudent(student), "display_name"));
}

// ----- Applying -------------------------------------------------------------

TEST(IsLiveTest, TrueExactlyForStatesHoldingOrAwaitingASeat) {
  const std::set<v1::ApplicationState> live = {v1::SUBMITTED, v1::APPROVED, v1::HOST_ACCEPTED,
                                               v1::ENROLLED, v1::WAITLISTED};
  const std::vector<v1::ApplicationState> states = AllStates();
  ASSERT_EQ(states.size(), 11u);
  for (const v1::ApplicationState state : states) {
    SCOPED_TRACE(v1::ApplicationState_Name(state));
    EXPECT_EQ(IsLive(state), live.count(state) == 1);
  }
}

constexpr int64_t kAppStart = 1767225600;  // 2026-01-01T00:00:00Z
constexpr int64_t kAppEnd = kAppStart + 7 * 86400;
constexpr int64_t kMakeupStart = kAppEnd + 3 * 86400;
constexpr int64_t kMakeupEnd = kMakeupStart + 2 * 86400;

cv1::Term TermWithWindows(bool makeup) {
  cv1::Term term;
  term.set_name("terms/2026-1");
  term.mutable_application_window()->set_start_unix(kAppStart);
  term.mutable_application_window()->set_end_unix(kAppEnd);
  if (makeup) {
    term.mutable_makeup_window()->set_start_unix(kMakeupStart);
    term.mutable_makeup_window()->set_end_unix(kMakeupEnd);
  }
  return term;
}

cv1::Section OpenSection() {
  cv1::Section section;
  section.set_state(cv1::ENROLLMENT_OPEN);
  return section;
}

// A school's course (no recognition needed).
cv1::Course SchoolCourse() {
  cv1::Course course;
  course.mutable_recognition()->set_state(cv1::NOT_REQUIRED);
  return course;
}

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

TEST(CheckOpenForApplicationsTest, RequiresEnrollmentOpen) {
  const cv1::Term term = TermWithWindows(true);
  for (const cv1::SectionState state :
       {cv1::SECTION_STATE_UNSPECIFIED, cv1::DRAFT, cv1::PUBLISHED, cv1::ENROLLMENT_CLOSED,
        cv1::IN_PROGRESS, cv1::COMPLETED, cv1::CANCELLED}) {
    SCOPED_TRACE(cv1::SectionState_Name(state));
    cv1::Section section;
    section.set_state(state);
    EXPECT_EQ(CheckOpenForApplications(section, SchoolCourse(), term, At(kAppStart + 60)).code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST(CheckOpenForApplicationsTest, OpenInsideApplicationWindow) {
  const absl::Status status = CheckOpenForApplications(OpenSection(), SchoolCourse(),
                                                       TermWithWindows(true), At(kAppStart + 3600));
  EXPECT_TRUE(status.ok()) << status;
}

TEST(CheckOpenForApplicationsTest, OpenInsideMakeupWindow) {
  const absl::Status status = CheckOpenForApplications(
      OpenSection(), SchoolCourse(), TermWithWindows(true), At(kMakeupStart + 3600));
  EXPECT_TRUE(status.ok()) << status;
}

TEST(CheckOpenForApplicationsTest, WindowsIncludeStartAndExcludeEnd) {
  const cv1::Term term = TermWithWindows(true);
  const cv1::Section section = OpenSection();
  EXPECT_TRUE(CheckOpenForApplications(section, SchoolCourse(), term, At(kAppStart)).ok());
  EXPECT_TRUE(CheckOpenForApplications(section, SchoolCourse(), term, At(kAppEnd - 1)).ok());
  EXPECT_EQ(CheckOpenForApplications(section, SchoolCourse(), term, At(kAppEnd)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckOpenForApplications(section, SchoolCourse(), term, At(kAppStart - 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckOpenForApplications(section, SchoolCourse(), term, At(kMakeupStart)).ok());
  EXPECT_TRUE(CheckOpenForApplications(section, SchoolCourse(), term, At(kMakeupEnd - 1)).ok());
  EXPECT_EQ(CheckOpenForApplications(section, SchoolCourse(), term, At(kMakeupEnd)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckOpenForApplications(section, SchoolCourse(), term, At(kMakeupStart - 1)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CheckOpenForApplicationsTest, ClosedOutsideBothWindows) {
  const cv1::Term term = TermWithWindows(true);
  for (const int64_t t : {kAppStart - 86400, kAppEnd + 86400, kMakeupEnd + 86400}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(CheckOpenForApplications(OpenSection(), SchoolCourse(), term, At(t)).code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST(CheckOpenForApplicationsTest, WithoutMakeupWindowOnlyApplicationWindowCounts) {
  const cv1::Term term = TermWithWindows(false);
  ASSERT_FALSE(term.has_makeup_window());
  EXPECT_TRUE(
      CheckOpenForApplications(OpenSection(), SchoolCourse(), term, At(kAppStart + 3600)).ok());
  EXPECT_EQ(
      CheckOpenForApplications(OpenSection(), SchoolCourse(), term, At(kMakeupStart + 3600)).code(),
      absl::StatusCode::kFailedPrecondition);
  // An unset make-up window is not [0, 0) plus something: the epoch is closed.
  EXPECT_EQ(CheckOpenForApplications(OpenSection(), SchoolCourse(), term, At(0)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CheckOpenForApplicationsTest, CourseUnderReviewTakesNoApplications) {
  cv1::Course course;
  for (const cv1::RecognitionState state : {cv1::PENDING, cv1::REJECTED}) {
    SCOPED_TRACE(cv1::RecognitionState_Name(state));
    course.mutable_recognition()->set_state(state);
    EXPECT_EQ(CheckOpenForApplications(OpenSection(), course, TermWithWindows(true), At(kAppStart))
                  .code(),
              absl::StatusCode::kFailedPrecondition);
  }
  course.mutable_recognition()->set_state(cv1::APPROVED);
  EXPECT_TRUE(
      CheckOpenForApplications(OpenSection(), course, TermWithWindows(true), At(kAppStart)).ok());
}

// A student who entered high school in `entry_year`.
v1::Student EnteredIn(int entry_year) {
  v1::Student student = ValidStudent();
  student.set_entry_year(entry_year);
  return student;
}

TEST(CheckEligibleTest, EmptyListsAdmitEveryHighSchoolGrade) {
  const cv1::Section section;
  for (const int entry_year : {2025, 2026, 2027}) {  // grades 3, 2, 1 in 2027
    SCOPED_TRACE(entry_year);
    const absl::Status status = CheckEligible(EnteredIn(entry_year), kSchool, section, 2027);
    EXPECT_TRUE(status.ok()) << status;
  }
  // Graduated, or not yet in high school.
  EXPECT_EQ(CheckEligible(EnteredIn(2024), kSchool, section, 2027).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckEligible(EnteredIn(2028), kSchool, section, 2027).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CheckEligibleTest, GradeInTheTermFollowsTheEntryYear) {
  cv1::Section section;
  section.add_eligible_grades(2);
  section.add_eligible_grades(3);
  // A 2025 entrant is in grade 1 in 2025, 2 in 2026, 3 in 2027.
  const v1::Student student = EnteredIn(2025);
  EXPECT_EQ(CheckEligible(student, kSchool, section, 2025).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckEligible(student, kSchool, section, 2026).ok());
  EXPECT_TRUE(CheckEligible(student, kSchool, section, 2027).ok());
  // Whatever grade_level says.
  v1::Student stale = student;
  stale.set_grade_level(3);
  EXPECT_EQ(CheckEligible(stale, kSchool, section, 2025).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CheckEligibleTest, SchoolMustBeListedAsInstitutionName) {
  cv1::Section section;
  section.add_eligible_schools(absl::StrCat("institutions/", kSchool));
  section.add_eligible_schools("institutions/J10-7531003");
  const v1::Student student = ValidStudent();
  const absl::Status status = CheckEligible(student, kSchool, section, 2026);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(CheckEligible(student, kOtherSchool, section, 2026).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CheckEligibleTest, BareCodeInEligibleSchoolsDoesNotMatch) {
  // Entries are `institutions/{code}`; the argument is the bare code.
  cv1::Section section;
  section.add_eligible_schools(kSchool);
  EXPECT_EQ(CheckEligible(ValidStudent(), kSchool, section, 2026).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CheckEligibleTest, BothRulesApply) {
  cv1::Section section;
  section.add_eligible_grades(2);
  section.add_eligible_schools(absl::StrCat("institutions/", kSchool));
  const v1::Student student = ValidStudent();  // entered 2025: grade 2 in 2026
  EXPECT_TRUE(CheckEligible(student, kSchool, section, 2026).ok());
  EXPECT_EQ(CheckEligible(student, kOtherSchool, section, 2026).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckEligible(student, kSchool, section, 2025).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MeetingsConflictTest, EmptySectionsDoNotConflict) {
  cv1::Section busy;
  AddWeekly(&busy, cv1::MONDAY, 9, 0, 17, 0);
  AddDated(&busy, 2026, 3, 7, 9, 0, 17, 0);
  EXPECT_FALSE(MeetingsConflict(cv1::Section(), cv1::Section()));
  EXPECT_FALSE(MeetingsConflict(busy, cv1::Section()));
  EXPECT_FALSE(MeetingsConflict(cv1::Section(), busy));
}

TEST(MeetingsConflictTest, WeeklySameWeekdayOverlapping) {
  cv1::Section a;
  cv1::Section b;
  AddWeekly(&a, cv1::TUESDAY, 16, 0, 17, 30);
  AddWeekly(&b, cv1::TUESDAY, 17, 0, 18, 0);
  EXPECT_TRUE(MeetingsConflict(a, b));
  EXPECT_TRUE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, WeeklyContainedMeetingConflicts) {
  cv1::Section a;
  cv1::Section b;
  AddWeekly(&a, cv1::WEDNESDAY, 9, 0, 12, 0);
  AddWeekly(&b, cv1::WEDNESDAY, 10, 0, 10, 50);
  EXPECT_TRUE(MeetingsConflict(a, b));
  EXPECT_TRUE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, WeeklyTouchingTimesDoNotConflict) {
  cv1::Section a;
  cv1::Section b;
  AddWeekly(&a, cv1::TUESDAY, 16, 0, 17, 0);
  AddWeekly(&b, cv1::TUESDAY, 17, 0, 18, 0);
  EXPECT_FALSE(MeetingsConflict(a, b));
  EXPECT_FALSE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, WeeklyDifferentWeekdaysDoNotConflict) {
  cv1::Section a;
  cv1::Section b;
  AddWeekly(&a, cv1::TUESDAY, 16, 0, 18, 0);
  AddWeekly(&b, cv1::THURSDAY, 16, 0, 18, 0);
  EXPECT_FALSE(MeetingsConflict(a, b));
  EXPECT_FALSE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, AnyPairOfWeeklyMeetingsCounts) {
  cv1::Section a;
  cv1::Section b;
  AddWeekly(&a, cv1::MONDAY, 9, 0, 10, 0);
  AddWeekly(&a, cv1::FRIDAY, 14, 0, 16, 0);
  AddWeekly(&b, cv1::WEDNESDAY, 9, 0, 10, 0);
  AddWeekly(&b, cv1::FRIDAY, 15, 0, 17, 0);
  EXPECT_TRUE(MeetingsConflict(a, b));
  EXPECT_TRUE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, DatedSameDateOverlapping) {
  cv1::Section a;
  cv1::Section b;
  AddDated(&a, 2026, 3, 7, 9, 0, 12, 0);
  AddDated(&b, 2026, 3, 7, 11, 0, 13, 0);
  EXPECT_TRUE(MeetingsConflict(a, b));
  EXPECT_TRUE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, DatedSameDateTouchingDoNotConflict) {
  cv1::Section a;
  cv1::Section b;
  AddDated(&a, 2026, 3, 7, 9, 0, 12, 0);
  AddDated(&b, 2026, 3, 7, 12, 0, 13, 0);
  EXPECT_FALSE(MeetingsConflict(a, b));
  EXPECT_FALSE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, DatedDifferentDatesDoNotConflict) {
  cv1::Section a;
  cv1::Section b;
  AddDated(&a, 2026, 3, 7, 9, 0, 12, 0);
  AddDated(&b, 2026, 3, 14, 9, 0, 12, 0);  // a week later
  cv1::Section c;
  AddDated(&c, 2026, 4, 7, 9, 0, 12, 0);  // same day, other month
  cv1::Section d;
  AddDated(&d, 2027, 3, 7, 9, 0, 12, 0);  // same day, other year
  EXPECT_FALSE(MeetingsConflict(a, b));
  EXPECT_FALSE(MeetingsConflict(a, c));
  EXPECT_FALSE(MeetingsConflict(a, d));
  EXPECT_FALSE(MeetingsConflict(b, a));
}

TEST(MeetingsConflictTest, WeeklyAndDatedOnThatWeekdayOverlapping) {
  // 2026-03-07 is a Saturday.
  cv1::Section weekly;
  AddWeekly(&weekly, cv1::SATURDAY, 10, 0, 12, 0);
  cv1::Section dated;
  AddDated(&dated, 2026, 3, 7, 11, 0, 15, 0);
  EXPECT_TRUE(MeetingsConflict(weekly, dated));
  EXPECT_TRUE(MeetingsConflict(dated, weekly));
}

TEST(MeetingsConflictTest, WeeklyAndDatedMapWeekdaysCorrectly) {
  // 2026-03-02 (Monday) .. 2026-03-08 (Sunday): each date against each weekday.
  const cv1::Weekday weekdays[] = {cv1::MONDAY, cv1::TUESDAY,  cv1::WEDNESDAY, cv1::THURSDAY,
                                   cv1::FRIDAY, cv1::SATURDAY, cv1::SUNDAY};
  for (int d = 0; d < 7; ++d) {
    cv1::Section dated;
    AddDated(&dated, 2026, 3, 2 + d, 10, 0, 12, 0);
    for (int w = 0; w < 7; ++w) {
      SCOPED_TRACE(absl::StrCat("2026-03-", 2 + d, " vs ", cv1::Weekday_Name(weekdays[w])));
      cv1::Section weekly;
      AddWeekly(&weekly, weekdays[w], 11, 0, 13, 0);
      EXPECT_EQ(MeetingsConflict(weekly, dated), d == w);
      EXPECT_EQ(MeetingsConflict(dated, weekly), d == w);
    }
  }
}

TEST(MeetingsConflictTest, WeeklyAndDatedOnOtherWeekdayOrHoursDoNotConflict) {
  cv1::Section weekly;
  AddWeekly(&weekly, cv1::FRIDAY, 10, 0, 12, 0);
  cv1::Section dated;
  AddDated(&dated, 2026, 3, 7, 10, 0, 12, 0);  // Saturday
  EXPECT_FALSE(MeetingsConflict(weekly, dated));
  EXPECT_FALSE(MeetingsConflict(dated, weekly));

  cv1::Section saturday_morning;
  AddWeekly(&saturday_morning, cv1::SATURDAY, 8, 0, 10, 0);
  EXPECT_FALSE(MeetingsConflict(saturday_morning, dated));  // touching
  EXPECT_FALSE(MeetingsConflict(dated, saturday_morning));
}

// ----- Lifecycle ------------------------------------------------------------

// The table of the comments on Action in rules.h.
const std::map<Action, std::set<v1::ApplicationState>>& AllowedFrom() {
  static const auto* const kTable = new std::map<Action, std::set<v1::ApplicationState>>{
      {Action::kApprove, {v1::SUBMITTED}},
      {Action::kReject, {v1::SUBMITTED, v1::APPROVED}},
      {Action::kWithdraw, {v1::SUBMITTED, v1::APPROVED, v1::HOST_ACCEPTED, v1::WAITLISTED}},
      {Action::kAccept, {v1::APPROVED}},
      {Action::kDecline, {v1::APPROVED}},
      {Action::kDrop, {v1::ENROLLED, v1::WAITLISTED}},
  };
  return *kTable;
}

TEST(CheckActionTest, FullMatrixOfActionsAndStates) {
  for (const Action action : kAllActions) {
    const std::set<v1::ApplicationState>& allowed = AllowedFrom().at(action);
    for (const v1::ApplicationState state : AllStates()) {
      SCOPED_TRACE(absl::StrCat(ActionName(action), " from ", v1::ApplicationState_Name(state)));
      const absl::Status status = CheckAction(state, action);
      if (allowed.count(state) == 1) {
        EXPECT_TRUE(status.ok()) << status;
      } else {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
      }
    }
  }
}

TEST(CheckActionTest, TerminalStatesAllowNoAction) {
  for (const v1::ApplicationState state :
       {v1::REJECTED, v1::WITHDRAWN, v1::NOT_PLACED, v1::DROPPED, v1::SECTION_CANCELLED}) {
    for (const Action action : kAllActions) {
      SCOPED_TRACE(absl::StrCat(ActionName(action), " from ", v1::ApplicationState_Name(state)));
      EXPECT_EQ(CheckAction(state, action).code(), absl::StatusCode::kFailedPrecondition);
    }
  }
}

TEST(StateAfterTest, ResultingStates) {
  EXPECT_EQ(StateAfter(Action::kApprove), v1::APPROVED);
  EXPECT_EQ(StateAfter(Action::kReject), v1::REJECTED);
  EXPECT_EQ(StateAfter(Action::kWithdraw), v1::WITHDRAWN);
  EXPECT_EQ(StateAfter(Action::kAccept), v1::HOST_ACCEPTED);
  EXPECT_EQ(StateAfter(Action::kDecline), v1::REJECTED);
  EXPECT_EQ(StateAfter(Action::kDrop), v1::DROPPED);
}

TEST(StateAfterTest, NoActionLeavesTheStateUnchanged) {
  for (const Action action : kAllActions) {
    SCOPED_TRACE(ActionName(action));
    EXPECT_EQ(AllowedFrom().at(action).count(StateAfter(action)), 0u);
  }
}

TEST(MeetingsConflictTest, ExtremeTimesDoNotOverflow) {
  cv1::Section a;
  cv1::Section b;
  constexpr int kMax = std::numeric_limits<int32_t>::max();
  AddWeekly(&a, cv1::TUESDAY, kMax, kMax, kMax, kMax);
  AddWeekly(&b, cv1::TUESDAY, 0, 0, kMax, 0);
  // [max:max, max:max) is empty; [0:00, max:00) ends before it starts.
  EXPECT_FALSE(MeetingsConflict(a, b));
  EXPECT_FALSE(MeetingsConflict(b, a));
}

}  // namespace
}  // namespace osan::enrollment
