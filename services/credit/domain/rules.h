// The credit system's rules, as pure functions: achievement levels, the
// completion rule table (data keyed by school year and subject category),
// completion decisions, section statistics, the rank mark, the remarks
// (비고) label, and the graduation audit.
//
// Sources: Korea's high-school credit system as described in the project's
// domain notes. Values marked (unverified) there are kept as data here.
#ifndef OSAN_SERVICES_CREDIT_DOMAIN_RULES_H_
#define OSAN_SERVICES_CREDIT_DOMAIN_RULES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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

// The level for an achievement rate in [0, 100] on `scale`. Below 40 on the
// A-E and A-C scales is "I" (below the minimum achievement level; the
// student needs remedial instruction). Boundaries are inclusive from below:
// 40 -> "E", 39.99 -> "I", 60 -> "D", 59.99 -> "E".
std::string AchievementLevel(Scale scale, double achievement_rate);

// ----- Completion rules -----------------------------------------------------

// One row of the completion rule table.
struct CompletionRule {
  // First school year the rule applies to.
  int from_year = 0;
  // The category it governs; CATEGORY_UNSPECIFIED governs every category
  // without a rule of its own.
  catalog::v1::Category category = catalog::v1::CATEGORY_UNSPECIFIED;
  // Attended sessions >= two thirds of the sessions actually held.
  bool requires_attendance = true;
  // Achievement rate >= 40.
  bool requires_achievement = true;
};

// The rule for a course of `category` in school year `year`: among rules of
// exactly that category, the one with the greatest from_year <= year; if
// there is none, the same among the catch-all rules. NOT_FOUND if neither.
absl::StatusOr<CompletionRule> SelectRule(const std::vector<CompletionRule>& rules, int year,
                                          catalog::v1::Category category);

// The rule table as published (2025: attendance and achievement for every
// subject; from 2026: common subjects both, electives attendance only;
// liberal arts attendance only, always). The service keeps its copy in the
// database; this is the seed and the tests' reference.
std::vector<CompletionRule> PublishedRules();

// Whether `attended` of `held` sessions reach two thirds (exactly: 3 ×
// attended >= 2 × held). No session held counts as reached.
bool AttendanceSufficient(int attended, int held);

struct CompletionEvidence {
  int sessions_held = 0;
  int sessions_attended = 0;
  double achievement_rate = 0;
};

struct CompletionDecision {
  credit::v1::Outcome outcome = credit::v1::OUTCOME_UNSPECIFIED;
  // Why, in Korean for the record, e.g. "이수", "출석 2/3 미달 (10/16회)",
  // "성취율 40% 미만 (35.5%)".
  std::string reason;
};

// The first decision at finalization: COMPLETED when every requirement of
// `rule` is met, else REMEDIATION_REQUIRED with the shortfalls named.
CompletionDecision DecideCompletion(const CompletionRule& rule, const CompletionEvidence& evidence);

// ----- Section statistics and marks -----------------------------------------

struct SectionStatistics {
  // Mean raw score, rounded to one decimal place; 0 when empty.
  double course_mean = 0;
  // Students per achievement level.
  std::map<std::string, int> level_distribution;
  int student_count = 0;
};

struct ScoredStudent {
  double raw_score = 0;
  std::string achievement_level;
};

SectionStatistics Summarize(const std::vector<ScoredStudent>& students);

// The rank column: joint, online and out-of-school courses record no rank,
// nor does any course of 5 students or fewer; all of them show "·". (Every
// course of the exchange is one of the former, so the result is always "·";
// the rule is spelled out for the record.)
std::string RankMark(bool joint_course, int student_count);

// The remarks (비고) label: "학교 밖 교육" for out-of-school courses,
// "공동교육과정(온라인)" for online real-time ones, "공동교육과정" otherwise.
std::string Remarks(catalog::v1::Category category, catalog::v1::DeliveryMode mode);

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
