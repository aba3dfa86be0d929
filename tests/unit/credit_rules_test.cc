// Unit tests of the credit system's rules (services/credit/domain/rules.h).
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
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// Every category the rule table can be asked about.
const cv1::Category kCategories[] = {cv1::COMMON,          cv1::GENERAL_ELECTIVE,
                                     cv1::CAREER_ELECTIVE, cv1::CONVERGENCE_ELECTIVE,
                                     cv1::LIBERAL_ARTS,    cv1::OUT_OF_SCHOOL};

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
  EXPECT_EQ(ScaleFor(cv1::OUT_OF_SCHOOL, cv1::ARTS), Scale::kThreeLevels);
}

TEST(ScaleForTest, OtherSubjectsAreFiveLevels) {
  EXPECT_EQ(ScaleFor(cv1::COMMON, cv1::KOREAN), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::GENERAL_ELECTIVE, cv1::MATHEMATICS), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::CAREER_ELECTIVE, cv1::SCIENCE), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::CONVERGENCE_ELECTIVE, cv1::LIFE_AND_LIBERAL), Scale::kFiveLevels);
  EXPECT_EQ(ScaleFor(cv1::OUT_OF_SCHOOL, cv1::VOCATIONAL), Scale::kFiveLevels);
}

struct LevelCase {
  double rate;
  std::string level;
};

void ExpectLevels(Scale scale, const std::vector<LevelCase>& cases) {
  for (const LevelCase& c : cases) {
    EXPECT_EQ(AchievementLevel(scale, c.rate), c.level) << "rate " << c.rate;
  }
}

TEST(AchievementLevelTest, FiveLevelBoundariesAreInclusiveFromBelow) {
  ExpectLevels(Scale::kFiveLevels, {{100, "A"},
                                    {90, "A"},
                                    {89.99, "B"},
                                    {80, "B"},
                                    {79.99, "C"},
                                    {70, "C"},
                                    {69.99, "D"},
                                    {60, "D"},
                                    {59.99, "E"},
                                    {40, "E"},
                                    {39.99, "I"},
                                    {0, "I"}});
}

TEST(AchievementLevelTest, ThreeLevelBoundariesAreInclusiveFromBelow) {
  ExpectLevels(Scale::kThreeLevels, {{100, "A"},
                                     {80, "A"},
                                     {79.99, "B"},
                                     {60, "B"},
                                     {59.99, "C"},
                                     {40, "C"},
                                     {39.99, "I"},
                                     {0, "I"}});
}

TEST(AchievementLevelTest, PassScaleIsPassWhateverTheRate) {
  ExpectLevels(Scale::kPass, {{0, "P"}, {39.99, "P"}, {100, "P"}});
}

// ----- Completion rules -----------------------------------------------------

struct RuleCase {
  int year;
  cv1::Category category;
  bool requires_attendance;
  bool requires_achievement;
};

// Checks SelectRule(rules, year, category) against each expected case.
void ExpectSelected(const std::vector<CompletionRule>& rules, const std::vector<RuleCase>& cases) {
  for (const RuleCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.year, " ", cv1::Category_Name(c.category)));
    absl::StatusOr<CompletionRule> rule = SelectRule(rules, c.year, c.category);
    ASSERT_TRUE(rule.ok()) << rule.status();
    EXPECT_EQ(rule->requires_attendance, c.requires_attendance);
    EXPECT_EQ(rule->requires_achievement, c.requires_achievement);
  }
}

// The published table for 2025-2027: 2025 both for everything but liberal
// arts; from 2026 common subjects both, the rest attendance only.
std::vector<RuleCase> PublishedCases() {
  std::vector<RuleCase> cases;
  for (int year : {2025, 2026, 2027}) {
    for (cv1::Category category : kCategories) {
      const bool achievement =
          category != cv1::LIBERAL_ARTS && (year == 2025 || category == cv1::COMMON);
      cases.push_back({year, category, /*requires_attendance=*/true, achievement});
    }
  }
  return cases;
}

TEST(SelectRuleTest, PublishedTableFor2025To2027) {
  const std::vector<RuleCase> cases = PublishedCases();
  ASSERT_EQ(cases.size(), 18u);
  ExpectSelected(PublishedRules(), cases);
}

TEST(SelectRuleTest, SpotChecksOfThePublishedTable) {
  // Written out by hand so that the table above is not only checked against
  // a formula.
  ExpectSelected(PublishedRules(), {{2025, cv1::COMMON, true, true},
                                    {2025, cv1::CAREER_ELECTIVE, true, true},
                                    {2025, cv1::LIBERAL_ARTS, true, false},
                                    {2026, cv1::COMMON, true, true},
                                    {2026, cv1::GENERAL_ELECTIVE, true, false},
                                    {2026, cv1::OUT_OF_SCHOOL, true, false},
                                    {2027, cv1::CONVERGENCE_ELECTIVE, true, false}});
}

TEST(SelectRuleTest, NoRuleBefore2025ExceptLiberalArts) {
  const absl::StatusOr<CompletionRule> common = SelectRule(PublishedRules(), 2024, cv1::COMMON);
  EXPECT_EQ(common.status().code(), absl::StatusCode::kNotFound);
  const absl::StatusOr<CompletionRule> elective =
      SelectRule(PublishedRules(), 2024, cv1::GENERAL_ELECTIVE);
  EXPECT_EQ(elective.status().code(), absl::StatusCode::kNotFound);
  ExpectSelected(PublishedRules(),
                 {{2024, cv1::LIBERAL_ARTS, true, false}, {2000, cv1::LIBERAL_ARTS, true, false}});
}

TEST(SelectRuleTest, EmptyTableIsNotFound) {
  EXPECT_EQ(SelectRule({}, 2026, cv1::COMMON).status().code(), absl::StatusCode::kNotFound);
}

TEST(SelectRuleTest, OwnCategoryRuleWinsOverALaterCatchAll) {
  // 2026 LIBERAL_ARTS: the 2000 liberal-arts rule, not the 2026 catch-all,
  // even though the catch-all is newer.
  const std::vector<CompletionRule> rules = {
      {2000, cv1::LIBERAL_ARTS, /*requires_attendance=*/false, /*requires_achievement=*/false},
      {2026, cv1::CATEGORY_UNSPECIFIED, /*requires_attendance=*/true,
       /*requires_achievement=*/true}};
  ExpectSelected(rules, {{2026, cv1::LIBERAL_ARTS, false, false}, {2026, cv1::COMMON, true, true}});
}

TEST(SelectRuleTest, NextYearsRuleIsADataChange) {
  // A hypothetical 2027 rule for common subjects: attendance only.
  std::vector<CompletionRule> rules = PublishedRules();
  rules.push_back(
      {2027, cv1::COMMON, /*requires_attendance=*/true, /*requires_achievement=*/false});

  std::vector<RuleCase> expected = PublishedCases();
  for (RuleCase& c : expected) {
    if (c.year == 2027 && c.category == cv1::COMMON) {
      c.requires_achievement = false;
    }
  }
  ExpectSelected(rules, expected);
}

TEST(AttendanceSufficientTest, TwoThirdsOfSessionsHeld) {
  // 15 held (16 planned): 2/3 is exactly 10.
  EXPECT_TRUE(AttendanceSufficient(10, 15));
  EXPECT_FALSE(AttendanceSufficient(9, 15));
  // 16 held: 2/3 is 10.67, so 11.
  EXPECT_TRUE(AttendanceSufficient(11, 16));
  EXPECT_FALSE(AttendanceSufficient(10, 16));
  EXPECT_TRUE(AttendanceSufficient(1, 1));
  EXPECT_FALSE(AttendanceSufficient(0, 1));
  EXPECT_TRUE(AttendanceSufficient(2, 3));
  EXPECT_FALSE(AttendanceSufficient(1, 3));
}

TEST(AttendanceSufficientTest, NoSessionHeldCountsAsReached) {
  EXPECT_TRUE(AttendanceSufficient(0, 0));
}

// ----- Completion decisions -------------------------------------------------

// Held 16: 11 attended reaches two thirds, 10 does not.
constexpr CompletionEvidence kBothMet{16, 11, 85};
constexpr CompletionEvidence kAttendanceShort{16, 10, 85};
constexpr CompletionEvidence kAchievementShort{16, 11, 39.99};
constexpr CompletionEvidence kAchievementExactly40{16, 11, 40};
constexpr CompletionEvidence kBothShort{16, 10, 35.5};

constexpr char kAttendanceReason[] = "출석 2/3 미달 (10/16회)";

struct DecisionCase {
  CompletionEvidence evidence;
  credit::v1::Outcome outcome;
  std::string reason;
};

void ExpectDecisions(const CompletionRule& rule, const std::vector<DecisionCase>& cases) {
  for (const DecisionCase& c : cases) {
    SCOPED_TRACE(absl::StrCat("attended ", c.evidence.sessions_attended, "/",
                              c.evidence.sessions_held, ", rate ", c.evidence.achievement_rate));
    const CompletionDecision decision = DecideCompletion(rule, c.evidence);
    EXPECT_EQ(decision.outcome, c.outcome);
    EXPECT_EQ(decision.reason, c.reason);
  }
}

TEST(DecideCompletionTest, AttendanceAndAchievementRule) {
  ExpectDecisions(
      {2025, cv1::CATEGORY_UNSPECIFIED, true, true},
      {{kBothMet, credit::v1::COMPLETED, "이수"},
       {kAttendanceShort, credit::v1::REMEDIATION_REQUIRED, kAttendanceReason},
       {kAchievementShort, credit::v1::REMEDIATION_REQUIRED, "성취율 40% 미만 (39.99%)"},
       {kAchievementExactly40, credit::v1::COMPLETED, "이수"},
       {kBothShort, credit::v1::REMEDIATION_REQUIRED,
        "출석 2/3 미달 (10/16회), 성취율 40% 미만 (35.5%)"}});
}

TEST(DecideCompletionTest, AttendanceOnlyRuleIgnoresAchievement) {
  ExpectDecisions({2026, cv1::CATEGORY_UNSPECIFIED, true, false},
                  {{kBothMet, credit::v1::COMPLETED, "이수"},
                   {kAttendanceShort, credit::v1::REMEDIATION_REQUIRED, kAttendanceReason},
                   {kAchievementShort, credit::v1::COMPLETED, "이수"},
                   {kAchievementExactly40, credit::v1::COMPLETED, "이수"},
                   {kBothShort, credit::v1::REMEDIATION_REQUIRED, kAttendanceReason}});
}

TEST(DecideCompletionTest, AchievementOnlyRuleIgnoresAttendance) {
  ExpectDecisions(
      {2030, cv1::COMMON, false, true},
      {{kBothMet, credit::v1::COMPLETED, "이수"},
       {kAttendanceShort, credit::v1::COMPLETED, "이수"},
       {kAchievementShort, credit::v1::REMEDIATION_REQUIRED, "성취율 40% 미만 (39.99%)"},
       {kAchievementExactly40, credit::v1::COMPLETED, "이수"},
       {kBothShort, credit::v1::REMEDIATION_REQUIRED, "성취율 40% 미만 (35.5%)"}});
}

TEST(DecideCompletionTest, RuleWithoutRequirementsAlwaysCompletes) {
  ExpectDecisions({2030, cv1::OUT_OF_SCHOOL, false, false},
                  {{kBothMet, credit::v1::COMPLETED, "이수"},
                   {kAttendanceShort, credit::v1::COMPLETED, "이수"},
                   {kAchievementShort, credit::v1::COMPLETED, "이수"},
                   {kAchievementExactly40, credit::v1::COMPLETED, "이수"},
                   {kBothShort, credit::v1::COMPLETED, "이수"}});
}

TEST(DecideCompletionTest, FewerSessionsHeldThanPlanned) {
  // 15 of 16 planned sessions held: 10 attended reaches two thirds.
  ExpectDecisions({2025, cv1::CATEGORY_UNSPECIFIED, true, true},
                  {{{15, 10, 50}, credit::v1::COMPLETED, "이수"},
                   {{15, 9, 50}, credit::v1::REMEDIATION_REQUIRED, "출석 2/3 미달 (9/15회)"},
                   {{0, 0, 50}, credit::v1::COMPLETED, "이수"}});
}

// ----- Section statistics and marks -----------------------------------------

TEST(SummarizeTest, MeanRoundedToOneDecimalAndLevelsCounted) {
  // Mean 72.25 rounds to 72.3.
  const SectionStatistics statistics = Summarize({{91, "A"}, {80.5, "B"}, {70.5, "C"}, {47, "E"}});
  EXPECT_DOUBLE_EQ(statistics.course_mean, 72.3);
  EXPECT_EQ(statistics.student_count, 4);
  EXPECT_THAT(statistics.level_distribution,
              UnorderedElementsAre(Pair("A", 1), Pair("B", 1), Pair("C", 1), Pair("E", 1)));
}

TEST(SummarizeTest, RoundsDownBelowTheHalf) {
  // Mean 72.24 rounds to 72.2.
  const SectionStatistics statistics = Summarize({{72.24, "C"}, {72.24, "C"}});
  EXPECT_DOUBLE_EQ(statistics.course_mean, 72.2);
  EXPECT_EQ(statistics.student_count, 2);
  EXPECT_THAT(statistics.level_distribution, ElementsAre(Pair("C", 2)));
}

TEST(SummarizeTest, CountsRepeatedLevels) {
  const SectionStatistics statistics =
      Summarize({{95, "A"}, {92, "A"}, {85, "B"}, {30, "I"}, {90, "A"}});
  EXPECT_DOUBLE_EQ(statistics.course_mean, 78.4);
  EXPECT_EQ(statistics.student_count, 5);
  EXPECT_THAT(statistics.level_distribution,
              UnorderedElementsAre(Pair("A", 3), Pair("B", 1), Pair("I", 1)));
}

TEST(SummarizeTest, EmptySection) {
  const SectionStatistics statistics = Summarize({});
  EXPECT_EQ(statistics.course_mean, 0);
  EXPECT_EQ(statistics.student_count, 0);
  EXPECT_THAT(statistics.level_distribution, IsEmpty());
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

TEST(RemarksTest, Labels) {
  EXPECT_EQ(Remarks(cv1::OUT_OF_SCHOOL, cv1::IN_PERSON), "학교 밖 교육");
  EXPECT_EQ(Remarks(cv1::OUT_OF_SCHOOL, cv1::ONLINE_REALTIME), "학교 밖 교육");
  EXPECT_EQ(Remarks(cv1::GENERAL_ELECTIVE, cv1::ONLINE_REALTIME), "공동교육과정(온라인)");
  EXPECT_EQ(Remarks(cv1::COMMON, cv1::IN_PERSON), "공동교육과정");
  EXPECT_EQ(Remarks(cv1::CAREER_ELECTIVE, cv1::BLENDED), "공동교육과정");
}

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
                                             {cv1::OUT_OF_SCHOOL, cv1::LIFE_AND_LIBERAL, 1}};
  credit::v1::Transcript transcript;
  transcript.set_student("schools/J10-7531001/students/s1");
  transcript.add_results()->set_name("ledger/1");
  transcript.add_not_completed("ledger/2");
  transcript.add_remediation_pending("ledger/3");

  Audit(earned, GraduationRequirements(), &transcript);

  EXPECT_THAT(transcript.credits_by_category(),
              UnorderedElementsAre(Pair("COMMON", 24), Pair("CAREER_ELECTIVE", 2),
                                   Pair("LIBERAL_ARTS", 3), Pair("OUT_OF_SCHOOL", 1)));
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
