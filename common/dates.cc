#include "common/dates.h"

namespace osan {

bool ToCivilDay(const type::v1::Date& date, absl::CivilDay* day) {
  if (date.year() < 2000 || date.year() > 2100 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return false;
  }
  *day = absl::CivilDay(date.year(), date.month(), date.day());
  // CivilDay normalises 2026-02-30 to 2026-03-02: a changed date was invalid.
  return day->month() == date.month() && day->day() == date.day();
}

}  // namespace osan
