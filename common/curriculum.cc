#include "common/curriculum.h"

namespace osan::curriculum {

const std::vector<Curriculum>& Curricula() {
  static const auto* const kCurricula = new std::vector<Curriculum>{
      {"2015", 2018, 17,
       "2015 개정 교육과정 총론 (교육부 고시 제2015-74호): 1단위는 50분 기준 17회; "
       "고등학교 2018학년도 입학생부터"},
      {"2022", 2025, 16,
       "2022 개정 교육과정 총론 (교육부 고시 제2022-33호): 1학점은 50분 기준 16회; "
       "고등학교 2025학년도 입학생부터"},
  };
  return *kCurricula;
}

const Curriculum& CurriculumFor(int entry_year) {
  const std::vector<Curriculum>& curricula = Curricula();
  const Curriculum* found = &curricula.front();
  for (const Curriculum& curriculum : curricula) {
    if (curriculum.first_entry_year <= entry_year) {
      found = &curriculum;
    }
  }
  return *found;
}

int SchoolYearOf(absl::CivilDay day) {
  return static_cast<int>(day.month() >= 3 ? day.year() : day.year() - 1);
}

int SchoolYearAt(absl::Time when) {
  return SchoolYearOf(absl::ToCivilDay(when, absl::FixedTimeZone(9 * 60 * 60)));
}

int GradeInSchoolYear(int entry_year, int school_year) { return school_year - entry_year + 1; }

int EntryYearOfGrade(int grade, int school_year) { return school_year - grade + 1; }

}  // namespace osan::curriculum
