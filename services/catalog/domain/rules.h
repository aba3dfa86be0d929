// The catalog's rules: what a valid institution, term, course and section is,
// the defaults the credit system sets, the section lifecycle, and who may
// change what. Pure functions over the API's messages (see docs/design.md for
// why the domain reuses the generated message types instead of mirroring them).
#ifndef OSAN_SERVICES_CATALOG_DOMAIN_RULES_H_
#define OSAN_SERVICES_CATALOG_DOMAIN_RULES_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "services/catalog/vocabulary/recognition.h"

namespace osan::catalog {

// ----- Institutions ---------------------------------------------------------

// The institution's code: `{office_code}-{school_code}` for high schools,
// `host_code` otherwise. Meaningful only for a valid institution.
std::string InstitutionCode(const v1::Institution& institution);

// Every field of a new or updated institution; INVALID_ARGUMENT names the field.
absl::Status ValidateInstitution(const v1::Institution& institution);

// Whether institutions of this kind can host courses.
bool CanHost(v1::InstitutionKind kind);

// Whether the kind is a school whose courses are school subjects (HIGH_SCHOOL,
// ONLINE_SCHOOL). Courses of every other host are taught outside school and
// need the education office's recognition, whatever their category.
bool IsSchool(v1::InstitutionKind kind);

inline const std::set<std::string> kInstitutionUpdatable = {"display_name", "area", "address",
                                                            "suspended"};

// ----- Terms ----------------------------------------------------------------

// Dates of a term, in order: application window < classes; drop deadline
// within classes; results due on or after classes end; make-up window after
// the application window opens; non-teaching dates within the classes, each
// once, at most kMaxNonTeachingDates.
absl::Status ValidateTerm(const v1::Term& term);

inline constexpr int kMaxNonTeachingDates = 100;
// Classes of a term last at most one school year.
inline constexpr int kMaxClassDays = 365;

inline const std::set<std::string> kTermUpdatable = {
    "application_window", "makeup_window", "classes_start",     "classes_end",
    "drop_deadline",      "results_due",   "non_teaching_dates"};

// ----- Courses --------------------------------------------------------------

// Credits a subject has unless set: 3 for physical education, arts and liberal
// arts; 4 otherwise.
int DefaultCredits(const v1::Course& course);

// Fills credits when zero.
void ApplyCourseDefaults(v1::Course* course);

// The recognition a new course of a host of `host_kind` starts with:
// NOT_REQUIRED for schools, PENDING for everyone else (see IsSchool).
v1::Recognition InitialRecognition(v1::InstitutionKind host_kind);

// Every field of a course; INVALID_ARGUMENT names the field. The deprecated
// OUT_OF_SCHOOL category is refused: the category is the subject's own.
absl::Status ValidateCourse(const v1::Course& course);

inline const std::set<std::string> kCourseUpdatable = {
    "title", "category", "subject_area", "credits", "delivery_mode", "description", "programme"};

// Records the education office's `decision` (APPROVED or REJECTED) with its
// `reason` on `course`. Approval keeps the course as it is now (its etag,
// title, category, subject area, credits) as the recognised version; a
// rejection keeps the version approved before, if any.
void Review(v1::RecognitionState decision, const std::string& reviewer, absl::Time now,
            const std::string& reason, v1::Course* course);

// What the office recognises that differs between `before` and `after`:
// "title", "category", "subject_area", "credits", comma-separated; "" if
// nothing it recognised changed (e.g. only the description).
std::string RecognisedFieldsChanged(const v1::Course& before, const v1::Course& after);

// Sends an approved (or rejected) course back to review because `what`
// changed, keeping the recognised version. Returns whether it did: courses
// that need no recognition or are already PENDING stay as they are.
bool ReturnToReview(absl::string_view what, v1::Course* course);

// ----- Programmes -----------------------------------------------------------

// Every field of a programme: display_name and annex 1..100 characters, year
// 2000..2100, a funder, budget_krw 0..kMaxBudgetKrw; INVALID_ARGUMENT names
// the field.
absl::Status ValidateProgramme(const v1::Programme& programme);

// Ten trillion won: more than any city's or province's whole budget.
inline constexpr int64_t kMaxBudgetKrw = 10'000'000'000'000;

inline const std::set<std::string> kProgrammeUpdatable = {"display_name", "annex", "funder",
                                                          "budget_krw"};

// The programme that funds `section` of `course`: the section's own if it
// names one, else the course's; "" if neither does. (One rule: reports,
// the public listing and the ListSections filter all follow it.)
std::string FundingProgramme(const v1::Section& section, const v1::Course& course);

// ----- Sections -------------------------------------------------------------

// Share of a cluster class the host's own students may hold, by default.
inline constexpr int kDefaultHostSharePercent = 65;

// The sessions `credits` need in a section of `term` open to
// `eligible_grades` (empty: every grade): credits × the sessions per credit
// of the curriculum of each admitted cohort (see common/curriculum.h), the
// largest when the grades admit cohorts of two curricula.
int RequiredSessions(int credits, const google::protobuf::RepeatedField<int32_t>& eligible_grades,
                     const v1::Term& term);

// Fills sessions (RequiredSessions) and host_share_cap_percent when zero.
void ApplySectionDefaults(const v1::Course& course, const v1::Term& term, v1::Section* section);

// Every field of a section offering `course`; INVALID_ARGUMENT names the field.
absl::Status ValidateSection(const v1::Section& section, const v1::Course& course);

// The 50-minute periods a section's meetings hold in `term`: each meeting
// holds floor(minutes / 50); weekly meetings recur on their weekday on every
// day from classes_start to classes_end that is not a non-teaching date;
// dated meetings count once unless they fall on a non-teaching date.
int DeliverablePeriods(const v1::Section& section, const v1::Term& term);

// Credits only for hours delivered: the section plans at least the sessions
// `credits` need (RequiredSessions), and its meetings hold the planned
// sessions. INVALID_ARGUMENT naming the shortfall, e.g. `weekly_meetings: 40
// periods fit between 2027-03-02 and 2027-07-16; 64 needed`. The credits
// are passed apart so that a change of a course's credits can be checked
// against its sections before it is made.
absl::Status CheckDeliversHours(const v1::Section& section, int credits, const v1::Term& term);

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
                                                        "allocation_policy",
                                                        "programme"};

// Once enrolment has opened, only these may change (and capacity only grow),
// since applications were made against the rest.
// The programme is the city's bookkeeping, not what students applied for.
inline const std::set<std::string> kSectionUpdatableAfterOpening = {
    "location", "instructor_display_name", "capacity", "programme"};

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
// the edge exists (FAILED_PRECONDITION), a cancellation has a reason, and a
// course that needs recognition is approved (CheckRecognised) before its
// section is published or opens enrolment.
absl::Status CheckTransition(const v1::Section& section, v1::SectionState target,
                             absl::string_view reason, const v1::Course& course);

// Whether the public listing shows a section in this state.
bool IsPubliclyVisible(v1::SectionState state);

// The public view of `section`: facts of the section, its course, its host
// and the programme that funds it (FundingProgramme; pass an empty
// Programme when none does), and nothing about students.
v1::PublicSection ToPublicSection(const v1::Section& section, const v1::Course& course,
                                  const v1::Institution& host, const v1::Programme& programme);

// Adds to `view` how to apply for `section`: the application window of its
// `term`, and the display names of its eligible schools from
// `display_names` (by `institutions/{code}`; a school missing there is shown
// by its resource name).
void AddHowToApply(const v1::Section& section, const v1::Term& term,
                   const std::map<std::string, std::string>& display_names,
                   v1::PublicSection* view);

// ----- Who may change what --------------------------------------------------

// CITY and EDU_OFFICE manage institutions, terms and programmes.
absl::Status RequireCatalogAdmin(const auth::Principal& principal);

// Who changes a host's courses and sections, and who reviews recognition:
// auth::RequireHostOrCity and auth::RequireEducationOffice (common/roles.h).

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_DOMAIN_RULES_H_
