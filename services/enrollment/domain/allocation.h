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
// number ascending); a student's own applications to one section, by their
// preference ranks. The lottery is one uniformly random permutation of the
// distinct students (sorted by student_id, then shuffled with Lottery seeded
// by `seed`), so the same input and seed always give the same result, and the
// whole draw is recorded.
//
// Proposals: every student proposes to their applications in preference order
// (rank 1 first), holding at most `max_sections_per_student` seats (tentative
// ones and those held before the run).
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

// ----- Allocation over dense ids ---------------------------------------------
//
// What Allocate runs on, and what the benchmark measures (docs/performance.md):
// students, sections and schools numbered from 0, 16 bytes an application.
// Nothing is rendered as text until asked for (Reason).

// No section: the application is not part of this allocation.
inline constexpr uint32_t kNoSection = 0xFFFFFFFF;

struct PackedSection {
  // Seats this run may fill (>= 0).
  int32_t capacity = 0;
  // Most seats one home school may hold; 0 = no cap.
  int32_t per_school_cap = 0;
  // The school of the host's own students; -1 when the host has none.
  int32_t host_school = -1;
  // The most the host's own students may be of the enrolled class, 1..100.
  int32_t host_share_cap_percent = 100;
};

// Students of `school` enrolled in `section` before the run: they count
// toward the per-school cap and toward the class the host share is a share
// of.
struct PackedEnrolled {
  uint32_t section = 0;
  uint32_t school = 0;
  int32_t count = 0;
};

struct PackedApplication {
  // Below PackedInput::students.
  uint32_t student = 0;
  // Below the number of sections, or kNoSection.
  uint32_t section = kNoSection;
  // The student's home school.
  uint32_t school = 0;
  // 1 = most wanted; unique per student.
  uint16_t preference_rank = 1;
  // From the section's priority rules (at most 5 rules); smaller goes first.
  uint8_t priority_tier = 0;
};

struct PackedInput {
  std::vector<PackedSection> sections;
  std::vector<PackedEnrolled> enrolled;
  // At most kMaxApplications.
  std::vector<PackedApplication> applications;
  uint32_t students = 0;
  // Per student: seats held in the term before this run, which count toward
  // the limit; empty: none.
  std::vector<int32_t> seats_before;
  // >= 1: the most seats a student may hold in the term.
  int max_sections_per_student = 1;
  uint64_t seed = 0;
};

// A section ranks applications by a 64-bit key: priority tier, lottery
// number, and the application's place among the run's (a student's own
// applications to one section by preference rank, then input order), 8, 28
// and 28 bits.
inline constexpr size_t kMaxApplications = size_t{1} << 28;

enum class Outcome : uint8_t { kPlaced, kWaitlisted, kNotPlaced };

// What decided an application (Reason says it in words).
enum class Why : uint8_t {
  kPlaced,
  kSectionFull,   // waitlisted
  kPerSchoolCap,  // waitlisted
  kHostShare,     // waitlisted
  kLimitHeld,     // not placed: held the limit in sections ranked higher
  kNotInThisRun,  // not placed: its section is not part of the allocation
};

Outcome OutcomeOf(Why why);

struct PackedResult {
  // Per application.
  std::vector<Why> why;
  // Per application: 1-based position on its section's waitlist, else 0.
  std::vector<int32_t> waitlist_positions;
  // The students drawn (those with an application in the run), in lottery
  // order: lottery number = index + 1. The draw shuffles them in ascending
  // id, so ids given in a fixed order (Allocate: by student id) make the
  // draw reproducible from the seed.
  std::vector<uint32_t> lottery;
  // Per student: lottery number, 0 when not drawn.
  std::vector<uint32_t> lottery_number;
  // Per student: seats held at the end.
  std::vector<int32_t> seats_held;
  // Per section: the most of the host's own students this run could seat,
  // as the rounds settled it (INT_MAX where no host share limits), and how
  // many were enrolled before.
  std::vector<int32_t> host_limits;
  std::vector<int32_t> host_before;
};

// Deferred acceptance as described at the top, over dense ids.
PackedResult AllocatePacked(const PackedInput& input);

// Why application `i` ended as it did, for the audit record, e.g. "placed:
// priority tier 0, lottery number 3 of 12", "waitlisted: per-school cap of 2
// reached", "not placed: already placed in 1 higher-preference section(s),
// the limit".
std::string Reason(const PackedInput& input, const PackedResult& result, size_t i);

// ----- Allocation by name ---------------------------------------------------

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
  // From the section's priority rules, 0..255 (outside: the nearest); smaller
  // goes first. 0 when none.
  int priority_tier = 0;
};

struct AllocationInput {
  std::vector<SectionSeats> sections;
  // Applicants of sections not in `sections` are ignored (kNotPlaced).
  std::vector<Applicant> applicants;
  // Seats each student (by id) holds in the term before this run; absent: 0.
  std::map<std::string, int> seats_before;
  // >= 1: the most seats a student may hold in the term, those before
  // included.
  int max_sections_per_student = 1;
  uint64_t seed = 0;
};

struct Decision {
  std::string application_id;
  Outcome outcome = Outcome::kNotPlaced;
  // 1-based position on the section's waitlist; 0 unless kWaitlisted.
  int waitlist_position = 0;
  // Why, for the audit record (Reason).
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

// AllocatePacked over ids numbered from the names: students in the order of
// their ids (so the draw is the same whatever the input order), sections in
// input order (a repeated id keeps its first entry).
AllocationResult Allocate(const AllocationInput& input);

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_DOMAIN_ALLOCATION_H_
