#include "services/credit/domain/rules.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/curriculum.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;
namespace rv1 = credit::v1;

// A level and the least achievement rate that reaches it. The scales are the
// achievement standards' own (성취평가제), not rules of a year.
struct Threshold {
  double minimum;
  const char* level;
};

constexpr Threshold kFiveLevelThresholds[] = {
    {90, "A"}, {80, "B"}, {70, "C"}, {60, "D"}, {40, "E"}};
constexpr Threshold kThreeLevelThresholds[] = {{80, "A"}, {60, "B"}, {40, "C"}};

template <size_t N>
std::string LevelOn(const Threshold (&thresholds)[N], double rate) {
  for (const Threshold& threshold : thresholds) {
    if (rate >= threshold.minimum) {
      return threshold.level;
    }
  }
  return thresholds[N - 1].level;
}

template <size_t N>
std::vector<std::string> LevelNames(const Threshold (&thresholds)[N]) {
  std::vector<std::string> levels;
  for (const Threshold& threshold : thresholds) {
    levels.push_back(threshold.level);
  }
  return levels;
}

// The row with the greatest first year <= year among `rows` matching
// `matches` (the first listed on a tie), or nullptr.
template <class Row, class FirstYear, class Matches>
const Row* Latest(const std::vector<Row>& rows, int year, FirstYear&& first_year,
                  Matches&& matches) {
  const Row* latest = nullptr;
  for (const Row& row : rows) {
    if (!matches(row) || first_year(row) > year) {
      continue;
    }
    if (latest == nullptr || first_year(row) > first_year(*latest)) {
      latest = &row;
    }
  }
  return latest;
}

Scale ScaleOf(const rv1::ResultPackage& package) {
  return ScaleFor(package.category(), package.subject_area());
}

// The level `rule` says for `which` case.
std::string LevelBy(rv1::LevelRule which, const rv1::CompletionRule& rule, Scale scale,
                    double rate) {
  switch (which) {
    case rv1::INCOMPLETE_MARK:
      return rule.incomplete_mark();
    case rv1::LOWEST_LEVEL:
      return LowestLevel(scale);
    default:
      return AssessedLevel(rule, scale, rate);
  }
}

// "2/3", "3/4".
std::string Fraction(const rv1::CompletionRule& rule) {
  return absl::StrCat(rule.attendance_numerator(), "/", rule.attendance_denominator());
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

std::vector<std::string> LevelsOf(Scale scale) {
  switch (scale) {
    case Scale::kFiveLevels:
      return LevelNames(kFiveLevelThresholds);
    case Scale::kThreeLevels:
      return LevelNames(kThreeLevelThresholds);
    case Scale::kPass:
      break;
  }
  return {"P"};
}

std::string LowestLevel(Scale scale) { return LevelsOf(scale).back(); }

std::string ScaleLevel(Scale scale, double achievement_rate) {
  switch (scale) {
    case Scale::kFiveLevels:
      return LevelOn(kFiveLevelThresholds, achievement_rate);
    case Scale::kThreeLevels:
      return LevelOn(kThreeLevelThresholds, achievement_rate);
    case Scale::kPass:
      break;
  }
  return "P";
}

std::string AssessedLevel(const rv1::CompletionRule& rule, Scale scale, double achievement_rate) {
  if (achievement_rate >= rule.minimum_achievement_rate()) {
    return ScaleLevel(scale, achievement_rate);
  }
  // Below the minimum (or NaN).
  return rule.below_minimum_level() == rv1::INCOMPLETE_MARK ? rule.incomplete_mark()
                                                            : LowestLevel(scale);
}

// ----- Completion rules -----------------------------------------------------

rv1::SubjectKind SubjectKindOf(cv1::Category category) {
  switch (category) {
    case cv1::COMMON:
      return rv1::COMMON_SUBJECT;
    case cv1::GENERAL_ELECTIVE:
    case cv1::CAREER_ELECTIVE:
    case cv1::CONVERGENCE_ELECTIVE:
      return rv1::ELECTIVE_SUBJECT;
    case cv1::LIBERAL_ARTS:
      return rv1::LIBERAL_ARTS_SUBJECT;
    default:
      return rv1::SUBJECT_KIND_UNSPECIFIED;
  }
}

absl::Status ValidateRule(const rv1::CompletionRule& rule) {
  const auto bad = [&](absl::string_view problem) {
    return absl::InternalError(
        absl::StrCat("completion rule (", rule.curriculum(), ", ", rule.first_school_year(), ", ",
                     rv1::SubjectKind_Name(rule.subject_kind()), "): ", problem));
  };
  const auto& curricula = curriculum::Curricula();
  if (std::none_of(curricula.begin(), curricula.end(),
                   [&](const curriculum::Curriculum& c) { return c.id == rule.curriculum(); })) {
    return bad("unknown curriculum");
  }
  if (rule.subject_kind() == rv1::SUBJECT_KIND_UNSPECIFIED) {
    return bad("no subject kind");
  }
  if (rule.attendance_numerator() <= 0 ||
      rule.attendance_denominator() < rule.attendance_numerator()) {
    return bad("the attendance share must be a fraction in (0, 1]");
  }
  if (!(rule.minimum_achievement_rate() > 0 && rule.minimum_achievement_rate() <= 100)) {
    return bad("the minimum achievement rate must be in (0, 100]");
  }
  for (const rv1::LevelRule level :
       {rule.below_minimum_level(), rule.remedied_level(), rule.incomplete_level()}) {
    if (level == rv1::LEVEL_RULE_UNSPECIFIED) {
      return bad("a level rule is missing");
    }
    if (level == rv1::INCOMPLETE_MARK && rule.incomplete_mark().empty()) {
      return bad("uses the incomplete mark but names none");
    }
  }
  if (rule.below_minimum_level() == rv1::ASSESSED_LEVEL ||
      rule.remedied_level() == rv1::ASSESSED_LEVEL) {
    return bad("a rate below the minimum has no assessed level of its own");
  }
  if (rule.source().empty() || rule.marks_source().empty()) {
    return bad("every rule names its sources");
  }
  return absl::OkStatus();
}

absl::StatusOr<rv1::CompletionRule> SelectRule(const std::vector<rv1::CompletionRule>& rules,
                                               absl::string_view curriculum, int school_year,
                                               rv1::SubjectKind kind) {
  const auto first_year = [](const rv1::CompletionRule& rule) { return rule.first_school_year(); };
  const auto of_kind = [&](rv1::SubjectKind wanted) {
    return [&, wanted](const rv1::CompletionRule& rule) {
      return rule.curriculum() == curriculum && rule.subject_kind() == wanted;
    };
  };
  if (kind != rv1::ANY_SUBJECT && kind != rv1::SUBJECT_KIND_UNSPECIFIED) {
    if (const rv1::CompletionRule* own = Latest(rules, school_year, first_year, of_kind(kind))) {
      return *own;
    }
  }
  if (const rv1::CompletionRule* any =
          Latest(rules, school_year, first_year, of_kind(rv1::ANY_SUBJECT))) {
    return *any;
  }
  return absl::NotFoundError(absl::StrCat("no completion rule of the ", curriculum,
                                          " curriculum for ", rv1::SubjectKind_Name(kind),
                                          " in school year ", school_year));
}

absl::StatusOr<rv1::CompletionRule> RuleForStudent(const std::vector<rv1::CompletionRule>& rules,
                                                   absl::string_view student, int entry_year,
                                                   int school_year, cv1::Category category) {
  if (entry_year == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("the roster gives no entry year for ", student,
                     "; the completion rule depends on the student's cohort"));
  }
  const curriculum::Curriculum& curriculum = curriculum::CurriculumFor(entry_year);
  absl::StatusOr<rv1::CompletionRule> rule =
      SelectRule(rules, curriculum.id, school_year, SubjectKindOf(category));
  if (!rule.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(student, " (entered ", entry_year, "): ", rule.status().message()));
  }
  return rule;
}

std::string DescribeRule(const rv1::CompletionRule& rule) {
  std::vector<std::string> requirements;
  if (rule.requires_attendance()) {
    requirements.push_back(absl::StrCat("출석 ", Fraction(rule), " 이상"));
  }
  if (rule.requires_achievement()) {
    requirements.push_back(absl::StrCat("성취율 ", rule.minimum_achievement_rate(), "% 이상"));
  }
  return requirements.empty() ? "요건 없음" : absl::StrJoin(requirements, ", ");
}

bool AttendanceSufficient(int attended, int held, int numerator, int denominator) {
  if (held <= 0) {
    return false;
  }
  return static_cast<int64_t>(denominator) * attended >= static_cast<int64_t>(numerator) * held;
}

std::vector<ShortfallFound> Shortfalls(const rv1::CompletionRule& rule,
                                       const CompletionEvidence& evidence) {
  std::vector<ShortfallFound> shortfalls;
  if (rule.requires_attendance() &&
      !AttendanceSufficient(evidence.sessions_attended, evidence.sessions_held,
                            rule.attendance_numerator(), rule.attendance_denominator())) {
    shortfalls.push_back({rv1::ATTENDANCE, absl::StrCat("출석 ", Fraction(rule), " 미달 (",
                                                        evidence.sessions_attended, "/",
                                                        evidence.sessions_held, "회)")});
  }
  if (rule.requires_achievement() &&
      !(evidence.achievement_rate >= rule.minimum_achievement_rate())) {
    shortfalls.push_back(
        {rv1::ACHIEVEMENT, absl::StrCat("성취율 ", rule.minimum_achievement_rate(), "% 미만 (",
                                        evidence.achievement_rate, "%)")});
  }
  return shortfalls;
}

void Decide(rv1::ResultPackage* package) {
  const rv1::CompletionRule& rule = package->rule();
  const Scale scale = ScaleOf(*package);
  const double rate = package->achievement_rate();
  const std::vector<ShortfallFound> shortfalls = Shortfalls(
      rule, {package->attendance().sessions_held(), package->attendance().attended(), rate});

  std::vector<std::string> cleared, failed, open;
  std::vector<std::string> notes;
  bool remedied = false;
  package->clear_open_shortfalls();
  for (const ShortfallFound& shortfall : shortfalls) {
    // The latest record of the kind that clears this shortfall decides it.
    const rv1::SupportRecord* decisive = nullptr;
    for (const rv1::SupportRecord& record : package->support()) {
      if (record.shortfall() == shortfall.shortfall) {
        decisive = &record;
      }
    }
    if (decisive == nullptr) {
      open.push_back(shortfall.reason);
      package->add_open_shortfalls(shortfall.shortfall);
    } else if (decisive->satisfied()) {
      cleared.push_back(absl::StrCat(decisive->label(), " 이수: ", shortfall.reason));
      if (!decisive->remarks_note().empty()) {
        notes.push_back(decisive->remarks_note());
      }
      remedied |= shortfall.shortfall == rv1::ACHIEVEMENT;
    } else {
      failed.push_back(absl::StrCat(decisive->label(), " 미이수: ", shortfall.reason));
      package->add_open_shortfalls(shortfall.shortfall);
    }
  }

  std::string level = AssessedLevel(rule, scale, rate);
  if (!failed.empty()) {
    package->set_outcome(rv1::NOT_COMPLETED);
    package->set_outcome_reason(absl::StrCat("미이수 (", absl::StrJoin(failed, ", "), ")"));
    level = LevelBy(rule.incomplete_level(), rule, scale, rate);
  } else if (!open.empty()) {
    package->set_outcome(rv1::REMEDIATION_REQUIRED);
    package->set_outcome_reason(absl::StrJoin(open, ", "));
  } else {
    package->set_outcome(rv1::COMPLETED);
    package->set_outcome_reason(
        cleared.empty() ? "이수" : absl::StrCat("이수 (", absl::StrJoin(cleared, ", "), ")"));
    if (remedied) {
      level = LevelBy(rule.remedied_level(), rule, scale, rate);
    }
  }
  package->set_achievement_level(level);
  package->set_credits_earned(package->outcome() == rv1::COMPLETED ? package->credits() : 0);
  std::vector<std::string> remarks = {package->delivery_label()};
  remarks.insert(remarks.end(), notes.begin(), notes.end());
  package->set_remarks(absl::StrJoin(remarks, ", "));
}

std::string StatisticsLevel(const rv1::ResultPackage& package) {
  return AssessedLevel(package.rule(), ScaleOf(package), package.achievement_rate());
}

// ----- Section statistics and marks -----------------------------------------

SectionStatistics Summarize(const std::vector<ScoredStudent>& students,
                            const std::vector<std::string>& levels) {
  SectionStatistics statistics;
  statistics.student_count = static_cast<int>(students.size());
  for (const std::string& level : levels) {
    statistics.level_percent[level] = 0;
  }
  if (students.empty()) {
    return statistics;
  }
  double sum = 0;
  std::map<std::string, int> counts;
  for (const ScoredStudent& student : students) {
    sum += student.raw_score;
    ++counts[student.achievement_level];
  }
  const double n = static_cast<double>(students.size());
  statistics.course_mean = std::round(sum / n * 10) / 10;
  for (const auto& [level, count] : counts) {
    statistics.level_percent[level] = std::round(count * 1000 / n) / 10;
  }
  return statistics;
}

std::string RankMark(bool joint_course, int student_count) {
  if (joint_course || student_count <= 5) {
    return "·";
  }
  // A rank is recorded; it is not this function's to compute.
  return "";
}

// ----- Remarks labels and support kinds -------------------------------------

absl::StatusOr<RemarksLabel> SelectRemarks(const std::vector<RemarksLabel>& labels,
                                           cv1::InstitutionKind host_kind, cv1::DeliveryMode mode,
                                           int school_year) {
  const auto first_year = [](const RemarksLabel& row) { return row.first_school_year; };
  const auto of_mode = [&](cv1::DeliveryMode wanted) {
    return [&, wanted](const RemarksLabel& row) {
      return row.host_kind == host_kind && row.delivery_mode == wanted;
    };
  };
  if (mode != cv1::DELIVERY_MODE_UNSPECIFIED) {
    if (const RemarksLabel* own = Latest(labels, school_year, first_year, of_mode(mode))) {
      return *own;
    }
  }
  if (const RemarksLabel* any =
          Latest(labels, school_year, first_year, of_mode(cv1::DELIVERY_MODE_UNSPECIFIED))) {
    return *any;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "no remarks (비고) label for courses of a ", cv1::InstitutionKind_Name(host_kind),
      " host delivered ", cv1::DeliveryMode_Name(mode), " in school year ", school_year));
}

absl::StatusOr<SupportKind> SelectSupportKind(const std::vector<SupportKind>& kinds,
                                              rv1::RemediationKind kind, int school_year) {
  const SupportKind* row = Latest(
      kinds, school_year, [](const SupportKind& k) { return k.first_school_year; },
      [&](const SupportKind& k) { return k.kind == kind; });
  if (row == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no rule for ", rv1::RemediationKind_Name(kind), " in school year ", school_year));
  }
  return *row;
}

rv1::SupportRecord SupportRecordOf(const SupportKind& kind) {
  rv1::SupportRecord record;
  record.set_kind(kind.kind);
  record.set_label(kind.label);
  record.set_shortfall(kind.clears);
  record.set_remarks_note(kind.remarks_note);
  record.set_source(kind.source);
  return record;
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
