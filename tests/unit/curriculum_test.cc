// Unit tests of the curricula and the school year (common/curriculum.h).
#include "common/curriculum.h"

#include "gtest/gtest.h"

namespace osan::curriculum {
namespace {

TEST(CurriculumForTest, EntrantsUpTo2024AreOnThe2015Curriculum) {
  EXPECT_EQ(CurriculumFor(2024).id, "2015");
  EXPECT_EQ(CurriculumFor(2024).sessions_per_credit, 17);
  EXPECT_EQ(CurriculumFor(2018).id, "2015");
  // Cohorts before the first row are on the oldest curriculum the table knows.
  EXPECT_EQ(CurriculumFor(2000).id, "2015");
}

TEST(CurriculumForTest, EntrantsFrom2025AreOnThe2022Curriculum) {
  EXPECT_EQ(CurriculumFor(2025).id, "2022");
  EXPECT_EQ(CurriculumFor(2025).sessions_per_credit, 16);
  EXPECT_EQ(CurriculumFor(2040).id, "2022");
}

TEST(CurriculaTest, EveryRowNamesItsSourceInOrder) {
  int previous = 0;
  for (const Curriculum& curriculum : Curricula()) {
    EXPECT_FALSE(curriculum.source.empty()) << curriculum.id;
    EXPECT_GT(curriculum.first_entry_year, previous) << curriculum.id;
    EXPECT_GT(curriculum.sessions_per_credit, 0) << curriculum.id;
    previous = curriculum.first_entry_year;
  }
}

TEST(SchoolYearOfTest, SchoolYearsStartOnTheFirstOfMarch) {
  EXPECT_EQ(SchoolYearOf(absl::CivilDay(2027, 2, 28)), 2026);
  EXPECT_EQ(SchoolYearOf(absl::CivilDay(2028, 2, 29)), 2027);
  EXPECT_EQ(SchoolYearOf(absl::CivilDay(2027, 3, 1)), 2027);
  EXPECT_EQ(SchoolYearOf(absl::CivilDay(2027, 12, 31)), 2027);
  EXPECT_EQ(SchoolYearOf(absl::CivilDay(2027, 1, 1)), 2026);
}

TEST(SchoolYearAtTest, TurnsAtMidnightOfTheFirstOfMarchInKorea) {
  const absl::TimeZone korea = absl::FixedTimeZone(9 * 60 * 60);
  EXPECT_EQ(SchoolYearAt(absl::FromCivil(absl::CivilSecond(2027, 2, 28, 23, 59, 59), korea)), 2026);
  EXPECT_EQ(SchoolYearAt(absl::FromCivil(absl::CivilSecond(2027, 3, 1, 0, 0, 0), korea)), 2027);
  // 2027-02-28 15:30 UTC is already 1 March in Korea.
  EXPECT_EQ(
      SchoolYearAt(absl::FromCivil(absl::CivilSecond(2027, 2, 28, 15, 30, 0), absl::UTCTimeZone())),
      2027);
}

TEST(GradeInSchoolYearTest, FollowsTheCohort) {
  EXPECT_EQ(GradeInSchoolYear(2025, 2025), 1);
  EXPECT_EQ(GradeInSchoolYear(2025, 2026), 2);
  EXPECT_EQ(GradeInSchoolYear(2024, 2026), 3);
  EXPECT_EQ(GradeInSchoolYear(2023, 2026), 4);  // graduated
  EXPECT_EQ(GradeInSchoolYear(2027, 2026), 0);  // not yet entered
  for (int grade = kFirstGrade; grade <= kLastGrade; ++grade) {
    EXPECT_EQ(GradeInSchoolYear(EntryYearOfGrade(grade, 2027), 2027), grade);
  }
}

}  // namespace
}  // namespace osan::curriculum
