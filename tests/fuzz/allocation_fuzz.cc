// The allocation algorithm (deferred acceptance with caps) on small instances
// decoded from the input: at most 10 sections and 50 applicants, among 20
// students of 5 schools.
//
// Invariants checked: one decision per applicant, in input order; no section
// holds more than its capacity, per-school cap or host-share cap; no student
// holds more than the per-student limit; waitlist positions count 1, 2, ...
// per section; every waitlisted application is justified by the section's
// ranking (seats or its school's seats taken by better-ranked ones); every
// unproposed one by the student's limit held in preferred sections; the
// lottery is a permutation of the applying students; the result is
// reproducible.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/enrollment/domain/allocation.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::enrollment {
namespace {

constexpr int kMaxSections = 10;
constexpr int kMaxApplicants = 50;
constexpr int kStudents = 20;
constexpr int kSchools = 5;

std::string SchoolCode(int i) { return absl::StrCat("S", i); }

AllocationInput Decode(FuzzedDataProvider& in) {
  AllocationInput input;
  input.max_sections_per_student = in.ConsumeIntegralInRange(1, 3);
  input.seed = in.ConsumeIntegral<uint64_t>();
  const int sections = in.ConsumeIntegralInRange(0, kMaxSections);
  for (int i = 0; i < sections; ++i) {
    SectionSeats seats;
    // Ids 0..11 among at most 10 sections: some repeat, some applications miss.
    seats.section_id = absl::StrCat("sec", in.ConsumeIntegralInRange(0, kMaxSections + 1));
    seats.host_school = in.ConsumeBool() ? SchoolCode(in.ConsumeIntegralInRange(0, kSchools)) : "";
    seats.capacity = in.ConsumeIntegralInRange(0, 8);
    for (int before = in.ConsumeIntegralInRange(0, 3); before > 0; --before) {
      ++seats.enrolled_by_school[SchoolCode(in.ConsumeIntegralInRange(0, kSchools - 1))];
    }
    seats.per_school_cap = in.ConsumeIntegralInRange(0, seats.capacity + 1);
    seats.host_share_cap_percent = in.ConsumeIntegralInRange(1, 100);
    input.sections.push_back(seats);
  }
  // A student belongs to one school and ranks each application differently.
  std::vector<int> school_of(kStudents);
  for (int& school : school_of) {
    school = in.ConsumeIntegralInRange(0, kSchools - 1);
  }
  std::vector<std::set<int>> ranks_used(kStudents);
  const int applicants = in.ConsumeIntegralInRange(0, kMaxApplicants);
  for (int i = 0; i < applicants && in.remaining_bytes() > 0; ++i) {
    const int student = in.ConsumeIntegralInRange(0, kStudents - 1);
    Applicant applicant;
    applicant.application_id = absl::StrCat("app", i);
    applicant.student_id = absl::StrCat("student", student);
    applicant.school = SchoolCode(school_of[student]);
    applicant.section_id = absl::StrCat("sec", in.ConsumeIntegralInRange(0, kMaxSections + 1));
    int rank = in.ConsumeIntegralInRange(1, 12);
    while (!ranks_used[student].insert(rank).second) {
      ++rank;
    }
    applicant.preference_rank = rank;
    applicant.priority_tier = in.ConsumeIntegralInRange(0, 3);
    input.applicants.push_back(applicant);
  }
  return input;
}

// The ranking key a section orders applications by: (tier, lottery number, and for a
// student's own applications to one section, preference rank as Allocate packs it, then
// input index).
using Rank = std::tuple<int, int, int, int>;

void Check(const AllocationInput& input, const AllocationResult& result) {
  const auto& applicants = input.applicants;
  const auto& decisions = result.decisions;
  OSAN_FUZZ_CHECK(decisions.size() == applicants.size());
  for (size_t i = 0; i < applicants.size(); ++i) {
    OSAN_FUZZ_CHECK(decisions[i].application_id == applicants[i].application_id);
    OSAN_FUZZ_CHECK(!decisions[i].reason.empty());
    OSAN_FUZZ_CHECK((decisions[i].outcome == Outcome::kWaitlisted) ==
                    (decisions[i].waitlist_position > 0));
  }

  // Sections by id, the first of a repeated id counting, with the host limit the run settled.
  OSAN_FUZZ_CHECK(result.host_limits.size() == input.sections.size());
  std::map<std::string, const SectionSeats*> sections;
  std::map<std::string, int> host_limit;
  for (size_t i = 0; i < input.sections.size(); ++i) {
    sections.emplace(input.sections[i].section_id, &input.sections[i]);
    host_limit.emplace(input.sections[i].section_id, result.host_limits[i]);
  }
  const auto before = [](const SectionSeats& seats, const std::string& school) {
    const auto it = seats.enrolled_by_school.find(school);
    return it == seats.enrolled_by_school.end() ? 0 : it->second;
  };

  // The lottery: each student with an application in this allocation, once.
  std::set<std::string> applying;
  for (const Applicant& applicant : applicants) {
    if (sections.count(applicant.section_id) == 1) {
      applying.insert(applicant.student_id);
    }
  }
  std::vector<std::string> order = result.lottery_order;
  std::sort(order.begin(), order.end());
  OSAN_FUZZ_CHECK(order == std::vector<std::string>(applying.begin(), applying.end()));
  std::map<std::string, int> lottery;
  for (size_t i = 0; i < result.lottery_order.size(); ++i) {
    lottery[result.lottery_order[i]] = static_cast<int>(i);
  }
  const auto rank_of = [&](size_t i) {
    return Rank{applicants[i].priority_tier, lottery.at(applicants[i].student_id),
                std::clamp(applicants[i].preference_rank, 0, 0xFFFF), static_cast<int>(i)};
  };
  const auto school_limit = [&](const SectionSeats& seats, const std::string& school) {
    int limit = seats.per_school_cap > 0 ? std::max(0, seats.per_school_cap - before(seats, school))
                                         : kMaxApplicants + 1;
    if (!seats.host_school.empty() && school == seats.host_school) {
      limit = std::min(limit, host_limit.at(seats.section_id));
    }
    return limit;
  };

  std::map<std::string, std::vector<size_t>> placed_in;  // section -> applications
  std::map<std::string, std::vector<int>> waitlist_positions;
  std::map<std::string, int> placed_of_student;
  for (size_t i = 0; i < applicants.size(); ++i) {
    const Applicant& applicant = applicants[i];
    if (sections.count(applicant.section_id) == 0) {
      OSAN_FUZZ_CHECK(decisions[i].outcome == Outcome::kNotPlaced);
      continue;
    }
    if (decisions[i].outcome == Outcome::kPlaced) {
      placed_in[applicant.section_id].push_back(i);
      ++placed_of_student[applicant.student_id];
    } else if (decisions[i].outcome == Outcome::kWaitlisted) {
      waitlist_positions[applicant.section_id].push_back(decisions[i].waitlist_position);
    }
  }

  // Capacity and caps.
  for (const auto& [id, placed] : placed_in) {
    const SectionSeats& seats = *sections.at(id);
    OSAN_FUZZ_CHECK(static_cast<int>(placed.size()) <= seats.capacity);
    std::map<std::string, int> per_school;
    for (const size_t i : placed) {
      ++per_school[applicants[i].school];
    }
    for (const auto& [school, count] : per_school) {
      OSAN_FUZZ_CHECK(count <= school_limit(seats, school));
    }
    // Host students seated now keep the host's share of the class as enrolled.
    if (!seats.host_school.empty() && per_school[seats.host_school] > 0) {
      int class_size = static_cast<int>(placed.size());
      for (const auto& [school, enrolled] : seats.enrolled_by_school) {
        class_size += enrolled;
      }
      const int host = before(seats, seats.host_school) + per_school[seats.host_school];
      OSAN_FUZZ_CHECK(100 * host <= seats.host_share_cap_percent * class_size);
    }
  }
  for (const auto& [student, count] : placed_of_student) {
    OSAN_FUZZ_CHECK(count <= input.max_sections_per_student);
  }
  // Waitlist positions 1..n per section.
  for (auto& [id, positions] : waitlist_positions) {
    std::sort(positions.begin(), positions.end());
    for (size_t k = 0; k < positions.size(); ++k) {
      OSAN_FUZZ_CHECK(positions[k] == static_cast<int>(k) + 1);
    }
  }

  for (size_t i = 0; i < applicants.size(); ++i) {
    const Applicant& applicant = applicants[i];
    const auto section = sections.find(applicant.section_id);
    if (section == sections.end()) {
      continue;
    }
    if (decisions[i].outcome == Outcome::kWaitlisted) {
      // Rejected: when the section's greedy choice reached it, the section was full or its
      // school's seats were taken by better-ranked applications.
      int better = 0;
      int better_same_school = 0;
      for (const size_t j : placed_in[applicant.section_id]) {
        if (rank_of(j) < rank_of(i)) {
          ++better;
          better_same_school += applicants[j].school == applicant.school;
        }
      }
      OSAN_FUZZ_CHECK(better >= section->second->capacity ||
                      better_same_school >= school_limit(*section->second, applicant.school));
    } else if (decisions[i].outcome == Outcome::kNotPlaced) {
      // Never proposed: the student holds the limit, all in sections ranked before it.
      int preferred = 0;
      for (size_t j = 0; j < applicants.size(); ++j) {
        if (applicants[j].student_id == applicant.student_id &&
            decisions[j].outcome == Outcome::kPlaced) {
          OSAN_FUZZ_CHECK(std::tie(applicants[j].preference_rank, j) <
                          std::tie(applicant.preference_rank, i));
          ++preferred;
        }
      }
      OSAN_FUZZ_CHECK(preferred == input.max_sections_per_student);
    }
  }
}

bool SameResult(const AllocationResult& a, const AllocationResult& b) {
  if (a.lottery_order != b.lottery_order || a.decisions.size() != b.decisions.size()) {
    return false;
  }
  for (size_t i = 0; i < a.decisions.size(); ++i) {
    const Decision& x = a.decisions[i];
    const Decision& y = b.decisions[i];
    if (x.application_id != y.application_id || x.outcome != y.outcome ||
        x.waitlist_position != y.waitlist_position || x.reason != y.reason) {
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace osan::enrollment

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const osan::enrollment::AllocationInput input = osan::enrollment::Decode(in);
  const osan::enrollment::AllocationResult result = osan::enrollment::Allocate(input);
  osan::enrollment::Check(input, result);
  OSAN_FUZZ_CHECK(osan::enrollment::SameResult(result, osan::enrollment::Allocate(input)));
  return 0;
}
