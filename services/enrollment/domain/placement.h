// Who gets a seat in a first-come section, and when a waitlisted student moves
// up: the one placement rule that a single claim, a coalesced batch of claims
// and waitlist promotion all call. Pure functions over counts; the caller
// reads the counts under the section's seat lock and writes the outcome.
//
// A student of home school S takes a seat when, in this order:
//   1. the student holds fewer seats this term than the per-student limit
//      (else NOT_PLACED: waiting would not help);
//   2. S holds fewer than the section's per_school_cap seats (0 = no cap);
//   3. S is the host and one more of its students keeps the host's share of
//      the enrolled class within host_share_cap_percent (MaxHostStudents), or
//      S is not the host;
//   4. a seat is free.
// Failing 2-4 waitlists the student. The host-share cap counts the class as
// enrolled, not the capacity: a host student waits until enough students of
// other schools enrol, and waitlist promotion seats them then.
#ifndef OSAN_SERVICES_ENROLLMENT_DOMAIN_PLACEMENT_H_
#define OSAN_SERVICES_ENROLLMENT_DOMAIN_PLACEMENT_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::enrollment {

// The largest number of the host's own students a class that holds `others`
// students of other schools may hold: the largest h with
// 100 * h <= percent * (h + others). Unlimited (INT_MAX) at 100 percent.
// percent in 1..100, others >= 0.
int MaxHostStudents(int percent, int others);

// A section's seats and who holds them, read under its seat lock.
struct SeatedClass {
  int capacity = 0;
  int enrolled = 0;
  // Home-school code -> students of that school enrolled.
  std::map<std::string, int> by_school;

  int free() const { return capacity - enrolled; }
  void Seat(const std::string& school);
};

// Why one more student of `school` cannot take a seat in `section` now (rules
// 2-4 above, named as in "per-school cap of 5 reached"); empty when one can.
std::string SeatBlocked(const catalog::v1::Section& section, const SeatedClass& seated,
                        const std::string& school);

struct Placement {
  v1::ApplicationState state =
      v1::APPLICATION_STATE_UNSPECIFIED;  // ENROLLED, WAITLISTED, NOT_PLACED
  std::string reason;
};

// A first-come claim by a student of `school` who holds `seats_held` seats
// this term, with at most `max_seats` allowed. Seats the student in `seated`
// when ENROLLED.
Placement PlaceFirstCome(const catalog::v1::Section& section, SeatedClass& seated,
                         const std::string& school, int seats_held, int max_seats);

struct WaitingStudent {
  std::string school;
  int seats_held = 0;  // seats the student holds this term
};

// Which of `waitlist` (in waitlist order) take seats now: while a seat is
// free, it goes to the first waiting student whom no rule blocks (a student
// of another school seated can lift the host share for a host student ahead
// of them, who then comes first). Returns the indexes seated, ascending;
// `seated` counts them.
std::vector<size_t> Promote(const catalog::v1::Section& section, SeatedClass& seated,
                            const std::vector<WaitingStudent>& waitlist, int max_seats);

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_DOMAIN_PLACEMENT_H_
