#include "services/enrollment/domain/rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/curriculum.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validation.h"
#include "services/catalog/vocabulary/labels.h"
#include "services/catalog/vocabulary/recognition.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;

constexpr absl::string_view kApplications = "applications/";

// Minutes since midnight, in 64 bits so that no int32 field values (catalog
// validates them, but the domain does not rely on that) overflow.
int64_t Minutes(const type::v1::TimeOfDay& time) {
  return int64_t{time.hours()} * 60 + time.minutes();
}

bool Overlap(const type::v1::TimeOfDay& a_start, const type::v1::TimeOfDay& a_end,
             const type::v1::TimeOfDay& b_start, const type::v1::TimeOfDay& b_end) {
  return Minutes(a_start) < Minutes(b_end) && Minutes(b_start) < Minutes(a_end);
}

bool SameDate(const type::v1::Date& a, const type::v1::Date& b) {
  return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
}

// Whether any meeting of `a` overlaps any meeting of `b`, one direction of
// the weekly/dated pairs (MeetingsConflict checks both).
bool WeeklyMeetsDated(const cv1::Section& weekly, const cv1::Section& dated) {
  for (const auto& w : weekly.weekly_meetings()) {
    for (const auto& d : dated.dated_meetings()) {
      if (w.weekday() == catalog::WeekdayOf(d.date()) &&
          Overlap(w.start_time(), w.end_time(), d.start_time(), d.end_time())) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

// ----- Names ----------------------------------------------------------------

std::string ApplicationName(absl::string_view id) { return absl::StrCat(kApplications, id); }

absl::StatusOr<std::string> ParseApplicationName(absl::string_view field, absl::string_view name) {
  return ParseUuidName(field, name, kApplications);
}

absl::StatusOr<std::string> ParseUuidName(absl::string_view field, absl::string_view name,
                                          absl::string_view prefix) {
  if (!absl::ConsumePrefix(&name, prefix) || !IsUuid(name)) {
    return InvalidField(field, absl::StrCat("must be ", prefix, "{id}"));
  }
  return absl::AsciiStrToLower(name);
}

// ----- Students -------------------------------------------------------------

bool LooksLikeResidentNumber(absl::string_view key) {
  constexpr size_t kDigits = 13;
  constexpr size_t kBirthDateDigits = 6;
  const auto is_digit = [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); };
  const bool separated = key.size() == kDigits + 1 && !is_digit(key[kBirthDateDigits]);
  if (key.size() != kDigits && !separated) {
    return false;
  }
  for (size_t i = 0; i < key.size(); ++i) {
    if (!is_digit(key[i]) && !(separated && i == kBirthDateDigits)) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateStudent(const v1::Student& student) {
  const std::string& key = student.student_key();
  if (!IsStudentKey(key)) {
    return InvalidField("student_key", "must be 1..64 characters of A-Z, a-z, 0-9, '.', '_', '-'");
  }
  if (LooksLikeResidentNumber(key)) {
    return InvalidField("student_key",
                        "looks like a resident registration number; use the school's own "
                        "pseudonymous key");
  }
  OSAN_RETURN_IF_ERROR(CheckRange("entry_year", student.entry_year(), 2000, 2100));
  return CheckText("display_name", student.display_name(), 1, 50);
}

// ----- Applying -------------------------------------------------------------

bool IsLive(v1::ApplicationState state) {
  return state == v1::SUBMITTED || state == v1::APPROVED || state == v1::HOST_ACCEPTED ||
         state == v1::ENROLLED || state == v1::WAITLISTED;
}

absl::Status CheckOpenForApplications(const cv1::Section& section, const cv1::Course& course,
                                      const cv1::Term& term, absl::Time now) {
  if (section.state() != cv1::ENROLLMENT_OPEN) {
    return absl::FailedPreconditionError(absl::StrCat("the section is not open for applications (",
                                                      cv1::SectionState_Name(section.state()),
                                                      ")"));
  }
  OSAN_RETURN_IF_ERROR(catalog::CheckRecognised(course, "take applications"));
  const int64_t t = absl::ToUnixSeconds(now);
  const auto inside = [t](const type::v1::Window& window) {
    return window.start_unix() <= t && t < window.end_unix();
  };
  if (!inside(term.application_window()) &&
      !(term.has_makeup_window() && inside(term.makeup_window()))) {
    return absl::FailedPreconditionError("outside the term's application and make-up windows");
  }
  return absl::OkStatus();
}

int GradeIn(const v1::Student& student, int school_year) {
  return curriculum::GradeInSchoolYear(student.entry_year(), school_year);
}

v1::Student WithGradeAt(absl::Time now, v1::Student student) {
  student.set_grade_level(GradeIn(student, curriculum::SchoolYearAt(now)));
  return student;
}

absl::Status CheckEligible(const v1::Student& student, absl::string_view school_code,
                           const cv1::Section& section, int school_year) {
  const int grade = GradeIn(student, school_year);
  if (grade < curriculum::kFirstGrade || grade > curriculum::kLastGrade) {
    return absl::FailedPreconditionError(
        absl::StrCat("the student entered high school in ", student.entry_year(),
                     " and is not a high-school student in school year ", school_year));
  }
  const auto& grades = section.eligible_grades();
  if (!grades.empty() && std::find(grades.begin(), grades.end(), grade) == grades.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("grade ", grade, " students (entered ", student.entry_year(),
                     ") are not eligible for the section in ", school_year));
  }
  const auto& schools = section.eligible_schools();
  const std::string school = absl::StrCat("institutions/", school_code);
  if (!schools.empty() && std::find(schools.begin(), schools.end(), school) == schools.end()) {
    return absl::FailedPreconditionError("the student's school is not eligible for the section");
  }
  return absl::OkStatus();
}

bool MeetingsConflict(const cv1::Section& a, const cv1::Section& b) {
  for (const auto& x : a.weekly_meetings()) {
    for (const auto& y : b.weekly_meetings()) {
      if (x.weekday() == y.weekday() &&
          Overlap(x.start_time(), x.end_time(), y.start_time(), y.end_time())) {
        return true;
      }
    }
  }
  for (const auto& x : a.dated_meetings()) {
    for (const auto& y : b.dated_meetings()) {
      if (SameDate(x.date(), y.date()) &&
          Overlap(x.start_time(), x.end_time(), y.start_time(), y.end_time())) {
        return true;
      }
    }
  }
  return WeeklyMeetsDated(a, b) || WeeklyMeetsDated(b, a);
}

absl::Status CheckAgainstLiveApplications(const std::vector<LiveApplication>& live,
                                          absl::string_view section_id, const cv1::Section& section,
                                          int preference_rank, int credits,
                                          const StudentLimits& limits) {
  int total_credits = credits;
  for (const LiveApplication& other : live) {
    if (other.section_id == section_id) {
      return absl::AlreadyExistsError(
          absl::StrCat("the student already applied for this section: ", other.name));
    }
    if (other.preference_rank == preference_rank) {
      return absl::FailedPreconditionError(
          absl::StrCat("preference_rank ", preference_rank, " is already used by ", other.name));
    }
    if (other.section != nullptr && MeetingsConflict(*other.section, section)) {
      return absl::FailedPreconditionError(
          absl::StrCat("meets at the same time as ", other.section->name(), " (", other.name, ")"));
    }
    total_credits += other.credits;
  }
  if (static_cast<int>(live.size()) >= limits.max_applications_per_term) {
    return absl::FailedPreconditionError(absl::StrCat("the student already has ", live.size(),
                                                      " live applications this term, the limit"));
  }
  if (total_credits > limits.max_credits_per_term) {
    return absl::FailedPreconditionError(absl::StrCat("applications would total ", total_credits,
                                                      " credits this term; the limit is ",
                                                      limits.max_credits_per_term));
  }
  return absl::OkStatus();
}

// ----- Lifecycle ------------------------------------------------------------

absl::Status CheckAction(v1::ApplicationState state, Action action) {
  bool allowed = false;
  switch (action) {
    case Action::kApprove:
      allowed = state == v1::SUBMITTED;
      break;
    case Action::kReject:
      allowed = state == v1::SUBMITTED || state == v1::APPROVED;
      break;
    case Action::kWithdraw:
      allowed = state == v1::SUBMITTED || state == v1::APPROVED || state == v1::HOST_ACCEPTED ||
                state == v1::WAITLISTED;
      break;
    case Action::kAccept:
    case Action::kDecline:
      allowed = state == v1::APPROVED;
      break;
    case Action::kDrop:
      allowed = state == v1::ENROLLED || state == v1::WAITLISTED;
      break;
  }
  if (!allowed) {
    return absl::FailedPreconditionError(absl::StrCat("not possible for an application in state ",
                                                      v1::ApplicationState_Name(state)));
  }
  return absl::OkStatus();
}

v1::ApplicationState StateAfter(Action action) {
  switch (action) {
    case Action::kApprove:
      return v1::APPROVED;
    case Action::kReject:
    case Action::kDecline:
      return v1::REJECTED;
    case Action::kWithdraw:
      return v1::WITHDRAWN;
    case Action::kAccept:
      return v1::HOST_ACCEPTED;
    case Action::kDrop:
      return v1::DROPPED;
  }
  return v1::APPLICATION_STATE_UNSPECIFIED;
}

// ----- Who may do what ------------------------------------------------------

}  // namespace osan::enrollment
