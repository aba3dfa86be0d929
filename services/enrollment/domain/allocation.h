// Fair allocation of seats at the close of an application window.
//
// Algorithm: student-proposing deferred acceptance (Gale-Shapley), many-to-one
// with a per-student limit. Why: it is strategy-proof for students (ranking
// true preferences is always best for them, so schools can submit honest
// preference ranks), and the result is stable: no student is left out of a
// section they ranked above their placement while that section holds someone
// it ranks lower. Serial dictatorship would be simpler but cannot honour
// per-section priority rules (PRIORITY policy), which deferred acceptance
// handles as each section's ranking.
//
// Each section ranks its applicants by (priority_tier ascending, lottery
// number ascending). The lottery is one uniformly random permutation of the
// distinct students (sorted by student_id, then shuffled with Lottery seeded
// by `seed`), so the same input and seed always give the same result, and the
// whole draw is recorded.
//
// Proposals: every student proposes to their applications in preference order
// (rank 1 first), holding at most `max_sections_per_student` tentative seats.
// A section tentatively keeps the best-ranked proposers that fit, taken
// greedily in ranking order: at most `capacity` seats, at most
// `per_school_cap` from one home school (0 = no cap, students enrolled before
// the run counting), and at most the section's host limit of students whose
// home school is the host. Rejected students propose to their next
// application, until nobody can propose.
//
// The host-share cap is a share of the class as enrolled, not of the capacity
// (placement.h, MaxHostStudents). Since the class depends on who else is
// admitted, the host limits are settled by rounds: the first round allows the
// share of a full class; after each round, a section whose host students
// exceed the share of the class it got has its host limit lowered to what
// that class allows, and deferred acceptance runs again from the start. Limits
// only fall, so the rounds end (in practice after one or two). The result is
// stable under the settled limits, which are reported (host_limits), and
// every class keeps the share.
//
// Outcomes per application:
//   kPlaced      held at the end;
//   kWaitlisted  proposed and rejected; its waitlist position (1-based, per
//                section) follows the section's ranking;
//   kNotPlaced   never proposed, because the student already held the limit
//                in sections they ranked higher.
// Every decision carries a reason a person can read.
#ifndef OSAN_SERVICES_ENROLLMENT_DOMAIN_ALLOCATION_H_
#define OSAN_SERVICES_ENROLLMENT_DOMAIN_ALLOCATION_H_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace osan::enrollment {

// Reproducible randomness: std::mt19937_64, whose output sequence the C++
// standard fixes, with our own uniform draw (std::uniform_int_distribution's
// algorithm differs between standard libraries).
class Lottery {
 public:
  explicit Lottery(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n) by rejection sampling; n > 0.
  uint64_t Below(uint64_t n);

  // A uniformly random permutation (Fisher-Yates, from the back).
  template <class T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[Below(i)]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

struct SectionSeats {
  std::string section_id;
  // Home-school code of the host's own students (empty for non-school hosts).
  std::string host_school;
  // Seats this run may fill (>= 0).
  int capacity = 0;
  // Students enrolled before this run, by home school: they count toward the
  // per-school cap and toward the class the host share is a share of.
  std::map<std::string, int> enrolled_by_school;
  // Most seats one home school may hold; 0 = no cap.
  int per_school_cap = 0;
  // The most the host's own students may be of the enrolled class, 1..100.
  int host_share_cap_percent = 100;
};

struct Applicant {
  std::string application_id;
  std::string student_id;
  // Home-school code.
  std::string school;
  std::string section_id;
  // 1 = most wanted. Unique per student.
  int preference_rank = 1;
  // From the section's priority rules; smaller goes first. 0 when none.
  int priority_tier = 0;
};

struct AllocationInput {
  std::vector<SectionSeats> sections;
  // Applicants of sections not in `sections` are ignored (kNotPlaced).
  std::vector<Applicant> applicants;
  // >= 1.
  int max_sections_per_student = 1;
  uint64_t seed = 0;
};

enum class Outcome { kPlaced, kWaitlisted, kNotPlaced };

struct Decision {
  std::string application_id;
  Outcome outcome = Outcome::kNotPlaced;
  // 1-based position on the section's waitlist; 0 unless kWaitlisted.
  int waitlist_position = 0;
  // Why, for the audit record, e.g. "placed: priority tier 0, lottery number
  // 3 of 12", "waitlisted: per-school cap of 2 reached", "not placed: already
  // placed in 1 higher-preference section(s), the limit".
  std::string reason;
};

struct AllocationResult {
  // One per applicant, in input order.
  std::vector<Decision> decisions;
  // Student ids in lottery order (lottery number = index + 1).
  std::vector<std::string> lottery_order;
  // Per input section: the most of the host's own students this run could
  // seat there, as the rounds settled it; INT_MAX where no host share limits.
  std::vector<int> host_limits;
};

AllocationResult Allocate(const AllocationInput& input);

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_DOMAIN_ALLOCATION_H_
