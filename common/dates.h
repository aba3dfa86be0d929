// Dates of the API (osan.type.v1.Date) as civil days: the one check of what a
// real date is, shared by every service.
#ifndef OSAN_COMMON_DATES_H_
#define OSAN_COMMON_DATES_H_

#include "absl/time/civil_time.h"
#include "osan/type/v1/types.pb.h"

namespace osan {

// `date` as a civil day; false if it is not a real date in 2000..2100
// (2026-02-30 is not).
bool ToCivilDay(const type::v1::Date& date, absl::CivilDay* day);

}  // namespace osan

#endif  // OSAN_COMMON_DATES_H_
