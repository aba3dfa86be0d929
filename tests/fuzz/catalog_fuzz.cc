// Catalog request validation and proto -> domain conversion on arbitrary
// messages, and the resource-name parsers on arbitrary strings.
//
// Input: byte 0 chooses the message (0 Section, 1 Course, 2 Term,
// 3 Institution); the rest is its wire format (inputs that do not parse are
// skipped). The whole input is also given to the name parsers as a string.
//
// Contracts checked: validators return OK or INVALID_ARGUMENT (never INTERNAL
// or another code); CheckSectionUpdate returns OK or FAILED_PRECONDITION as
// the state allows; what validates is consistent (names of valid resources
// parse back, meetings of a valid section fall on real weekdays); a parsed
// name prints back as the input.
#include <google/protobuf/field_mask.pb.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "common/dates.h"
#include "common/names.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "services/catalog/domain/rules.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::catalog {
namespace {

using absl::StatusCode;
using fuzz::ExpectCode;

constexpr char kCourseName[] = "courses/0b6f2c1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b";
constexpr char kSectionName[] = "terms/2026-1/sections/7e0c8b1a-2f3d-4c5e-9a6b-1d2e3f4a5b6c";

v1::Course ValidCourse() {
  v1::Course course;
  course.set_name(kCourseName);
  course.set_title("인공지능 기초");
  course.set_category(v1::CAREER_ELECTIVE);
  course.set_subject_area(v1::LIFE_AND_LIBERAL);
  course.set_credits(4);
  course.set_delivery_mode(v1::IN_PERSON);
  course.set_host("institutions/OSAN-AICODING");
  course.mutable_recognition()->set_state(v1::NOT_REQUIRED);
  return course;
}

v1::Institution ValidHost() {
  v1::Institution host;
  host.set_name("institutions/OSAN-AICODING");
  host.set_kind(v1::CITY_ACADEMY);
  host.set_display_name("AI 코딩 에듀랩");
  host.set_host_code("OSAN-AICODING");
  return host;
}

v1::Section ValidSection(v1::SectionState state) {
  v1::Section section;
  section.set_name(kSectionName);
  section.set_course(kCourseName);
  section.set_host("institutions/OSAN-AICODING");
  section.set_capacity(20);
  section.set_sessions(64);
  auto* meeting = section.add_weekly_meetings();
  meeting->set_weekday(v1::TUESDAY);
  meeting->mutable_start_time()->set_hours(16);
  meeting->mutable_end_time()->set_hours(18);
  section.set_location("에듀랩 2층");
  section.set_allocation_policy(v1::LOTTERY);
  section.set_state(state);
  return section;
}

// The paths of the top-level fields `message` sets: an update of everything
// the input carries.
google::protobuf::FieldMask MaskOf(const google::protobuf::Message& message) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  google::protobuf::FieldMask mask;
  for (const auto* field : fields) {
    mask.add_paths(field->name());
  }
  return mask;
}

void CheckNames(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (auto code = ParseInstitutionName("f", text); code.ok()) {
    OSAN_FUZZ_CHECK(InstitutionName(*code) == text);
  } else {
    ExpectCode(code.status(), {StatusCode::kInvalidArgument}, "ParseInstitutionName");
  }
  if (auto term = ParseTermName("f", text); term.ok()) {
    OSAN_FUZZ_CHECK(term->name() == text);
    OSAN_FUZZ_CHECK(term->semester == 1 || term->semester == 2);
  } else {
    ExpectCode(term.status(), {StatusCode::kInvalidArgument}, "ParseTermName");
  }
  if (auto id = ParseCourseName("f", text); id.ok()) {
    OSAN_FUZZ_CHECK(IsUuid(*id));
    OSAN_FUZZ_CHECK(CourseName(*id) == lower);
  } else {
    ExpectCode(id.status(), {StatusCode::kInvalidArgument}, "ParseCourseName");
  }
  if (auto section = ParseSectionName("f", text); section.ok()) {
    OSAN_FUZZ_CHECK(IsUuid(section->id));
    OSAN_FUZZ_CHECK(section->name() == lower);
    OSAN_FUZZ_CHECK(ParseTermName("f", section->term.name()).ok());
  } else {
    ExpectCode(section.status(), {StatusCode::kInvalidArgument}, "ParseSectionName");
  }
}

// A first semester of 2027 (classes 2 March to 16 July).
v1::Term FuzzTerm() {
  v1::Term term;
  term.set_year(2027);
  term.set_semester(1);
  term.mutable_classes_start()->set_year(2027);
  term.mutable_classes_start()->set_month(3);
  term.mutable_classes_start()->set_day(2);
  term.mutable_classes_end()->set_year(2027);
  term.mutable_classes_end()->set_month(7);
  term.mutable_classes_end()->set_day(16);
  return term;
}

void CheckSectionUpdates(const v1::Section& section) {
  const google::protobuf::FieldMask mask = MaskOf(section);
  for (int s = v1::SectionState_MIN; s <= v1::SectionState_MAX; ++s) {
    const auto state = static_cast<v1::SectionState>(s);
    const v1::Section before = ValidSection(state);
    const absl::Status status = CheckSectionUpdate(before, section, mask);
    ExpectCode(status, {StatusCode::kOk, StatusCode::kFailedPrecondition}, "CheckSectionUpdate");
    if (state == v1::COMPLETED || state == v1::CANCELLED) {
      OSAN_FUZZ_CHECK(!status.ok());
    } else if (state == v1::DRAFT || state == v1::PUBLISHED) {
      OSAN_FUZZ_CHECK(status.ok());
    } else if (status.ok()) {
      // Once enrolment has opened: only the few fields, and capacity only grows.
      OSAN_FUZZ_CHECK(section.capacity() >= before.capacity());
      for (const std::string& path : mask.paths()) {
        OSAN_FUZZ_CHECK(kSectionUpdatableAfterOpening.count(path) == 1);
      }
    }
    // And the other way round: the input as the stored section.
    ExpectCode(CheckSectionUpdate(section, before, MaskOf(before)),
               {StatusCode::kOk, StatusCode::kFailedPrecondition}, "CheckSectionUpdate");
  }
}

void CheckSection(const v1::Section& input) {
  const v1::Course course = ValidCourse();
  v1::Section section = input;
  const absl::Status status = ValidateSection(section, course);
  ExpectCode(status, {StatusCode::kOk, StatusCode::kInvalidArgument}, "ValidateSection");
  const std::vector<int> weekdays = MeetingWeekdays(section);
  if (status.ok()) {
    OSAN_FUZZ_CHECK(section.capacity() >= 1 && section.capacity() <= 500);
    OSAN_FUZZ_CHECK(section.weekly_meetings().empty() != section.dated_meetings().empty());
    OSAN_FUZZ_CHECK(!weekdays.empty());
    for (const int day : weekdays) {
      OSAN_FUZZ_CHECK(day >= 1 && day <= 7);
    }
  }
  for (size_t i = 1; i < weekdays.size(); ++i) {
    OSAN_FUZZ_CHECK(weekdays[i - 1] < weekdays[i]);
  }

  // Defaults never make a valid section invalid.
  const v1::Term term = FuzzTerm();
  ApplySectionDefaults(course, term, &section);
  const absl::Status defaulted = ValidateSection(section, course);
  ExpectCode(defaulted, {StatusCode::kOk, StatusCode::kInvalidArgument}, "ValidateSection");
  if (status.ok()) {
    OSAN_FUZZ_CHECK(defaulted.ok());
  }
  // Hours: a count, and a refusal naming a field, never anything else.
  const int periods = DeliverablePeriods(section, term);
  OSAN_FUZZ_CHECK(periods >= 0);
  const absl::Status hours = CheckDeliversHours(section, course.credits(), term);
  ExpectCode(hours, {StatusCode::kOk, StatusCode::kInvalidArgument}, "CheckDeliversHours");
  if (hours.ok()) {
    OSAN_FUZZ_CHECK(periods >= section.sessions());
    OSAN_FUZZ_CHECK(section.sessions() >=
                    RequiredSessions(course.credits(), section.eligible_grades(), term));
  }

  const v1::PublicSection view = ToPublicSection(section, course, ValidHost(), v1::Programme());
  OSAN_FUZZ_CHECK(view.name() == section.name());
  OSAN_FUZZ_CHECK(view.capacity() == section.capacity());
  OSAN_FUZZ_CHECK(view.weekly_meetings_size() == section.weekly_meetings_size());
  OSAN_FUZZ_CHECK(absl::string_view(section.name()).substr(0, view.term().size()) == view.term());
  std::string bytes;
  OSAN_FUZZ_CHECK(view.SerializeToString(&bytes));

  for (int t = v1::SectionState_MIN; t <= v1::SectionState_MAX + 1; ++t) {
    ExpectCode(
        CheckTransition(section, static_cast<v1::SectionState>(t), section.cancel_reason(), course),
        {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kFailedPrecondition},
        "CheckTransition");
  }
  CheckSectionUpdates(input);
}

void CheckCourse(const v1::Course& input) {
  const absl::Status status = ValidateCourse(input);
  ExpectCode(status, {StatusCode::kOk, StatusCode::kInvalidArgument}, "ValidateCourse");
  if (status.ok()) {
    OSAN_FUZZ_CHECK(input.credits() >= 1 && input.credits() <= 8);
    OSAN_FUZZ_CHECK(ParseInstitutionName("host", input.host()).ok());
  }
  v1::Course course = input;
  ApplyCourseDefaults(&course);
  if (input.credits() == 0) {
    OSAN_FUZZ_CHECK(course.credits() == 3 || course.credits() == 4);
  }
  ExpectCode(ValidateCourse(course), {StatusCode::kOk, StatusCode::kInvalidArgument},
             "ValidateCourse");
  (void)IsRecognised(course);

  // The course as the one a valid section offers.
  v1::Section section = ValidSection(v1::DRAFT);
  ExpectCode(ValidateSection(section, course), {StatusCode::kOk, StatusCode::kInvalidArgument},
             "ValidateSection");
  const v1::PublicSection view = ToPublicSection(section, course, ValidHost(), v1::Programme());
  OSAN_FUZZ_CHECK(view.title() == course.title());
}

void CheckTerm(const v1::Term& term) {
  // Whatever the term, counting a section's periods in it is bounded.
  OSAN_FUZZ_CHECK(DeliverablePeriods(ValidSection(v1::DRAFT), term) >= 0);
  const absl::Status status = ValidateTerm(term);
  ExpectCode(status, {StatusCode::kOk, StatusCode::kInvalidArgument}, "ValidateTerm");
  if (status.ok()) {
    const TermId id{term.year(), term.semester()};
    auto parsed = ParseTermName("name", id.name());
    OSAN_FUZZ_CHECK(parsed.ok());
    OSAN_FUZZ_CHECK(parsed->year == term.year() && parsed->semester == term.semester());
    absl::CivilDay start, end;
    OSAN_FUZZ_CHECK(ToCivilDay(term.classes_start(), &start));
    OSAN_FUZZ_CHECK(ToCivilDay(term.classes_end(), &end));
    OSAN_FUZZ_CHECK(start <= end);
  }
}

void CheckInstitution(const v1::Institution& institution) {
  const absl::Status status = ValidateInstitution(institution);
  ExpectCode(status, {StatusCode::kOk, StatusCode::kInvalidArgument}, "ValidateInstitution");
  if (status.ok()) {
    // A valid institution's code names it.
    const std::string code = InstitutionCode(institution);
    auto parsed = ParseInstitutionName("name", InstitutionName(code));
    OSAN_FUZZ_CHECK(parsed.ok());
    OSAN_FUZZ_CHECK(*parsed == code);
  }
  (void)CanHost(institution.kind());
}

}  // namespace
}  // namespace osan::catalog

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  osan::fuzz::QuietProtobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = osan::catalog::v1;
  osan::catalog::CheckNames(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (size == 0) {
    return 0;
  }
  const uint8_t* message = data + 1;
  const int message_size = static_cast<int>(size - 1);
  switch (data[0] % 4) {
    case 0: {
      v1::Section section;
      if (section.ParseFromArray(message, message_size)) {
        osan::catalog::CheckSection(section);
      }
      break;
    }
    case 1: {
      v1::Course course;
      if (course.ParseFromArray(message, message_size)) {
        osan::catalog::CheckCourse(course);
      }
      break;
    }
    case 2: {
      v1::Term term;
      if (term.ParseFromArray(message, message_size)) {
        osan::catalog::CheckTerm(term);
      }
      break;
    }
    case 3: {
      v1::Institution institution;
      if (institution.ParseFromArray(message, message_size)) {
        osan::catalog::CheckInstitution(institution);
      }
      break;
    }
  }
  return 0;
}
