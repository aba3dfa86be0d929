#include "services/credit/domain/rules.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;

// The minimum achievement rate, in percent, of a completed course.
constexpr double kMinimumAchievementRate = 40;

// A level and the least achievement rate that reaches it.
struct Threshold {
  double minimum;
  const char* level;
};

constexpr Threshold kFiveLevelThresholds[] = {
    {90, "A"}, {80, "B"}, {70, "C"}, {60, "D"}, {40, "E"}};
constexpr Threshold kThreeLevelThresholds[] = {{80, "A"}, {60, "B"}, {40, "C"}};

// The level of `rate` on a scale whose thresholds are listed from the highest
// level down; below the last threshold is "I".
template <size_t N>
std::string LevelFor(const Threshold (&thresholds)[N], double rate) {
  for (const Threshold& threshold : thresholds) {
    if (rate >= threshold.minimum) {
      return threshold.level;
    }
  }
  return "I";
}

// Among the rules of exactly `category`, the one with the greatest
// from_year <= year (the first listed on a tie); nullopt if none.
std::optional<CompletionRule> LatestRule(const std::vector<CompletionRule>& rules, int year,
                                         cv1::Category category) {
  std::optional<CompletionRule> latest;
  for (const CompletionRule& rule : rules) {
    if (rule.category != category || rule.from_year > year) {
      continue;
    }
    if (!latest.has_value() || rule.from_year > latest->from_year) {
      latest = rule;
    }
  }
  return latest;
}

}  // namespace

// ----- Achievement levels ---------------------------------------------------

Scale ScaleFor(cv1::Category category, cv1::SubjectArea area) {
  if (category == cv1::LIBERAL_ARTS) {
    return Scale::kPass;
  }
  if (area == cv1::PHYSICAL_EDUCATION || area == cv1::ARTS) {
    return Scale::kThreeLevels;
  }
  return Scale::kFiveLevels;
}

std::string AchievementLevel(Scale scale, double achievement_rate) {
  switch (scale) {
    case Scale::kFiveLevels:
      return LevelFor(kFiveLevelThresholds, achievement_rate);
    case Scale::kThreeLevels:
      return LevelFor(kThreeLevelThresholds, achievement_rate);
    case Scale::kPass:
      return "P";
  }
  return "I";  // Not reached: the switch covers every scale.
}

// ----- Completion rules -----------------------------------------------------

absl::StatusOr<CompletionRule> SelectRule(const std::vector<CompletionRule>& rules, int year,
                                          cv1::Category category) {
  if (std::optional<CompletionRule> own = LatestRule(rules, year, category); own.has_value()) {
    return *own;
  }
  if (std::optional<CompletionRule> catch_all = LatestRule(rules, year, cv1::CATEGORY_UNSPECIFIED);
      catch_all.has_value()) {
    return *catch_all;
  }
  return absl::NotFoundError(
      absl::StrCat("no completion rule for ", cv1::Category_Name(category), " courses in ", year));
}

std::vector<CompletionRule> PublishedRules() {
  return {
      {2025, cv1::CATEGORY_UNSPECIFIED, /*requires_attendance=*/true,
       /*requires_achievement=*/true},
      {2026, cv1::COMMON, /*requires_attendance=*/true, /*requires_achievement=*/true},
      {2026, cv1::CATEGORY_UNSPECIFIED, /*requires_attendance=*/true,
       /*requires_achievement=*/false},
      {2000, cv1::LIBERAL_ARTS, /*requires_attendance=*/true, /*requires_achievement=*/false},
  };
}

bool AttendanceSufficient(int attended, int held) {
  if (held <= 0) {
    return true;
  }
  return 3 * static_cast<int64_t>(attended) >= 2 * static_cast<int64_t>(held);
}

CompletionDecision DecideCompletion(const CompletionRule& rule,
                                    const CompletionEvidence& evidence) {
  std::vector<std::string> shortfalls;
  if (rule.requires_attendance &&
      !AttendanceSufficient(evidence.sessions_attended, evidence.sessions_held)) {
    shortfalls.push_back(absl::StrCat("출석 2/3 미달 (", evidence.sessions_attended, "/",
                                      evidence.sessions_held, "회)"));
  }
  if (rule.requires_achievement && evidence.achievement_rate < kMinimumAchievementRate) {
    shortfalls.push_back(absl::StrCat("성취율 40% 미만 (", evidence.achievement_rate, "%)"));
  }
  if (shortfalls.empty()) {
    return {credit::v1::COMPLETED, "이수"};
  }
  return {credit::v1::REMEDIATION_REQUIRED, absl::StrJoin(shortfalls, ", ")};
}

// ----- Section statistics and marks -----------------------------------------

SectionStatistics Summarize(const std::vector<ScoredStudent>& students) {
  SectionStatistics statistics;
  statistics.student_count = static_cast<int>(students.size());
  if (students.empty()) {
    return statistics;
  }
  double sum = 0;
  for (const ScoredStudent& student : students) {
    sum += student.raw_score;
    ++statistics.level_distribution[student.achievement_level];
  }
  statistics.course_mean = std::round(sum / students.size() * 10) / 10;
  return statistics;
}

std::string RankMark(bool joint_course, int student_count) {
  if (joint_course || student_count <= 5) {
    return "·";
  }
  // A rank is recorded; it is not this function's to compute.
  return "";
}

std::string Remarks(cv1::Category category, cv1::DeliveryMode mode) {
  if (category == cv1::OUT_OF_SCHOOL) {
    return "학교 밖 교육";
  }
  if (mode == cv1::ONLINE_REALTIME) {
    return "공동교육과정(온라인)";
  }
  return "공동교육과정";
}

// ----- Graduation audit -----------------------------------------------------

void Audit(const std::vector<EarnedCredits>& earned, const GraduationRequirements& requirements,
           credit::v1::Transcript* transcript) {
  std::map<cv1::SubjectArea, int> by_area;
  int subject_credits = 0;
  auto& by_category = *transcript->mutable_credits_by_category();
  by_category.clear();
  for (const EarnedCredits& credits : earned) {
    by_category[cv1::Category_Name(credits.category)] += credits.credits;
    by_area[credits.area] += credits.credits;
    subject_credits += credits.credits;
  }

  transcript->clear_areas();
  int core_credits = 0;
  // std::map iterates its keys in ascending enum order.
  for (const auto& [area, minimum] : requirements.area_minimums) {
    const int area_earned = by_area[area];
    credit::v1::AreaProgress* progress = transcript->add_areas();
    progress->set_area(area);
    progress->set_earned(area_earned);
    progress->set_required(minimum);
    progress->set_met(area_earned >= minimum);
    core_credits += std::min(area_earned, minimum);
  }

  const int korean_math_english =
      by_area[cv1::KOREAN] + by_area[cv1::MATHEMATICS] + by_area[cv1::ENGLISH];
  transcript->set_subject_credits(subject_credits);
  transcript->set_subject_credits_required(requirements.subject);
  transcript->set_total_required(requirements.total);
  transcript->set_core_credits(core_credits);
  transcript->set_core_credits_required(requirements.core);
  transcript->set_korean_math_english(korean_math_english);
  transcript->set_korean_math_english_cap(requirements.korean_math_english_cap);
  transcript->set_korean_math_english_within_cap(korean_math_english <=
                                                 requirements.korean_math_english_cap);
}

}  // namespace osan::credit
