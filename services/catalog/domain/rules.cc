#include "services/catalog/domain/rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/curriculum.h"
#include "common/dates.h"
#include "common/names.h"
#include "common/roles.h"
#include "common/status.h"
#include "common/validation.h"
#include "services/catalog/vocabulary/labels.h"

namespace osan::catalog {
namespace {

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// "J10": an upper-case letter and two digits.
bool IsOfficeCode(absl::string_view code) {
  return code.size() == 3 && absl::ascii_isupper(code[0]) && AllDigits(code.substr(1));
}

// The school form `A00-0000000` is reserved for high schools.
bool LooksLikeSchoolCode(absl::string_view code) {
  return code.size() == 11 && IsOfficeCode(code.substr(0, 3)) && code[3] == '-' &&
         AllDigits(code.substr(4));
}

bool IsHostCode(absl::string_view code) {
  if (code.size() < 3 || code.size() > 32 || !absl::ascii_isupper(code[0]) ||
      LooksLikeSchoolCode(code)) {
    return false;
  }
  return std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

absl::Status CheckWindow(absl::string_view field, const type::v1::Window& window) {
  if (window.start_unix() <= 0 || window.end_unix() <= window.start_unix()) {
    return InvalidField(field, "needs start_unix > 0 and end_unix after start_unix");
  }
  return absl::OkStatus();
}

absl::Status CheckDate(absl::string_view field, const type::v1::Date& date, absl::CivilDay* day) {
  if (!ToCivilDay(date, day)) {
    return InvalidField(field, "is not a valid date between 2000 and 2100");
  }
  return absl::OkStatus();
}

// Minutes since midnight, or -1 if invalid.
int Minutes(const type::v1::TimeOfDay& time) {
  if (time.hours() < 0 || time.hours() > 23 || time.minutes() < 0 || time.minutes() > 59) {
    return -1;
  }
  return time.hours() * 60 + time.minutes();
}

absl::Status CheckTimes(absl::string_view field, const type::v1::TimeOfDay& start,
                        const type::v1::TimeOfDay& end) {
  const int from = Minutes(start);
  const int to = Minutes(end);
  if (from < 0 || to < 0) {
    return InvalidField(field, "times need hours 0..23 and minutes 0..59");
  }
  if (to <= from) {
    return InvalidField(field, "end_time must be after start_time");
  }
  return absl::OkStatus();
}

bool Overlap(const type::v1::TimeOfDay& a_start, const type::v1::TimeOfDay& a_end,
             const type::v1::TimeOfDay& b_start, const type::v1::TimeOfDay& b_end) {
  return Minutes(a_start) < Minutes(b_end) && Minutes(b_start) < Minutes(a_end);
}

absl::Status CheckMeetings(const v1::Section& section) {
  const auto& weekly = section.weekly_meetings();
  const auto& dated = section.dated_meetings();
  if (weekly.empty() == dated.empty()) {
    return InvalidField("weekly_meetings", "give weekly meetings or dated meetings (one kind)");
  }
  if (weekly.size() > 14 || dated.size() > 400) {
    return InvalidField(weekly.empty() ? "dated_meetings" : "weekly_meetings", "too many meetings");
  }
  for (int i = 0; i < weekly.size(); ++i) {
    const std::string field = absl::StrCat("weekly_meetings[", i, "]");
    if (!v1::Weekday_IsValid(weekly[i].weekday()) ||
        weekly[i].weekday() == v1::WEEKDAY_UNSPECIFIED) {
      return InvalidField(field, "weekday is required");
    }
    OSAN_RETURN_IF_ERROR(CheckTimes(field, weekly[i].start_time(), weekly[i].end_time()));
    for (int j = 0; j < i; ++j) {
      if (weekly[j].weekday() == weekly[i].weekday() &&
          Overlap(weekly[i].start_time(), weekly[i].end_time(), weekly[j].start_time(),
                  weekly[j].end_time())) {
        return InvalidField(field, absl::StrCat("overlaps weekly_meetings[", j, "]"));
      }
    }
  }
  for (int i = 0; i < dated.size(); ++i) {
    const std::string field = absl::StrCat("dated_meetings[", i, "]");
    absl::CivilDay day;
    OSAN_RETURN_IF_ERROR(CheckDate(field, dated[i].date(), &day));
    OSAN_RETURN_IF_ERROR(CheckTimes(field, dated[i].start_time(), dated[i].end_time()));
    for (int j = 0; j < i; ++j) {
      absl::CivilDay other;
      ToCivilDay(dated[j].date(), &other);
      if (other == day && Overlap(dated[i].start_time(), dated[i].end_time(), dated[j].start_time(),
                                  dated[j].end_time())) {
        return InvalidField(field, absl::StrCat("overlaps dated_meetings[", j, "]"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPriorityRules(const v1::Section& section) {
  const auto& rules = section.priority_rules();
  if (section.allocation_policy() != v1::PRIORITY) {
    return rules.empty() ? absl::OkStatus()
                         : InvalidField("priority_rules", "are for PRIORITY sections only");
  }
  if (rules.size() > 5) {
    return InvalidField("priority_rules", "at most 5 rules");
  }
  for (int i = 0; i < rules.size(); ++i) {
    const std::string field = absl::StrCat("priority_rules[", i, "]");
    if (rules[i].schools().empty() && rules[i].grade_levels().empty()) {
      return InvalidField(field, "needs schools or grade_levels");
    }
    for (const std::string& school : rules[i].schools()) {
      OSAN_RETURN_IF_ERROR(ParseInstitutionName(field, school).status());
    }
    for (const int grade : rules[i].grade_levels()) {
      OSAN_RETURN_IF_ERROR(CheckRange(field, grade, 1, 3));
    }
    OSAN_RETURN_IF_ERROR(CheckText(field, rules[i].description(), 0, 100));
  }
  return absl::OkStatus();
}

// The facts of `course` that recognition covers, as they are now.
}  // namespace

// ----- Institutions ---------------------------------------------------------

std::string InstitutionCode(const v1::Institution& institution) {
  if (institution.kind() == v1::HIGH_SCHOOL) {
    return absl::StrCat(institution.office_code(), "-", institution.school_code());
  }
  return institution.host_code();
}

bool CanHost(v1::InstitutionKind kind) {
  return IsSchool(kind) || kind == v1::CITY_ACADEMY || kind == v1::LEARNING_SITE ||
         kind == v1::UNIVERSITY;
}

bool IsSchool(v1::InstitutionKind kind) {
  return kind == v1::HIGH_SCHOOL || kind == v1::ONLINE_SCHOOL;
}

absl::Status ValidateInstitution(const v1::Institution& institution) {
  if (!v1::InstitutionKind_IsValid(institution.kind()) ||
      institution.kind() == v1::INSTITUTION_KIND_UNSPECIFIED) {
    return InvalidField("kind", "is required");
  }
  OSAN_RETURN_IF_ERROR(CheckText("display_name", institution.display_name(), 1, 100));
  if (institution.kind() == v1::HIGH_SCHOOL) {
    if (!IsOfficeCode(institution.office_code())) {
      return InvalidField("office_code", "must be a letter and two digits, e.g. J10");
    }
    if (institution.school_code().size() != 7 || !AllDigits(institution.school_code())) {
      return InvalidField("school_code", "must be the 7-digit NEIS standard school code");
    }
    if (!institution.host_code().empty()) {
      return InvalidField("host_code", "is for non-school institutions only");
    }
  } else {
    if (!institution.office_code().empty()) {
      return InvalidField("office_code", "is for high schools only");
    }
    if (!institution.school_code().empty()) {
      return InvalidField("school_code", "is for high schools only");
    }
    if (!IsHostCode(institution.host_code())) {
      return InvalidField("host_code",
                          "must be 3..32 characters of A-Z, 0-9 and '-', starting with a letter");
    }
  }
  OSAN_RETURN_IF_ERROR(CheckText("area", institution.area(), 0, 50));
  return CheckText("address", institution.address(), 0, 200);
}

// ----- Terms ----------------------------------------------------------------

absl::Status ValidateTerm(const v1::Term& term) {
  OSAN_RETURN_IF_ERROR(CheckRange("year", term.year(), 2000, 2100));
  OSAN_RETURN_IF_ERROR(CheckRange("semester", term.semester(), 1, 2));
  OSAN_RETURN_IF_ERROR(CheckWindow("application_window", term.application_window()));
  if (term.has_makeup_window()) {
    OSAN_RETURN_IF_ERROR(CheckWindow("makeup_window", term.makeup_window()));
    if (term.makeup_window().start_unix() < term.application_window().start_unix()) {
      return InvalidField("makeup_window", "must not start before the application window");
    }
  }
  absl::CivilDay start, end, drop, due;
  OSAN_RETURN_IF_ERROR(CheckDate("classes_start", term.classes_start(), &start));
  OSAN_RETURN_IF_ERROR(CheckDate("classes_end", term.classes_end(), &end));
  OSAN_RETURN_IF_ERROR(CheckDate("drop_deadline", term.drop_deadline(), &drop));
  OSAN_RETURN_IF_ERROR(CheckDate("results_due", term.results_due(), &due));
  if (start.year() < term.year() || start.year() > term.year() + 1) {
    return InvalidField("classes_start", "must fall in the term's school year");
  }
  if (end < start) {
    return InvalidField("classes_end", "must not be before classes_start");
  }
  if (end - start > kMaxClassDays) {
    return InvalidField("classes_end", "classes last at most one school year");
  }
  if (drop < start || drop > end) {
    return InvalidField("drop_deadline", "must fall within the classes");
  }
  if (due < end) {
    return InvalidField("results_due", "must not be before classes_end");
  }
  if (term.non_teaching_dates_size() > kMaxNonTeachingDates) {
    return InvalidField("non_teaching_dates",
                        absl::StrCat("at most ", kMaxNonTeachingDates, " dates"));
  }
  std::set<absl::CivilDay> non_teaching;
  for (int i = 0; i < term.non_teaching_dates_size(); ++i) {
    const std::string field = absl::StrCat("non_teaching_dates[", i, "]");
    absl::CivilDay day;
    OSAN_RETURN_IF_ERROR(CheckDate(field, term.non_teaching_dates(i), &day));
    if (day < start || day > end) {
      return InvalidField(field, "must fall within the classes");
    }
    if (!non_teaching.insert(day).second) {
      return InvalidField(field, "is listed twice");
    }
  }
  // Applications open before classes start (times are Korea Standard Time).
  const absl::Time classes_start_time = absl::FromCivil(start, absl::FixedTimeZone(9 * 60 * 60));
  if (absl::FromUnixSeconds(term.application_window().start_unix()) >= classes_start_time) {
    return InvalidField("application_window", "must open before classes start");
  }
  return absl::OkStatus();
}

// ----- Courses --------------------------------------------------------------

int DefaultCredits(const v1::Course& course) {
  const bool three = course.subject_area() == v1::PHYSICAL_EDUCATION ||
                     course.subject_area() == v1::ARTS || course.category() == v1::LIBERAL_ARTS;
  return three ? 3 : 4;
}

void ApplyCourseDefaults(v1::Course* course) {
  if (course->credits() == 0) {
    course->set_credits(DefaultCredits(*course));
  }
}

v1::Recognition InitialRecognition(v1::InstitutionKind host_kind) {
  v1::Recognition recognition;
  recognition.set_state(IsSchool(host_kind) ? v1::NOT_REQUIRED : v1::PENDING);
  return recognition;
}

absl::Status ValidateCourse(const v1::Course& course) {
  OSAN_RETURN_IF_ERROR(CheckText("title", course.title(), 1, 100));
  if (!v1::Category_IsValid(course.category()) || course.category() == v1::CATEGORY_UNSPECIFIED) {
    return InvalidField("category", "is required");
  }
  if (course.category() == v1::OUT_OF_SCHOOL) {
    return InvalidField("category",
                        "give the subject's own category (e.g. CAREER_ELECTIVE); a course taught "
                        "outside school is one whose host is not a school");
  }
  if (!v1::SubjectArea_IsValid(course.subject_area()) ||
      course.subject_area() == v1::SUBJECT_AREA_UNSPECIFIED) {
    return InvalidField("subject_area", "is required");
  }
  OSAN_RETURN_IF_ERROR(CheckRange("credits", course.credits(), 1, 8));
  if (!v1::DeliveryMode_IsValid(course.delivery_mode()) ||
      course.delivery_mode() == v1::DELIVERY_MODE_UNSPECIFIED) {
    return InvalidField("delivery_mode", "is required");
  }
  OSAN_RETURN_IF_ERROR(ParseInstitutionName("host", course.host()).status());
  if (!course.programme().empty()) {
    OSAN_RETURN_IF_ERROR(ParseProgrammeName("programme", course.programme()).status());
  }
  return CheckText("description", course.description(), 0, 2000, /*multiline=*/true);
}

void Review(v1::RecognitionState decision, const std::string& reviewer, absl::Time now,
            const std::string& reason, v1::Course* course) {
  v1::Recognition& recognition = *course->mutable_recognition();
  recognition.set_state(decision);
  recognition.set_reason(reason);
  recognition.set_reviewer(reviewer);
  recognition.mutable_review_time()->set_seconds(absl::ToUnixSeconds(now));
  if (decision == v1::APPROVED) {
    *recognition.mutable_approved() = VersionOf(*course);
    *recognition.mutable_approved()->mutable_approve_time() = recognition.review_time();
  }
}

std::string RecognisedFieldsChanged(const v1::Course& before, const v1::Course& after) {
  const v1::RecognisedVersion was = VersionOf(before);
  const v1::RecognisedVersion is = VersionOf(after);
  std::vector<std::string> changed;
  if (was.title() != is.title()) {
    changed.push_back("title");
  }
  if (was.category() != is.category()) {
    changed.push_back("category");
  }
  if (was.subject_area() != is.subject_area()) {
    changed.push_back("subject_area");
  }
  if (was.credits() != is.credits()) {
    changed.push_back("credits");
  }
  return absl::StrJoin(changed, ", ");
}

bool ReturnToReview(absl::string_view what, v1::Course* course) {
  v1::Recognition& recognition = *course->mutable_recognition();
  if (recognition.state() != v1::APPROVED && recognition.state() != v1::REJECTED) {
    return false;
  }
  recognition.set_state(v1::PENDING);
  recognition.set_reason(absl::StrCat(what, " changed since the last review"));
  recognition.clear_reviewer();
  recognition.clear_review_time();
  return true;
}

// ----- Sections -------------------------------------------------------------

int RequiredSessions(int credits, const google::protobuf::RepeatedField<int32_t>& eligible_grades,
                     const v1::Term& term) {
  const auto admits = [&](int grade) {
    return eligible_grades.empty() || std::find(eligible_grades.begin(), eligible_grades.end(),
                                                grade) != eligible_grades.end();
  };
  int per_credit = 0;
  int any_grade = 0;
  for (int grade = curriculum::kFirstGrade; grade <= curriculum::kLastGrade; ++grade) {
    const int entry_year = curriculum::EntryYearOfGrade(grade, term.year());
    const int sessions = curriculum::CurriculumFor(entry_year).sessions_per_credit;
    any_grade = std::max(any_grade, sessions);
    if (admits(grade)) {
      per_credit = std::max(per_credit, sessions);
    }
  }
  // Grades that are not 1..3 are refused by ValidateSection; until then,
  // count as if every grade were admitted.
  return credits * (per_credit > 0 ? per_credit : any_grade);
}

void ApplySectionDefaults(const v1::Course& course, const v1::Term& term, v1::Section* section) {
  if (section->sessions() == 0) {
    section->set_sessions(RequiredSessions(course.credits(), section->eligible_grades(), term));
  }
  if (section->host_share_cap_percent() == 0) {
    section->set_host_share_cap_percent(kDefaultHostSharePercent);
  }
}

absl::Status ValidateSection(const v1::Section& section, const v1::Course& course) {
  OSAN_RETURN_IF_ERROR(ParseCourseName("course", section.course()).status());
  OSAN_RETURN_IF_ERROR(CheckRange("capacity", section.capacity(), 1, 500));
  OSAN_RETURN_IF_ERROR(
      CheckRange("min_enrollment", section.min_enrollment(), 0, section.capacity()));
  OSAN_RETURN_IF_ERROR(CheckRange("sessions", section.sessions(), 1, 400));
  OSAN_RETURN_IF_ERROR(CheckMeetings(section));
  const bool needs_location = course.delivery_mode() != v1::ONLINE_REALTIME;
  OSAN_RETURN_IF_ERROR(CheckText("location", section.location(), needs_location ? 1 : 0, 200));
  OSAN_RETURN_IF_ERROR(
      CheckText("instructor_display_name", section.instructor_display_name(), 0, 50));
  std::set<int> grades;
  for (const int grade : section.eligible_grades()) {
    OSAN_RETURN_IF_ERROR(CheckRange("eligible_grades", grade, 1, 3));
    if (!grades.insert(grade).second) {
      return InvalidField("eligible_grades", "lists a grade twice");
    }
  }
  if (section.eligible_schools_size() > 50) {
    return InvalidField("eligible_schools", "lists more than 50 schools");
  }
  std::set<std::string> schools;
  for (const std::string& school : section.eligible_schools()) {
    OSAN_RETURN_IF_ERROR(ParseInstitutionName("eligible_schools", school).status());
    if (!schools.insert(school).second) {
      return InvalidField("eligible_schools", "lists a school twice");
    }
  }
  OSAN_RETURN_IF_ERROR(
      CheckRange("per_school_cap", section.per_school_cap(), 0, section.capacity()));
  OSAN_RETURN_IF_ERROR(
      CheckRange("host_share_cap_percent", section.host_share_cap_percent(), 1, 100));
  if (!v1::AllocationPolicy_IsValid(section.allocation_policy()) ||
      section.allocation_policy() == v1::ALLOCATION_POLICY_UNSPECIFIED) {
    return InvalidField("allocation_policy", "is required");
  }
  if (!section.programme().empty()) {
    OSAN_RETURN_IF_ERROR(ParseProgrammeName("programme", section.programme()).status());
  }
  return CheckPriorityRules(section);
}

int DeliverablePeriods(const v1::Section& section, const v1::Term& term) {
  absl::CivilDay start, end;
  if (!ToCivilDay(term.classes_start(), &start) || !ToCivilDay(term.classes_end(), &end)) {
    return 0;
  }
  std::set<absl::CivilDay> non_teaching;
  for (const auto& date : term.non_teaching_dates()) {
    absl::CivilDay day;
    if (ToCivilDay(date, &day)) {
      non_teaching.insert(day);
    }
  }
  const auto periods = [](const type::v1::TimeOfDay& from, const type::v1::TimeOfDay& to) {
    const int minutes = Minutes(to) - Minutes(from);
    return minutes > 0 ? minutes / curriculum::kMinutesPerPeriod : 0;
  };
  // Periods held on each weekday (1 = Monday .. 7 = Sunday) of a class day.
  int weekly[8] = {};
  for (const auto& meeting : section.weekly_meetings()) {
    if (meeting.weekday() >= 1 && meeting.weekday() <= 7) {
      weekly[meeting.weekday()] += periods(meeting.start_time(), meeting.end_time());
    }
  }
  int total = 0;
  if (section.weekly_meetings_size() > 0 && end - start <= kMaxClassDays) {
    for (absl::CivilDay day = start; day <= end; ++day) {
      if (non_teaching.count(day) == 0) {
        total += weekly[static_cast<int>(absl::GetWeekday(day)) + 1];
      }
    }
  }
  for (const auto& meeting : section.dated_meetings()) {
    absl::CivilDay day;
    if (ToCivilDay(meeting.date(), &day) && non_teaching.count(day) == 0) {
      total += periods(meeting.start_time(), meeting.end_time());
    }
  }
  return total;
}

absl::Status CheckDeliversHours(const v1::Section& section, int credits, const v1::Term& term) {
  const int required = RequiredSessions(credits, section.eligible_grades(), term);
  if (section.sessions() < required) {
    return InvalidField("sessions", absl::StrCat(section.sessions(), " planned; ", credits,
                                                 " credit(s) need ", required, " sessions of ",
                                                 curriculum::kMinutesPerPeriod, " minutes"));
  }
  const int periods = DeliverablePeriods(section, term);
  if (periods < section.sessions()) {
    absl::CivilDay start, end;
    ToCivilDay(term.classes_start(), &start);
    ToCivilDay(term.classes_end(), &end);
    return InvalidField(
        section.weekly_meetings().empty() ? "dated_meetings" : "weekly_meetings",
        absl::StrCat(periods, " periods fit between ", absl::FormatCivilTime(start), " and ",
                     absl::FormatCivilTime(end), "; ", section.sessions(), " needed"));
  }
  return absl::OkStatus();
}

absl::Status CheckSectionUpdate(const v1::Section& before, const v1::Section& after,
                                const google::protobuf::FieldMask& mask) {
  const v1::SectionState state = before.state();
  if (state == v1::COMPLETED || state == v1::CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat("a ", v1::SectionState_Name(state), " section cannot be changed"));
  }
  if (state == v1::DRAFT || state == v1::PUBLISHED) {
    return absl::OkStatus();
  }
  for (const std::string& path : mask.paths()) {
    if (kSectionUpdatableAfterOpening.count(path) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(path,
                       " cannot change once enrolment has opened; only location, "
                       "instructor_display_name, programme and a larger capacity can"));
    }
  }
  if (after.capacity() < before.capacity()) {
    return absl::FailedPreconditionError(
        "capacity cannot shrink once enrolment has opened (seats may be promised)");
  }
  return absl::OkStatus();
}

std::vector<int> MeetingWeekdays(const v1::Section& section) {
  std::set<int> days;
  for (const auto& meeting : section.weekly_meetings()) {
    days.insert(meeting.weekday());
  }
  for (const auto& meeting : section.dated_meetings()) {
    absl::CivilDay day;
    if (ToCivilDay(meeting.date(), &day)) {
      // absl::Weekday counts from Monday = 0, as ISO 8601 does from Monday = 1.
      days.insert(static_cast<int>(absl::GetWeekday(day)) + 1);
    }
  }
  return {days.begin(), days.end()};
}

bool IsLifecycleEdge(v1::SectionState from, v1::SectionState to) {
  switch (to) {
    case v1::PUBLISHED:
      return from == v1::DRAFT;
    case v1::ENROLLMENT_OPEN:
      return from == v1::PUBLISHED || from == v1::ENROLLMENT_CLOSED;
    case v1::ENROLLMENT_CLOSED:
      return from == v1::ENROLLMENT_OPEN;
    case v1::IN_PROGRESS:
      return from == v1::ENROLLMENT_CLOSED;
    case v1::COMPLETED:
      return from == v1::IN_PROGRESS;
    case v1::CANCELLED:
      return from != v1::SECTION_STATE_UNSPECIFIED && from != v1::COMPLETED &&
             from != v1::CANCELLED;
    default:
      return false;
  }
}

absl::Status CheckTransition(const v1::Section& section, v1::SectionState target,
                             absl::string_view reason, const v1::Course& course) {
  if (!v1::SectionState_IsValid(target) || target == v1::SECTION_STATE_UNSPECIFIED ||
      target == v1::DRAFT) {
    return InvalidField("target_state", "must be a state after DRAFT");
  }
  if (!IsLifecycleEdge(section.state(), target)) {
    return absl::FailedPreconditionError(absl::StrCat("a ", v1::SectionState_Name(section.state()),
                                                      " section cannot become ",
                                                      v1::SectionState_Name(target)));
  }
  if (target == v1::CANCELLED) {
    OSAN_RETURN_IF_ERROR(CheckText("reason", reason, 1, 500));
  } else if (!reason.empty()) {
    OSAN_RETURN_IF_ERROR(CheckText("reason", reason, 0, 500));
  }
  if (target == v1::PUBLISHED) {
    OSAN_RETURN_IF_ERROR(CheckRecognised(course, "be published"));
  }
  if (target == v1::ENROLLMENT_OPEN) {
    OSAN_RETURN_IF_ERROR(CheckRecognised(course, "open enrolment"));
  }
  return absl::OkStatus();
}

bool IsPubliclyVisible(v1::SectionState state) {
  return state == v1::PUBLISHED || state == v1::ENROLLMENT_OPEN || state == v1::ENROLLMENT_CLOSED ||
         state == v1::IN_PROGRESS;
}

v1::PublicSection ToPublicSection(const v1::Section& section, const v1::Course& course,
                                  const v1::Institution& host, const v1::Programme& programme) {
  v1::PublicSection view;
  view.set_name(section.name());
  view.set_term(section.name().substr(0, section.name().find("/sections/")));
  view.set_title(course.title());
  view.set_category(course.category());
  view.set_subject_area(course.subject_area());
  view.set_credits(course.credits());
  view.set_delivery_mode(course.delivery_mode());
  view.set_host(section.host());
  view.set_host_display_name(host.display_name());
  view.set_description(course.description());
  *view.mutable_weekly_meetings() = section.weekly_meetings();
  *view.mutable_dated_meetings() = section.dated_meetings();
  view.set_location(section.location());
  view.set_instructor_display_name(section.instructor_display_name());
  view.set_capacity(section.capacity());
  view.set_sessions(section.sessions());
  *view.mutable_eligible_grades() = section.eligible_grades();
  view.set_allocation_policy(section.allocation_policy());
  view.set_state(section.state());
  view.set_host_area(host.area());
  view.set_host_address(host.address());
  if (!programme.name().empty()) {
    view.set_programme(programme.name());
    view.set_programme_display_name(programme.display_name());
    view.set_funder_display_name(FunderLabel(programme.funder()));
  }
  return view;
}

void AddHowToApply(const v1::Section& section, const v1::Term& term,
                   const std::map<std::string, std::string>& display_names,
                   v1::PublicSection* view) {
  view->mutable_application_open_time()->set_seconds(term.application_window().start_unix());
  view->mutable_application_close_time()->set_seconds(term.application_window().end_unix());
  for (const std::string& school : section.eligible_schools()) {
    const auto name = display_names.find(school);
    view->add_eligible_school_names(name == display_names.end() ? school : name->second);
  }
}

// ----- Programmes -----------------------------------------------------------

absl::Status ValidateProgramme(const v1::Programme& programme) {
  OSAN_RETURN_IF_ERROR(CheckText("display_name", programme.display_name(), 1, 100));
  OSAN_RETURN_IF_ERROR(CheckRange("year", programme.year(), 2000, 2100));
  OSAN_RETURN_IF_ERROR(CheckText("annex", programme.annex(), 1, 100));
  if (!v1::Funder_IsValid(programme.funder()) || programme.funder() == v1::FUNDER_UNSPECIFIED) {
    return InvalidField("funder",
                        "is required: CITY (오산시), EDU_OFFICE (화성오산교육지원청) or "
                        "PROVINCE (경기도)");
  }
  return CheckRange("budget_krw", programme.budget_krw(), 0, kMaxBudgetKrw);
}

std::string FundingProgramme(const v1::Section& section, const v1::Course& course) {
  return section.programme().empty() ? course.programme() : section.programme();
}

// ----- Who may change what --------------------------------------------------

absl::Status RequireCatalogAdmin(const auth::Principal& principal) {
  return auth::RequireCityOrOffice(principal, "manage institutions, terms and programmes");
}

}  // namespace osan::catalog
