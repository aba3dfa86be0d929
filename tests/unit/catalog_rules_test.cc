// Unit tests of the catalog's rules (services/catalog/domain/rules.h).
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/dates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/domain/rules.h"
#include "tests/support/status_assertions.h"

namespace osan::catalog {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::string_view kCourseName = "courses/3f2504e0-4f89-41d3-9a0c-0305e82c3301";
constexpr absl::string_view kSectionName =
    "terms/2026-1/sections/9b2c1d4e-7f30-4a61-8e5b-2d9c0a7f1e43";
constexpr absl::string_view kHost = "institutions/OSAN-AICODING";

using ::osan::testing::IsInvalidField;

// `count` Hangul syllables (3 bytes each in UTF-8).
std::string Hangul(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "가";
  }
  return text;
}

type::v1::Date Date(int year, int month, int day) {
  type::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

type::v1::TimeOfDay Time(int hours, int minutes) {
  type::v1::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

// Unix seconds of a wall-clock time in Korea Standard Time.
int64_t KstUnix(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second), absl::FixedTimeZone(9 * 60 * 60)));
}

v1::WeeklyMeeting Weekly(v1::Weekday weekday, int start_hours, int start_minutes, int end_hours,
                         int end_minutes) {
  v1::WeeklyMeeting meeting;
  meeting.set_weekday(weekday);
  *meeting.mutable_start_time() = Time(start_hours, start_minutes);
  *meeting.mutable_end_time() = Time(end_hours, end_minutes);
  return meeting;
}

v1::DatedMeeting Dated(const type::v1::Date& date, int start_hours, int start_minutes,
                       int end_hours, int end_minutes) {
  v1::DatedMeeting meeting;
  *meeting.mutable_date() = date;
  *meeting.mutable_start_time() = Time(start_hours, start_minutes);
  *meeting.mutable_end_time() = Time(end_hours, end_minutes);
  return meeting;
}

v1::Institution HighSchool() {
  v1::Institution institution;
  institution.set_kind(v1::HIGH_SCHOOL);
  institution.set_display_name("매홀고등학교");
  institution.set_office_code("J10");
  institution.set_school_code("7531001");
  institution.set_area("세교");
  institution.set_address("경기도 오산시");
  return institution;
}

v1::Institution Academy() {
  v1::Institution institution;
  institution.set_kind(v1::CITY_ACADEMY);
  institution.set_display_name("오산시 AI코딩 에듀랩");
  institution.set_host_code("OSAN-AICODING");
  return institution;
}

v1::Term ValidTerm() {
  v1::Term term;
  term.set_year(2026);
  term.set_semester(1);
  term.mutable_application_window()->set_start_unix(KstUnix(2026, 2, 2, 9));
  term.mutable_application_window()->set_end_unix(KstUnix(2026, 2, 13, 18));
  *term.mutable_classes_start() = Date(2026, 3, 2);
  *term.mutable_classes_end() = Date(2026, 7, 17);
  *term.mutable_drop_deadline() = Date(2026, 3, 20);
  *term.mutable_results_due() = Date(2026, 7, 31);
  return term;
}

v1::Course ValidCourse() {
  v1::Course course;
  course.set_title("인공지능 기초");
  course.set_category(v1::CAREER_ELECTIVE);
  course.set_subject_area(v1::LIFE_AND_LIBERAL);
  course.set_credits(4);
  course.set_delivery_mode(v1::IN_PERSON);
  course.set_host(std::string(kHost));
  course.set_description("파이썬으로 배우는 인공지능.\n\t매주 화요일.");
  course.mutable_recognition()->set_state(v1::NOT_REQUIRED);
  return course;
}

v1::Section ValidSection() {
  v1::Section section;
  section.set_name(std::string(kSectionName));
  section.set_course(std::string(kCourseName));
  section.set_host(std::string(kHost));
  section.set_capacity(20);
  section.set_min_enrollment(5);
  section.set_sessions(64);
  *section.add_weekly_meetings() = Weekly(v1::TUESDAY, 16, 0, 17, 40);
  section.set_location("오산시 AI코딩 에듀랩 2층");
  section.set_instructor_display_name("김교사");
  section.add_eligible_grades(1);
  section.add_eligible_grades(2);
  section.set_per_school_cap(5);
  section.set_host_share_cap_percent(65);
  section.set_allocation_policy(v1::LOTTERY);
  section.set_state(v1::DRAFT);
  return section;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) {
    mask.add_paths(path);
  }
  return mask;
}

constexpr v1::SectionState kAllStates[] = {
    v1::SECTION_STATE_UNSPECIFIED, v1::DRAFT,       v1::PUBLISHED, v1::ENROLLMENT_OPEN,
    v1::ENROLLMENT_CLOSED,         v1::IN_PROGRESS, v1::COMPLETED, v1::CANCELLED};

// ============================================================================
// Institutions
// ============================================================================

TEST(ValidateInstitutionTest, AcceptsHighSchool) {
  EXPECT_TRUE(ValidateInstitution(HighSchool()).ok()) << ValidateInstitution(HighSchool());
}

TEST(ValidateInstitutionTest, AcceptsHostOfEveryNonSchoolKind) {
  for (const v1::InstitutionKind kind : {v1::CITY_ACADEMY, v1::LEARNING_SITE, v1::UNIVERSITY,
                                         v1::CITY_GOVERNMENT, v1::EDUCATION_OFFICE}) {
    SCOPED_TRACE(v1::InstitutionKind_Name(kind));
    v1::Institution institution = Academy();
    institution.set_kind(kind);
    EXPECT_TRUE(ValidateInstitution(institution).ok()) << ValidateInstitution(institution);
  }
}

TEST(ValidateInstitutionTest, RequiresKind) {
  v1::Institution institution = Academy();
  institution.set_kind(v1::INSTITUTION_KIND_UNSPECIFIED);
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "kind"));

  institution.set_kind(static_cast<v1::InstitutionKind>(99));
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "kind"));
}

TEST(ValidateInstitutionTest, AcceptsValidOfficeCodes) {
  for (const absl::string_view code : {"J10", "B10", "Z99", "A00"}) {
    SCOPED_TRACE(code);
    v1::Institution institution = HighSchool();
    institution.set_office_code(std::string(code));
    EXPECT_TRUE(ValidateInstitution(institution).ok()) << ValidateInstitution(institution);
  }
}

TEST(ValidateInstitutionTest, RejectsMalformedOfficeCodes) {
  for (const absl::string_view code :
       {"", "j10", "J1", "J100", "10J", "JA0", "J1A", "JJ10", "J 1"}) {
    SCOPED_TRACE(code);
    v1::Institution institution = HighSchool();
    institution.set_office_code(std::string(code));
    EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "office_code"));
  }
}

TEST(ValidateInstitutionTest, RejectsMalformedSchoolCodes) {
  for (const absl::string_view code :
       {"", "753100", "75310011", "753100A", "7531-01", " 753100", "７５３１００１"}) {
    SCOPED_TRACE(code);
    v1::Institution institution = HighSchool();
    institution.set_school_code(std::string(code));
    EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "school_code"));
  }
}

TEST(ValidateInstitutionTest, RejectsHostCodeOnHighSchool) {
  v1::Institution institution = HighSchool();
  institution.set_host_code("MAEHOL");
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "host_code"));
}

TEST(ValidateInstitutionTest, RejectsSchoolCodesOnNonSchool) {
  v1::Institution with_school_code = Academy();
  with_school_code.set_school_code("7531001");
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(with_school_code), "school_code"));

  v1::Institution with_office_code = Academy();
  with_office_code.set_office_code("J10");
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(with_office_code), "office_code"));
}

TEST(ValidateInstitutionTest, AcceptsValidHostCodes) {
  for (const std::string& code :
       {std::string("ABC"), std::string("OSAN-AICODING"), std::string("A1-2"),
        std::string("OSAN-MAKER-2"), std::string(32, 'Z'),
        // One character short of the school form: not reserved.
        std::string("J10-753100")}) {
    SCOPED_TRACE(code);
    v1::Institution institution = Academy();
    institution.set_host_code(code);
    EXPECT_TRUE(ValidateInstitution(institution).ok()) << ValidateInstitution(institution);
    EXPECT_EQ(InstitutionCode(institution), code);
  }
}

TEST(ValidateInstitutionTest, RejectsMalformedHostCodes) {
  for (const std::string& code :
       {std::string(""), std::string("AB"), std::string(33, 'Z'), std::string("osan"),
        std::string("Osan"), std::string("1ABC"), std::string("-ABC"), std::string("OSAN_AI"),
        std::string("OSAN AI"), std::string("OSAN/AI"), std::string("오산")}) {
    SCOPED_TRACE(code);
    v1::Institution institution = Academy();
    institution.set_host_code(code);
    EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "host_code"));
  }
}

TEST(ValidateInstitutionTest, RejectsHostCodeOfTheSchoolForm) {
  v1::Institution institution = Academy();
  institution.set_host_code("J10-7531001");
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "host_code"));
}

TEST(ValidateInstitutionTest, DisplayNameLengthCountsKoreanCharacters) {
  v1::Institution institution = HighSchool();
  institution.set_display_name(Hangul(100));  // 300 bytes
  EXPECT_TRUE(ValidateInstitution(institution).ok()) << ValidateInstitution(institution);

  institution.set_display_name(Hangul(101));
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "display_name"));
}

TEST(ValidateInstitutionTest, RequiresDisplayName) {
  v1::Institution institution = HighSchool();
  institution.set_display_name("");
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "display_name"));
}

TEST(ValidateInstitutionTest, RejectsBadDisplayNameText) {
  for (const absl::string_view name : {"매홀\n고등학교", "bad\xff", "tab\tname"}) {
    SCOPED_TRACE(name);
    v1::Institution institution = HighSchool();
    institution.set_display_name(std::string(name));
    EXPECT_TRUE(IsInvalidField(ValidateInstitution(institution), "display_name"));
  }
}

TEST(ValidateInstitutionTest, LimitsAreaAndAddress) {
  v1::Institution institution = HighSchool();
  institution.set_area(Hangul(50));
  institution.set_address(Hangul(200));
  EXPECT_TRUE(ValidateInstitution(institution).ok()) << ValidateInstitution(institution);

  v1::Institution long_area = institution;
  long_area.set_area(Hangul(51));
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(long_area), "area"));

  v1::Institution long_address = institution;
  long_address.set_address(Hangul(201));
  EXPECT_TRUE(IsInvalidField(ValidateInstitution(long_address), "address"));

  v1::Institution empty = institution;
  empty.clear_area();
  empty.clear_address();
  EXPECT_TRUE(ValidateInstitution(empty).ok()) << ValidateInstitution(empty);
}

TEST(InstitutionCodeTest, HighSchoolIsOfficeAndSchoolCode) {
  EXPECT_EQ(InstitutionCode(HighSchool()), "J10-7531001");
}

TEST(InstitutionCodeTest, OtherKindsUseHostCode) {
  EXPECT_EQ(InstitutionCode(Academy()), "OSAN-AICODING");
}

TEST(CanHostTest, OnlyTeachingInstitutionsHost) {
  EXPECT_TRUE(CanHost(v1::HIGH_SCHOOL));
  EXPECT_TRUE(CanHost(v1::CITY_ACADEMY));
  EXPECT_TRUE(CanHost(v1::LEARNING_SITE));
  EXPECT_TRUE(CanHost(v1::UNIVERSITY));
  EXPECT_FALSE(CanHost(v1::CITY_GOVERNMENT));
  EXPECT_FALSE(CanHost(v1::EDUCATION_OFFICE));
  EXPECT_FALSE(CanHost(v1::INSTITUTION_KIND_UNSPECIFIED));
}

// ============================================================================
// Terms
// ============================================================================

TEST(ValidateTermTest, AcceptsValidTerm) {
  EXPECT_TRUE(ValidateTerm(ValidTerm()).ok()) << ValidateTerm(ValidTerm());
}

TEST(ValidateTermTest, ChecksYearAndSemester) {
  for (const int year : {1999, 2101, 0}) {
    v1::Term term = ValidTerm();
    term.set_year(year);
    EXPECT_TRUE(IsInvalidField(ValidateTerm(term), "year")) << year;
  }
  for (const int semester : {0, 3, -1}) {
    v1::Term term = ValidTerm();
    term.set_semester(semester);
    EXPECT_TRUE(IsInvalidField(ValidateTerm(term), "semester")) << semester;
  }
  v1::Term second = ValidTerm();
  second.set_semester(2);
  EXPECT_TRUE(ValidateTerm(second).ok()) << ValidateTerm(second);
}

TEST(ValidateTermTest, RequiresApplicationWindow) {
  v1::Term term = ValidTerm();
  term.clear_application_window();
  EXPECT_TRUE(IsInvalidField(ValidateTerm(term), "application_window"));
}

TEST(ValidateTermTest, RejectsApplicationWindowEndingAtOrBeforeStart) {
  v1::Term empty = ValidTerm();
  empty.mutable_application_window()->set_end_unix(empty.application_window().start_unix());
  EXPECT_TRUE(IsInvalidField(ValidateTerm(empty), "application_window"));

  v1::Term reversed = ValidTerm();
  reversed.mutable_application_window()->set_end_unix(reversed.application_window().start_unix() -
                                                      1);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(reversed), "application_window"));
}

TEST(ValidateTermTest, ApplicationWindowMustOpenBeforeClassesStart) {
  const int64_t classes_start = KstUnix(2026, 3, 2);  // midnight KST of the first class day

  v1::Term at_start = ValidTerm();
  at_start.mutable_application_window()->set_start_unix(classes_start);
  at_start.mutable_application_window()->set_end_unix(classes_start + 86400);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(at_start), "application_window"));

  v1::Term after_start = ValidTerm();
  after_start.mutable_application_window()->set_start_unix(KstUnix(2026, 3, 5));
  after_start.mutable_application_window()->set_end_unix(KstUnix(2026, 3, 9));
  EXPECT_TRUE(IsInvalidField(ValidateTerm(after_start), "application_window"));

  v1::Term just_before = ValidTerm();
  just_before.mutable_application_window()->set_start_unix(classes_start - 1);
  just_before.mutable_application_window()->set_end_unix(classes_start + 86400);
  EXPECT_TRUE(ValidateTerm(just_before).ok()) << ValidateTerm(just_before);
}

TEST(ValidateTermTest, ApplicationWindowOpeningIsComparedInKoreaStandardTime) {
  // 2026-03-01 20:00 UTC is already 2026-03-02 05:00 KST, the first class day.
  v1::Term term = ValidTerm();
  const int64_t utc_evening = absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(2026, 3, 1, 20, 0, 0), absl::UTCTimeZone()));
  term.mutable_application_window()->set_start_unix(utc_evening);
  term.mutable_application_window()->set_end_unix(utc_evening + 3600);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(term), "application_window"));
}

TEST(ValidateTermTest, MakeupWindowMustNotStartBeforeApplicationWindow) {
  v1::Term before = ValidTerm();
  before.mutable_makeup_window()->set_start_unix(before.application_window().start_unix() - 1);
  before.mutable_makeup_window()->set_end_unix(before.application_window().end_unix());
  EXPECT_TRUE(IsInvalidField(ValidateTerm(before), "makeup_window"));

  v1::Term later = ValidTerm();
  later.mutable_makeup_window()->set_start_unix(KstUnix(2026, 3, 3, 9));
  later.mutable_makeup_window()->set_end_unix(KstUnix(2026, 3, 6, 18));
  EXPECT_TRUE(ValidateTerm(later).ok()) << ValidateTerm(later);
}

TEST(ValidateTermTest, MakeupWindowMustBeAWindow) {
  v1::Term term = ValidTerm();
  term.mutable_makeup_window()->set_start_unix(KstUnix(2026, 3, 6));
  term.mutable_makeup_window()->set_end_unix(KstUnix(2026, 3, 3));
  EXPECT_TRUE(IsInvalidField(ValidateTerm(term), "makeup_window"));

  v1::Term empty = ValidTerm();
  empty.mutable_makeup_window();  // present but zero
  EXPECT_TRUE(IsInvalidField(ValidateTerm(empty), "makeup_window"));
}

TEST(ValidateTermTest, RejectsInvalidDates) {
  struct Case {
    const char* field;
    type::v1::Date* (v1::Term::*mutable_date)();
  };
  for (const Case& c : {Case{"classes_start", &v1::Term::mutable_classes_start},
                        Case{"classes_end", &v1::Term::mutable_classes_end},
                        Case{"drop_deadline", &v1::Term::mutable_drop_deadline},
                        Case{"results_due", &v1::Term::mutable_results_due}}) {
    for (const type::v1::Date& date :
         {Date(2026, 2, 30), Date(2026, 4, 31), Date(2026, 2, 29), Date(2026, 13, 1),
          Date(2026, 0, 10), Date(2026, 3, 0), Date(2026, 3, 32), Date(1999, 3, 2),
          Date(2101, 3, 2), Date(0, 0, 0)}) {
      SCOPED_TRACE(absl::StrCat(c.field, " ", date.ShortDebugString()));
      v1::Term term = ValidTerm();
      *(term.*c.mutable_date)() = date;
      EXPECT_TRUE(IsInvalidField(ValidateTerm(term), c.field));
    }
  }
}

TEST(ValidateTermTest, RequiresEveryDate) {
  v1::Term no_start = ValidTerm();
  no_start.clear_classes_start();
  EXPECT_TRUE(IsInvalidField(ValidateTerm(no_start), "classes_start"));

  v1::Term no_end = ValidTerm();
  no_end.clear_classes_end();
  EXPECT_TRUE(IsInvalidField(ValidateTerm(no_end), "classes_end"));

  v1::Term no_drop = ValidTerm();
  no_drop.clear_drop_deadline();
  EXPECT_TRUE(IsInvalidField(ValidateTerm(no_drop), "drop_deadline"));

  v1::Term no_due = ValidTerm();
  no_due.clear_results_due();
  EXPECT_TRUE(IsInvalidField(ValidateTerm(no_due), "results_due"));
}

TEST(ValidateTermTest, AcceptsLeapDay) {
  // Semester 1 of 2028 with classes starting on 29 February.
  v1::Term term = ValidTerm();
  term.set_year(2028);
  term.mutable_application_window()->set_start_unix(KstUnix(2028, 2, 1, 9));
  term.mutable_application_window()->set_end_unix(KstUnix(2028, 2, 10, 18));
  *term.mutable_classes_start() = Date(2028, 2, 29);
  *term.mutable_classes_end() = Date(2028, 7, 14);
  *term.mutable_drop_deadline() = Date(2028, 3, 17);
  *term.mutable_results_due() = Date(2028, 7, 28);
  EXPECT_TRUE(ValidateTerm(term).ok()) << ValidateTerm(term);
}

TEST(ValidateTermTest, ClassesStartInTheTermsSchoolYear) {
  v1::Term too_late = ValidTerm();
  too_late.set_year(2024);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(too_late), "classes_start"));

  v1::Term too_early = ValidTerm();
  too_early.set_year(2027);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(too_early), "classes_start"));

  // A second semester of 2025 whose classes start in the next calendar year is fine.
  v1::Term next_year = ValidTerm();
  next_year.set_year(2025);
  next_year.set_semester(2);
  EXPECT_TRUE(ValidateTerm(next_year).ok()) << ValidateTerm(next_year);
}

TEST(ValidateTermTest, ClassesEndNotBeforeStart) {
  v1::Term term = ValidTerm();
  *term.mutable_classes_end() = Date(2026, 3, 1);
  *term.mutable_drop_deadline() = Date(2026, 3, 2);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(term), "classes_end"));

  // A one-day term: start == end == drop deadline == results due.
  v1::Term one_day = ValidTerm();
  *one_day.mutable_classes_end() = Date(2026, 3, 2);
  *one_day.mutable_drop_deadline() = Date(2026, 3, 2);
  *one_day.mutable_results_due() = Date(2026, 3, 2);
  EXPECT_TRUE(ValidateTerm(one_day).ok()) << ValidateTerm(one_day);
}

TEST(ValidateTermTest, DropDeadlineFallsWithinClasses) {
  v1::Term before = ValidTerm();
  *before.mutable_drop_deadline() = Date(2026, 3, 1);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(before), "drop_deadline"));

  v1::Term after = ValidTerm();
  *after.mutable_drop_deadline() = Date(2026, 7, 18);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(after), "drop_deadline"));

  v1::Term first_day = ValidTerm();
  *first_day.mutable_drop_deadline() = Date(2026, 3, 2);
  EXPECT_TRUE(ValidateTerm(first_day).ok()) << ValidateTerm(first_day);

  v1::Term last_day = ValidTerm();
  *last_day.mutable_drop_deadline() = Date(2026, 7, 17);
  EXPECT_TRUE(ValidateTerm(last_day).ok()) << ValidateTerm(last_day);
}

TEST(ValidateTermTest, ResultsDueNotBeforeClassesEnd) {
  v1::Term before = ValidTerm();
  *before.mutable_results_due() = Date(2026, 7, 16);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(before), "results_due"));

  v1::Term same_day = ValidTerm();
  *same_day.mutable_results_due() = Date(2026, 7, 17);
  EXPECT_TRUE(ValidateTerm(same_day).ok()) << ValidateTerm(same_day);
}

TEST(ValidateTermTest, NonTeachingDatesFallWithinClassesOnce) {
  v1::Term term = ValidTerm();  // classes 2026-03-02 .. 2026-07-17
  *term.add_non_teaching_dates() = Date(2026, 3, 2);
  *term.add_non_teaching_dates() = Date(2026, 5, 5);
  *term.add_non_teaching_dates() = Date(2026, 7, 17);
  EXPECT_TRUE(ValidateTerm(term).ok()) << ValidateTerm(term);

  v1::Term before = ValidTerm();
  *before.add_non_teaching_dates() = Date(2026, 3, 1);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(before), "non_teaching_dates[0]"));
  v1::Term after = ValidTerm();
  *after.add_non_teaching_dates() = Date(2026, 7, 18);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(after), "non_teaching_dates[0]"));
  v1::Term twice = ValidTerm();
  *twice.add_non_teaching_dates() = Date(2026, 5, 5);
  *twice.add_non_teaching_dates() = Date(2026, 5, 5);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(twice), "non_teaching_dates[1]"));
  v1::Term invalid = ValidTerm();
  *invalid.add_non_teaching_dates() = Date(2026, 2, 30);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(invalid), "non_teaching_dates[0]"));

  v1::Term too_many = ValidTerm();
  for (absl::CivilDay day(2026, 3, 2); too_many.non_teaching_dates_size() <= kMaxNonTeachingDates;
       ++day) {
    *too_many.add_non_teaching_dates() = Date(static_cast<int>(day.year()), day.month(), day.day());
  }
  EXPECT_TRUE(IsInvalidField(ValidateTerm(too_many), "non_teaching_dates"));
}

TEST(ValidateTermTest, ClassesLastAtMostOneSchoolYear) {
  v1::Term year = ValidTerm();
  *year.mutable_classes_end() = Date(2027, 3, 2);  // 365 days after 2026-03-02
  *year.mutable_results_due() = Date(2027, 3, 2);
  EXPECT_TRUE(ValidateTerm(year).ok()) << ValidateTerm(year);
  *year.mutable_classes_end() = Date(2027, 3, 3);
  *year.mutable_results_due() = Date(2027, 3, 3);
  EXPECT_TRUE(IsInvalidField(ValidateTerm(year), "classes_end"));
}

TEST(ToCivilDayTest, ConvertsRealDates) {
  absl::CivilDay day;
  ASSERT_TRUE(ToCivilDay(Date(2026, 3, 7), &day));
  EXPECT_EQ(day, absl::CivilDay(2026, 3, 7));
  ASSERT_TRUE(ToCivilDay(Date(2028, 2, 29), &day));
  EXPECT_EQ(day, absl::CivilDay(2028, 2, 29));
  EXPECT_TRUE(ToCivilDay(Date(2000, 1, 1), &day));
  EXPECT_TRUE(ToCivilDay(Date(2100, 12, 31), &day));
}

TEST(ToCivilDayTest, RejectsUnrealDates) {
  absl::CivilDay day;
  EXPECT_FALSE(ToCivilDay(Date(2026, 2, 30), &day));
  EXPECT_FALSE(ToCivilDay(Date(2026, 2, 29), &day));
  EXPECT_FALSE(ToCivilDay(Date(2100, 2, 29), &day));  // 2100 is not a leap year
  EXPECT_FALSE(ToCivilDay(Date(2026, 6, 31), &day));
  EXPECT_FALSE(ToCivilDay(Date(2026, 0, 1), &day));
  EXPECT_FALSE(ToCivilDay(Date(2026, 13, 1), &day));
  EXPECT_FALSE(ToCivilDay(Date(2026, 1, 0), &day));
  EXPECT_FALSE(ToCivilDay(Date(2026, 1, -1), &day));
  EXPECT_FALSE(ToCivilDay(Date(1999, 12, 31), &day));
  EXPECT_FALSE(ToCivilDay(Date(2101, 1, 1), &day));
  EXPECT_FALSE(ToCivilDay(type::v1::Date(), &day));
}

// ============================================================================
// Courses
// ============================================================================

TEST(DefaultCreditsTest, ThreeForPhysicalEducationArtsAndLiberalArts) {
  v1::Course course = ValidCourse();
  course.set_subject_area(v1::PHYSICAL_EDUCATION);
  EXPECT_EQ(DefaultCredits(course), 3);

  course.set_subject_area(v1::ARTS);
  EXPECT_EQ(DefaultCredits(course), 3);

  course.set_subject_area(v1::LIFE_AND_LIBERAL);
  course.set_category(v1::LIBERAL_ARTS);
  EXPECT_EQ(DefaultCredits(course), 3);
}

TEST(DefaultCreditsTest, FourOtherwise) {
  for (const v1::SubjectArea area : {v1::KOREAN, v1::MATHEMATICS, v1::ENGLISH, v1::SCIENCE,
                                     v1::LIFE_AND_LIBERAL, v1::VOCATIONAL}) {
    for (const v1::Category category : {v1::COMMON, v1::GENERAL_ELECTIVE, v1::CAREER_ELECTIVE,
                                        v1::CONVERGENCE_ELECTIVE, v1::OUT_OF_SCHOOL}) {
      v1::Course course = ValidCourse();
      course.set_subject_area(area);
      course.set_category(category);
      EXPECT_EQ(DefaultCredits(course), 4)
          << v1::SubjectArea_Name(area) << " " << v1::Category_Name(category);
    }
  }
}

TEST(InitialRecognitionTest, FollowsWhoTeachesNotTheCategory) {
  // Schools teach school subjects; every other host's course is taught
  // outside school and awaits the office's review, whatever its category.
  EXPECT_EQ(InitialRecognition(v1::HIGH_SCHOOL).state(), v1::NOT_REQUIRED);
  EXPECT_EQ(InitialRecognition(v1::ONLINE_SCHOOL).state(), v1::NOT_REQUIRED);
  for (const v1::InstitutionKind kind : {v1::CITY_ACADEMY, v1::LEARNING_SITE, v1::UNIVERSITY}) {
    EXPECT_EQ(InitialRecognition(kind).state(), v1::PENDING) << v1::InstitutionKind_Name(kind);
    EXPECT_FALSE(InitialRecognition(kind).has_approved());
  }
}

TEST(ValidateCourseTest, RefusesTheOutOfSchoolCategory) {
  v1::Course course = ValidCourse();
  course.set_category(v1::OUT_OF_SCHOOL);
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "category"));
}

// A course of an academy, as the office approved it.
v1::Course ApprovedAcademyCourse() {
  v1::Course course = ValidCourse();
  course.set_etag("3");
  *course.mutable_recognition() = InitialRecognition(v1::CITY_ACADEMY);
  Review(v1::APPROVED, "HSOS-EDU", absl::FromUnixSeconds(1'780'000'000), "", &course);
  return course;
}

TEST(RecognitionTest, ApprovalKeepsTheVersionTheOfficeSaw) {
  const v1::Course course = ApprovedAcademyCourse();
  EXPECT_EQ(course.recognition().state(), v1::APPROVED);
  EXPECT_EQ(course.recognition().reviewer(), "HSOS-EDU");
  const v1::RecognisedVersion& approved = course.recognition().approved();
  EXPECT_EQ(approved.course_etag(), "3");
  EXPECT_EQ(approved.title(), course.title());
  EXPECT_EQ(approved.category(), v1::CAREER_ELECTIVE);
  EXPECT_EQ(approved.subject_area(), v1::LIFE_AND_LIBERAL);
  EXPECT_EQ(approved.credits(), 4);
  EXPECT_EQ(approved.approve_time().seconds(), 1'780'000'000);
}

TEST(RecognitionTest, ReturnToReviewKeepsTheRecognisedVersion) {
  v1::Course course = ApprovedAcademyCourse();
  course.set_credits(3);
  ReturnToReview("credits", &course);
  EXPECT_EQ(course.recognition().state(), v1::PENDING);
  EXPECT_THAT(course.recognition().reason(), HasSubstr("credits"));
  EXPECT_EQ(course.recognition().approved().credits(), 4);
  // Decisions under the course use what was recognised, not the pending change.
  const absl::StatusOr<v1::RecognisedVersion> facts = RecognisedFacts(course);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->credits(), 4);
  EXPECT_EQ(facts->course_etag(), "3");
  // Its sections neither publish nor take applications meanwhile.
  EXPECT_EQ(CheckRecognised(course, "take applications").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(RecognitionTest, RejectionKeepsTheVersionApprovedBefore) {
  v1::Course course = ApprovedAcademyCourse();
  course.set_credits(3);
  EXPECT_TRUE(ReturnToReview("credits", &course));
  EXPECT_FALSE(ReturnToReview("credits", &course));  // already PENDING
  Review(v1::REJECTED, "HSOS-EDU", absl::FromUnixSeconds(1'790'000'000), "수업 시수 부족", &course);
  EXPECT_EQ(course.recognition().state(), v1::REJECTED);
  EXPECT_EQ(course.recognition().reason(), "수업 시수 부족");
  EXPECT_EQ(course.recognition().approved().credits(), 4);
}

TEST(RecognitionTest, OnlyWhatTheOfficeRecognisesCounts) {
  const v1::Course before = ValidCourse();
  v1::Course after = before;
  after.set_description("다른 설명");
  after.set_delivery_mode(v1::BLENDED);
  after.set_etag("9");
  EXPECT_EQ(RecognisedFieldsChanged(before, after), "");
  after.set_title("인공지능 심화");
  after.set_credits(2);
  EXPECT_EQ(RecognisedFieldsChanged(before, after), "title, credits");
  after.set_category(v1::CONVERGENCE_ELECTIVE);
  after.set_subject_area(v1::SCIENCE);
  EXPECT_EQ(RecognisedFieldsChanged(before, after), "title, category, subject_area, credits");
}

TEST(RecognitionTest, ReturnToReviewLeavesSchoolCoursesAlone) {
  v1::Course course = ValidCourse();
  ReturnToReview("credits", &course);
  EXPECT_EQ(course.recognition().state(), v1::NOT_REQUIRED);
  EXPECT_TRUE(CheckRecognised(course, "take applications").ok());
}

v1::Course CourseIn(v1::RecognitionState state, bool approved) {
  v1::Course course;
  course.set_name("courses/c-1");
  course.set_etag("7");
  course.set_title("자동제어기기제작 (개정)");
  course.set_category(v1::CAREER_ELECTIVE);
  course.set_subject_area(v1::VOCATIONAL);
  course.set_credits(4);
  course.mutable_recognition()->set_state(state);
  if (approved) {
    v1::RecognisedVersion& version = *course.mutable_recognition()->mutable_approved();
    version.set_course_etag("5");
    version.set_title("자동제어기기제작");
    version.set_category(v1::GENERAL_ELECTIVE);
    version.set_subject_area(v1::VOCATIONAL);
    version.set_credits(2);
  }
  return course;
}

TEST(RecognisedFactsTest, SchoolCoursesAreTheirOwn) {
  const auto version = RecognisedFacts(CourseIn(v1::NOT_REQUIRED, false));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->course_etag(), "7");
  EXPECT_EQ(version->credits(), 4);
  EXPECT_EQ(version->category(), v1::CAREER_ELECTIVE);
}

TEST(RecognisedFactsTest, OtherCoursesAreTheRecognisedVersionWhateverTheState) {
  for (const v1::RecognitionState state : {v1::APPROVED, v1::PENDING, v1::REJECTED}) {
    SCOPED_TRACE(v1::RecognitionState_Name(state));
    const auto version = RecognisedFacts(CourseIn(state, true));
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(version->course_etag(), "5");
    EXPECT_EQ(version->credits(), 2);
    EXPECT_EQ(version->title(), "자동제어기기제작");
    EXPECT_EQ(version->category(), v1::GENERAL_ELECTIVE);
  }
}

TEST(RecognisedFactsTest, NeverRecognisedEarnsNothing) {
  for (const v1::RecognitionState state :
       {v1::PENDING, v1::REJECTED, v1::RECOGNITION_STATE_UNSPECIFIED}) {
    const auto version = RecognisedFacts(CourseIn(state, false));
    EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(version.status().message(), HasSubstr("courses/c-1"));
  }
}

TEST(ApplyCourseDefaultsTest, FillsZeroCredits) {
  v1::Course course = ValidCourse();
  course.set_credits(0);
  ApplyCourseDefaults(&course);
  EXPECT_EQ(course.credits(), 4);

  v1::Course arts = ValidCourse();
  arts.set_subject_area(v1::ARTS);
  arts.set_credits(0);
  ApplyCourseDefaults(&arts);
  EXPECT_EQ(arts.credits(), 3);
}

TEST(ApplyCourseDefaultsTest, KeepsExplicitCredits) {
  v1::Course course = ValidCourse();
  course.set_credits(2);
  ApplyCourseDefaults(&course);
  EXPECT_EQ(course.credits(), 2);

  v1::Course pe = ValidCourse();
  pe.set_subject_area(v1::PHYSICAL_EDUCATION);
  pe.set_credits(5);
  ApplyCourseDefaults(&pe);
  EXPECT_EQ(pe.credits(), 5);
}

TEST(ValidateCourseTest, AcceptsValidCourse) {
  EXPECT_TRUE(ValidateCourse(ValidCourse()).ok()) << ValidateCourse(ValidCourse());
}

TEST(ValidateCourseTest, RequiresTitle) {
  v1::Course course = ValidCourse();
  course.set_title("");
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "title"));
}

TEST(ValidateCourseTest, TitleLengthCountsKoreanCharacters) {
  v1::Course course = ValidCourse();
  course.set_title(Hangul(100));
  EXPECT_TRUE(ValidateCourse(course).ok()) << ValidateCourse(course);
  course.set_title(Hangul(101));
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "title"));
}

TEST(ValidateCourseTest, TitleIsSingleLine) {
  v1::Course course = ValidCourse();
  course.set_title("인공지능\n기초");
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "title"));
}

TEST(ValidateCourseTest, RequiresCategory) {
  v1::Course course = ValidCourse();
  course.set_category(v1::CATEGORY_UNSPECIFIED);
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "category"));
  course.set_category(static_cast<v1::Category>(42));
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "category"));
}

TEST(ValidateCourseTest, RequiresSubjectArea) {
  v1::Course course = ValidCourse();
  course.set_subject_area(v1::SUBJECT_AREA_UNSPECIFIED);
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "subject_area"));
  course.set_subject_area(static_cast<v1::SubjectArea>(42));
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "subject_area"));
}

TEST(ValidateCourseTest, CreditsBetweenOneAndEight) {
  for (const int credits : {1, 8}) {
    v1::Course course = ValidCourse();
    course.set_credits(credits);
    EXPECT_TRUE(ValidateCourse(course).ok()) << credits << ": " << ValidateCourse(course);
  }
  for (const int credits : {0, 9, -1}) {
    v1::Course course = ValidCourse();
    course.set_credits(credits);
    EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "credits")) << credits;
  }
}

TEST(ValidateCourseTest, RequiresDeliveryMode) {
  v1::Course course = ValidCourse();
  course.set_delivery_mode(v1::DELIVERY_MODE_UNSPECIFIED);
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "delivery_mode"));
  course.set_delivery_mode(static_cast<v1::DeliveryMode>(9));
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "delivery_mode"));
}

TEST(ValidateCourseTest, HostMustBeAnInstitutionName) {
  for (const absl::string_view host :
       {"", "OSAN-AICODING", "institutions/", "institutions/osan", "institution/OSAN-AICODING"}) {
    SCOPED_TRACE(host);
    v1::Course course = ValidCourse();
    course.set_host(std::string(host));
    EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "host"));
  }
  v1::Course school_host = ValidCourse();
  school_host.set_host("institutions/J10-7531001");
  EXPECT_TRUE(ValidateCourse(school_host).ok()) << ValidateCourse(school_host);
}

TEST(ValidateCourseTest, DescriptionIsOptionalMultilineUpTo2000) {
  v1::Course course = ValidCourse();
  course.set_description("");
  EXPECT_TRUE(ValidateCourse(course).ok()) << ValidateCourse(course);

  course.set_description(Hangul(2000));
  EXPECT_TRUE(ValidateCourse(course).ok()) << ValidateCourse(course);

  course.set_description(Hangul(2001));
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "description"));

  course.set_description("첫 줄\n둘째 줄\r");
  EXPECT_TRUE(IsInvalidField(ValidateCourse(course), "description"));
}

TEST(IsRecognisedTest, OnlyCoursesNotAwaitingOrRefusedRecognition) {
  v1::Course course = ValidCourse();
  course.mutable_recognition()->set_state(v1::NOT_REQUIRED);
  EXPECT_TRUE(IsRecognised(course));
  course.mutable_recognition()->set_state(v1::APPROVED);
  EXPECT_TRUE(IsRecognised(course));
  course.mutable_recognition()->set_state(v1::PENDING);
  EXPECT_FALSE(IsRecognised(course));
  course.mutable_recognition()->set_state(v1::REJECTED);
  EXPECT_FALSE(IsRecognised(course));
  course.mutable_recognition()->set_state(v1::RECOGNITION_STATE_UNSPECIFIED);
  EXPECT_FALSE(IsRecognised(course));
}

// ============================================================================
// Sections
// ============================================================================

// A term of school year `year` with classes from 2 March to 17 July.
v1::Term TermOf(int year) {
  v1::Term term = ValidTerm();
  term.set_year(year);
  *term.mutable_classes_start() = Date(year, 3, 2);
  *term.mutable_classes_end() = Date(year, 7, 17);
  return term;
}

TEST(ApplySectionDefaultsTest, FillsSessionsAndHostShare) {
  v1::Course course = ValidCourse();
  course.set_credits(4);
  v1::Section section = ValidSection();  // grades 1 and 2
  section.set_sessions(0);
  section.set_host_share_cap_percent(0);
  ApplySectionDefaults(course, TermOf(2027), &section);
  EXPECT_EQ(section.sessions(), 64);
  EXPECT_EQ(section.host_share_cap_percent(), 65);

  course.set_credits(3);
  v1::Section three = ValidSection();
  three.set_sessions(0);
  ApplySectionDefaults(course, TermOf(2027), &three);
  EXPECT_EQ(three.sessions(), 48);
}

TEST(ApplySectionDefaultsTest, KeepsExplicitValues) {
  v1::Section section = ValidSection();
  section.set_sessions(30);
  section.set_host_share_cap_percent(80);
  ApplySectionDefaults(ValidCourse(), TermOf(2027), &section);
  EXPECT_EQ(section.sessions(), 30);
  EXPECT_EQ(section.host_share_cap_percent(), 80);
}

// ----- Hours delivered ------------------------------------------------------

google::protobuf::RepeatedField<int32_t> Grades(std::initializer_list<int32_t> grades) {
  return google::protobuf::RepeatedField<int32_t>(grades.begin(), grades.end());
}

TEST(RequiredSessionsTest, FollowsTheCurriculumOfEachAdmittedCohort) {
  // 2027: grades 1-3 entered 2025-2027, all on the 2022 curriculum (16 a credit).
  EXPECT_EQ(RequiredSessions(4, Grades({}), TermOf(2027)), 64);
  EXPECT_EQ(RequiredSessions(3, Grades({3}), TermOf(2027)), 48);
  // 2026: grade 3 entered 2024, on the 2015 curriculum (17 a unit); 1 and 2 not.
  EXPECT_EQ(RequiredSessions(4, Grades({1, 2}), TermOf(2026)), 64);
  EXPECT_EQ(RequiredSessions(4, Grades({3}), TermOf(2026)), 68);
  // Both curricula admitted: the larger count.
  EXPECT_EQ(RequiredSessions(4, Grades({}), TermOf(2026)), 68);
  EXPECT_EQ(RequiredSessions(2, Grades({2, 3}), TermOf(2026)), 34);
  // 2025: grades 2 and 3 entered 2024 and 2023.
  EXPECT_EQ(RequiredSessions(1, Grades({1}), TermOf(2025)), 16);
  EXPECT_EQ(RequiredSessions(1, Grades({2}), TermOf(2025)), 17);
}

TEST(ApplySectionDefaultsTest, SessionsCoverTheLargerCurriculum) {
  v1::Section section = ValidSection();
  section.clear_eligible_grades();  // every grade, 2015 cohort included in 2026
  section.set_sessions(0);
  ApplySectionDefaults(ValidCourse(), TermOf(2026), &section);
  EXPECT_EQ(section.sessions(), 68);
}

// ValidSection meets on Tuesdays 16:00-17:40 (two periods); TermOf(2027)
// has 20 Tuesdays between 2027-03-02 and 2027-07-17.
TEST(DeliverablePeriodsTest, CountsWholePeriodsOnEveryClassDay) {
  EXPECT_EQ(DeliverablePeriods(ValidSection(), TermOf(2027)), 40);

  v1::Section twice = ValidSection();
  *twice.add_weekly_meetings() = Weekly(v1::THURSDAY, 16, 0, 17, 40);  // 20 Thursdays
  EXPECT_EQ(DeliverablePeriods(twice, TermOf(2027)), 80);

  v1::Section short_meeting = ValidSection();
  *short_meeting.mutable_weekly_meetings(0) = Weekly(v1::TUESDAY, 16, 0, 16, 49);
  EXPECT_EQ(DeliverablePeriods(short_meeting, TermOf(2027)), 0);
  *short_meeting.mutable_weekly_meetings(0) = Weekly(v1::TUESDAY, 16, 0, 16, 50);
  EXPECT_EQ(DeliverablePeriods(short_meeting, TermOf(2027)), 20);

  v1::Section sunday = ValidSection();
  *sunday.mutable_weekly_meetings(0) = Weekly(v1::SUNDAY, 9, 0, 9, 50);
  EXPECT_EQ(DeliverablePeriods(sunday, TermOf(2027)), 19);  // 2027-03-07 .. 2027-07-11
}

TEST(DeliverablePeriodsTest, SkipsNonTeachingDates) {
  v1::Term term = TermOf(2027);
  *term.add_non_teaching_dates() = Date(2027, 5, 4);  // a Tuesday
  *term.add_non_teaching_dates() = Date(2027, 5, 5);  // a Wednesday: no meeting anyway
  EXPECT_EQ(DeliverablePeriods(ValidSection(), term), 38);
}

TEST(DeliverablePeriodsTest, DatedMeetingsCountUnlessOnANonTeachingDate) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  *section.add_dated_meetings() = Dated(Date(2027, 7, 24), 9, 0, 12, 0);  // vacation: 3
  *section.add_dated_meetings() = Dated(Date(2027, 7, 25), 9, 0, 12, 0);
  EXPECT_EQ(DeliverablePeriods(section, TermOf(2027)), 6);
  v1::Term term = TermOf(2027);
  *term.mutable_classes_end() = Date(2027, 7, 30);
  *term.add_non_teaching_dates() = Date(2027, 7, 25);
  EXPECT_EQ(DeliverablePeriods(section, term), 3);
}

TEST(CheckDeliversHoursTest, NamesTheShortfall) {
  // One 100-minute meeting a week holds 40 periods; 4 credits need 64.
  const absl::Status status = CheckDeliversHours(ValidSection(), 4, TermOf(2027));
  EXPECT_TRUE(IsInvalidField(status, "weekly_meetings"));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("40 periods fit between 2027-03-02 and 2027-07-17; 64 needed"));
}

TEST(CheckDeliversHoursTest, ExactlyEnoughPeriodsIsEnough) {
  v1::Section section = ValidSection();
  *section.add_weekly_meetings() = Weekly(v1::THURSDAY, 16, 0, 17, 40);  // 80 periods
  v1::Term term = TermOf(2027);
  for (const int day : {9, 16, 23, 30}) {  // Tuesdays in March
    *term.add_non_teaching_dates() = Date(2027, 3, day);
  }
  for (const int day : {6, 13, 20, 27}) {  // Tuesdays in April
    *term.add_non_teaching_dates() = Date(2027, 4, day);
  }
  ASSERT_EQ(DeliverablePeriods(section, term), 64);
  EXPECT_TRUE(CheckDeliversHours(section, 4, term).ok()) << CheckDeliversHours(section, 4, term);
  *term.add_non_teaching_dates() = Date(2027, 5, 4);  // one Tuesday more
  EXPECT_TRUE(IsInvalidField(CheckDeliversHours(section, 4, term), "weekly_meetings"));
}

TEST(CheckDeliversHoursTest, PlannedSessionsCoverTheCredits) {
  v1::Section section = ValidSection();
  *section.add_weekly_meetings() = Weekly(v1::THURSDAY, 16, 0, 17, 40);
  section.set_sessions(63);
  EXPECT_TRUE(IsInvalidField(CheckDeliversHours(section, 4, TermOf(2027)), "sessions"));
  section.set_sessions(64);
  EXPECT_TRUE(CheckDeliversHours(section, 4, TermOf(2027)).ok());
  // A 2015-curriculum cohort admitted: 4 units need 68 sessions.
  section.clear_eligible_grades();
  EXPECT_TRUE(IsInvalidField(CheckDeliversHours(section, 4, TermOf(2026)), "sessions"));
  // More planned sessions need more periods.
  section.set_sessions(81);
  EXPECT_TRUE(IsInvalidField(CheckDeliversHours(section, 4, TermOf(2027)), "weekly_meetings"));
}

TEST(CheckDeliversHoursTest, OnePeriodCannotMakeACredit) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  *section.add_dated_meetings() = Dated(Date(2027, 3, 6), 9, 0, 9, 50);
  section.set_sessions(16);
  const absl::Status status = CheckDeliversHours(section, 1, TermOf(2027));
  EXPECT_TRUE(IsInvalidField(status, "dated_meetings"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("1 periods fit"));
}

TEST(ValidateSectionTest, AcceptsValidSection) {
  EXPECT_TRUE(ValidateSection(ValidSection(), ValidCourse()).ok())
      << ValidateSection(ValidSection(), ValidCourse());
}

TEST(ValidateSectionTest, RequiresCourseName) {
  for (const absl::string_view course_name :
       {"", "courses/abc", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}) {
    SCOPED_TRACE(course_name);
    v1::Section section = ValidSection();
    section.set_course(std::string(course_name));
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "course"));
  }
}

TEST(ValidateSectionTest, CapacityBetweenOneAnd500) {
  for (const int capacity : {0, 501, -1}) {
    v1::Section section = ValidSection();
    section.set_capacity(capacity);
    section.set_min_enrollment(0);
    section.set_per_school_cap(0);
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "capacity")) << capacity;
  }
  for (const int capacity : {1, 500}) {
    v1::Section section = ValidSection();
    section.set_capacity(capacity);
    section.set_min_enrollment(1);
    section.set_per_school_cap(1);
    EXPECT_TRUE(ValidateSection(section, ValidCourse()).ok())
        << capacity << ": " << ValidateSection(section, ValidCourse());
  }
}

TEST(ValidateSectionTest, MinEnrollmentAtMostCapacity) {
  v1::Section above = ValidSection();
  above.set_min_enrollment(21);
  EXPECT_TRUE(IsInvalidField(ValidateSection(above, ValidCourse()), "min_enrollment"));

  v1::Section negative = ValidSection();
  negative.set_min_enrollment(-1);
  EXPECT_TRUE(IsInvalidField(ValidateSection(negative, ValidCourse()), "min_enrollment"));

  v1::Section equal = ValidSection();
  equal.set_min_enrollment(20);
  EXPECT_TRUE(ValidateSection(equal, ValidCourse()).ok()) << ValidateSection(equal, ValidCourse());

  v1::Section zero = ValidSection();
  zero.set_min_enrollment(0);
  EXPECT_TRUE(ValidateSection(zero, ValidCourse()).ok()) << ValidateSection(zero, ValidCourse());
}

TEST(ValidateSectionTest, SessionsBetweenOneAnd400) {
  for (const int sessions : {0, 401}) {
    v1::Section section = ValidSection();
    section.set_sessions(sessions);
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "sessions")) << sessions;
  }
  v1::Section max = ValidSection();
  max.set_sessions(400);
  EXPECT_TRUE(ValidateSection(max, ValidCourse()).ok()) << ValidateSection(max, ValidCourse());
}

TEST(ValidateSectionTest, NeedsWeeklyOrDatedMeetingsButNotBoth) {
  v1::Section none = ValidSection();
  none.clear_weekly_meetings();
  EXPECT_TRUE(IsInvalidField(ValidateSection(none, ValidCourse()), "weekly_meetings"));

  v1::Section both = ValidSection();
  *both.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);
  EXPECT_TRUE(IsInvalidField(ValidateSection(both, ValidCourse()), "weekly_meetings"));

  v1::Section dated_only = ValidSection();
  dated_only.clear_weekly_meetings();
  *dated_only.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);
  *dated_only.add_dated_meetings() = Dated(Date(2026, 3, 14), 9, 0, 12, 0);
  EXPECT_TRUE(ValidateSection(dated_only, ValidCourse()).ok())
      << ValidateSection(dated_only, ValidCourse());
}

TEST(ValidateSectionTest, LimitsNumberOfMeetings) {
  v1::Section weekly = ValidSection();
  weekly.clear_weekly_meetings();
  for (int i = 0; i < 15; ++i) {
    *weekly.add_weekly_meetings() =
        Weekly(static_cast<v1::Weekday>(1 + i % 7), 8 + i / 7, 0, 8 + i / 7, 30);
  }
  EXPECT_TRUE(IsInvalidField(ValidateSection(weekly, ValidCourse()), "weekly_meetings"));

  weekly.mutable_weekly_meetings()->RemoveLast();  // 14 meetings, none overlapping
  EXPECT_TRUE(ValidateSection(weekly, ValidCourse()).ok())
      << ValidateSection(weekly, ValidCourse());

  v1::Section dated = ValidSection();
  dated.clear_weekly_meetings();
  for (int i = 0; i < 401; ++i) {
    const absl::CivilDay day = absl::CivilDay(2026, 3, 2) + i;
    *dated.add_dated_meetings() =
        Dated(Date(static_cast<int>(day.year()), day.month(), day.day()), 9, 0, 10, 0);
  }
  EXPECT_TRUE(IsInvalidField(ValidateSection(dated, ValidCourse()), "dated_meetings"));
}

TEST(ValidateSectionTest, RejectsOverlappingWeeklyMeetingsOnSameWeekday) {
  v1::Section section = ValidSection();
  *section.add_weekly_meetings() = Weekly(v1::TUESDAY, 17, 0, 18, 0);  // overlaps 16:00-17:40
  const absl::Status status = ValidateSection(section, ValidCourse());
  EXPECT_TRUE(IsInvalidField(status, "weekly_meetings[1]"));
  EXPECT_THAT(status.message(), HasSubstr("weekly_meetings[0]"));

  v1::Section contained = ValidSection();
  *contained.add_weekly_meetings() = Weekly(v1::TUESDAY, 16, 30, 16, 40);
  EXPECT_TRUE(IsInvalidField(ValidateSection(contained, ValidCourse()), "weekly_meetings[1]"));

  v1::Section identical = ValidSection();
  *identical.add_weekly_meetings() = Weekly(v1::TUESDAY, 16, 0, 17, 40);
  EXPECT_TRUE(IsInvalidField(ValidateSection(identical, ValidCourse()), "weekly_meetings[1]"));
}

TEST(ValidateSectionTest, AcceptsSameTimeOnDifferentWeekdaysAndBackToBackMeetings) {
  v1::Section other_day = ValidSection();
  *other_day.add_weekly_meetings() = Weekly(v1::THURSDAY, 16, 0, 17, 40);
  EXPECT_TRUE(ValidateSection(other_day, ValidCourse()).ok())
      << ValidateSection(other_day, ValidCourse());

  v1::Section back_to_back = ValidSection();
  *back_to_back.add_weekly_meetings() = Weekly(v1::TUESDAY, 17, 40, 18, 30);
  EXPECT_TRUE(ValidateSection(back_to_back, ValidCourse()).ok())
      << ValidateSection(back_to_back, ValidCourse());
}

TEST(ValidateSectionTest, WeeklyMeetingEndMustFollowStart) {
  v1::Section reversed = ValidSection();
  *reversed.mutable_weekly_meetings(0) = Weekly(v1::TUESDAY, 17, 0, 16, 0);
  EXPECT_TRUE(IsInvalidField(ValidateSection(reversed, ValidCourse()), "weekly_meetings[0]"));

  v1::Section empty = ValidSection();
  *empty.mutable_weekly_meetings(0) = Weekly(v1::TUESDAY, 16, 0, 16, 0);
  EXPECT_TRUE(IsInvalidField(ValidateSection(empty, ValidCourse()), "weekly_meetings[0]"));
}

TEST(ValidateSectionTest, WeeklyMeetingTimesMustBeRealTimes) {
  for (const v1::WeeklyMeeting& meeting :
       {Weekly(v1::TUESDAY, 16, 0, 24, 0), Weekly(v1::TUESDAY, 16, 0, 17, 60),
        Weekly(v1::TUESDAY, -1, 0, 17, 0), Weekly(v1::TUESDAY, 16, -5, 17, 0)}) {
    SCOPED_TRACE(meeting.ShortDebugString());
    v1::Section section = ValidSection();
    *section.mutable_weekly_meetings(0) = meeting;
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "weekly_meetings[0]"));
  }
}

TEST(ValidateSectionTest, WeeklyMeetingNeedsWeekday) {
  v1::Section unspecified = ValidSection();
  unspecified.mutable_weekly_meetings(0)->set_weekday(v1::WEEKDAY_UNSPECIFIED);
  EXPECT_TRUE(IsInvalidField(ValidateSection(unspecified, ValidCourse()), "weekly_meetings[0]"));

  v1::Section out_of_range = ValidSection();
  out_of_range.mutable_weekly_meetings(0)->set_weekday(static_cast<v1::Weekday>(8));
  EXPECT_TRUE(IsInvalidField(ValidateSection(out_of_range, ValidCourse()), "weekly_meetings[0]"));
}

TEST(ValidateSectionTest, DatedMeetingsMustBeRealDatesAndTimes) {
  v1::Section bad_date = ValidSection();
  bad_date.clear_weekly_meetings();
  *bad_date.add_dated_meetings() = Dated(Date(2026, 2, 30), 9, 0, 12, 0);
  EXPECT_TRUE(IsInvalidField(ValidateSection(bad_date, ValidCourse()), "dated_meetings[0]"));

  v1::Section reversed = ValidSection();
  reversed.clear_weekly_meetings();
  *reversed.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);
  *reversed.add_dated_meetings() = Dated(Date(2026, 3, 14), 12, 0, 9, 0);
  EXPECT_TRUE(IsInvalidField(ValidateSection(reversed, ValidCourse()), "dated_meetings[1]"));
}

TEST(ValidateSectionTest, RejectsOverlappingDatedMeetingsOnSameDate) {
  v1::Section same_date = ValidSection();
  same_date.clear_weekly_meetings();
  *same_date.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);
  *same_date.add_dated_meetings() = Dated(Date(2026, 3, 14), 9, 0, 12, 0);
  *same_date.add_dated_meetings() = Dated(Date(2026, 3, 7), 11, 0, 13, 0);
  const absl::Status status = ValidateSection(same_date, ValidCourse());
  EXPECT_TRUE(IsInvalidField(status, "dated_meetings[2]"));
  EXPECT_THAT(status.message(), HasSubstr("dated_meetings[0]"));

  v1::Section same_day_apart = ValidSection();
  same_day_apart.clear_weekly_meetings();
  *same_day_apart.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);
  *same_day_apart.add_dated_meetings() = Dated(Date(2026, 3, 7), 13, 0, 16, 0);
  EXPECT_TRUE(ValidateSection(same_day_apart, ValidCourse()).ok())
      << ValidateSection(same_day_apart, ValidCourse());
}

TEST(ValidateSectionTest, LocationRequiredUnlessOnlineRealtime) {
  for (const v1::DeliveryMode mode : {v1::IN_PERSON, v1::BLENDED}) {
    v1::Course course = ValidCourse();
    course.set_delivery_mode(mode);
    v1::Section section = ValidSection();
    section.clear_location();
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, course), "location"))
        << v1::DeliveryMode_Name(mode);
  }
  v1::Course online = ValidCourse();
  online.set_delivery_mode(v1::ONLINE_REALTIME);
  v1::Section section = ValidSection();
  section.clear_location();
  EXPECT_TRUE(ValidateSection(section, online).ok()) << ValidateSection(section, online);
}

TEST(ValidateSectionTest, LimitsLocationAndInstructorName) {
  v1::Section ok = ValidSection();
  ok.set_location(Hangul(200));
  ok.set_instructor_display_name(Hangul(50));
  EXPECT_TRUE(ValidateSection(ok, ValidCourse()).ok()) << ValidateSection(ok, ValidCourse());

  v1::Section long_location = ValidSection();
  long_location.set_location(Hangul(201));
  EXPECT_TRUE(IsInvalidField(ValidateSection(long_location, ValidCourse()), "location"));

  v1::Section long_instructor = ValidSection();
  long_instructor.set_instructor_display_name(Hangul(51));
  EXPECT_TRUE(
      IsInvalidField(ValidateSection(long_instructor, ValidCourse()), "instructor_display_name"));
}

TEST(ValidateSectionTest, EligibleGradesAreDistinctOneToThree) {
  v1::Section all = ValidSection();
  all.clear_eligible_grades();
  all.add_eligible_grades(3);
  all.add_eligible_grades(1);
  all.add_eligible_grades(2);
  EXPECT_TRUE(ValidateSection(all, ValidCourse()).ok()) << ValidateSection(all, ValidCourse());

  v1::Section duplicate = ValidSection();
  duplicate.clear_eligible_grades();
  duplicate.add_eligible_grades(2);
  duplicate.add_eligible_grades(2);
  EXPECT_TRUE(IsInvalidField(ValidateSection(duplicate, ValidCourse()), "eligible_grades"));

  for (const int grade : {0, 4, -1}) {
    v1::Section section = ValidSection();
    section.add_eligible_grades(grade);
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "eligible_grades"))
        << grade;
  }
}

TEST(ValidateSectionTest, EligibleSchoolsAreDistinctInstitutionNames) {
  v1::Section ok = ValidSection();
  ok.add_eligible_schools("institutions/J10-7531001");
  ok.add_eligible_schools("institutions/J10-7531002");
  EXPECT_TRUE(ValidateSection(ok, ValidCourse()).ok()) << ValidateSection(ok, ValidCourse());

  v1::Section duplicate = ok;
  duplicate.add_eligible_schools("institutions/J10-7531001");
  EXPECT_TRUE(IsInvalidField(ValidateSection(duplicate, ValidCourse()), "eligible_schools"));

  v1::Section malformed = ValidSection();
  malformed.add_eligible_schools("J10-7531001");
  EXPECT_TRUE(IsInvalidField(ValidateSection(malformed, ValidCourse()), "eligible_schools"));

  v1::Section too_many = ValidSection();
  for (int i = 0; i < 51; ++i) {
    too_many.add_eligible_schools(absl::StrCat("institutions/J10-75310", 10 + i));
  }
  EXPECT_TRUE(IsInvalidField(ValidateSection(too_many, ValidCourse()), "eligible_schools"));
  too_many.mutable_eligible_schools()->RemoveLast();
  EXPECT_TRUE(ValidateSection(too_many, ValidCourse()).ok())
      << ValidateSection(too_many, ValidCourse());
}

TEST(ValidateSectionTest, PerSchoolCapAtMostCapacity) {
  v1::Section above = ValidSection();
  above.set_per_school_cap(21);
  EXPECT_TRUE(IsInvalidField(ValidateSection(above, ValidCourse()), "per_school_cap"));

  v1::Section negative = ValidSection();
  negative.set_per_school_cap(-1);
  EXPECT_TRUE(IsInvalidField(ValidateSection(negative, ValidCourse()), "per_school_cap"));

  v1::Section equal = ValidSection();
  equal.set_per_school_cap(20);
  EXPECT_TRUE(ValidateSection(equal, ValidCourse()).ok()) << ValidateSection(equal, ValidCourse());

  v1::Section none = ValidSection();
  none.set_per_school_cap(0);
  EXPECT_TRUE(ValidateSection(none, ValidCourse()).ok()) << ValidateSection(none, ValidCourse());
}

TEST(ValidateSectionTest, HostShareCapIsAPercentage) {
  for (const int percent : {0, 101}) {
    v1::Section section = ValidSection();
    section.set_host_share_cap_percent(percent);
    EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "host_share_cap_percent"))
        << percent;
  }
  for (const int percent : {1, 100}) {
    v1::Section section = ValidSection();
    section.set_host_share_cap_percent(percent);
    EXPECT_TRUE(ValidateSection(section, ValidCourse()).ok()) << percent;
  }
}

TEST(ValidateSectionTest, RequiresAllocationPolicy) {
  v1::Section section = ValidSection();
  section.set_allocation_policy(v1::ALLOCATION_POLICY_UNSPECIFIED);
  EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "allocation_policy"));
  section.set_allocation_policy(static_cast<v1::AllocationPolicy>(17));
  EXPECT_TRUE(IsInvalidField(ValidateSection(section, ValidCourse()), "allocation_policy"));
}

// ----- CheckSectionUpdate ---------------------------------------------------

TEST(CheckSectionUpdateTest, DraftAndPublishedAllowAnything) {
  for (const v1::SectionState state : {v1::DRAFT, v1::PUBLISHED}) {
    SCOPED_TRACE(v1::SectionState_Name(state));
    v1::Section before = ValidSection();
    before.set_state(state);
    v1::Section after = before;
    after.set_capacity(10);  // shrinks
    after.set_allocation_policy(v1::FIRST_COME);
    after.clear_eligible_grades();
    EXPECT_TRUE(CheckSectionUpdate(before, after,
                                   Mask({"capacity", "allocation_policy", "eligible_grades"}))
                    .ok());
  }
}

TEST(CheckSectionUpdateTest, AfterOpeningAllowsLocationInstructorAndLargerCapacity) {
  for (const v1::SectionState state :
       {v1::ENROLLMENT_OPEN, v1::ENROLLMENT_CLOSED, v1::IN_PROGRESS}) {
    SCOPED_TRACE(v1::SectionState_Name(state));
    v1::Section before = ValidSection();
    before.set_state(state);
    v1::Section after = before;
    after.set_location("오산시청 3층");
    after.set_instructor_display_name("박강사");
    after.set_capacity(25);
    EXPECT_TRUE(
        CheckSectionUpdate(before, after, Mask({"location", "instructor_display_name", "capacity"}))
            .ok());

    v1::Section same = before;
    EXPECT_TRUE(CheckSectionUpdate(before, same, Mask({"capacity"})).ok());
  }
}

TEST(CheckSectionUpdateTest, AfterOpeningRefusesShrinkingCapacity) {
  for (const v1::SectionState state :
       {v1::ENROLLMENT_OPEN, v1::ENROLLMENT_CLOSED, v1::IN_PROGRESS}) {
    SCOPED_TRACE(v1::SectionState_Name(state));
    v1::Section before = ValidSection();
    before.set_state(state);
    v1::Section after = before;
    after.set_capacity(19);
    EXPECT_EQ(CheckSectionUpdate(before, after, Mask({"capacity"})).code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST(CheckSectionUpdateTest, AfterOpeningRefusesOtherFields) {
  for (const char* path : {"allocation_policy", "eligible_grades", "eligible_schools",
                           "weekly_meetings", "dated_meetings", "min_enrollment", "sessions",
                           "per_school_cap", "host_share_cap_percent"}) {
    SCOPED_TRACE(path);
    v1::Section before = ValidSection();
    before.set_state(v1::ENROLLMENT_OPEN);
    v1::Section after = before;
    after.set_allocation_policy(v1::FIRST_COME);
    const absl::Status status = CheckSectionUpdate(before, after, Mask({"location", path}));
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_THAT(status.message(), HasSubstr(path));
  }
}

TEST(CheckSectionUpdateTest, CompletedAndCancelledRefuseEveryChange) {
  for (const v1::SectionState state : {v1::COMPLETED, v1::CANCELLED}) {
    SCOPED_TRACE(v1::SectionState_Name(state));
    v1::Section before = ValidSection();
    before.set_state(state);
    v1::Section after = before;
    after.set_location("다른 곳");
    EXPECT_EQ(CheckSectionUpdate(before, after, Mask({"location"})).code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

// ----- MeetingWeekdays ------------------------------------------------------

TEST(MeetingWeekdaysTest, WeeklyMeetingsSortedAndDistinct) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  *section.add_weekly_meetings() = Weekly(v1::THURSDAY, 9, 0, 10, 0);
  *section.add_weekly_meetings() = Weekly(v1::TUESDAY, 9, 0, 10, 0);
  *section.add_weekly_meetings() = Weekly(v1::THURSDAY, 13, 0, 14, 0);
  EXPECT_THAT(MeetingWeekdays(section), ElementsAre(2, 4));
}

TEST(MeetingWeekdaysTest, DatedMeetingOnSaturday) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  *section.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);  // a Saturday
  EXPECT_THAT(MeetingWeekdays(section), ElementsAre(6));
}

TEST(MeetingWeekdaysTest, DatedMeetingsUseIsoNumbering) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  *section.add_dated_meetings() = Dated(Date(2026, 3, 8), 9, 0, 12, 0);   // Sunday
  *section.add_dated_meetings() = Dated(Date(2026, 3, 2), 9, 0, 12, 0);   // Monday
  *section.add_dated_meetings() = Dated(Date(2026, 3, 14), 9, 0, 12, 0);  // Saturday
  EXPECT_THAT(MeetingWeekdays(section), ElementsAre(1, 6, 7));
}

TEST(MeetingWeekdaysTest, NoMeetingsNoWeekdays) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  EXPECT_THAT(MeetingWeekdays(section), IsEmpty());
}

// ----- Lifecycle ------------------------------------------------------------

// The documented edges (rules.h):
//   DRAFT -> PUBLISHED -> ENROLLMENT_OPEN <-> ENROLLMENT_CLOSED -> IN_PROGRESS
//   -> COMPLETED, and every state but COMPLETED and CANCELLED -> CANCELLED.
bool DocumentedEdge(v1::SectionState from, v1::SectionState to) {
  using S = v1::SectionState;
  const std::vector<std::pair<S, S>> edges = {
      {v1::DRAFT, v1::PUBLISHED},
      {v1::PUBLISHED, v1::ENROLLMENT_OPEN},
      {v1::ENROLLMENT_OPEN, v1::ENROLLMENT_CLOSED},
      {v1::ENROLLMENT_CLOSED, v1::ENROLLMENT_OPEN},
      {v1::ENROLLMENT_CLOSED, v1::IN_PROGRESS},
      {v1::IN_PROGRESS, v1::COMPLETED},
      {v1::DRAFT, v1::CANCELLED},
      {v1::PUBLISHED, v1::CANCELLED},
      {v1::ENROLLMENT_OPEN, v1::CANCELLED},
      {v1::ENROLLMENT_CLOSED, v1::CANCELLED},
      {v1::IN_PROGRESS, v1::CANCELLED},
  };
  for (const auto& [a, b] : edges) {
    if (a == from && b == to) {
      return true;
    }
  }
  return false;
}

TEST(IsLifecycleEdgeTest, MatchesDocumentedEdgesForEveryPairOfStates) {
  int edges = 0;
  for (const v1::SectionState from : kAllStates) {
    for (const v1::SectionState to : kAllStates) {
      EXPECT_EQ(IsLifecycleEdge(from, to), DocumentedEdge(from, to))
          << v1::SectionState_Name(from) << " -> " << v1::SectionState_Name(to);
      edges += IsLifecycleEdge(from, to) ? 1 : 0;
    }
  }
  EXPECT_EQ(edges, 11);
}

TEST(IsLifecycleEdgeTest, NothingLeadsBackToDraftOrOutOfTerminalStates) {
  for (const v1::SectionState state : kAllStates) {
    EXPECT_FALSE(IsLifecycleEdge(state, v1::DRAFT)) << v1::SectionState_Name(state);
    EXPECT_FALSE(IsLifecycleEdge(v1::COMPLETED, state)) << v1::SectionState_Name(state);
    EXPECT_FALSE(IsLifecycleEdge(v1::CANCELLED, state)) << v1::SectionState_Name(state);
  }
  EXPECT_FALSE(IsLifecycleEdge(v1::DRAFT, static_cast<v1::SectionState>(99)));
}

// ----- CheckTransition ------------------------------------------------------

v1::Section SectionIn(v1::SectionState state) {
  v1::Section section = ValidSection();
  section.set_state(state);
  return section;
}

TEST(CheckTransitionTest, TargetMustBeAStateAfterDraft) {
  for (const int target :
       {static_cast<int>(v1::DRAFT), static_cast<int>(v1::SECTION_STATE_UNSPECIFIED), 99, -1}) {
    EXPECT_TRUE(
        IsInvalidField(CheckTransition(SectionIn(v1::DRAFT), static_cast<v1::SectionState>(target),
                                       "", ValidCourse()),
                       "target_state"))
        << target;
  }
  // The target is checked before the edge.
  EXPECT_TRUE(IsInvalidField(
      CheckTransition(SectionIn(v1::COMPLETED), v1::DRAFT, "", ValidCourse()), "target_state"));
}

TEST(CheckTransitionTest, FollowsEveryDocumentedEdge) {
  for (const v1::SectionState from : kAllStates) {
    for (const v1::SectionState to : kAllStates) {
      if (!DocumentedEdge(from, to)) {
        continue;
      }
      EXPECT_TRUE(CheckTransition(SectionIn(from), to, "강사 사정", ValidCourse()).ok())
          << v1::SectionState_Name(from) << " -> " << v1::SectionState_Name(to);
    }
  }
}

TEST(CheckTransitionTest, RefusesIllegalEdgesAsFailedPrecondition) {
  for (const v1::SectionState from : kAllStates) {
    for (const v1::SectionState to : kAllStates) {
      if (to == v1::DRAFT || to == v1::SECTION_STATE_UNSPECIFIED || DocumentedEdge(from, to)) {
        continue;
      }
      EXPECT_EQ(CheckTransition(SectionIn(from), to, "강사 사정", ValidCourse()).code(),
                absl::StatusCode::kFailedPrecondition)
          << v1::SectionState_Name(from) << " -> " << v1::SectionState_Name(to);
    }
  }
}

TEST(CheckTransitionTest, CancellationNeedsReason) {
  EXPECT_TRUE(IsInvalidField(
      CheckTransition(SectionIn(v1::ENROLLMENT_OPEN), v1::CANCELLED, "", ValidCourse()), "reason"));
  EXPECT_TRUE(CheckTransition(SectionIn(v1::ENROLLMENT_OPEN), v1::CANCELLED, "최소 인원 미달",
                              ValidCourse())
                  .ok());
}

TEST(CheckTransitionTest, ReasonIsLimitedTo500Characters) {
  EXPECT_TRUE(
      CheckTransition(SectionIn(v1::DRAFT), v1::CANCELLED, Hangul(500), ValidCourse()).ok());
  EXPECT_TRUE(IsInvalidField(
      CheckTransition(SectionIn(v1::DRAFT), v1::CANCELLED, Hangul(501), ValidCourse()), "reason"));
  EXPECT_TRUE(IsInvalidField(
      CheckTransition(SectionIn(v1::DRAFT), v1::PUBLISHED, Hangul(501), ValidCourse()), "reason"));
  EXPECT_TRUE(IsInvalidField(
      CheckTransition(SectionIn(v1::DRAFT), v1::PUBLISHED, "bad\x01", ValidCourse()), "reason"));
}

TEST(CheckTransitionTest, CourseTaughtOutsideSchoolMustBeApprovedBeforePublishing) {
  // An academy's course under its real category (진로선택) still needs review.
  v1::Course course = ValidCourse();
  ASSERT_EQ(course.category(), v1::CAREER_ELECTIVE);
  *course.mutable_recognition() = InitialRecognition(v1::CITY_ACADEMY);
  for (const v1::RecognitionState state : {v1::PENDING, v1::REJECTED}) {
    course.mutable_recognition()->set_state(state);
    EXPECT_EQ(CheckTransition(SectionIn(v1::DRAFT), v1::PUBLISHED, "", course).code(),
              absl::StatusCode::kFailedPrecondition)
        << v1::RecognitionState_Name(state);
  }
  course.mutable_recognition()->set_state(v1::APPROVED);
  EXPECT_TRUE(CheckTransition(SectionIn(v1::DRAFT), v1::PUBLISHED, "", course).ok());
}

TEST(CheckTransitionTest, CourseBackUnderReviewCannotReopenEnrolment) {
  v1::Course course = ApprovedAcademyCourse();
  EXPECT_TRUE(
      CheckTransition(SectionIn(v1::ENROLLMENT_CLOSED), v1::ENROLLMENT_OPEN, "", course).ok());
  ReturnToReview("title", &course);
  EXPECT_EQ(
      CheckTransition(SectionIn(v1::ENROLLMENT_CLOSED), v1::ENROLLMENT_OPEN, "", course).code(),
      absl::StatusCode::kFailedPrecondition);
  // Classes of students already enrolled go on.
  EXPECT_TRUE(CheckTransition(SectionIn(v1::ENROLLMENT_CLOSED), v1::IN_PROGRESS, "", course).ok());
}

TEST(CheckTransitionTest, UnapprovedOutOfSchoolCourseMayStillBeCancelled) {
  v1::Course course = ValidCourse();
  *course.mutable_recognition() = InitialRecognition(v1::LEARNING_SITE);
  EXPECT_TRUE(CheckTransition(SectionIn(v1::DRAFT), v1::CANCELLED, "승인 지연", course).ok());
}

TEST(CheckTransitionTest, SchoolSubjectPublishesWithoutRecognition) {
  EXPECT_TRUE(CheckTransition(SectionIn(v1::DRAFT), v1::PUBLISHED, "", ValidCourse()).ok());
}

TEST(IsPubliclyVisibleTest, PublishedUntilCompleted) {
  EXPECT_FALSE(IsPubliclyVisible(v1::SECTION_STATE_UNSPECIFIED));
  EXPECT_FALSE(IsPubliclyVisible(v1::DRAFT));
  EXPECT_TRUE(IsPubliclyVisible(v1::PUBLISHED));
  EXPECT_TRUE(IsPubliclyVisible(v1::ENROLLMENT_OPEN));
  EXPECT_TRUE(IsPubliclyVisible(v1::ENROLLMENT_CLOSED));
  EXPECT_TRUE(IsPubliclyVisible(v1::IN_PROGRESS));
  EXPECT_FALSE(IsPubliclyVisible(v1::COMPLETED));
  EXPECT_FALSE(IsPubliclyVisible(v1::CANCELLED));
}

TEST(ToPublicSectionTest, CopiesFactsOfSectionCourseAndHost) {
  v1::Section section = ValidSection();
  section.set_state(v1::ENROLLMENT_OPEN);
  *section.add_weekly_meetings() = Weekly(v1::THURSDAY, 16, 0, 17, 40);
  v1::Course course = ValidCourse();
  const v1::Institution host = Academy();

  const v1::PublicSection view = ToPublicSection(section, course, host, v1::Programme());
  EXPECT_EQ(view.name(), kSectionName);
  EXPECT_EQ(view.term(), "terms/2026-1");
  EXPECT_EQ(view.title(), "인공지능 기초");
  EXPECT_EQ(view.category(), v1::CAREER_ELECTIVE);
  EXPECT_EQ(view.subject_area(), v1::LIFE_AND_LIBERAL);
  EXPECT_EQ(view.credits(), 4);
  EXPECT_EQ(view.delivery_mode(), v1::IN_PERSON);
  EXPECT_EQ(view.host(), kHost);
  EXPECT_EQ(view.host_display_name(), "오산시 AI코딩 에듀랩");
  EXPECT_EQ(view.description(), course.description());
  ASSERT_EQ(view.weekly_meetings_size(), 2);
  EXPECT_TRUE(MessageDifferencer::Equals(view.weekly_meetings(0), section.weekly_meetings(0)));
  EXPECT_TRUE(MessageDifferencer::Equals(view.weekly_meetings(1), section.weekly_meetings(1)));
  EXPECT_EQ(view.dated_meetings_size(), 0);
  EXPECT_EQ(view.location(), section.location());
  EXPECT_EQ(view.instructor_display_name(), "김교사");
  EXPECT_EQ(view.capacity(), 20);
  EXPECT_EQ(view.sessions(), 64);
  EXPECT_THAT(view.eligible_grades(), ElementsAre(1, 2));
  EXPECT_EQ(view.allocation_policy(), v1::LOTTERY);
  EXPECT_EQ(view.state(), v1::ENROLLMENT_OPEN);
}

TEST(ToPublicSectionTest, NamesTheProgrammeAndItsFunder) {
  v1::Programme programme;
  programme.set_name("programmes/2027-ai-coding");
  programme.set_display_name("AI 코딩 교육");
  programme.set_funder(v1::EDU_OFFICE);
  const v1::PublicSection view =
      ToPublicSection(ValidSection(), ValidCourse(), Academy(), programme);
  EXPECT_EQ(view.programme(), "programmes/2027-ai-coding");
  EXPECT_EQ(view.programme_display_name(), "AI 코딩 교육");
  EXPECT_EQ(view.funder_display_name(), "화성오산교육지원청");
  const v1::PublicSection unfunded =
      ToPublicSection(ValidSection(), ValidCourse(), Academy(), v1::Programme());
  EXPECT_EQ(unfunded.programme(), "");
  EXPECT_EQ(unfunded.funder_display_name(), "");
}

TEST(ToPublicSectionTest, CopiesDatedMeetings) {
  v1::Section section = ValidSection();
  section.clear_weekly_meetings();
  *section.add_dated_meetings() = Dated(Date(2026, 3, 7), 9, 0, 12, 0);
  const v1::PublicSection view =
      ToPublicSection(section, ValidCourse(), Academy(), v1::Programme());
  EXPECT_EQ(view.weekly_meetings_size(), 0);
  ASSERT_EQ(view.dated_meetings_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(view.dated_meetings(0), section.dated_meetings(0)));
}

TEST(ToPublicSectionTest, ShowsTheHostsAreaAndAddress) {
  v1::Institution host = Academy();
  host.set_area("세교");
  host.set_address("경기도 오산시 세마역로 20");
  const v1::PublicSection view =
      ToPublicSection(ValidSection(), ValidCourse(), host, v1::Programme());
  EXPECT_EQ(view.host_area(), "세교");
  EXPECT_EQ(view.host_address(), "경기도 오산시 세마역로 20");
}

TEST(AddHowToApplyTest, NamesTheApplicationWindowAndTheEligibleSchools) {
  v1::Section section = ValidSection();
  section.add_eligible_schools("institutions/J10-7531001");
  section.add_eligible_schools("institutions/J10-7539999");
  v1::Term term;
  term.mutable_application_window()->set_start_unix(1700000000);
  term.mutable_application_window()->set_end_unix(1700600000);
  v1::PublicSection view;
  AddHowToApply(section, term, {{"institutions/J10-7531001", "매홀고등학교"}}, &view);
  EXPECT_EQ(view.application_open_time().seconds(), 1700000000);
  EXPECT_EQ(view.application_close_time().seconds(), 1700600000);
  // A school the catalog does not know is shown by its name.
  EXPECT_THAT(view.eligible_school_names(),
              ElementsAre("매홀고등학교", "institutions/J10-7539999"));
}

TEST(ToPublicSectionTest, TermFollowsTheSectionName) {
  v1::Section section = ValidSection();
  section.set_name("terms/2027-2/sections/9b2c1d4e-7f30-4a61-8e5b-2d9c0a7f1e43");
  EXPECT_EQ(ToPublicSection(section, ValidCourse(), Academy(), v1::Programme()).term(),
            "terms/2027-2");
}

// ----- Who may change what --------------------------------------------------

auth::Principal Caller(std::string institution, auth::Role role) {
  return auth::Principal{std::move(institution), role};
}

TEST(RequireCatalogAdminTest, CityAndEducationOfficeOnly) {
  EXPECT_TRUE(RequireCatalogAdmin(Caller("OSAN-CITY", auth::v1::CITY)).ok());
  EXPECT_TRUE(RequireCatalogAdmin(Caller("HWASEONG-OSAN", auth::v1::EDU_OFFICE)).ok());
  for (const auth::Role role :
       {auth::v1::SCHOOL, auth::v1::ACADEMY, auth::v1::SERVICE, auth::v1::ROLE_UNSPECIFIED}) {
    EXPECT_EQ(RequireCatalogAdmin(Caller("J10-7531001", role)).code(),
              absl::StatusCode::kPermissionDenied)
        << auth::RoleName(role);
  }
}

// ----- Programmes -----------------------------------------------------------

v1::Programme ValidProgramme() {
  v1::Programme programme;
  programme.set_display_name("오산형 학점제");
  programme.set_year(2027);
  programme.set_annex("2027 부속서 2");
  programme.set_funder(v1::CITY);
  programme.set_budget_krw(480000000);
  return programme;
}

TEST(ValidateProgrammeTest, AcceptsAValidProgrammeAndAZeroBudget) {
  EXPECT_TRUE(ValidateProgramme(ValidProgramme()).ok());
  v1::Programme unbudgeted = ValidProgramme();
  unbudgeted.set_budget_krw(0);
  EXPECT_TRUE(ValidateProgramme(unbudgeted).ok());
}

TEST(ValidateProgrammeTest, NamesTheFieldOfEachProblem) {
  const std::vector<std::pair<std::function<void(v1::Programme&)>, std::string>> cases = {
      {[](v1::Programme& p) { p.clear_display_name(); }, "display_name: "},
      {[](v1::Programme& p) { p.set_display_name(std::string(101, 'x')); }, "display_name: "},
      {[](v1::Programme& p) { p.set_year(1999); }, "year: must be between 2000 and 2100"},
      {[](v1::Programme& p) { p.clear_annex(); }, "annex: "},
      {[](v1::Programme& p) { p.clear_funder(); }, "funder: is required"},
      {[](v1::Programme& p) { p.set_funder(static_cast<v1::Funder>(9)); }, "funder: is required"},
      {[](v1::Programme& p) { p.set_budget_krw(-1); },
       "budget_krw: must be between 0 and 10000000000000"},
      {[](v1::Programme& p) { p.set_budget_krw(kMaxBudgetKrw + 1); }, "budget_krw: "},
  };
  for (const auto& [spoil, message] : cases) {
    v1::Programme programme = ValidProgramme();
    spoil(programme);
    const absl::Status status = ValidateProgramme(programme);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << message;
    EXPECT_THAT(std::string(status.message()), ::testing::StartsWith(message));
  }
}

TEST(FundingProgrammeTest, ASectionsOwnProgrammeWinsOverItsCourses) {
  v1::Course course = ValidCourse();
  v1::Section section = ValidSection();
  EXPECT_EQ(FundingProgramme(section, course), "");
  course.set_programme("programmes/2027-osan-credit");
  EXPECT_EQ(FundingProgramme(section, course), "programmes/2027-osan-credit");
  section.set_programme("programmes/2027-ai-coding");
  EXPECT_EQ(FundingProgramme(section, course), "programmes/2027-ai-coding");
}

TEST(ValidateCourseTest, AProgrammeMustBeAProgrammeName) {
  v1::Course course = ValidCourse();
  course.set_programme("2027-osan-credit");
  const absl::Status status = ValidateCourse(course);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("programme: must be programmes/{id}"));
  course.set_programme("programmes/2027-osan-credit");
  EXPECT_TRUE(ValidateCourse(course).ok());
}

TEST(CheckSectionUpdateTest, TheProgrammeMayChangeAfterEnrolmentOpens) {
  v1::Section before = ValidSection();
  before.set_state(v1::ENROLLMENT_OPEN);
  v1::Section after = before;
  after.set_programme("programmes/2027-ai-coding");
  google::protobuf::FieldMask mask;
  mask.add_paths("programme");
  EXPECT_TRUE(CheckSectionUpdate(before, after, mask).ok());
}

}  // namespace
}  // namespace osan::catalog
