// The credit system's rules on values decoded from the input: achievement
// levels, rule selection, completion decisions with support records, section
// statistics, remarks labels and the graduation audit.
//
// Invariants checked: a scale level is one of the scale's and never falls as
// the rate rises; the assessed level is the scale's at or above the row's
// minimum and what the row says below it; a selected rule is of the
// student's curriculum, not after the year, of the course's kind if that kind
// has a row (else the catch-all) and the latest such; no session held is
// never sufficient attendance; a decision is COMPLETED exactly when every
// shortfall is cleared by a satisfied record of the kind that clears it,
// NOT_COMPLETED exactly when one failed, credits only when COMPLETED, and
// preventive records change nothing; statistics count every student once,
// percentages have one decimal and the mean lies within the scores; remarks
// labels match the host kind; audited credits are never negative, categories
// add up to the subject credits, and core credits never exceed the area
// minimums.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/rules.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;
using absl::StatusCode;

// Enum values as the wire may carry them: mostly known ones, sometimes not.
cv1::Category ConsumeCategory(FuzzedDataProvider& in) {
  return static_cast<cv1::Category>(in.ConsumeIntegralInRange(-1, cv1::Category_MAX + 1));
}
cv1::SubjectArea ConsumeArea(FuzzedDataProvider& in) {
  return static_cast<cv1::SubjectArea>(in.ConsumeIntegralInRange(-1, cv1::SubjectArea_MAX + 1));
}
v1::SubjectKind ConsumeKind(FuzzedDataProvider& in) {
  return static_cast<v1::SubjectKind>(
      in.ConsumeIntegralInRange(0, static_cast<int>(v1::SubjectKind_MAX)));
}
v1::LevelRule ConsumeLevelRule(FuzzedDataProvider& in) {
  return static_cast<v1::LevelRule>(
      in.ConsumeIntegralInRange(0, static_cast<int>(v1::LevelRule_MAX)));
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

v1::CompletionRule ConsumeRule(FuzzedDataProvider& in) {
  v1::CompletionRule rule;
  rule.set_curriculum(in.PickValueInArray({"2015", "2022", "2009"}));
  rule.set_first_school_year(in.ConsumeIntegralInRange(2015, 2030));
  rule.set_subject_kind(ConsumeKind(in));
  rule.set_requires_attendance(in.ConsumeBool());
  rule.set_attendance_numerator(in.ConsumeIntegralInRange(1, 4));
  rule.set_attendance_denominator(in.ConsumeIntegralInRange(rule.attendance_numerator(), 5));
  rule.set_requires_achievement(in.ConsumeBool());
  rule.set_minimum_achievement_rate(in.ConsumeIntegralInRange(1, 100));
  rule.set_below_minimum_level(in.ConsumeBool() ? v1::INCOMPLETE_MARK : v1::LOWEST_LEVEL);
  rule.set_remedied_level(in.ConsumeBool() ? v1::INCOMPLETE_MARK : v1::LOWEST_LEVEL);
  rule.set_incomplete_level(ConsumeLevelRule(in));
  rule.set_incomplete_mark(in.ConsumeBool() ? "I" : "미");
  rule.set_source("fuzz");
  rule.set_marks_source("fuzz");
  return rule;
}

bool IsLevelOf(Scale scale, const std::string& level) {
  const std::vector<std::string> levels = LevelsOf(scale);
  return std::find(levels.begin(), levels.end(), level) != levels.end();
}

int LevelRank(Scale scale, const std::string& level) {
  const std::vector<std::string> levels = LevelsOf(scale);
  return static_cast<int>(std::find(levels.begin(), levels.end(), level) - levels.begin());
}

void CheckLevels(FuzzedDataProvider& in) {
  const cv1::Category category = ConsumeCategory(in);
  const cv1::SubjectArea area = ConsumeArea(in);
  const Scale scale = ScaleFor(category, area);
  double a = ConsumeRate(in);
  double b = ConsumeRate(in);
  for (const double rate : {a, b}) {
    OSAN_FUZZ_CHECK(IsLevelOf(scale, ScaleLevel(scale, rate)));
  }
  OSAN_FUZZ_CHECK(LowestLevel(scale) == LevelsOf(scale).back());
  if (!std::isnan(a) && !std::isnan(b)) {
    // Monotone: a higher rate never gives a lower level.
    if (a > b) {
      std::swap(a, b);
    }
    OSAN_FUZZ_CHECK(LevelRank(scale, ScaleLevel(scale, b)) <=
                    LevelRank(scale, ScaleLevel(scale, a)));
  }
  const v1::CompletionRule rule = ConsumeRule(in);
  const std::string assessed = AssessedLevel(rule, scale, a);
  if (a >= rule.minimum_achievement_rate()) {
    OSAN_FUZZ_CHECK(assessed == ScaleLevel(scale, a));
  } else if (rule.below_minimum_level() == v1::INCOMPLETE_MARK) {
    OSAN_FUZZ_CHECK(assessed == rule.incomplete_mark());
  } else {
    OSAN_FUZZ_CHECK(assessed == LowestLevel(scale));
  }
}

void CheckRules(FuzzedDataProvider& in) {
  std::vector<v1::CompletionRule> rules;
  const int count = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < count; ++i) {
    rules.push_back(ConsumeRule(in));
  }
  const std::string curriculum = in.PickValueInArray({"2015", "2022"});
  const int year = in.ConsumeIntegralInRange(2014, 2031);
  const cv1::Category category = ConsumeCategory(in);
  const v1::SubjectKind kind = SubjectKindOf(category);
  OSAN_FUZZ_CHECK(kind != v1::ANY_SUBJECT);
  const absl::StatusOr<v1::CompletionRule> rule = SelectRule(rules, curriculum, year, kind);
  fuzz::ExpectCode(rule.status(), {StatusCode::kOk, StatusCode::kNotFound}, "SelectRule");
  bool own = false;
  bool catch_all = false;
  for (const v1::CompletionRule& r : rules) {
    if (r.curriculum() != curriculum || r.first_school_year() > year) {
      continue;
    }
    own |= kind != v1::SUBJECT_KIND_UNSPECIFIED && r.subject_kind() == kind;
    catch_all |= r.subject_kind() == v1::ANY_SUBJECT;
  }
  OSAN_FUZZ_CHECK(rule.ok() == (own || catch_all));
  if (rule.ok()) {
    OSAN_FUZZ_CHECK(rule->curriculum() == curriculum);
    OSAN_FUZZ_CHECK(rule->first_school_year() <= year);
    OSAN_FUZZ_CHECK(rule->subject_kind() == (own ? kind : v1::ANY_SUBJECT));
    for (const v1::CompletionRule& r : rules) {
      if (r.curriculum() == curriculum && r.subject_kind() == rule->subject_kind() &&
          r.first_school_year() <= year) {
        OSAN_FUZZ_CHECK(r.first_school_year() <= rule->first_school_year());
      }
    }
  }
  const absl::StatusOr<v1::CompletionRule> student = RuleForStudent(
      rules, "schools/J10-7531001/students/s1", in.ConsumeIntegralInRange(0, 2030), year, category);
  fuzz::ExpectCode(student.status(), {StatusCode::kOk, StatusCode::kFailedPrecondition},
                   "RuleForStudent");

  // Attendance: exact, and never sufficient without a session held.
  const int held = in.ConsumeIntegralInRange(-1, 400);
  const int attended = in.ConsumeIntegralInRange(0, 400);
  const int numerator = in.ConsumeIntegralInRange(1, 5);
  const int denominator = in.ConsumeIntegralInRange(numerator, 6);
  const bool sufficient = AttendanceSufficient(attended, held, numerator, denominator);
  if (held <= 0) {
    OSAN_FUZZ_CHECK(!sufficient);
  } else {
    const long long reached = static_cast<long long>(denominator) * attended;
    const long long needed = static_cast<long long>(numerator) * held;
    if (reached == needed) {
      OSAN_FUZZ_CHECK(sufficient);  // exactly the share is enough
    } else {
      OSAN_FUZZ_CHECK(sufficient == (static_cast<long double>(attended) / held >
                                     static_cast<long double>(numerator) / denominator));
    }
    if (attended >= held) {
      OSAN_FUZZ_CHECK(sufficient);
    }
    if (sufficient) {
      OSAN_FUZZ_CHECK(AttendanceSufficient(attended + 1, held, numerator, denominator));
    }
  }
}

void CheckDecisions(FuzzedDataProvider& in) {
  v1::ResultPackage package;
  package.set_category(ConsumeCategory(in));
  package.set_subject_area(ConsumeArea(in));
  package.set_credits(in.ConsumeIntegralInRange(0, 8));
  package.set_achievement_rate(ConsumeRate(in));
  package.mutable_attendance()->set_sessions_held(in.ConsumeIntegralInRange(-1, 80));
  package.mutable_attendance()->set_attended(in.ConsumeIntegralInRange(0, 80));
  package.set_delivery_label(in.ConsumeBool() ? "공동교육과정" : "학교 밖 교육");
  *package.mutable_rule() = ConsumeRule(in);
  const int records = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < records; ++i) {
    v1::SupportRecord& record = *package.add_support();
    record.set_kind(static_cast<v1::RemediationKind>(in.ConsumeIntegralInRange(1, 3)));
    record.set_shortfall(record.kind() == v1::REMEDIAL_INSTRUCTION ? v1::ACHIEVEMENT
                         : record.kind() == v1::ADDITIONAL_STUDY   ? v1::ATTENDANCE
                                                                   : v1::SHORTFALL_UNSPECIFIED);
    record.set_label(record.kind() == v1::REMEDIAL_INSTRUCTION ? "보충지도" : "추가학습");
    record.set_satisfied(in.ConsumeBool());
    record.set_remarks_note(in.ConsumeBool() ? "출석률 미달로 인한 추가학습 실시" : "");
  }
  const v1::CompletionRule& rule = package.rule();
  const std::vector<ShortfallFound> shortfalls =
      Shortfalls(rule, {package.attendance().sessions_held(), package.attendance().attended(),
                        package.achievement_rate()});
  // Expected: each shortfall's latest record of its kind decides it.
  bool failed = false;
  bool open = false;
  for (const ShortfallFound& shortfall : shortfalls) {
    const v1::SupportRecord* decisive = nullptr;
    for (const v1::SupportRecord& record : package.support()) {
      if (record.shortfall() == shortfall.shortfall) {
        decisive = &record;
      }
    }
    failed |= decisive != nullptr && !decisive->satisfied();
    open |= decisive == nullptr;
  }
  v1::ResultPackage decided = package;
  Decide(&decided);
  OSAN_FUZZ_CHECK((decided.outcome() == v1::NOT_COMPLETED) == failed);
  OSAN_FUZZ_CHECK((decided.outcome() == v1::REMEDIATION_REQUIRED) == (!failed && open));
  OSAN_FUZZ_CHECK((decided.outcome() == v1::COMPLETED) == (!failed && !open));
  OSAN_FUZZ_CHECK(decided.credits_earned() ==
                  (decided.outcome() == v1::COMPLETED ? package.credits() : 0));
  OSAN_FUZZ_CHECK(decided.open_shortfalls_size() <= static_cast<int>(shortfalls.size()));
  OSAN_FUZZ_CHECK(decided.outcome() != v1::COMPLETED || decided.open_shortfalls_size() == 0);
  OSAN_FUZZ_CHECK((decided.outcome_reason() == "이수") ==
                  (decided.outcome() == v1::COMPLETED && shortfalls.empty()));
  const Scale scale = ScaleFor(package.category(), package.subject_area());
  OSAN_FUZZ_CHECK(IsLevelOf(scale, decided.achievement_level()) ||
                  decided.achievement_level() == rule.incomplete_mark());
  OSAN_FUZZ_CHECK(absl::StartsWith(decided.remarks(), package.delivery_label()));
  if (shortfalls.empty()) {
    OSAN_FUZZ_CHECK(decided.remarks() == package.delivery_label());
    OSAN_FUZZ_CHECK(decided.achievement_level() == StatisticsLevel(package));
  }
  // Preventive records change nothing.
  v1::ResultPackage without = package;
  without.clear_support();
  for (const v1::SupportRecord& record : package.support()) {
    if (record.kind() != v1::PREVENTIVE_INSTRUCTION) {
      *without.add_support() = record;
    }
  }
  Decide(&without);
  OSAN_FUZZ_CHECK(without.outcome() == decided.outcome());
  OSAN_FUZZ_CHECK(without.achievement_level() == decided.achievement_level());
  OSAN_FUZZ_CHECK(without.remarks() == decided.remarks());
  OSAN_FUZZ_CHECK(without.outcome_reason() == decided.outcome_reason());
  // Deciding again changes nothing.
  v1::ResultPackage again = decided;
  Decide(&again);
  OSAN_FUZZ_CHECK(again.SerializeAsString() == decided.SerializeAsString());
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
  const std::vector<std::string> levels = LevelsOf(ScaleFor(ConsumeCategory(in), ConsumeArea(in)));
  const SectionStatistics statistics = Summarize(students, levels);
  OSAN_FUZZ_CHECK(statistics.student_count == static_cast<int>(students.size()));
  for (const std::string& level : levels) {
    OSAN_FUZZ_CHECK(statistics.level_percent.count(level) == 1);
  }
  double total = 0;
  for (const auto& [level, percent] : statistics.level_percent) {
    OSAN_FUZZ_CHECK(percent >= 0 && percent <= 100);
    // One decimal.
    OSAN_FUZZ_CHECK(std::fabs(std::round(percent * 10) - percent * 10) < 1e-6);
    total += percent;
  }
  if (students.empty()) {
    OSAN_FUZZ_CHECK(total == 0);
    OSAN_FUZZ_CHECK(statistics.course_mean == 0);
  } else {
    // Each share is off by at most 0.05 from its exact value.
    OSAN_FUZZ_CHECK(std::fabs(total - 100) <= 0.05 * statistics.level_percent.size() + 1e-6);
    if (bounded) {
      // Rounded to one decimal place.
      OSAN_FUZZ_CHECK(statistics.course_mean >= low - 0.05 &&
                      statistics.course_mean <= high + 0.05);
    }
  }
  const bool joint = in.ConsumeBool();
  const std::string mark = RankMark(joint, statistics.student_count);
  OSAN_FUZZ_CHECK(mark == "·" || (!joint && statistics.student_count > 5));

  std::vector<RemarksLabel> labels(in.ConsumeIntegralInRange(0, 6));
  for (RemarksLabel& label : labels) {
    label.host_kind = static_cast<cv1::InstitutionKind>(
        in.ConsumeIntegralInRange(0, static_cast<int>(cv1::InstitutionKind_MAX)));
    label.delivery_mode = static_cast<cv1::DeliveryMode>(
        in.ConsumeIntegralInRange(0, static_cast<int>(cv1::DeliveryMode_MAX)));
    label.first_school_year = in.ConsumeIntegralInRange(2015, 2030);
    label.label = in.ConsumeRandomLengthString(8);
  }
  const auto kind = static_cast<cv1::InstitutionKind>(
      in.ConsumeIntegralInRange(0, static_cast<int>(cv1::InstitutionKind_MAX)));
  const auto mode = static_cast<cv1::DeliveryMode>(
      in.ConsumeIntegralInRange(0, static_cast<int>(cv1::DeliveryMode_MAX)));
  const int year = in.ConsumeIntegralInRange(2015, 2030);
  const absl::StatusOr<RemarksLabel> label = SelectRemarks(labels, kind, mode, year);
  fuzz::ExpectCode(label.status(), {StatusCode::kOk, StatusCode::kFailedPrecondition},
                   "SelectRemarks");
  if (label.ok()) {
    OSAN_FUZZ_CHECK(label->host_kind == kind);
    OSAN_FUZZ_CHECK(label->first_school_year <= year);
    OSAN_FUZZ_CHECK(label->delivery_mode == mode ||
                    label->delivery_mode == cv1::DELIVERY_MODE_UNSPECIFIED);
  }
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
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      osan::credit::CheckLevels(in);
      break;
    case 1:
      osan::credit::CheckRules(in);
      break;
    case 2:
      osan::credit::CheckDecisions(in);
      break;
    case 3:
      osan::credit::CheckStatistics(in);
      break;
    case 4:
      osan::credit::CheckAudit(in);
      break;
  }
  return 0;
}
