// Enrollment's rules: valid students, application names, who may apply where,
// meeting-time conflicts, per-student limits and the application lifecycle.
// Pure functions over the API messages (see docs/design.md).
#ifndef OSAN_SERVICES_ENROLLMENT_DOMAIN_RULES_H_
#define OSAN_SERVICES_ENROLLMENT_DOMAIN_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/names.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::enrollment {

// ----- Names ----------------------------------------------------------------

// Schools and students are named in common/names.h (SchoolName, StudentId).

// `applications/{uuid}` -> uuid.
absl::StatusOr<std::string> ParseApplicationName(absl::string_view field, absl::string_view name);
// `{prefix}{uuid}` (e.g. "operations/") -> the uuid, lower case;
// INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseUuidName(absl::string_view field, absl::string_view name,
                                          absl::string_view prefix);
std::string ApplicationName(absl::string_view id);

// ----- Students -------------------------------------------------------------

// True for the shape of a resident registration number, which must never
// enter the system: 13 ASCII digits, optionally with one separator of any kind
// (not a digit: '-', '.', '_', '/', a space, ...) after the sixth digit
// (docs/security.md, "Resident registration numbers").
bool LooksLikeResidentNumber(absl::string_view key);

absl::Status ValidateStudent(const v1::Student& student);

// ----- Applying -------------------------------------------------------------

struct StudentLimits {
  // Live applications (submitted through waitlisted) a student may have in a
  // term; preference ranks order them.
  int max_applications_per_term = 6;
  // Credits of those live applications together.
  int max_credits_per_term = 24;
  // Seats a student may hold in a term (allocation's per-student limit, and
  // the first-come claim's).
  int max_enrollments_per_term = 2;
};

// Whether the state counts as a live application: it holds or may still get
// a seat.
bool IsLive(v1::ApplicationState state);

// The section accepts applications now: ENROLLMENT_OPEN, its course needs no
// recognition or is APPROVED (a course back under review takes none), and
// `now` inside the term's application or make-up window. FAILED_PRECONDITION
// says which.
absl::Status CheckOpenForApplications(const catalog::v1::Section& section,
                                      const catalog::v1::Course& course,
                                      const catalog::v1::Term& term, absl::Time now);

// The student's grade in the school year `school_year`, from the cohort.
int GradeIn(const v1::Student& student, int school_year);

// Sets the output-only grade_level to the grade in the school year of `now`
// (in Korea), and returns the student.
v1::Student WithGradeAt(absl::Time now, v1::Student student);

// The student may take the section in school year `school_year` (the term's
// year): the student's grade then (from the entry year, see
// common/curriculum.h) is 1..3 and eligible, and the school is eligible.
// FAILED_PRECONDITION naming the rule.
absl::Status CheckEligible(const v1::Student& student, absl::string_view school_code,
                           const catalog::v1::Section& section, int school_year);

// A student's live application, as the checks of a new one need it.
struct LiveApplication {
  std::string name;        // applications/{id}
  std::string section_id;  // the section's id
  const catalog::v1::Section* section = nullptr;
  int preference_rank = 0;
  int credits = 0;
};

// Checks a new application (for `section_id`, whose catalog section is
// `section`) against the student's live applications in the term:
// ALREADY_EXISTS for the same section; FAILED_PRECONDITION for a used
// preference rank, a meeting-time conflict, or the per-term limits on live
// applications and their credits.
absl::Status CheckAgainstLiveApplications(const std::vector<LiveApplication>& live,
                                          absl::string_view section_id,
                                          const catalog::v1::Section& section, int preference_rank,
                                          int credits, const StudentLimits& limits);

// Whether two sections' meetings overlap in time: weekly meetings on the same
// weekday, dated meetings on the same date, or a dated meeting on the weekday
// of a weekly one, with overlapping hours.
bool MeetingsConflict(const catalog::v1::Section& a, const catalog::v1::Section& b);

// ----- Lifecycle ------------------------------------------------------------

enum class Action {
  kApprove,   // home school: SUBMITTED -> APPROVED
  kReject,    // home school: SUBMITTED or APPROVED -> REJECTED
  kWithdraw,  // home school: SUBMITTED, APPROVED, HOST_ACCEPTED, WAITLISTED -> WITHDRAWN
  kAccept,    // host: APPROVED -> HOST_ACCEPTED (host-screening sections)
  kDecline,   // host: APPROVED -> REJECTED (host-screening sections)
  kDrop,      // home school or host: ENROLLED or WAITLISTED -> DROPPED
};

// FAILED_PRECONDITION unless `action` applies to an application in `state`.
absl::Status CheckAction(v1::ApplicationState state, Action action);
v1::ApplicationState StateAfter(Action action);

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_DOMAIN_RULES_H_
