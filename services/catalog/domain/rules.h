// The catalog's rules: what a valid institution, term, course and section is,
// the defaults the credit system sets, the section lifecycle, and who may
// change what. Pure functions over the API's messages (see docs/design.md for
// why the domain reuses the generated message types instead of mirroring them).
#ifndef OSAN_SERVICES_CATALOG_DOMAIN_RULES_H_
#define OSAN_SERVICES_CATALOG_DOMAIN_RULES_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/auth.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog {

// ----- Institutions ---------------------------------------------------------

// The institution's code: `{office_code}-{school_code}` for high schools,
// `host_code` otherwise. Meaningful only for a valid institution.
std::string InstitutionCode(const v1::Institution& institution);

// Every field of a new or updated institution; INVALID_ARGUMENT names the field.
absl::Status ValidateInstitution(const v1::Institution& institution);

// Whether institutions of this kind can host courses.
bool CanHost(v1::InstitutionKind kind);

inline const std::set<std::string> kInstitutionUpdatable = {"display_name", "area", "address"};

// ----- Terms ----------------------------------------------------------------

// Dates of a term, in order: application window < classes; drop deadline
// within classes; results due on or after classes end; make-up window after
// the application window opens.
absl::Status ValidateTerm(const v1::Term& term);

inline const std::set<std::string> kTermUpdatable = {"application_window", "makeup_window",
                                                     "classes_start",      "classes_end",
                                                     "drop_deadline",      "results_due"};

// ----- Courses --------------------------------------------------------------

// Credits a subject has unless set: 3 for physical education, arts and liberal
// arts; 4 otherwise.
int DefaultCredits(const v1::Course& course);

// Fills credits when zero, and the initial recognition: PENDING for
// out-of-school courses, NOT_REQUIRED otherwise.
void ApplyCourseDefaults(v1::Course* course);

absl::Status ValidateCourse(const v1::Course& course);

inline const std::set<std::string> kCourseUpdatable = {"title", "subject_area", "credits",
                                                       "delivery_mode", "description"};

// Whether the public may see sections of this course.
bool IsPubliclyListable(const v1::Course& course);

// ----- Sections -------------------------------------------------------------

// Sessions default to credits × 16 (one credit = 16 sessions of 50 minutes).
inline constexpr int kSessionsPerCredit = 16;
// Share of a cluster class the host's own students may hold, by default.
inline constexpr int kDefaultHostSharePercent = 65;

// Fills sessions and host_share_cap_percent when zero.
void ApplySectionDefaults(const v1::Course& course, v1::Section* section);

// Every field of a section offering `course`; INVALID_ARGUMENT names the field.
absl::Status ValidateSection(const v1::Section& section, const v1::Course& course);

inline const std::set<std::string> kSectionUpdatable = {"capacity",
                                                        "min_enrollment",
                                                        "sessions",
                                                        "weekly_meetings",
                                                        "dated_meetings",
                                                        "location",
                                                        "instructor_display_name",
                                                        "eligible_grades",
                                                        "eligible_schools",
                                                        "per_school_cap",
                                                        "host_share_cap_percent",
                                                        "allocation_policy"};

// Once enrolment has opened, only these may change (and capacity only grow),
// since applications were made against the rest.
inline const std::set<std::string> kSectionUpdatableAfterOpening = {
    "location", "instructor_display_name", "capacity"};

// Checks an update of `before` into `after` by `mask` against the section's
// state: FAILED_PRECONDITION when the state forbids it.
absl::Status CheckSectionUpdate(const v1::Section& before, const v1::Section& after,
                                const google::protobuf::FieldMask& mask);

// The weekdays (1 = Monday .. 7 = Sunday) a section meets on.
std::vector<int> MeetingWeekdays(const v1::Section& section);

// Whether `from` -> `to` is an edge of the lifecycle:
//   DRAFT -> PUBLISHED -> ENROLLMENT_OPEN <-> ENROLLMENT_CLOSED -> IN_PROGRESS
//   -> COMPLETED, and every state but COMPLETED and CANCELLED -> CANCELLED.
bool IsLifecycleEdge(v1::SectionState from, v1::SectionState to);

// Checks a transition request: the target is a real state (INVALID_ARGUMENT),
// the edge exists (FAILED_PRECONDITION), a cancellation has a reason, and an
// out-of-school course is approved before its section is published.
absl::Status CheckTransition(const v1::Section& section, v1::SectionState target,
                             absl::string_view reason, const v1::Course& course);

// Whether the public listing shows a section in this state.
bool IsPubliclyVisible(v1::SectionState state);

// The public view of `section`: facts of the section, its course and its host,
// and nothing about students.
v1::PublicSection ToPublicSection(const v1::Section& section, const v1::Course& course,
                                  const v1::Institution& host);

// ----- Who may change what --------------------------------------------------

// CITY and EDU_OFFICE manage institutions and terms.
absl::Status RequireCatalogAdmin(const auth::Principal& principal);

// The host institution itself (as SCHOOL or ACADEMY) or CITY may create and
// change a host's courses and sections. `host` is `institutions/{code}`.
absl::Status RequireHostOrCity(const auth::Principal& principal, absl::string_view host);

// Only the education office reviews out-of-school recognition.
absl::Status RequireEducationOffice(const auth::Principal& principal);

// A date from the API as a civil day; false if it is not a real date in 2000..2100.
bool ToCivilDay(const type::v1::Date& date, absl::CivilDay* day);

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_DOMAIN_RULES_H_
