// The credit system's rules on values decoded from the input: achievement
// levels, rule selection, completion decisions, section statistics and the
// graduation audit.
//
// Invariants checked: a level is one of A-E, I or P and never falls as the
// rate rises; a selected rule applies to the year and category; COMPLETED
// exactly when every requirement of the rule is met, with the reason to match;
// statistics count every student once and the mean lies within the scores;
// audited credits are never negative, categories add up to the subject
// credits, and core credits never exceed the area minimums.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/rules.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;
using absl::StatusCode;

// Level order, best first; "P" stands apart.
int LevelRank(const std::string& level) {
  static const std::vector<std::string> kOrder = {"A", "B", "C", "D", "E", "I"};
  for (size_t i = 0; i < kOrder.size(); ++i) {
    if (kOrder[i] == level) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Enum values as the wire may carry them: mostly known ones, sometimes not.
cv1::Category ConsumeCategory(FuzzedDataProvider& in) {
  return static_cast<cv1::Category>(in.ConsumeIntegralInRange(-1, cv1::Category_MAX + 1));
}
cv1::SubjectArea ConsumeArea(FuzzedDataProvider& in) {
  return static_cast<cv1::SubjectArea>(in.ConsumeIntegralInRange(-1, cv1::SubjectArea_MAX + 1));
}

double ConsumeRate(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return in.ConsumeFloatingPoint<double>();  // anything, infinities and NaN included
    case 1:
      return in.ConsumeIntegralInRange(0, 100);  // whole percentages, the boundaries
    default:
      return in.ConsumeFloatingPointInRange(0.0, 100.0);
  }
}

void CheckLevels(FuzzedDataProvider& in) {
  const cv1::Category category = ConsumeCategory(in);
  const cv1::SubjectArea area = ConsumeArea(in);
  const Scale scale = ScaleFor(category, area);
  double a = ConsumeRate(in);
  double b = ConsumeRate(in);
  const std::string level_a = AchievementLevel(scale, a);
  const std::string level_b = AchievementLevel(scale, b);
  for (const std::string& level : {level_a, level_b}) {
    if (scale == Scale::kPass) {
      OSAN_FUZZ_CHECK(level == "P");
    } else {
      OSAN_FUZZ_CHECK(LevelRank(level) >= 0);
      if (scale == Scale::kThreeLevels) {
        OSAN_FUZZ_CHECK(level == "A" || level == "B" || level == "C" || level == "I");
      }
    }
  }
  if (scale != Scale::kPass && !std::isnan(a) && !std::isnan(b)) {
    // Monotone: a higher rate never gives a lower level.
    if (a > b) {
      std::swap(a, b);
    }
    OSAN_FUZZ_CHECK(LevelRank(AchievementLevel(scale, b)) <= LevelRank(AchievementLevel(scale, a)));
    // "I" exactly below 40.
    OSAN_FUZZ_CHECK((AchievementLevel(scale, a) == "I") == (a < 40));
  }
}

void CheckRules(FuzzedDataProvider& in) {
  std::vector<CompletionRule> rules;
  const int count = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < count; ++i) {
    CompletionRule rule;
    rule.from_year = in.ConsumeIntegralInRange(1990, 2110);
    rule.category = ConsumeCategory(in);
    rule.requires_attendance = in.ConsumeBool();
    rule.requires_achievement = in.ConsumeBool();
    rules.push_back(rule);
  }
  if (in.ConsumeBool()) {
    rules = PublishedRules();
  }
  const int year = in.ConsumeIntegralInRange(1990, 2110);
  const cv1::Category category = ConsumeCategory(in);
  const absl::StatusOr<CompletionRule> rule = SelectRule(rules, year, category);
  fuzz::ExpectCode(rule.status(), {StatusCode::kOk, StatusCode::kNotFound}, "SelectRule");
  bool own = false;
  bool catch_all = false;
  for (const CompletionRule& r : rules) {
    own |= r.category == category && r.from_year <= year;
    catch_all |= r.category == cv1::CATEGORY_UNSPECIFIED && r.from_year <= year;
  }
  OSAN_FUZZ_CHECK(rule.ok() == (own || catch_all));
  if (!rule.ok()) {
    return;
  }
  OSAN_FUZZ_CHECK(rule->from_year <= year);
  OSAN_FUZZ_CHECK(rule->category == (own ? category : cv1::CATEGORY_UNSPECIFIED));
  for (const CompletionRule& r : rules) {
    if (r.category == rule->category && r.from_year <= year) {
      OSAN_FUZZ_CHECK(r.from_year <= rule->from_year);
    }
  }

  CompletionEvidence evidence;
  evidence.sessions_held = in.ConsumeIntegralInRange(-1, 400);
  evidence.sessions_attended = in.ConsumeIntegralInRange(-1, 400);
  if (in.ConsumeBool()) {
    evidence.sessions_held = in.ConsumeIntegral<int>();
    evidence.sessions_attended = in.ConsumeIntegral<int>();
  }
  evidence.achievement_rate = ConsumeRate(in);
  const CompletionDecision decision = DecideCompletion(*rule, evidence);
  const bool attendance_met =
      !rule->requires_attendance ||
      AttendanceSufficient(evidence.sessions_attended, evidence.sessions_held);
  const bool achievement_met = !rule->requires_achievement || evidence.achievement_rate >= 40;
  OSAN_FUZZ_CHECK(decision.outcome == v1::COMPLETED ||
                  decision.outcome == v1::REMEDIATION_REQUIRED);
  OSAN_FUZZ_CHECK((decision.outcome == v1::COMPLETED) == (attendance_met && achievement_met));
  OSAN_FUZZ_CHECK((decision.reason == "이수") == (decision.outcome == v1::COMPLETED));
  if (evidence.sessions_held > 0 && evidence.sessions_attended >= evidence.sessions_held) {
    OSAN_FUZZ_CHECK(AttendanceSufficient(evidence.sessions_attended, evidence.sessions_held));
  }
}

void CheckStatistics(FuzzedDataProvider& in) {
  std::vector<ScoredStudent> students(in.ConsumeIntegralInRange(0, 40));
  const bool bounded = in.ConsumeBool();
  double low = 100;
  double high = 0;
  for (ScoredStudent& student : students) {
    student.raw_score =
        bounded ? in.ConsumeFloatingPointInRange(0.0, 100.0) : in.ConsumeFloatingPoint<double>();
    student.achievement_level = in.ConsumeBool() ? "A" : in.ConsumeRandomLengthString(4);
    low = std::min(low, student.raw_score);
    high = std::max(high, student.raw_score);
  }
  const SectionStatistics statistics = Summarize(students);
  OSAN_FUZZ_CHECK(statistics.student_count == static_cast<int>(students.size()));
  int counted = 0;
  for (const auto& [level, count] : statistics.level_distribution) {
    OSAN_FUZZ_CHECK(count > 0);
    counted += count;
  }
  OSAN_FUZZ_CHECK(counted == statistics.student_count);
  if (students.empty()) {
    OSAN_FUZZ_CHECK(statistics.course_mean == 0);
  } else if (bounded) {
    // Rounded to one decimal place.
    OSAN_FUZZ_CHECK(statistics.course_mean >= low - 0.05 && statistics.course_mean <= high + 0.05);
  }
  const bool joint = in.ConsumeBool();
  const std::string mark = RankMark(joint, statistics.student_count);
  OSAN_FUZZ_CHECK(mark == "·" || (!joint && statistics.student_count > 5));
  OSAN_FUZZ_CHECK(!Remarks(ConsumeCategory(in),
                           static_cast<cv1::DeliveryMode>(in.ConsumeIntegralInRange(-1, 4)))
                       .empty());
}

void CheckAudit(FuzzedDataProvider& in) {
  std::vector<EarnedCredits> earned(in.ConsumeIntegralInRange(0, 80));
  int total = 0;
  for (EarnedCredits& credits : earned) {
    credits.category = ConsumeCategory(in);
    credits.area = ConsumeArea(in);
    credits.credits = in.ConsumeIntegralInRange(0, 8);
    total += credits.credits;
  }
  GraduationRequirements requirements;
  if (in.ConsumeBool()) {
    requirements.area_minimums.clear();
    const int areas = in.ConsumeIntegralInRange(0, 12);
    for (int i = 0; i < areas; ++i) {
      requirements.area_minimums[ConsumeArea(in)] = in.ConsumeIntegralInRange(0, 30);
    }
  }
  v1::Transcript transcript;
  // Leftovers of a previous audit are replaced.
  (*transcript.mutable_credits_by_category())["STALE"] = 99;
  transcript.add_areas()->set_earned(99);
  Audit(earned, requirements, &transcript);

  OSAN_FUZZ_CHECK(transcript.subject_credits() == total);
  OSAN_FUZZ_CHECK(transcript.subject_credits() >= 0);
  OSAN_FUZZ_CHECK(transcript.core_credits() >= 0);
  OSAN_FUZZ_CHECK(transcript.korean_math_english() >= 0);
  OSAN_FUZZ_CHECK(transcript.korean_math_english() <= transcript.subject_credits());
  int by_category = 0;
  for (const auto& [category, credits] : transcript.credits_by_category()) {
    OSAN_FUZZ_CHECK(credits >= 0);
    by_category += credits;
  }
  OSAN_FUZZ_CHECK(by_category == total);
  OSAN_FUZZ_CHECK(transcript.areas_size() == static_cast<int>(requirements.area_minimums.size()));
  int minimums = 0;
  int previous = std::numeric_limits<int>::min();
  for (const v1::AreaProgress& area : transcript.areas()) {
    OSAN_FUZZ_CHECK(area.earned() >= 0);
    OSAN_FUZZ_CHECK(area.met() == (area.earned() >= area.required()));
    OSAN_FUZZ_CHECK(static_cast<int>(area.area()) > previous);  // enum order
    previous = area.area();
    minimums += area.required();
  }
  OSAN_FUZZ_CHECK(transcript.core_credits() <= minimums);
  OSAN_FUZZ_CHECK(transcript.core_credits() <= transcript.subject_credits());
}

}  // namespace
}  // namespace osan::credit

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      osan::credit::CheckLevels(in);
      break;
    case 1:
      osan::credit::CheckRules(in);
      break;
    case 2:
      osan::credit::CheckStatistics(in);
      break;
    case 3:
      osan::credit::CheckAudit(in);
      break;
  }
  return 0;
}
