// The national curricula and the school year: which curriculum a student is
// on, how many 50-minute sessions make a credit under it, and which grade a
// cohort is in during a school year. The kernel the catalog (hours a section
// must deliver) and credit-record (which completion rule decides) share.
//
// The curricula are a table, each row naming its source; a new curriculum is
// a new row. It is kept here rather than in a database because two services
// need it and a new curriculum changes more than numbers (subjects, rules,
// labels): it ships with a release, while the rules that change from year to
// year (completion, marks) are rows in credit-record's database.
//
// Example:
//   const Curriculum& c = CurriculumFor(/*entry_year=*/2024);  // c.id == "2015"
//   c.sessions_per_credit;                                      // 17
//   GradeInSchoolYear(2025, 2026);                              // 2
#ifndef OSAN_COMMON_CURRICULUM_H_
#define OSAN_COMMON_CURRICULUM_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace osan::curriculum {

// A class period: credits count sessions of this length.
inline constexpr int kMinutesPerPeriod = 50;

// High school has three grades.
inline constexpr int kFirstGrade = 1;
inline constexpr int kLastGrade = 3;

struct Curriculum {
  // "2015", "2022": the year the curriculum was proclaimed, as schools name it.
  absl::string_view id;
  // The first cohort (year of entry to high school) taught under it; every
  // later cohort too, until the next row's first cohort.
  int first_entry_year = 0;
  // Sessions of kMinutesPerPeriod minutes in one semester that make one credit
  // (학점), or one unit (단위) of the 2015 curriculum.
  int sessions_per_credit = 0;
  // Where the row comes from.
  absl::string_view source;
};

// Every curriculum, oldest first.
const std::vector<Curriculum>& Curricula();

// The curriculum of the cohort that entered high school in `entry_year`.
// Cohorts before the first row's are on the first row's curriculum.
const Curriculum& CurriculumFor(int entry_year);

// The school year a day belongs to: school years run from 1 March to the end
// of February, so 2027-02-28 is in school year 2026 and 2027-03-01 in 2027.
int SchoolYearOf(absl::CivilDay day);

// The school year at `when`, on the calendar in Korea (UTC+9).
int SchoolYearAt(absl::Time when);

// The grade of the cohort that entered in `entry_year` during `school_year`
// (1 in its entry year). Outside kFirstGrade..kLastGrade the cohort is not in
// high school that year (not yet entered, or graduated).
int GradeInSchoolYear(int entry_year, int school_year);

// The entry year of the cohort in `grade` during `school_year`.
int EntryYearOfGrade(int grade, int school_year);

}  // namespace osan::curriculum

#endif  // OSAN_COMMON_CURRICULUM_H_
