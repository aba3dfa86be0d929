// Enrollment's rules on arbitrary messages: student validation, the
// resource-name parsers, meeting-time conflicts and the checks of a new
// application against a student's live ones.
//
// Input: byte 0 chooses the mode.
//   even: the rest is an osan.enrollment.v1.Student (ValidateStudent,
//         CheckEligible).
//   odd:  bytes 1..4 are the new application's preference rank and credits
//         and the per-term limits; the rest is an
//         osan.catalog.v1.ListSectionsResponse whose first section is the one
//         applied for and the others are the student's live applications.
// The whole input is also given to the name parsers as a string.
//
// Sections reach enrollment from the catalog, which has validated them; the
// time-of-day fields are brought into their documented ranges (hours 0..23,
// minutes 0..59), since the overlap arithmetic relies on them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/domain/placement.h"
#include "services/enrollment/domain/rules.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;
using absl::StatusCode;
using fuzz::ExpectCode;

bool IsKeyChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

void CheckNames(absl::string_view text) {
  if (auto school = ParseSchoolName("f", text); school.ok()) {
    OSAN_FUZZ_CHECK(SchoolName(*school) == text);
  } else {
    ExpectCode(school.status(), {StatusCode::kInvalidArgument}, "ParseSchoolName");
  }
  if (auto student = ParseStudentName("f", text); student.ok()) {
    OSAN_FUZZ_CHECK(student->name() == text);
    OSAN_FUZZ_CHECK(ParseSchoolName("f", SchoolName(student->school)).ok());
    OSAN_FUZZ_CHECK(!student->key.empty() && student->key.size() <= 64);
  } else {
    ExpectCode(student.status(), {StatusCode::kInvalidArgument}, "ParseStudentName");
  }
  if (auto application = ParseApplicationName("f", text); application.ok()) {
    OSAN_FUZZ_CHECK(ApplicationName(*application) == absl::AsciiStrToLower(text));
  } else {
    ExpectCode(application.status(), {StatusCode::kInvalidArgument}, "ParseApplicationName");
  }
  if (LooksLikeResidentNumber(text)) {
    OSAN_FUZZ_CHECK(text.size() == 13 || text.size() == 14);
  }
}

void CheckStudent(const v1::Student& student) {
  const absl::Status status = ValidateStudent(student);
  ExpectCode(status, {StatusCode::kOk, StatusCode::kInvalidArgument}, "ValidateStudent");
  if (status.ok()) {
    const std::string& key = student.student_key();
    OSAN_FUZZ_CHECK(!key.empty() && key.size() <= 64);
    for (const char c : key) {
      OSAN_FUZZ_CHECK(IsKeyChar(c));
    }
    OSAN_FUZZ_CHECK(!LooksLikeResidentNumber(key));
    OSAN_FUZZ_CHECK(student.entry_year() >= 2000 && student.entry_year() <= 2100);
    // A valid key makes a student name that parses back.
    const StudentId id{"J10-7531001", key};
    auto parsed = ParseStudentName("name", id.name());
    OSAN_FUZZ_CHECK(parsed.ok() && parsed->key == key);
  }
  cv1::Section section;
  section.add_eligible_grades(2);
  section.add_eligible_schools("institutions/J10-7531001");
  const absl::Status eligible = CheckEligible(student, "J10-7531001", section, 2027);
  ExpectCode(eligible, {StatusCode::kOk, StatusCode::kFailedPrecondition}, "CheckEligible");
  if (eligible.ok()) {
    // Only the grade the section lists: the 2026 cohort, in grade 2 in 2027.
    OSAN_FUZZ_CHECK(student.entry_year() == 2026);
  }
}

void Normalize(type::v1::TimeOfDay* time) {
  time->set_hours(static_cast<int>(static_cast<uint32_t>(time->hours()) % 24));
  time->set_minutes(static_cast<int>(static_cast<uint32_t>(time->minutes()) % 60));
}

void Normalize(cv1::Section* section) {
  for (auto& meeting : *section->mutable_weekly_meetings()) {
    Normalize(meeting.mutable_start_time());
    Normalize(meeting.mutable_end_time());
  }
  for (auto& meeting : *section->mutable_dated_meetings()) {
    Normalize(meeting.mutable_start_time());
    Normalize(meeting.mutable_end_time());
  }
  section->set_capacity(static_cast<int>(static_cast<uint32_t>(section->capacity()) % 501));
  section->set_host_share_cap_percent(
      static_cast<int>(static_cast<uint32_t>(section->host_share_cap_percent()) % 101));
}

int Minutes(const type::v1::TimeOfDay& time) { return time.hours() * 60 + time.minutes(); }

// Whether a section has a meeting that ends after it starts.
bool HasProperMeeting(const cv1::Section& section) {
  for (const auto& meeting : section.weekly_meetings()) {
    if (Minutes(meeting.start_time()) < Minutes(meeting.end_time())) {
      return true;
    }
  }
  for (const auto& meeting : section.dated_meetings()) {
    if (Minutes(meeting.start_time()) < Minutes(meeting.end_time())) {
      return true;
    }
  }
  return false;
}

void CheckApplications(const uint8_t* params, std::vector<cv1::Section> sections) {
  for (auto& section : sections) {
    Normalize(&section);
  }
  // Conflicts are symmetric, and a section with a proper meeting conflicts with itself.
  for (size_t i = 0; i < sections.size(); ++i) {
    if (HasProperMeeting(sections[i])) {
      OSAN_FUZZ_CHECK(MeetingsConflict(sections[i], sections[i]));
    }
    for (size_t j = 0; j < i; ++j) {
      OSAN_FUZZ_CHECK(MeetingsConflict(sections[i], sections[j]) ==
                      MeetingsConflict(sections[j], sections[i]));
    }
    const int from_school = params[0] % 8;
    const SeatedClass seated{1000, from_school, {{"J10-7531001", from_school}}};
    const std::string blocks = SeatBlocked(sections[i], seated, "J10-7531001");
    if (sections[i].per_school_cap() <= 0 && sections[i].host() != "institutions/J10-7531001") {
      OSAN_FUZZ_CHECK(blocks.empty());
    }
  }
  if (sections.empty()) {
    return;
  }

  const cv1::Section& section = sections[0];
  const int preference_rank = params[0] % 8 + 1;
  const int credits = params[1] % 9;
  StudentLimits limits;
  limits.max_applications_per_term = params[2] % 8;
  limits.max_credits_per_term = params[3] % 32;
  std::vector<LiveApplication> live;
  for (size_t i = 1; i < sections.size(); ++i) {
    LiveApplication application;
    application.name = absl::StrCat("applications/", i);
    application.section_id = sections[i].name();
    // Every third live application has no section at hand.
    application.section = i % 3 == 0 ? nullptr : &sections[i];
    application.preference_rank = sections[i].min_enrollment();
    application.credits = static_cast<int>(static_cast<uint32_t>(sections[i].sessions()) % 9);
    live.push_back(application);
  }
  const absl::Status status =
      CheckAgainstLiveApplications(live, section.name(), section, preference_rank, credits, limits);
  ExpectCode(status, {StatusCode::kOk, StatusCode::kAlreadyExists, StatusCode::kFailedPrecondition},
             "CheckAgainstLiveApplications");

  // The same decision, worked out independently.
  bool duplicate = false;
  bool rank_used = false;
  bool conflict = false;
  int total_credits = credits;
  for (const LiveApplication& other : live) {
    duplicate |= other.section_id == section.name();
    rank_used |= other.preference_rank == preference_rank;
    conflict |= other.section != nullptr && MeetingsConflict(*other.section, section);
    total_credits += other.credits;
  }
  const bool acceptable = !duplicate && !rank_used && !conflict &&
                          static_cast<int>(live.size()) < limits.max_applications_per_term &&
                          total_credits <= limits.max_credits_per_term;
  OSAN_FUZZ_CHECK(status.ok() == acceptable);
  if (status.code() == StatusCode::kAlreadyExists) {
    OSAN_FUZZ_CHECK(duplicate);
  }
}

}  // namespace
}  // namespace osan::enrollment

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  osan::fuzz::QuietProtobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  osan::enrollment::CheckNames(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (size == 0) {
    return 0;
  }
  if (data[0] % 2 == 0) {
    osan::enrollment::v1::Student student;
    if (student.ParseFromArray(data + 1, static_cast<int>(size - 1))) {
      osan::enrollment::CheckStudent(student);
    }
    return 0;
  }
  constexpr size_t kParams = 4;
  if (size < 1 + kParams) {
    return 0;
  }
  osan::catalog::v1::ListSectionsResponse list;
  if (!list.ParseFromArray(data + 1 + kParams, static_cast<int>(size - 1 - kParams)) ||
      list.sections_size() > 20) {
    return 0;
  }
  osan::enrollment::CheckApplications(data + 1, {list.sections().begin(), list.sections().end()});
  return 0;
}
