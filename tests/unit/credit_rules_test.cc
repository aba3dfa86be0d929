// Unit tests of the credit system's rules (services/credit/domain/rules.h),
// at every boundary: the levels, the choice of a completion rule row by
// curriculum (cohort), school year and subject kind, attendance at exactly
// two thirds and with no session held, achievement at exactly 40%, the
// levels and marks the rows give, minimum-achievement support, statistics,
// remarks labels and the credited course version.
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/credit/domain/rules.h"

namespace osan::credit {
namespace {

namespace cv1 = ::osan::catalog::v1;
namespace rv1 = ::osan::credit::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// ----- The rule table ---------------------------------------------------------

rv1::CompletionRule Rule(const std::string& curriculum, int first_year, rv1::SubjectKind kind,
                         bool attendance, bool achievement, rv1::LevelRule below,
                         rv1::LevelRule remedied, rv1::LevelRule incomplete,
                         const std::string& mark) {
  rv1::CompletionRule rule;
  rule.set_curriculum(curriculum);
  rule.set_first_school_year(first_year);
  rule.set_subject_kind(kind);
  rule.set_requires_attendance(attendance);
  rule.set_attendance_numerator(2);
  rule.set_attendance_denominator(3);
  rule.set_requires_achievement(achievement);
  rule.set_minimum_achievement_rate(40);
  rule.set_below_minimum_level(below);
  rule.set_remedied_level(remedied);
  rule.set_incomplete_level(incomplete);
  rule.set_incomplete_mark(mark);
  rule.set_source(
      absl::StrCat("source of ", curriculum, "/", first_year, "/", rv1::SubjectKind_Name(kind)));
  rule.set_marks_source("marks source");
  return rule;
}

// The rows migration 002_record_rules.sql seeds, in the same order (sources
// shortened); credit_api_test checks the database's rows select alike.
const rv1::CompletionRule& k2015 =
    *new rv1::CompletionRule(Rule("2015", 2018, rv1::ANY_SUBJECT, true, false, rv1::LOWEST_LEVEL,
                                  rv1::LOWEST_LEVEL, rv1::ASSESSED_LEVEL, ""));
const rv1::CompletionRule& k2022Any2025 =
    *new rv1::CompletionRule(Rule("2022", 2025, rv1::ANY_SUBJECT, true, true, rv1::INCOMPLETE_MARK,
                                  rv1::LOWEST_LEVEL, rv1::INCOMPLETE_MARK, "I"));
const rv1::CompletionRule& k2022Liberal2025 =
    *new rv1::CompletionRule(Rule("2022", 2025, rv1::LIBERAL_ARTS_SUBJECT, true, false,
                                  rv1::LOWEST_LEVEL, rv1::LOWEST_LEVEL, rv1::INCOMPLETE_MARK, "I"));
const rv1::CompletionRule& k2022Common2026 = *new rv1::CompletionRule(
    Rule("2022", 2026, rv1::COMMON_SUBJECT, true, true, rv1::INCOMPLETE_MARK, rv1::LOWEST_LEVEL,
         rv1::INCOMPLETE_MARK, "I"));
const rv1::CompletionRule& k2022Elective2026 =
    *new rv1::CompletionRule(Rule("2022", 2026, rv1::ELECTIVE_SUBJECT, true, false,
                                  rv1::LOWEST_LEVEL, rv1::LOWEST_LEVEL, rv1::INCOMPLETE_MARK, "I"));

std::vector<rv1::CompletionRule> SeededRules() {
  return {k2015, k2022Any2025, k2022Liberal2025, k2022Common2026, k2022Elective2026};
}

bool SameRow(const rv1::CompletionRule& a, const rv1::CompletionRule& b) {
  return a.curriculum() == b.curriculum() && a.first_school_year() == b.first_school_year() &&
         a.subject_kind() == b.subject_kind();
}

std::string RowName(const rv1::CompletionRule& rule) {
  return absl::StrCat(rule.curriculum(), "/", rule.first_school_year(), "/",
                      rv1::SubjectKind_Name(rule.subject_kind()));
}

// ----- Achievement levels ---------------------------------------------------

TEST(ScaleForTest, LiberalArtsIsPassWhateverTheArea) {
  EXPECT_EQ(ScaleFor(cv1::LIBERAL_ARTS, cv1::LIFE_AND_LIBERAL), Scale::kPass);
  EXPECT_EQ(ScaleFor(cv1::LIBERAL_ARTS, cv1::PHYSICAL_EDUCATION), Scale::kPass);
  EXPECT_EQ(ScaleFor(cv1::LIBERAL_ARTS, cv1::ARTS), Scale::kPass);
  EXPECT_EQ(ScaleFor(cv1::LIBERAL_ARTS, cv1::KOREAN), Scale::kPass);
}

TEST(ScaleForTest, PhysicalEducationAndArtsAreThreeLevels) {
  EXPECT_EQ(ScaleFor(cv1::COMMON, cv1::PHYSICAL_EDUCATION), Scale::kThreeLevels);
  EXPECT_EQ(ScaleFor(cv1::GENERAL_ELECTIVE, cv1::PHYSICAL_EDUCATION), Scale::kThreeLevels);
  EXPECT_EQ(ScaleFor(cv1::CAREER_ELECTIVE, cv1::ARTS), Scale::kThreeLevels);
}

TEST(ScaleForTest, OtherSubjectsAreFiveLevels) {
  EXPECT_EQ(ScaleFor(cv1::COMMON, cv1::KOREAN), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::GENERAL_ELECTIVE, cv1::MATHEMATICS), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::CAREER_ELECTIVE, cv1::SCIENCE), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::CONVERGENCE_ELECTIVE, cv1::LIFE_AND_LIBERAL), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::CAREER_ELECTIVE, cv1::VOCATIONAL), Scale::kFiveLevels);
}

TEST(LevelsOfTest, ScalesBestFirst) {
  EXPECT_THAT(LevelsOf(Scale::kFiveLevels), ElementsAre("A", "B", "C", "D", "E"));
  EXPECT_THAT(LevelsOf(Scale::kThreeLevels), ElementsAre("A", "B", "C"));
  EXPECT_THAT(LevelsOf(Scale::kPass), ElementsAre("P"));
  EXPECT_EQ(LowestLevel(Scale::kFiveLevels), "E");
  EXPECT_EQ(LowestLevel(Scale::kThreeLevels), "C");
  EXPECT_EQ(LowestLevel(Scale::kPass), "P");
}

struct LevelCase {
  double rate;
  std::string level;
};

void ExpectScaleLevels(Scale scale, const std::vector<LevelCase>& cases) {
  for (const LevelCase& c : cases) {
    EXPECT_EQ(ScaleLevel(scale, c.rate), c.level) << "rate " << c.rate;
  }
}

TEST(ScaleLevelTest, FiveLevelBoundariesAreInclusiveFromBelow) {
  ExpectScaleLevels(Scale::kFiveLevels, {{100, "A"},
                                         {90, "A"},
                                         {89.99, "B"},
                                         {80, "B"},
                                         {79.99, "C"},
                                         {70, "C"},
                                         {69.99, "D"},
                                         {60, "D"},
                                         {59.99, "E"},
                                         {40, "E"},
                                         // Below every threshold: still the lowest level; what
                                         // a rate below the minimum records is the rule's.
                                         {39.99, "E"},
                                         {0, "E"}});
}

TEST(ScaleLevelTest, ThreeLevelBoundariesAreInclusiveFromBelow) {
  ExpectScaleLevels(Scale::kThreeLevels, {{100, "A"},
                                          {80, "A"},
                                          {79.99, "B"},
                                          {60, "B"},
                                          {59.99, "C"},
                                          {40, "C"},
                                          {39.99, "C"},
                                          {0, "C"}});
}

TEST(ScaleLevelTest, PassScaleIsPassWhateverTheRate) {
  ExpectScaleLevels(Scale::kPass, {{0, "P"}, {39.99, "P"}, {100, "P"}});
}

TEST(AssessedLevelTest, BelowFortyWhereAchievementCountsIsTheIncompleteMark) {
  // 2022 curriculum, 2025: "I" below 40, never below at exactly 40.
  EXPECT_EQ(AssessedLevel(k2022Any2025, Scale::kFiveLevels, 39.99), "I");
  EXPECT_EQ(AssessedLevel(k2022Any2025, Scale::kFiveLevels, 0), "I");
  EXPECT_EQ(AssessedLevel(k2022Any2025, Scale::kFiveLevels, 40), "E");
  EXPECT_EQ(AssessedLevel(k2022Any2025, Scale::kFiveLevels, 90), "A");
  EXPECT_EQ(AssessedLevel(k2022Any2025, Scale::kThreeLevels, 39.99), "I");
  EXPECT_EQ(AssessedLevel(k2022Common2026, Scale::kFiveLevels, 39.99), "I");
}

TEST(AssessedLevelTest, AttendanceOnlyElectivesGetTheLowestLevelNeverTheIncompleteMark) {
  EXPECT_EQ(AssessedLevel(k2022Elective2026, Scale::kFiveLevels, 30), "E");
  EXPECT_EQ(AssessedLevel(k2022Elective2026, Scale::kThreeLevels, 30), "C");
  EXPECT_EQ(AssessedLevel(k2022Elective2026, Scale::kFiveLevels, 39.99), "E");
  EXPECT_EQ(AssessedLevel(k2022Elective2026, Scale::kFiveLevels, 65), "D");
}

TEST(AssessedLevelTest, The2015CurriculumGivesTheLowestLevel) {
  EXPECT_EQ(AssessedLevel(k2015, Scale::kFiveLevels, 10), "E");
  EXPECT_EQ(AssessedLevel(k2015, Scale::kThreeLevels, 10), "C");
  EXPECT_EQ(AssessedLevel(k2015, Scale::kFiveLevels, 85), "B");
}

TEST(AssessedLevelTest, LiberalArtsIsPass) {
  EXPECT_EQ(AssessedLevel(k2022Liberal2025, Scale::kPass, 10), "P");
  EXPECT_EQ(AssessedLevel(k2022Liberal2025, Scale::kPass, 100), "P");
}

TEST(AssessedLevelTest, TheMinimumIsTheRowsNotAConstant) {
  rv1::CompletionRule rule = k2022Any2025;
  rule.set_minimum_achievement_rate(50);
  EXPECT_EQ(AssessedLevel(rule, Scale::kFiveLevels, 49.99), "I");
  EXPECT_EQ(AssessedLevel(rule, Scale::kFiveLevels, 50), "E");
}

// ----- Completion rules -----------------------------------------------------

TEST(SubjectKindOfTest, CategoriesToKinds) {
  EXPECT_EQ(SubjectKindOf(cv1::COMMON), rv1::COMMON_SUBJECT);
  EXPECT_EQ(SubjectKindOf(cv1::GENERAL_ELECTIVE), rv1::ELECTIVE_SUBJECT);
  EXPECT_EQ(SubjectKindOf(cv1::CAREER_ELECTIVE), rv1::ELECTIVE_SUBJECT);
  EXPECT_EQ(SubjectKindOf(cv1::CONVERGENCE_ELECTIVE), rv1::ELECTIVE_SUBJECT);
  EXPECT_EQ(SubjectKindOf(cv1::LIBERAL_ARTS), rv1::LIBERAL_ARTS_SUBJECT);
  // No kind of its own: governed by the catch-all rows.
  EXPECT_EQ(SubjectKindOf(cv1::CATEGORY_UNSPECIFIED), rv1::SUBJECT_KIND_UNSPECIFIED);
  EXPECT_EQ(SubjectKindOf(cv1::OUT_OF_SCHOOL), rv1::SUBJECT_KIND_UNSPECIFIED);
}

struct SelectionCase {
  int entry_year;
  int school_year;
  cv1::Category category;
  const rv1::CompletionRule* expected;
};

void ExpectSelected(const std::vector<rv1::CompletionRule>& rules,
                    const std::vector<SelectionCase>& cases) {
  for (const SelectionCase& c : cases) {
    SCOPED_TRACE(absl::StrCat("entered ", c.entry_year, ", school year ", c.school_year, ", ",
                              cv1::Category_Name(c.category)));
    const absl::StatusOr<rv1::CompletionRule> rule = RuleForStudent(
        rules, "schools/J10-7531001/students/s1", c.entry_year, c.school_year, c.category);
    ASSERT_TRUE(rule.ok()) << rule.status();
    EXPECT_TRUE(SameRow(*rule, *c.expected))
        << "selected " << RowName(*rule) << ", expected " << RowName(*c.expected);
  }
}

TEST(RuleForStudentTest, A2024AndA2025EntrantInTheSameSectionGetDifferentRows) {
  ExpectSelected(SeededRules(), {{2024, 2025, cv1::CAREER_ELECTIVE, &k2015},
                                 {2025, 2025, cv1::CAREER_ELECTIVE, &k2022Any2025},
                                 {2024, 2026, cv1::COMMON, &k2015},
                                 {2025, 2026, cv1::COMMON, &k2022Common2026}});
}

TEST(RuleForStudentTest, A2025AndA2026TermGetDifferentRows) {
  ExpectSelected(SeededRules(), {{2025, 2025, cv1::GENERAL_ELECTIVE, &k2022Any2025},
                                 {2025, 2026, cv1::GENERAL_ELECTIVE, &k2022Elective2026},
                                 {2025, 2025, cv1::COMMON, &k2022Any2025},
                                 {2025, 2026, cv1::COMMON, &k2022Common2026},
                                 {2026, 2027, cv1::CONVERGENCE_ELECTIVE, &k2022Elective2026},
                                 {2026, 2027, cv1::COMMON, &k2022Common2026}});
}

TEST(RuleForStudentTest, LiberalArtsIsAttendanceOnlyInEveryYear) {
  ExpectSelected(SeededRules(), {{2025, 2025, cv1::LIBERAL_ARTS, &k2022Liberal2025},
                                 {2025, 2026, cv1::LIBERAL_ARTS, &k2022Liberal2025},
                                 {2027, 2029, cv1::LIBERAL_ARTS, &k2022Liberal2025},
                                 {2024, 2025, cv1::LIBERAL_ARTS, &k2015}});
  EXPECT_FALSE(k2022Liberal2025.requires_achievement());
  EXPECT_TRUE(k2022Liberal2025.requires_attendance());
}

TEST(RuleForStudentTest, TheCohortDecidesTheCurriculum) {
  // The 2015 curriculum from the 2018 entrants to the 2024 ones; 2022 after.
  ExpectSelected(SeededRules(), {{2018, 2018, cv1::COMMON, &k2015},
                                 {2022, 2024, cv1::COMMON, &k2015},
                                 {2024, 2026, cv1::GENERAL_ELECTIVE, &k2015},
                                 {2025, 2027, cv1::GENERAL_ELECTIVE, &k2022Elective2026}});
}

TEST(RuleForStudentTest, CategoriesWithoutAKindFallToTheCatchAll) {
  ExpectSelected(SeededRules(), {{2025, 2026, cv1::OUT_OF_SCHOOL, &k2022Any2025},
                                 {2025, 2026, cv1::CATEGORY_UNSPECIFIED, &k2022Any2025}});
}

TEST(RuleForStudentTest, UnknownCohortOrNoRowIsAFailedPreconditionNamingTheStudent) {
  const absl::StatusOr<rv1::CompletionRule> no_cohort =
      RuleForStudent(SeededRules(), "schools/J10-7531001/students/s1", 0, 2026, cv1::COMMON);
  EXPECT_EQ(no_cohort.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(no_cohort.status().message(), HasSubstr("schools/J10-7531001/students/s1"));
  EXPECT_THAT(no_cohort.status().message(), HasSubstr("entry year"));
  // The 2015 curriculum's first row is for 2018.
  const absl::StatusOr<rv1::CompletionRule> too_early =
      RuleForStudent(SeededRules(), "schools/J10-7531001/students/s2", 2016, 2017, cv1::COMMON);
  EXPECT_EQ(too_early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(too_early.status().message(), HasSubstr("students/s2"));
  // Another curriculum's rows never govern a student.
  const absl::StatusOr<rv1::CompletionRule> other =
      RuleForStudent({k2022Any2025}, "schools/J10-7531001/students/s3", 2024, 2025, cv1::COMMON);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SelectRuleTest, ExactKindBeatsANewerCatchAll) {
  std::vector<rv1::CompletionRule> rules = SeededRules();
  const rv1::CompletionRule any2026 =
      Rule("2022", 2026, rv1::ANY_SUBJECT, false, false, rv1::LOWEST_LEVEL, rv1::LOWEST_LEVEL,
           rv1::LOWEST_LEVEL, "");
  rules.push_back(any2026);
  // 교양 in 2026: its own 2025 row, not the newer catch-all.
  const auto liberal = SelectRule(rules, "2022", 2026, rv1::LIBERAL_ARTS_SUBJECT);
  ASSERT_TRUE(liberal.ok());
  EXPECT_TRUE(SameRow(*liberal, k2022Liberal2025));
  // A kind without a row of its own in 2026 and later gets the 2026 catch-all.
  const auto any = SelectRule(rules, "2022", 2027, rv1::SUBJECT_KIND_UNSPECIFIED);
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(SameRow(*any, any2026));
}

TEST(SelectRuleTest, GreatestFirstYearNotAfterTheTermsYear) {
  const auto y2025 = SelectRule(SeededRules(), "2022", 2025, rv1::COMMON_SUBJECT);
  const auto y2026 = SelectRule(SeededRules(), "2022", 2026, rv1::COMMON_SUBJECT);
  const auto y2030 = SelectRule(SeededRules(), "2022", 2030, rv1::COMMON_SUBJECT);
  ASSERT_TRUE(y2025.ok() && y2026.ok() && y2030.ok());
  // The COMMON row starts in 2026: 2025 falls back to the catch-all.
  EXPECT_TRUE(SameRow(*y2025, k2022Any2025));
  EXPECT_TRUE(SameRow(*y2026, k2022Common2026));
  EXPECT_TRUE(SameRow(*y2030, k2022Common2026));
  EXPECT_EQ(SelectRule(SeededRules(), "2022", 2024, rv1::COMMON_SUBJECT).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(SelectRule({}, "2022", 2026, rv1::COMMON_SUBJECT).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(SelectRuleTest, NextYearsRuleIsADataChange) {
  // A hypothetical 2027 row for electives: attendance and achievement.
  std::vector<rv1::CompletionRule> rules = SeededRules();
  const rv1::CompletionRule elective2027 =
      Rule("2022", 2027, rv1::ELECTIVE_SUBJECT, true, true, rv1::INCOMPLETE_MARK, rv1::LOWEST_LEVEL,
           rv1::INCOMPLETE_MARK, "I");
  rules.push_back(elective2027);
  ExpectSelected(rules, {{2025, 2026, cv1::CAREER_ELECTIVE, &k2022Elective2026},
                         {2025, 2027, cv1::CAREER_ELECTIVE, &elective2027},
                         {2025, 2027, cv1::COMMON, &k2022Common2026},
                         {2024, 2027, cv1::CAREER_ELECTIVE, &k2015}});
}

TEST(ValidateRuleTest, SeededRowsAreValid) {
  for (const rv1::CompletionRule& rule : SeededRules()) {
    EXPECT_TRUE(ValidateRule(rule).ok()) << RowName(rule) << ": " << ValidateRule(rule);
  }
}

TEST(ValidateRuleTest, RefusesMalformedRows) {
  const auto refused = [](void (*mutate)(rv1::CompletionRule*)) {
    rv1::CompletionRule rule = k2022Any2025;
    mutate(&rule);
    return ValidateRule(rule).code() == absl::StatusCode::kInternal;
  };
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_curriculum("2009"); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->clear_source(); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->clear_marks_source(); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_subject_kind({}); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_attendance_numerator(0); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_attendance_denominator(1); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_minimum_achievement_rate(0); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_minimum_achievement_rate(101); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->clear_incomplete_mark(); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->set_remedied_level(rv1::ASSESSED_LEVEL); }));
  EXPECT_TRUE(refused([](rv1::CompletionRule* r) { r->clear_incomplete_level(); }));
}

TEST(DescribeRuleTest, Requirements) {
  EXPECT_EQ(DescribeRule(k2022Any2025), "출석 2/3 이상, 성취율 40% 이상");
  EXPECT_EQ(DescribeRule(k2022Elective2026), "출석 2/3 이상");
  EXPECT_EQ(DescribeRule(k2015), "출석 2/3 이상");
  rv1::CompletionRule none = k2015;
  none.set_requires_attendance(false);
  EXPECT_EQ(DescribeRule(none), "요건 없음");
}

// ----- Attendance -----------------------------------------------------------

TEST(AttendanceSufficientTest, TwoThirdsOfSessionsHeldExactly) {
  // 15 held: two thirds is exactly 10.
  EXPECT_TRUE(AttendanceSufficient(10, 15, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(9, 15, 2, 3));
  // 16 held: two thirds is 10.67, so 11.
  EXPECT_TRUE(AttendanceSufficient(11, 16, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(10, 16, 2, 3));
  // 64 held (4 credits): 42.67, so 43.
  EXPECT_TRUE(AttendanceSufficient(43, 64, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(42, 64, 2, 3));
  EXPECT_TRUE(AttendanceSufficient(2, 3, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(1, 3, 2, 3));
  EXPECT_TRUE(AttendanceSufficient(1, 1, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(0, 1, 2, 3));
}

TEST(AttendanceSufficientTest, NoSessionHeldIsNeverSufficient) {
  EXPECT_FALSE(AttendanceSufficient(0, 0, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(3, 0, 2, 3));
  EXPECT_FALSE(AttendanceSufficient(0, -1, 2, 3));
}

TEST(AttendanceSufficientTest, TheShareIsTheRowsNotAConstant) {
  EXPECT_TRUE(AttendanceSufficient(3, 4, 3, 4));
  EXPECT_FALSE(AttendanceSufficient(2, 4, 3, 4));
  EXPECT_TRUE(AttendanceSufficient(4, 4, 1, 1));
  EXPECT_FALSE(AttendanceSufficient(3, 4, 1, 1));
}

// ----- Decisions ------------------------------------------------------------

// A package of a 4-credit course with 16 sessions held.
rv1::ResultPackage Package(const rv1::CompletionRule& rule, int attended, double rate,
                           cv1::Category category = cv1::CAREER_ELECTIVE,
                           cv1::SubjectArea area = cv1::MATHEMATICS) {
  rv1::ResultPackage package;
  package.set_category(category);
  package.set_subject_area(area);
  package.set_credits(4);
  package.set_achievement_rate(rate);
  package.mutable_attendance()->set_sessions_held(16);
  package.mutable_attendance()->set_sessions_planned(16);
  package.mutable_attendance()->set_attended(attended);
  package.set_delivery_label("공동교육과정");
  *package.mutable_rule() = rule;
  return package;
}

rv1::SupportRecord Support(rv1::RemediationKind kind, bool satisfied) {
  rv1::SupportRecord record;
  record.set_kind(kind);
  record.set_satisfied(satisfied);
  switch (kind) {
    case rv1::REMEDIAL_INSTRUCTION:
      record.set_label("보충지도");
      record.set_shortfall(rv1::ACHIEVEMENT);
      break;
    case rv1::ADDITIONAL_STUDY:
      record.set_label("추가학습");
      record.set_shortfall(rv1::ATTENDANCE);
      record.set_remarks_note("출석률 미달로 인한 추가학습 실시");
      break;
    default:
      record.set_label("예방지도");
  }
  return record;
}

rv1::ResultPackage Decided(rv1::ResultPackage package) {
  Decide(&package);
  return package;
}

std::vector<int> Open(const rv1::ResultPackage& package) {
  return {package.open_shortfalls().begin(), package.open_shortfalls().end()};
}

TEST(ShortfallsTest, ReasonsNameTheEvidence) {
  const auto both = Shortfalls(k2022Any2025, {16, 10, 35.5});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].shortfall, rv1::ATTENDANCE);
  EXPECT_EQ(both[0].reason, "출석 2/3 미달 (10/16회)");
  EXPECT_EQ(both[1].shortfall, rv1::ACHIEVEMENT);
  EXPECT_EQ(both[1].reason, "성취율 40% 미만 (35.5%)");
  EXPECT_THAT(Shortfalls(k2022Any2025, {16, 11, 40}), IsEmpty());
  // Nothing held: attendance is short whatever was attended.
  const auto none_held = Shortfalls(k2022Elective2026, {0, 0, 90});
  ASSERT_EQ(none_held.size(), 1u);
  EXPECT_EQ(none_held[0].reason, "출석 2/3 미달 (0/0회)");
}

TEST(DecideTest, AttendanceAndAchievementRow) {
  const rv1::ResultPackage met = Decided(Package(k2022Any2025, 11, 85));
  EXPECT_EQ(met.outcome(), rv1::COMPLETED);
  EXPECT_EQ(met.outcome_reason(), "이수");
  EXPECT_EQ(met.achievement_level(), "B");
  EXPECT_EQ(met.credits_earned(), 4);
  EXPECT_THAT(Open(met), IsEmpty());
  EXPECT_EQ(met.remarks(), "공동교육과정");

  const rv1::ResultPackage exactly40 = Decided(Package(k2022Any2025, 11, 40));
  EXPECT_EQ(exactly40.outcome(), rv1::COMPLETED);
  EXPECT_EQ(exactly40.achievement_level(), "E");

  const rv1::ResultPackage below = Decided(Package(k2022Any2025, 11, 39.99));
  EXPECT_EQ(below.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(below.outcome_reason(), "성취율 40% 미만 (39.99%)");
  EXPECT_EQ(below.achievement_level(), "I");
  EXPECT_EQ(below.credits_earned(), 0);
  EXPECT_THAT(Open(below), ElementsAre(rv1::ACHIEVEMENT));

  const rv1::ResultPackage absent = Decided(Package(k2022Any2025, 10, 85));
  EXPECT_EQ(absent.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(absent.outcome_reason(), "출석 2/3 미달 (10/16회)");
  EXPECT_EQ(absent.achievement_level(), "B");
  EXPECT_THAT(Open(absent), ElementsAre(rv1::ATTENDANCE));

  const rv1::ResultPackage both = Decided(Package(k2022Any2025, 10, 35.5));
  EXPECT_EQ(both.outcome_reason(), "출석 2/3 미달 (10/16회), 성취율 40% 미만 (35.5%)");
  EXPECT_THAT(Open(both), ElementsAre(rv1::ATTENDANCE, rv1::ACHIEVEMENT));
}

TEST(DecideTest, A2026ElectiveAtThirtyPercentWithFullAttendanceCompletesWithTheLowestLevel) {
  const rv1::ResultPackage five = Decided(Package(k2022Elective2026, 16, 30));
  EXPECT_EQ(five.outcome(), rv1::COMPLETED);
  EXPECT_EQ(five.achievement_level(), "E");
  EXPECT_NE(five.achievement_level(), k2022Elective2026.incomplete_mark());
  EXPECT_EQ(five.credits_earned(), 4);
  const rv1::ResultPackage three =
      Decided(Package(k2022Elective2026, 16, 30, cv1::CAREER_ELECTIVE, cv1::ARTS));
  EXPECT_EQ(three.outcome(), rv1::COMPLETED);
  EXPECT_EQ(three.achievement_level(), "C");
  // The same student in a 2026 common subject needs remedial instruction.
  const rv1::ResultPackage common =
      Decided(Package(k2022Common2026, 16, 30, cv1::COMMON, cv1::MATHEMATICS));
  EXPECT_EQ(common.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(common.achievement_level(), "I");
}

TEST(DecideTest, The2015CurriculumNeedsAttendanceOnly) {
  const rv1::ResultPackage low = Decided(Package(k2015, 11, 10));
  EXPECT_EQ(low.outcome(), rv1::COMPLETED);
  EXPECT_EQ(low.achievement_level(), "E");
  const rv1::ResultPackage absent = Decided(Package(k2015, 10, 10));
  EXPECT_EQ(absent.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(absent), ElementsAre(rv1::ATTENDANCE));
}

TEST(DecideTest, LiberalArtsIsPassOnAttendance) {
  const rv1::ResultPackage low =
      Decided(Package(k2022Liberal2025, 11, 10, cv1::LIBERAL_ARTS, cv1::LIFE_AND_LIBERAL));
  EXPECT_EQ(low.outcome(), rv1::COMPLETED);
  EXPECT_EQ(low.achievement_level(), "P");
  const rv1::ResultPackage absent =
      Decided(Package(k2022Liberal2025, 10, 95, cv1::LIBERAL_ARTS, cv1::LIFE_AND_LIBERAL));
  EXPECT_EQ(absent.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(absent), ElementsAre(rv1::ATTENDANCE));
}

TEST(DecideTest, NoSessionHeldIsAnAttendanceShortfall) {
  rv1::ResultPackage package = Package(k2022Elective2026, 0, 90);
  package.mutable_attendance()->set_sessions_held(0);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(package), ElementsAre(rv1::ATTENDANCE));
  EXPECT_EQ(package.credits_earned(), 0);
}

TEST(DecideTest, AdditionalStudyClearsAttendanceAndNotesItInTheRemarks) {
  rv1::ResultPackage package = Package(k2022Any2025, 8, 75);
  *package.add_support() = Support(rv1::ADDITIONAL_STUDY, true);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.outcome_reason(), "이수 (추가학습 이수: 출석 2/3 미달 (8/16회))");
  // The grade stands.
  EXPECT_EQ(package.achievement_level(), "C");
  EXPECT_EQ(package.credits_earned(), 4);
  EXPECT_EQ(package.remarks(), "공동교육과정, 출석률 미달로 인한 추가학습 실시");
  EXPECT_THAT(Open(package), IsEmpty());
}

TEST(DecideTest, RemedialInstructionClearsAchievementWithTheRemediedLevel) {
  rv1::ResultPackage package = Package(k2022Any2025, 16, 30);
  *package.add_support() = Support(rv1::REMEDIAL_INSTRUCTION, true);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.achievement_level(), "E");
  EXPECT_EQ(package.remarks(), "공동교육과정");
  EXPECT_EQ(package.credits_earned(), 4);
  // The statistics keep the level as assessed.
  EXPECT_EQ(StatisticsLevel(package), "I");
}

TEST(DecideTest, UnsatisfiedSupportIsNotCompletedWithTheRowsIncompleteLevel) {
  rv1::ResultPackage package = Package(k2022Any2025, 8, 75);
  *package.add_support() = Support(rv1::ADDITIONAL_STUDY, false);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::NOT_COMPLETED);
  EXPECT_EQ(package.outcome_reason(), "미이수 (추가학습 미이수: 출석 2/3 미달 (8/16회))");
  EXPECT_EQ(package.achievement_level(), "I");
  EXPECT_EQ(package.credits_earned(), 0);
  EXPECT_EQ(package.remarks(), "공동교육과정");
  EXPECT_THAT(Open(package), ElementsAre(rv1::ATTENDANCE));
  // The 2015 curriculum keeps the assessed level.
  rv1::ResultPackage old = Package(k2015, 8, 75);
  *old.add_support() = Support(rv1::ADDITIONAL_STUDY, false);
  Decide(&old);
  EXPECT_EQ(old.outcome(), rv1::NOT_COMPLETED);
  EXPECT_EQ(old.achievement_level(), "C");
}

TEST(DecideTest, ARecordOfOneKindNeverClearsAShortfallOfAnother) {
  rv1::ResultPackage attendance_short = Package(k2022Any2025, 8, 75);
  *attendance_short.add_support() = Support(rv1::REMEDIAL_INSTRUCTION, true);
  Decide(&attendance_short);
  EXPECT_EQ(attendance_short.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(attendance_short), ElementsAre(rv1::ATTENDANCE));

  rv1::ResultPackage achievement_short = Package(k2022Any2025, 16, 20);
  *achievement_short.add_support() = Support(rv1::ADDITIONAL_STUDY, true);
  Decide(&achievement_short);
  EXPECT_EQ(achievement_short.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(achievement_short), ElementsAre(rv1::ACHIEVEMENT));
  EXPECT_EQ(achievement_short.remarks(), "공동교육과정");
}

TEST(DecideTest, BothShortfallsNeedBothKinds) {
  rv1::ResultPackage package = Package(k2022Any2025, 8, 30);
  *package.add_support() = Support(rv1::REMEDIAL_INSTRUCTION, true);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(package.outcome_reason(), "출석 2/3 미달 (8/16회)");
  EXPECT_THAT(Open(package), ElementsAre(rv1::ATTENDANCE));
  *package.add_support() = Support(rv1::ADDITIONAL_STUDY, true);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.achievement_level(), "E");
  EXPECT_EQ(package.remarks(), "공동교육과정, 출석률 미달로 인한 추가학습 실시");
}

TEST(DecideTest, PreventiveInstructionChangesNothing) {
  rv1::ResultPackage met = Package(k2022Any2025, 16, 85);
  *met.add_support() = Support(rv1::PREVENTIVE_INSTRUCTION, false);
  Decide(&met);
  EXPECT_EQ(met.outcome(), rv1::COMPLETED);
  EXPECT_EQ(met.remarks(), "공동교육과정");
  rv1::ResultPackage short_of_it = Package(k2022Any2025, 16, 30);
  *short_of_it.add_support() = Support(rv1::PREVENTIVE_INSTRUCTION, true);
  Decide(&short_of_it);
  EXPECT_EQ(short_of_it.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(short_of_it.achievement_level(), "I");
  EXPECT_THAT(Open(short_of_it), ElementsAre(rv1::ACHIEVEMENT));
}

TEST(DecideTest, ReDecidingAfterAnAmendmentKeepsTheSupportRecorded) {
  // Additional study cleared attendance; an amended rate below 40 then opens
  // an achievement shortfall, and attendance stays cleared.
  rv1::ResultPackage package = Package(k2022Any2025, 8, 75);
  *package.add_support() = Support(rv1::ADDITIONAL_STUDY, true);
  Decide(&package);
  ASSERT_EQ(package.outcome(), rv1::COMPLETED);
  package.set_achievement_rate(35);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(package), ElementsAre(rv1::ACHIEVEMENT));
  EXPECT_EQ(package.achievement_level(), "I");
  EXPECT_EQ(package.support_size(), 1);
  // Amended back above 40: completed again, the note kept.
  package.set_achievement_rate(45);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.remarks(), "공동교육과정, 출석률 미달로 인한 추가학습 실시");
}

TEST(DecideTest, AnAmendmentAboveTheMinimumUndoesAFailedRemedial) {
  rv1::ResultPackage package = Package(k2022Any2025, 16, 30);
  *package.add_support() = Support(rv1::REMEDIAL_INSTRUCTION, false);
  Decide(&package);
  ASSERT_EQ(package.outcome(), rv1::NOT_COMPLETED);
  package.set_achievement_rate(62);
  Decide(&package);
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.achievement_level(), "D");
}

// ----- Section statistics and marks -----------------------------------------

const std::vector<std::string> kFive = {"A", "B", "C", "D", "E"};

TEST(SummarizeTest, PercentWithOneDecimalAndEveryLevelListed) {
  // Mean 72.25 rounds to 72.3.
  const SectionStatistics statistics =
      Summarize({{91, "A"}, {80.5, "B"}, {70.5, "C"}, {47, "E"}}, kFive);
  EXPECT_DOUBLE_EQ(statistics.course_mean, 72.3);
  EXPECT_EQ(statistics.student_count, 4);
  EXPECT_THAT(statistics.level_percent,
              ElementsAre(Pair("A", 25.0), Pair("B", 25.0), Pair("C", 25.0), Pair("D", 0.0),
                          Pair("E", 25.0)));
}

TEST(SummarizeTest, ThirdsRoundToOneDecimal) {
  const SectionStatistics statistics = Summarize({{95, "A"}, {85, "B"}, {86, "B"}}, kFive);
  EXPECT_DOUBLE_EQ(statistics.level_percent.at("A"), 33.3);
  EXPECT_DOUBLE_EQ(statistics.level_percent.at("B"), 66.7);
  EXPECT_DOUBLE_EQ(statistics.level_percent.at("E"), 0.0);
  // 1 of 7 is 14.2857...%: 14.3; 2 of 7: 28.6.
  const SectionStatistics sevenths = Summarize(
      {{95, "A"}, {85, "B"}, {85, "B"}, {75, "C"}, {75, "C"}, {65, "D"}, {45, "E"}}, kFive);
  EXPECT_DOUBLE_EQ(sevenths.level_percent.at("A"), 14.3);
  EXPECT_DOUBLE_EQ(sevenths.level_percent.at("B"), 28.6);
}

TEST(SummarizeTest, OtherMarksAreListedToo) {
  const SectionStatistics statistics =
      Summarize({{95, "A"}, {92, "A"}, {85, "B"}, {30, "I"}, {90, "A"}}, kFive);
  EXPECT_DOUBLE_EQ(statistics.course_mean, 78.4);
  EXPECT_EQ(statistics.student_count, 5);
  EXPECT_THAT(statistics.level_percent,
              UnorderedElementsAre(Pair("A", 60.0), Pair("B", 20.0), Pair("C", 0.0), Pair("D", 0.0),
                                   Pair("E", 0.0), Pair("I", 20.0)));
}

TEST(SummarizeTest, RoundsTheMeanDownBelowTheHalf) {
  const SectionStatistics statistics = Summarize({{72.24, "C"}, {72.24, "C"}}, kFive);
  EXPECT_DOUBLE_EQ(statistics.course_mean, 72.2);
  EXPECT_DOUBLE_EQ(statistics.level_percent.at("C"), 100.0);
}

TEST(SummarizeTest, EmptySection) {
  const SectionStatistics statistics = Summarize({}, kFive);
  EXPECT_EQ(statistics.course_mean, 0);
  EXPECT_EQ(statistics.student_count, 0);
  EXPECT_THAT(statistics.level_percent, ElementsAre(Pair("A", 0.0), Pair("B", 0.0), Pair("C", 0.0),
                                                    Pair("D", 0.0), Pair("E", 0.0)));
}

TEST(RankMarkTest, JointCoursesRecordNoRank) {
  EXPECT_EQ(RankMark(/*joint_course=*/true, 30), "·");
  EXPECT_EQ(RankMark(/*joint_course=*/true, 6), "·");
  EXPECT_EQ(RankMark(/*joint_course=*/true, 1), "·");
}

TEST(RankMarkTest, FiveStudentsOrFewerRecordNoRank) {
  EXPECT_EQ(RankMark(/*joint_course=*/false, 5), "·");
  EXPECT_EQ(RankMark(/*joint_course=*/false, 1), "·");
}

TEST(RankMarkTest, SixStudentsInANonJointCourseHaveARank) {
  EXPECT_EQ(RankMark(/*joint_course=*/false, 6), "");
}

// ----- Remarks labels and support kinds -------------------------------------

// As migration 002 seeds them (sources shortened).
std::vector<RemarksLabel> SeededLabels() {
  return {{cv1::HIGH_SCHOOL, cv1::DELIVERY_MODE_UNSPECIFIED, 2018, "공동교육과정", "s1"},
          {cv1::HIGH_SCHOOL, cv1::ONLINE_REALTIME, 2018, "공동교육과정(온라인)", "s2"},
          {cv1::ONLINE_SCHOOL, cv1::DELIVERY_MODE_UNSPECIFIED, 2018, "온라인학교", "s3"},
          {cv1::CITY_ACADEMY, cv1::DELIVERY_MODE_UNSPECIFIED, 2018, "학교 밖 교육", "s4"},
          {cv1::LEARNING_SITE, cv1::DELIVERY_MODE_UNSPECIFIED, 2018, "학교 밖 교육", "s5"},
          {cv1::UNIVERSITY, cv1::DELIVERY_MODE_UNSPECIFIED, 2018, "학교 밖 교육", "s6"}};
}

std::string LabelFor(const std::vector<RemarksLabel>& labels, cv1::InstitutionKind kind,
                     cv1::DeliveryMode mode, int year = 2026) {
  const absl::StatusOr<RemarksLabel> label = SelectRemarks(labels, kind, mode, year);
  return label.ok() ? label->label : std::string(label.status().message());
}

TEST(SelectRemarksTest, FollowsHostKindAndDeliveryMode) {
  const auto labels = SeededLabels();
  EXPECT_EQ(LabelFor(labels, cv1::HIGH_SCHOOL, cv1::IN_PERSON), "공동교육과정");
  EXPECT_EQ(LabelFor(labels, cv1::HIGH_SCHOOL, cv1::BLENDED), "공동교육과정");
  EXPECT_EQ(LabelFor(labels, cv1::HIGH_SCHOOL, cv1::ONLINE_REALTIME), "공동교육과정(온라인)");
  EXPECT_EQ(LabelFor(labels, cv1::ONLINE_SCHOOL, cv1::ONLINE_REALTIME), "온라인학교");
  EXPECT_EQ(LabelFor(labels, cv1::ONLINE_SCHOOL, cv1::IN_PERSON), "온라인학교");
  // Not a school: out-of-school education whatever the subject or mode.
  EXPECT_EQ(LabelFor(labels, cv1::CITY_ACADEMY, cv1::IN_PERSON), "학교 밖 교육");
  EXPECT_EQ(LabelFor(labels, cv1::CITY_ACADEMY, cv1::ONLINE_REALTIME), "학교 밖 교육");
  EXPECT_EQ(LabelFor(labels, cv1::LEARNING_SITE, cv1::BLENDED), "학교 밖 교육");
  EXPECT_EQ(LabelFor(labels, cv1::UNIVERSITY, cv1::IN_PERSON), "학교 밖 교육");
}

TEST(SelectRemarksTest, NoRowIsAFailedPrecondition) {
  const auto none = SelectRemarks(SeededLabels(), cv1::CITY_GOVERNMENT, cv1::IN_PERSON, 2026);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(none.status().message(), HasSubstr("CITY_GOVERNMENT"));
  const auto early = SelectRemarks(SeededLabels(), cv1::HIGH_SCHOOL, cv1::IN_PERSON, 2017);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SelectRemarksTest, ANewLabelIsARowForItsYear) {
  std::vector<RemarksLabel> labels = SeededLabels();
  labels.push_back(
      {cv1::HIGH_SCHOOL, cv1::DELIVERY_MODE_UNSPECIFIED, 2027, "학교 간 공동교육과정", "s7"});
  EXPECT_EQ(LabelFor(labels, cv1::HIGH_SCHOOL, cv1::IN_PERSON, 2026), "공동교육과정");
  EXPECT_EQ(LabelFor(labels, cv1::HIGH_SCHOOL, cv1::IN_PERSON, 2027), "학교 간 공동교육과정");
  // The exact mode's row beats the newer catch-all.
  EXPECT_EQ(LabelFor(labels, cv1::HIGH_SCHOOL, cv1::ONLINE_REALTIME, 2027), "공동교육과정(온라인)");
}

TEST(SelectSupportKindTest, ByYear) {
  const std::vector<SupportKind> kinds = {
      {rv1::ADDITIONAL_STUDY, 2025, "추가학습", rv1::ATTENDANCE, "출석률 미달로 인한 추가학습 실시",
       "s"},
      {rv1::REMEDIAL_INSTRUCTION, 2025, "보충지도", rv1::ACHIEVEMENT, "", "s"},
      {rv1::ADDITIONAL_STUDY, 2027, "추가 학습", rv1::ATTENDANCE, "추가 학습 실시", "s"}};
  const auto y2026 = SelectSupportKind(kinds, rv1::ADDITIONAL_STUDY, 2026);
  ASSERT_TRUE(y2026.ok());
  EXPECT_EQ(y2026->label, "추가학습");
  const auto y2027 = SelectSupportKind(kinds, rv1::ADDITIONAL_STUDY, 2027);
  ASSERT_TRUE(y2027.ok());
  EXPECT_EQ(y2027->label, "추가 학습");
  EXPECT_EQ(SelectSupportKind(kinds, rv1::ADDITIONAL_STUDY, 2024).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SelectSupportKind(kinds, rv1::PREVENTIVE_INSTRUCTION, 2026).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const rv1::SupportRecord record = SupportRecordOf(*y2026);
  EXPECT_EQ(record.kind(), rv1::ADDITIONAL_STUDY);
  EXPECT_EQ(record.shortfall(), rv1::ATTENDANCE);
  EXPECT_EQ(record.remarks_note(), "출석률 미달로 인한 추가학습 실시");
  EXPECT_EQ(record.source(), "s");
}

// ----- The credited course version ------------------------------------------

// ----- Graduation audit -----------------------------------------------------

// Credits in Korean, Mathematics and English adding up to `total`.
std::vector<EarnedCredits> KoreanMathEnglish(int total) {
  std::vector<EarnedCredits> earned;
  const cv1::SubjectArea areas[] = {cv1::KOREAN, cv1::MATHEMATICS, cv1::ENGLISH};
  for (int i = 0; total > 0; ++i) {
    const int credits = total < 8 ? total : 8;
    earned.push_back({cv1::GENERAL_ELECTIVE, areas[i % 3], credits});
    total -= credits;
  }
  return earned;
}

TEST(AuditTest, RealisticCredits) {
  const std::vector<EarnedCredits> earned = {{cv1::COMMON, cv1::KOREAN, 8},
                                             {cv1::COMMON, cv1::MATHEMATICS, 8},
                                             {cv1::CAREER_ELECTIVE, cv1::MATHEMATICS, 2},
                                             {cv1::COMMON, cv1::ENGLISH, 8},
                                             {cv1::LIBERAL_ARTS, cv1::LIFE_AND_LIBERAL, 3},
                                             {cv1::CONVERGENCE_ELECTIVE, cv1::LIFE_AND_LIBERAL, 1}};
  credit::v1::Transcript transcript;
  transcript.set_student("schools/J10-7531001/students/s1");
  transcript.add_results()->set_name("ledger/1");
  transcript.add_not_completed("ledger/2");
  transcript.add_remediation_pending("ledger/3");

  Audit(earned, GraduationRequirements(), &transcript);

  EXPECT_THAT(transcript.credits_by_category(),
              UnorderedElementsAre(Pair("COMMON", 24), Pair("CAREER_ELECTIVE", 2),
                                   Pair("LIBERAL_ARTS", 3), Pair("CONVERGENCE_ELECTIVE", 1)));
  struct Area {
    cv1::SubjectArea area;
    int earned;
    int required;
    bool met;
  };
  const std::vector<Area> expected_areas = {{cv1::KOREAN, 8, 8, true},
                                            {cv1::MATHEMATICS, 10, 8, true},
                                            {cv1::ENGLISH, 8, 8, true},
                                            {cv1::SOCIAL_STUDIES, 0, 8, false},
                                            {cv1::KOREAN_HISTORY, 0, 6, false},
                                            {cv1::SCIENCE, 0, 10, false},
                                            {cv1::PHYSICAL_EDUCATION, 0, 10, false},
                                            {cv1::ARTS, 0, 10, false},
                                            {cv1::LIFE_AND_LIBERAL, 4, 16, false}};
  ASSERT_EQ(transcript.areas_size(), static_cast<int>(expected_areas.size()));
  for (int i = 0; i < transcript.areas_size(); ++i) {
    const credit::v1::AreaProgress& actual = transcript.areas(i);
    SCOPED_TRACE(cv1::SubjectArea_Name(expected_areas[i].area));
    EXPECT_EQ(actual.area(), expected_areas[i].area);
    EXPECT_EQ(actual.earned(), expected_areas[i].earned);
    EXPECT_EQ(actual.required(), expected_areas[i].required);
    EXPECT_EQ(actual.met(), expected_areas[i].met);
  }
  EXPECT_EQ(transcript.subject_credits(), 30);
  EXPECT_EQ(transcript.subject_credits_required(), 174);
  EXPECT_EQ(transcript.total_required(), 192);
  // Mathematics counts only up to its minimum of 8.
  EXPECT_EQ(transcript.core_credits(), 8 + 8 + 8 + 4);
  EXPECT_EQ(transcript.core_credits_required(), 84);
  EXPECT_EQ(transcript.korean_math_english(), 26);
  EXPECT_EQ(transcript.korean_math_english_cap(), 81);
  EXPECT_TRUE(transcript.korean_math_english_within_cap());
  // Untouched.
  EXPECT_EQ(transcript.student(), "schools/J10-7531001/students/s1");
  ASSERT_EQ(transcript.results_size(), 1);
  EXPECT_EQ(transcript.results(0).name(), "ledger/1");
  EXPECT_THAT(transcript.not_completed(), ElementsAre("ledger/2"));
  EXPECT_THAT(transcript.remediation_pending(), ElementsAre("ledger/3"));
}

TEST(AuditTest, KoreanMathEnglishCapIsInclusive) {
  credit::v1::Transcript transcript;
  Audit(KoreanMathEnglish(81), GraduationRequirements(), &transcript);
  EXPECT_EQ(transcript.korean_math_english(), 81);
  EXPECT_TRUE(transcript.korean_math_english_within_cap());

  Audit(KoreanMathEnglish(82), GraduationRequirements(), &transcript);
  EXPECT_EQ(transcript.korean_math_english(), 82);
  EXPECT_EQ(transcript.korean_math_english_cap(), 81);
  EXPECT_FALSE(transcript.korean_math_english_within_cap());
  EXPECT_EQ(transcript.subject_credits(), 82);
  // Each of the three areas counts toward the core only up to its 8.
  EXPECT_EQ(transcript.core_credits(), 24);
}

TEST(AuditTest, AreasWithoutAMinimumCountOnlyAsSubjectCredits) {
  credit::v1::Transcript transcript;
  Audit({{cv1::CAREER_ELECTIVE, cv1::VOCATIONAL, 6}, {cv1::COMMON, cv1::SCIENCE, 4}},
        GraduationRequirements(), &transcript);
  EXPECT_EQ(transcript.subject_credits(), 10);
  EXPECT_EQ(transcript.core_credits(), 4);
  EXPECT_EQ(transcript.korean_math_english(), 0);
  for (const credit::v1::AreaProgress& area : transcript.areas()) {
    EXPECT_NE(area.area(), cv1::VOCATIONAL);
  }
  EXPECT_THAT(transcript.credits_by_category(),
              UnorderedElementsAre(Pair("CAREER_ELECTIVE", 6), Pair("COMMON", 4)));
}

TEST(AuditTest, UsesTheRequirementsGiven) {
  GraduationRequirements requirements;
  requirements.total = 100;
  requirements.subject = 90;
  requirements.core = 12;
  requirements.korean_math_english_cap = 10;
  requirements.area_minimums = {{cv1::SCIENCE, 4}, {cv1::KOREAN, 6}};
  credit::v1::Transcript transcript;
  Audit({{cv1::COMMON, cv1::KOREAN, 8}, {cv1::COMMON, cv1::MATHEMATICS, 4}}, requirements,
        &transcript);

  // Areas in enum order, whatever the order the minimums were written in.
  ASSERT_EQ(transcript.areas_size(), 2);
  EXPECT_EQ(transcript.areas(0).area(), cv1::KOREAN);
  EXPECT_EQ(transcript.areas(0).earned(), 8);
  EXPECT_EQ(transcript.areas(0).required(), 6);
  EXPECT_TRUE(transcript.areas(0).met());
  EXPECT_EQ(transcript.areas(1).area(), cv1::SCIENCE);
  EXPECT_EQ(transcript.areas(1).earned(), 0);
  EXPECT_EQ(transcript.areas(1).required(), 4);
  EXPECT_FALSE(transcript.areas(1).met());
  EXPECT_EQ(transcript.total_required(), 100);
  EXPECT_EQ(transcript.subject_credits_required(), 90);
  EXPECT_EQ(transcript.core_credits(), 6);
  EXPECT_EQ(transcript.core_credits_required(), 12);
  EXPECT_EQ(transcript.korean_math_english(), 12);
  EXPECT_EQ(transcript.korean_math_english_cap(), 10);
  EXPECT_FALSE(transcript.korean_math_english_within_cap());
}

TEST(AuditTest, ReplacesEarlierTotals) {
  credit::v1::Transcript transcript;
  Audit({{cv1::COMMON, cv1::KOREAN, 8}}, GraduationRequirements(), &transcript);
  Audit({{cv1::GENERAL_ELECTIVE, cv1::ENGLISH, 4}}, GraduationRequirements(), &transcript);
  EXPECT_THAT(transcript.credits_by_category(), ElementsAre(Pair("GENERAL_ELECTIVE", 4)));
  EXPECT_EQ(transcript.areas_size(), 9);
  EXPECT_EQ(transcript.areas(0).area(), cv1::KOREAN);
  EXPECT_EQ(transcript.areas(0).earned(), 0);
  EXPECT_EQ(transcript.subject_credits(), 4);
  EXPECT_EQ(transcript.korean_math_english(), 4);
}

TEST(AuditTest, NoCredits) {
  credit::v1::Transcript transcript;
  Audit({}, GraduationRequirements(), &transcript);
  EXPECT_THAT(transcript.credits_by_category(), IsEmpty());
  EXPECT_EQ(transcript.areas_size(), 9);
  for (const credit::v1::AreaProgress& area : transcript.areas()) {
    EXPECT_EQ(area.earned(), 0);
    EXPECT_FALSE(area.met());
  }
  EXPECT_EQ(transcript.subject_credits(), 0);
  EXPECT_EQ(transcript.core_credits(), 0);
  EXPECT_EQ(transcript.korean_math_english(), 0);
  EXPECT_TRUE(transcript.korean_math_english_within_cap());
}

}  // namespace
}  // namespace osan::credit
