// The credit system's rules, as pure functions over data: achievement
// levels, the completion rule table (rows keyed by curriculum, first school
// year and subject kind, each naming its source), completion decisions with
// minimum-achievement support, section statistics, the rank mark, the
// remarks (비고) labels, and the graduation audit.
//
// The rules that change from year to year are rows of credit-record's
// database (services/credit/store/migrations/002_record_rules.sql), never
// constants here: this file selects among rows and applies them.
#ifndef OSAN_SERVICES_CREDIT_DOMAIN_RULES_H_
#define OSAN_SERVICES_CREDIT_DOMAIN_RULES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"

namespace osan::credit {

// ----- Achievement levels ---------------------------------------------------

enum class Scale {
  kFiveLevels,   // A-E: A >= 90, B >= 80, C >= 70, D >= 60, E >= 40
  kThreeLevels,  // A-C (physical education, arts): A >= 80, B >= 60, C >= 40 (unverified)
  kPass,         // P (liberal arts): P when assessed, whatever the rate
};

// The scale of a subject: kPass for the LIBERAL_ARTS category, kThreeLevels
// for the PHYSICAL_EDUCATION and ARTS areas, kFiveLevels otherwise.
Scale ScaleFor(catalog::v1::Category category, catalog::v1::SubjectArea area);

// The levels of `scale`, best first: A..E, A..C, or P.
std::vector<std::string> LevelsOf(Scale scale);
// The last of LevelsOf(scale): E, C or P.
std::string LowestLevel(Scale scale);

// The level `achievement_rate` reaches on `scale`: the best level whose
// threshold it reaches (inclusive from below: 60 -> "D", 59.99 -> "E"); a
// rate below every threshold (or NaN) gets the lowest level.
std::string ScaleLevel(Scale scale, double achievement_rate);

// The level recorded for `achievement_rate` under `rule` as assessed: the
// scale's level at or above the rule's minimum achievement rate; below it,
// what the rule's below_minimum_level says (the incomplete mark "I" for the
// 2022 curriculum where achievement counts, else the lowest level).
std::string AssessedLevel(const credit::v1::CompletionRule& rule, Scale scale,
                          double achievement_rate);

// ----- Completion rules -----------------------------------------------------

// The subject kind of a catalog category: COMMON_SUBJECT, ELECTIVE_SUBJECT
// (general, career and convergence electives), LIBERAL_ARTS_SUBJECT; any
// other category (unspecified, the deprecated OUT_OF_SCHOOL) has no kind of
// its own, SUBJECT_KIND_UNSPECIFIED, and is governed by the catch-all rows.
credit::v1::SubjectKind SubjectKindOf(catalog::v1::Category category);

// Checks a rule row as stored: a known curriculum id, a subject kind, an
// attendance fraction in (0, 1], a minimum rate in (0, 100], level rules,
// an incomplete mark wherever a level rule uses it, and both sources.
absl::Status ValidateRule(const credit::v1::CompletionRule& rule);

// The row for `curriculum` in `school_year` for subjects of `kind`: among the
// rows of that curriculum and exactly that kind, the one with the greatest
// first_school_year <= school_year; if there is none, the same among its
// ANY_SUBJECT rows. NOT_FOUND if neither (e.g. a year before the
// curriculum's first row).
absl::StatusOr<credit::v1::CompletionRule> SelectRule(
    const std::vector<credit::v1::CompletionRule>& rules, absl::string_view curriculum,
    int school_year, credit::v1::SubjectKind kind);

// The row that decides a student's result: the curriculum of the cohort that
// entered in `entry_year` (common/curriculum.h), the term's school year, the
// course category's subject kind. FAILED_PRECONDITION, naming `student`, if
// the cohort is unknown (entry_year 0) or the table has no row for it.
absl::StatusOr<credit::v1::CompletionRule> RuleForStudent(
    const std::vector<credit::v1::CompletionRule>& rules, absl::string_view student, int entry_year,
    int school_year, catalog::v1::Category category);

// The requirements of `rule` in Korean for the record, e.g. "출석 2/3 이상,
// 성취율 40% 이상", "출석 2/3 이상", "요건 없음".
std::string DescribeRule(const credit::v1::CompletionRule& rule);

// Whether `attended` of `held` sessions reach `numerator`/`denominator` of
// them, exactly (denominator × attended >= numerator × held). No session
// held is never sufficient: credits are earned only for hours delivered.
bool AttendanceSufficient(int attended, int held, int numerator, int denominator);

struct CompletionEvidence {
  int sessions_held = 0;
  int sessions_attended = 0;
  double achievement_rate = 0;
};

struct ShortfallFound {
  credit::v1::Shortfall shortfall = credit::v1::SHORTFALL_UNSPECIFIED;
  // In Korean for the record, e.g. "출석 2/3 미달 (10/16회)", "성취율 40% 미만 (35.5%)".
  std::string reason;
};

// The requirements of `rule` that `evidence` misses, attendance first.
std::vector<ShortfallFound> Shortfalls(const credit::v1::CompletionRule& rule,
                                       const CompletionEvidence& evidence);

// Decides `package` from what it carries: its rule, attendance, achievement
// rate, category and subject area (the scale), credits, delivery label and
// support records. Sets outcome, outcome_reason, open_shortfalls,
// achievement_level, credits_earned and remarks:
//   - each shortfall is cleared by a satisfied support record of the kind
//     that clears it (and only that kind), and failed by an unsatisfied one;
//   - any failed: NOT_COMPLETED, the level as the rule's incomplete_level;
//   - else any not cleared: REMEDIATION_REQUIRED;
//   - else COMPLETED, with credits; an achievement shortfall cleared by
//     remedial instruction gives the rule's remedied_level;
//   - remarks: the delivery label, then the remarks note of each support
//     record that cleared a shortfall.
// Preventive instruction clears nothing and changes nothing.
void Decide(credit::v1::ResultPackage* package);

// The level `package` counts as in the section's statistics: its achievement
// rate as assessed under its rule (before any remediation).
std::string StatisticsLevel(const credit::v1::ResultPackage& package);

// ----- Section statistics and marks -----------------------------------------

struct SectionStatistics {
  // Mean raw score, rounded to one decimal place; 0 when empty.
  double course_mean = 0;
  // 성취도별 분포비율: percent of the students at each level, one decimal;
  // every level in `levels` is listed (0 if nobody), plus any other given.
  std::map<std::string, double> level_percent;
  int student_count = 0;
};

struct ScoredStudent {
  double raw_score = 0;
  std::string achievement_level;
};

SectionStatistics Summarize(const std::vector<ScoredStudent>& students,
                            const std::vector<std::string>& levels);

// The rank column: joint, online and out-of-school courses record no rank,
// nor does any course of 5 students or fewer; all of them show "·". (Every
// course of the exchange is one of the former, so the result is always "·";
// the rule is spelled out for the record.)
std::string RankMark(bool joint_course, int student_count);

// ----- Remarks labels and support kinds -------------------------------------

// One row of the remarks (비고) label table.
struct RemarksLabel {
  catalog::v1::InstitutionKind host_kind = catalog::v1::INSTITUTION_KIND_UNSPECIFIED;
  // DELIVERY_MODE_UNSPECIFIED: every mode without a row of its own.
  catalog::v1::DeliveryMode delivery_mode = catalog::v1::DELIVERY_MODE_UNSPECIFIED;
  int first_school_year = 0;
  std::string label;
  std::string source;
};

// The label for a course of a host of `host_kind` delivered in `mode` in
// `school_year`: among rows of that kind and exactly that mode, the one with
// the greatest first_school_year <= school_year, else the same among the
// kind's catch-all rows. FAILED_PRECONDITION if none.
absl::StatusOr<RemarksLabel> SelectRemarks(const std::vector<RemarksLabel>& labels,
                                           catalog::v1::InstitutionKind host_kind,
                                           catalog::v1::DeliveryMode mode, int school_year);

// One row of the support kind table (최소 성취수준 보장지도).
struct SupportKind {
  credit::v1::RemediationKind kind = credit::v1::REMEDIATION_KIND_UNSPECIFIED;
  int first_school_year = 0;
  std::string label;
  // The shortfall it clears; SHORTFALL_UNSPECIFIED for none.
  credit::v1::Shortfall clears = credit::v1::SHORTFALL_UNSPECIFIED;
  std::string remarks_note;
  std::string source;
};

// The row of `kind` with the greatest first_school_year <= school_year.
// FAILED_PRECONDITION if none.
absl::StatusOr<SupportKind> SelectSupportKind(const std::vector<SupportKind>& kinds,
                                              credit::v1::RemediationKind kind, int school_year);

// A support record of `kind` as its row describes it (label, shortfall,
// remarks note, source); the caller adds what was done and by whom.
credit::v1::SupportRecord SupportRecordOf(const SupportKind& kind);

// ----- Graduation audit -----------------------------------------------------

struct GraduationRequirements {
  int total = 192;  // subject credits + creative activities
  int subject = 174;
  int core = 84;  // required-core credits, counted per area up to its minimum
  int korean_math_english_cap = 81;
  // Required-core minimum per subject area.
  std::map<catalog::v1::SubjectArea, int> area_minimums = {{catalog::v1::KOREAN, 8},
                                                           {catalog::v1::MATHEMATICS, 8},
                                                           {catalog::v1::ENGLISH, 8},
                                                           {catalog::v1::SOCIAL_STUDIES, 8},
                                                           {catalog::v1::KOREAN_HISTORY, 6},
                                                           {catalog::v1::SCIENCE, 10},
                                                           {catalog::v1::PHYSICAL_EDUCATION, 10},
                                                           {catalog::v1::ARTS, 10},
                                                           {catalog::v1::LIFE_AND_LIBERAL, 16}};
};

struct EarnedCredits {
  catalog::v1::Category category = catalog::v1::CATEGORY_UNSPECIFIED;
  catalog::v1::SubjectArea area = catalog::v1::SUBJECT_AREA_UNSPECIFIED;
  int credits = 0;
};

// Fills the totals of `transcript` (credits_by_category keyed by category
// name, areas for every area with a minimum, in enum order, subject and core
// credits with their requirements, the Korean+Mathematics+English sum and
// cap) from the credits earned. Leaves results, not_completed and
// remediation_pending untouched.
void Audit(const std::vector<EarnedCredits>& earned, const GraduationRequirements& requirements,
           credit::v1::Transcript* transcript);

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_DOMAIN_RULES_H_
