#include "services/enrollment/domain/placement.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "common/names.h"

namespace osan::enrollment {

namespace cv1 = catalog::v1;

int MaxHostStudents(int percent, int others) {
  if (percent >= 100) {
    return std::numeric_limits<int>::max();
  }
  // 100 h <= p (h + o)  <=>  h (100 - p) <= p o.
  const int64_t most = int64_t{percent} * others / (100 - percent);
  return most > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                : static_cast<int>(most);
}

void SeatedClass::Seat(const std::string& school) {
  ++enrolled;
  ++by_school[school];
}

std::string SeatBlocked(const cv1::Section& section, const SeatedClass& seated,
                        const std::string& school) {
  const auto found = seated.by_school.find(school);
  const int from_school = found == seated.by_school.end() ? 0 : found->second;
  if (section.per_school_cap() > 0 && from_school >= section.per_school_cap()) {
    return absl::StrCat("per-school cap of ", section.per_school_cap(), " reached");
  }
  if (InstitutionCodeOf(section.host()) == school &&
      from_school >=
          MaxHostStudents(section.host_share_cap_percent(), seated.enrolled - from_school)) {
    return absl::StrCat("host share cap: the host's own students may be at most ",
                        section.host_share_cap_percent(), "% of the class (", from_school, " of ",
                        seated.enrolled, " enrolled)");
  }
  if (seated.free() <= 0) {
    return absl::StrCat("section full (capacity ", seated.capacity, ")");
  }
  return "";
}

Placement PlaceFirstCome(const cv1::Section& section, SeatedClass& seated,
                         const std::string& school, int seats_held, int max_seats) {
  if (seats_held >= max_seats) {
    return {v1::NOT_PLACED, absl::StrCat("the student already holds ", seats_held,
                                         " seat(s) this term, the limit")};
  }
  if (std::string blocked = SeatBlocked(section, seated, school); !blocked.empty()) {
    return {v1::WAITLISTED, absl::StrCat("first come: ", blocked)};
  }
  seated.Seat(school);
  return {v1::ENROLLED,
          absl::StrCat("first come: seat ", seated.enrolled, " of ", seated.capacity)};
}

std::vector<size_t> Promote(const cv1::Section& section, SeatedClass& seated,
                            const std::vector<WaitingStudent>& waitlist, int max_seats) {
  std::vector<bool> promoted(waitlist.size(), false);
  // Each seat goes to the first student in waitlist order whom no rule blocks; seating one
  // can unblock an earlier host student, so the search starts from the front every time.
  for (size_t i = 0; i < waitlist.size() && seated.free() > 0;) {
    if (promoted[i] || waitlist[i].seats_held >= max_seats ||
        !SeatBlocked(section, seated, waitlist[i].school).empty()) {
      ++i;  // keeps its place for now
      continue;
    }
    seated.Seat(waitlist[i].school);
    promoted[i] = true;
    i = 0;
  }
  std::vector<size_t> seated_indexes;
  for (size_t i = 0; i < waitlist.size(); ++i) {
    if (promoted[i]) {
      seated_indexes.push_back(i);
    }
  }
  return seated_indexes;
}

}  // namespace osan::enrollment
