// Unit tests of seat allocation (services/enrollment/domain/allocation.h).
#include "services/enrollment/domain/allocation.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace osan::enrollment {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr uint64_t kTopBit = uint64_t{1} << 63;
constexpr int kNoLimit = std::numeric_limits<int>::max();
constexpr char kSchool[] = "A00-0000001";

SectionSeats Section(const std::string& id, int capacity) {
  SectionSeats section;
  section.section_id = id;
  section.capacity = capacity;
  return section;
}

Applicant App(const std::string& application_id, const std::string& student_id,
              const std::string& section_id, int preference_rank, int priority_tier = 0,
              const std::string& school = kSchool) {
  Applicant applicant;
  applicant.application_id = application_id;
  applicant.student_id = student_id;
  applicant.school = school;
  applicant.section_id = section_id;
  applicant.preference_rank = preference_rank;
  applicant.priority_tier = priority_tier;
  return applicant;
}

const Decision& DecisionFor(const AllocationResult& result, const std::string& application_id) {
  const auto it = std::find_if(
      result.decisions.begin(), result.decisions.end(),
      [&application_id](const Decision& d) { return d.application_id == application_id; });
  EXPECT_NE(it, result.decisions.end()) << application_id;
  return *it;
}

// 1-based lottery number of `student` in `result`, 0 if absent.
int LotteryNumber(const AllocationResult& result, const std::string& student) {
  const auto it = std::find(result.lottery_order.begin(), result.lottery_order.end(), student);
  return it == result.lottery_order.end() ? 0
                                          : static_cast<int>(it - result.lottery_order.begin()) + 1;
}

// Students of `school` enrolled in `section` before the run.
int Before(const SectionSeats& section, const std::string& school) {
  const auto it = section.enrolled_by_school.find(school);
  return it == section.enrolled_by_school.end() ? 0 : it->second;
}

// The most seats one home school may take in `section` in this run, as the header defines it,
// with `host_limit` the host limit the run settled on.
int SchoolLimit(const SectionSeats& section, const std::string& school, int host_limit) {
  int limit = section.per_school_cap > 0
                  ? std::max(0, section.per_school_cap - Before(section, school))
                  : kNoLimit;
  if (!section.host_school.empty() && school == section.host_school) {
    limit = std::min(limit, host_limit);
  }
  return limit;
}

// Checks every documented property of `result` against `input`, independently of how the
// allocation was computed: lottery, decision order and shape, limits, waitlist order, and
// stability (no student and section who would both rather have each other).
void ExpectValidAllocation(const AllocationInput& input, const AllocationResult& result) {
  ASSERT_EQ(result.decisions.size(), input.applicants.size());
  ASSERT_EQ(result.host_limits.size(), input.sections.size());
  std::map<std::string, const SectionSeats*> sections;
  std::map<std::string, int> host_limit;
  for (size_t i = 0; i < input.sections.size(); ++i) {
    sections.emplace(input.sections[i].section_id, &input.sections[i]);
    host_limit.emplace(input.sections[i].section_id, result.host_limits[i]);
  }

  // The lottery: the students with an application in the allocation, sorted then shuffled.
  std::vector<std::string> expected_order;
  for (const Applicant& applicant : input.applicants) {
    if (sections.count(applicant.section_id) > 0) {
      expected_order.push_back(applicant.student_id);
    }
  }
  std::sort(expected_order.begin(), expected_order.end());
  expected_order.erase(std::unique(expected_order.begin(), expected_order.end()),
                       expected_order.end());
  Lottery(input.seed).Shuffle(expected_order);
  EXPECT_EQ(result.lottery_order, expected_order);
  std::map<std::string, int> lottery;
  for (size_t i = 0; i < result.lottery_order.size(); ++i) {
    lottery.emplace(result.lottery_order[i], static_cast<int>(i));
  }
  const auto rank_of = [&](size_t app) {
    const Applicant& applicant = input.applicants[app];
    return std::make_pair(applicant.priority_tier, lottery.at(applicant.student_id));
  };

  std::map<std::string, std::vector<size_t>> placed_in;
  std::map<std::string, std::vector<size_t>> waitlisted_in;
  std::map<std::string, std::vector<int>> placed_ranks;  // by student
  for (size_t i = 0; i < input.applicants.size(); ++i) {
    const Applicant& applicant = input.applicants[i];
    const Decision& decision = result.decisions[i];
    EXPECT_EQ(decision.application_id, applicant.application_id) << "decisions in input order";
    EXPECT_FALSE(decision.reason.empty()) << applicant.application_id;
    if (decision.outcome != Outcome::kWaitlisted) {
      EXPECT_EQ(decision.waitlist_position, 0) << applicant.application_id;
    }
    if (sections.count(applicant.section_id) == 0) {
      EXPECT_EQ(decision.outcome, Outcome::kNotPlaced) << applicant.application_id;
      EXPECT_EQ(decision.reason, "not placed: section not part of this allocation");
      continue;
    }
    if (decision.outcome == Outcome::kPlaced) {
      placed_in[applicant.section_id].push_back(i);
      placed_ranks[applicant.student_id].push_back(applicant.preference_rank);
    } else if (decision.outcome == Outcome::kWaitlisted) {
      waitlisted_in[applicant.section_id].push_back(i);
    }
  }

  // Seats held within the section's capacity and school limits.
  for (const auto& [section_id, apps] : placed_in) {
    const SectionSeats& section = *sections.at(section_id);
    EXPECT_LE(static_cast<int>(apps.size()), section.capacity) << section_id;
    std::map<std::string, int> per_school;
    for (const size_t app : apps) {
      ++per_school[input.applicants[app].school];
    }
    for (const auto& [school, seats] : per_school) {
      EXPECT_LE(seats, SchoolLimit(section, school, host_limit.at(section_id)))
          << section_id << " " << school;
    }
    // The host's own students keep their share of the class as enrolled, before and now.
    if (!section.host_school.empty()) {
      int before = 0;
      for (const auto& [school, enrolled] : section.enrolled_by_school) {
        before += enrolled;
      }
      const int host = Before(section, section.host_school) + per_school[section.host_school];
      const int class_size = before + static_cast<int>(apps.size());
      if (per_school[section.host_school] > 0) {
        EXPECT_LE(int64_t{100} * host, int64_t{section.host_share_cap_percent} * class_size)
            << section_id;
      }
    }
  }
  for (const auto& [student, ranks] : placed_ranks) {
    EXPECT_LE(static_cast<int>(ranks.size()), input.max_sections_per_student) << student;
  }
  const auto placed_above = [&](const Applicant& applicant) {
    const auto it = placed_ranks.find(applicant.student_id);
    if (it == placed_ranks.end()) {
      return 0;
    }
    return static_cast<int>(std::count_if(it->second.begin(), it->second.end(), [&](int rank) {
      return rank < applicant.preference_rank;
    }));
  };

  for (size_t i = 0; i < input.applicants.size(); ++i) {
    const Applicant& applicant = input.applicants[i];
    if (sections.count(applicant.section_id) == 0) {
      continue;
    }
    const Outcome outcome = result.decisions[i].outcome;
    if (outcome == Outcome::kNotPlaced) {
      EXPECT_EQ(placed_above(applicant), input.max_sections_per_student)
          << applicant.application_id << " not placed without the limit held above it";
    }
    if (outcome != Outcome::kWaitlisted ||
        placed_above(applicant) >= input.max_sections_per_student) {
      continue;
    }
    // The student would take this section, so the section must prefer what it holds: it is
    // full, or the student's school is at its limit, with better-ranked students.
    const SectionSeats& section = *sections.at(applicant.section_id);
    int better = 0;
    int better_same_school = 0;
    for (const size_t held : placed_in[applicant.section_id]) {
      if (rank_of(held) < rank_of(i)) {
        ++better;
        if (input.applicants[held].school == applicant.school) {
          ++better_same_school;
        }
      }
    }
    EXPECT_TRUE(better >= section.capacity ||
                better_same_school >=
                    SchoolLimit(section, applicant.school, host_limit.at(applicant.section_id)))
        << "blocking pair: " << applicant.application_id;
  }

  // Waitlists: positions 1..k in the section's ranking order.
  for (auto& [section_id, apps] : waitlisted_in) {
    std::sort(apps.begin(), apps.end(), [&](size_t a, size_t b) {
      return result.decisions[a].waitlist_position < result.decisions[b].waitlist_position;
    });
    for (size_t k = 0; k < apps.size(); ++k) {
      EXPECT_EQ(result.decisions[apps[k]].waitlist_position, static_cast<int>(k) + 1) << section_id;
      if (k > 0) {
        EXPECT_LT(rank_of(apps[k - 1]), rank_of(apps[k])) << section_id;
      }
    }
  }
}

// Outcomes from a plain round-based deferred acceptance, written independently of the
// implementation: each round every student below the limit proposes to their next
// application, and every section chooses greedily among its holds and the new proposals.
// Host limits are the ones the run settled on (result.host_limits).
std::vector<Outcome> ReferenceOutcomes(const AllocationInput& input,
                                       const AllocationResult& result) {
  const std::vector<std::string>& lottery_order = result.lottery_order;
  std::map<std::string, int> lottery;
  for (size_t i = 0; i < lottery_order.size(); ++i) {
    lottery.emplace(lottery_order[i], static_cast<int>(i));
  }
  std::map<std::string, const SectionSeats*> sections;
  std::map<std::string, int> host_limit;
  for (size_t i = 0; i < input.sections.size(); ++i) {
    sections.emplace(input.sections[i].section_id, &input.sections[i]);
    host_limit.emplace(input.sections[i].section_id, result.host_limits[i]);
  }
  const std::vector<Applicant>& apps = input.applicants;
  std::map<std::string, std::vector<size_t>> preferences;
  for (size_t i = 0; i < apps.size(); ++i) {
    if (sections.count(apps[i].section_id) > 0) {
      preferences[apps[i].student_id].push_back(i);
    }
  }
  for (auto& [student, list] : preferences) {
    std::sort(list.begin(), list.end(), [&](size_t a, size_t b) {
      return apps[a].preference_rank < apps[b].preference_rank;
    });
  }
  std::vector<Outcome> outcomes(apps.size(), Outcome::kNotPlaced);
  std::map<std::string, size_t> next;
  std::map<std::string, std::vector<size_t>> held;  // by section
  bool proposing = true;
  while (proposing) {
    proposing = false;
    std::map<std::string, int> holding;
    for (const auto& [section, list] : held) {
      for (const size_t app : list) {
        ++holding[apps[app].student_id];
      }
    }
    std::map<std::string, std::vector<size_t>> candidates = held;
    for (const auto& [student, list] : preferences) {
      if (holding[student] < input.max_sections_per_student && next[student] < list.size()) {
        const size_t app = list[next[student]++];
        outcomes[app] = Outcome::kWaitlisted;
        candidates[apps[app].section_id].push_back(app);
        proposing = true;
      }
    }
    for (auto& [section_id, list] : candidates) {
      const SectionSeats& section = *sections.at(section_id);
      std::sort(list.begin(), list.end(), [&](size_t a, size_t b) {
        return std::make_pair(apps[a].priority_tier, lottery.at(apps[a].student_id)) <
               std::make_pair(apps[b].priority_tier, lottery.at(apps[b].student_id));
      });
      std::vector<size_t> chosen;
      std::map<std::string, int> per_school;
      for (const size_t app : list) {
        int& school_seats = per_school[apps[app].school];
        if (static_cast<int>(chosen.size()) < section.capacity &&
            school_seats < SchoolLimit(section, apps[app].school, host_limit.at(section_id))) {
          chosen.push_back(app);
          ++school_seats;
        }
      }
      held[section_id] = chosen;
    }
  }
  for (const auto& [section, list] : held) {
    for (const size_t app : list) {
      outcomes[app] = Outcome::kPlaced;
    }
  }
  return outcomes;
}

std::vector<Outcome> Outcomes(const AllocationResult& result) {
  std::vector<Outcome> outcomes;
  for (const Decision& decision : result.decisions) {
    outcomes.push_back(decision.outcome);
  }
  return outcomes;
}

struct Shape {
  int students = 200;
  int sections = 10;
  int schools = 6;
  int max_capacity = 15;
  int min_applications = 1;
  int max_applications = 5;
  int limit = 1;
};

// A random instance from a fixed seed: random capacities, school and host-share caps,
// preferences and priority tiers, and a few applications to a section not in the run.
AllocationInput RandomInstance(uint32_t seed, const Shape& shape) {
  std::mt19937 gen(seed);
  const auto pick = [&gen](int n) { return static_cast<int>(gen() % static_cast<uint32_t>(n)); };
  const auto school = [](int i) { return "SCH-" + std::to_string(i); };
  AllocationInput input;
  input.seed = seed;
  input.max_sections_per_student = shape.limit;
  for (int i = 0; i < shape.sections; ++i) {
    SectionSeats section;
    section.section_id = "sec-" + std::to_string(i);
    section.capacity = pick(5) == 0 ? pick(3) : 1 + pick(shape.max_capacity);
    section.host_school = pick(2) == 0 ? "" : school(pick(shape.schools));
    for (int before = pick(4); before > 0; --before) {
      ++section.enrolled_by_school[pick(3) == 0 && !section.host_school.empty()
                                       ? section.host_school
                                       : school(pick(shape.schools))];
    }
    section.per_school_cap = pick(3) == 0 ? 0 : 1 + pick(4);
    section.host_share_cap_percent = 1 + pick(100);
    input.sections.push_back(section);
  }
  for (int s = 0; s < shape.students; ++s) {
    const std::string student = "student-" + std::to_string(s);
    const std::string home = school(pick(shape.schools));
    const int wanted =
        shape.min_applications + pick(shape.max_applications - shape.min_applications + 1);
    std::set<int> chosen;
    int rank = 0;
    while (static_cast<int>(chosen.size()) < wanted) {
      const int section = pick(shape.sections);
      if (!chosen.insert(section).second) {
        continue;
      }
      ++rank;
      input.applicants.push_back(App("app-" + std::to_string(input.applicants.size()), student,
                                     input.sections[section].section_id, rank, pick(3), home));
      if (pick(40) == 0) {
        ++rank;
        input.applicants.push_back(App("app-" + std::to_string(input.applicants.size()), student,
                                       "retired-section", rank, 0, home));
      }
    }
  }
  return input;
}

// --- Lottery -------------------------------------------------------------------------------

TEST(LotteryTest, DrawsFromTheStandardMt19937_64) {
  // The C++ standard fixes the 10000th output of a default-constructed std::mt19937_64.
  constexpr uint64_t kTenThousandth = 9981545732273789042ULL;
  std::mt19937_64 engine;
  engine.discard(9999);
  EXPECT_EQ(engine(), kTenThousandth);

  // A power of two divides 2^64, so Below(2^63) rejects nothing and keeps the low 63 bits.
  Lottery lottery(std::mt19937_64::default_seed);
  uint64_t draw = 0;
  for (int i = 0; i < 10000; ++i) {
    draw = lottery.Below(kTopBit);
  }
  EXPECT_EQ(draw, kTenThousandth % kTopBit);
}

TEST(LotteryTest, BelowRejectsTheUnevenTopOfTheRange) {
  // For n = 2^63 + 1, exactly the engine outputs below n are accepted, each as itself.
  constexpr uint64_t kN = kTopBit + 1;
  std::mt19937_64 engine(7);
  Lottery lottery(7);
  for (int i = 0; i < 100; ++i) {
    uint64_t expected = engine();
    while (expected >= kN) {
      expected = engine();
    }
    EXPECT_EQ(lottery.Below(kN), expected);
  }
}

TEST(LotteryTest, BelowStaysInRange) {
  Lottery lottery(12345);
  for (const uint64_t n :
       {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{7}, uint64_t{1000}, (uint64_t{1} << 32) + 1,
        kTopBit + 1, std::numeric_limits<uint64_t>::max()}) {
    for (int i = 0; i < 1000; ++i) {
      EXPECT_LT(lottery.Below(n), n);
    }
  }
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(lottery.Below(1), 0u);
  }
}

TEST(LotteryTest, BelowReachesEveryValue) {
  Lottery lottery(99);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 6000; ++i) {
    ++counts[lottery.Below(6)];
  }
  for (const int count : counts) {
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1200);
  }
}

TEST(LotteryTest, ShuffleIsAPermutation) {
  std::vector<int> items;
  for (int i = 0; i < 100; ++i) {
    items.push_back(i);
  }
  std::vector<int> shuffled = items;
  Lottery(3).Shuffle(shuffled);
  EXPECT_NE(shuffled, items);
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, items);

  std::vector<int> empty;
  Lottery(3).Shuffle(empty);
  EXPECT_THAT(empty, IsEmpty());
  std::vector<int> one = {42};
  Lottery(3).Shuffle(one);
  EXPECT_THAT(one, ElementsAre(42));
}

TEST(LotteryTest, SameSeedSameSequence) {
  Lottery a(2024);
  Lottery b(2024);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.Below(1000003), b.Below(1000003));
  }
}

TEST(LotteryTest, DifferentSeedsDiffer) {
  Lottery a(1);
  Lottery b(2);
  std::vector<uint64_t> from_a;
  std::vector<uint64_t> from_b;
  for (int i = 0; i < 20; ++i) {
    from_a.push_back(a.Below(1000));
    from_b.push_back(b.Below(1000));
  }
  EXPECT_NE(from_a, from_b);
}

// --- Allocate: basics ----------------------------------------------------------------------

TEST(AllocateTest, EmptyInput) {
  const AllocationResult result = Allocate(AllocationInput{});
  EXPECT_THAT(result.decisions, IsEmpty());
  EXPECT_THAT(result.lottery_order, IsEmpty());

  AllocationInput no_applicants;
  no_applicants.sections = {Section("X", 5)};
  EXPECT_THAT(Allocate(no_applicants).decisions, IsEmpty());
}

TEST(AllocateTest, DecisionsFollowInputOrder) {
  AllocationInput input;
  input.sections = {Section("X", 1), Section("Y", 1)};
  input.applicants = {App("a3", "s2", "Y", 1), App("a1", "s1", "X", 1), App("a2", "s1", "Y", 2),
                      App("a0", "s3", "gone", 1)};
  const AllocationResult result = Allocate(input);
  ASSERT_EQ(result.decisions.size(), 4u);
  EXPECT_EQ(result.decisions[0].application_id, "a3");
  EXPECT_EQ(result.decisions[1].application_id, "a1");
  EXPECT_EQ(result.decisions[2].application_id, "a2");
  EXPECT_EQ(result.decisions[3].application_id, "a0");
  ExpectValidAllocation(input, result);
}

TEST(AllocateTest, LotteryOrderIsTheSortedStudentsShuffledBySeed) {
  AllocationInput input;
  input.seed = 77;
  input.sections = {Section("X", 2), Section("Y", 2)};
  input.applicants = {App("a1", "carol", "X", 1), App("a2", "alice", "X", 1),
                      App("a3", "alice", "Y", 2), App("a4", "bob", "Y", 1),
                      App("a5", "dave", "Y", 1)};
  std::vector<std::string> expected = {"alice", "bob", "carol", "dave"};
  Lottery(77).Shuffle(expected);
  const AllocationResult result = Allocate(input);
  EXPECT_EQ(result.lottery_order, expected);
}

TEST(AllocateTest, SameInputAndSeedGiveIdenticalResults) {
  const AllocationInput input = RandomInstance(11, Shape{});
  const AllocationResult first = Allocate(input);
  const AllocationResult second = Allocate(input);
  EXPECT_EQ(first.lottery_order, second.lottery_order);
  ASSERT_EQ(first.decisions.size(), second.decisions.size());
  for (size_t i = 0; i < first.decisions.size(); ++i) {
    EXPECT_EQ(first.decisions[i].application_id, second.decisions[i].application_id);
    EXPECT_EQ(first.decisions[i].outcome, second.decisions[i].outcome);
    EXPECT_EQ(first.decisions[i].waitlist_position, second.decisions[i].waitlist_position);
    EXPECT_EQ(first.decisions[i].reason, second.decisions[i].reason);
  }
}

TEST(AllocateTest, InputOrderDoesNotMatter) {
  const AllocationInput input = RandomInstance(12, Shape{});
  AllocationInput reversed = input;
  std::reverse(reversed.applicants.begin(), reversed.applicants.end());
  const AllocationResult forward = Allocate(input);
  const AllocationResult backward = Allocate(reversed);
  EXPECT_EQ(forward.lottery_order, backward.lottery_order);
  const size_t n = input.applicants.size();
  for (size_t i = 0; i < n; ++i) {
    const Decision& a = forward.decisions[i];
    const Decision& b = backward.decisions[n - 1 - i];
    EXPECT_EQ(a.application_id, b.application_id);
    EXPECT_EQ(a.outcome, b.outcome) << a.application_id;
    EXPECT_EQ(a.waitlist_position, b.waitlist_position) << a.application_id;
  }
}

TEST(AllocateTest, DifferentSeedsCanPickDifferentWinners) {
  AllocationInput input;
  input.sections = {Section("X", 1)};
  for (int i = 0; i < 10; ++i) {
    input.applicants.push_back(App("a" + std::to_string(i), "s" + std::to_string(i), "X", 1));
  }
  std::set<std::string> winners;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    input.seed = seed;
    const AllocationResult result = Allocate(input);
    ExpectValidAllocation(input, result);
    for (const Decision& decision : result.decisions) {
      if (decision.outcome == Outcome::kPlaced) {
        winners.insert(decision.application_id);
      }
    }
  }
  EXPECT_GT(winners.size(), 1u);
}

// --- Allocate: ranking ---------------------------------------------------------------------

TEST(AllocateTest, LotteryDecidesWithinATier) {
  AllocationInput input;
  input.seed = 5;
  input.sections = {Section("X", 2)};
  for (int i = 0; i < 5; ++i) {
    input.applicants.push_back(App("a" + std::to_string(i), "s" + std::to_string(i), "X", 1));
  }
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  for (int i = 0; i < 5; ++i) {
    const std::string student = "s" + std::to_string(i);
    const Decision& decision = DecisionFor(result, "a" + std::to_string(i));
    const int number = LotteryNumber(result, student);
    if (number <= 2) {
      EXPECT_EQ(decision.outcome, Outcome::kPlaced) << student;
      EXPECT_EQ(decision.reason,
                "placed: priority tier 0, lottery number " + std::to_string(number) + " of 5");
    } else {
      EXPECT_EQ(decision.outcome, Outcome::kWaitlisted) << student;
      EXPECT_EQ(decision.waitlist_position, number - 2) << student;
      EXPECT_EQ(decision.reason, "waitlisted: section full (capacity 2)");
    }
  }
}

TEST(AllocateTest, PriorityTierBeatsLottery) {
  AllocationInput input;
  input.sections = {Section("X", 1)};
  for (int i = 0; i < 8; ++i) {
    input.applicants.push_back(
        App("a" + std::to_string(i), "s" + std::to_string(i), "X", 1, /*priority_tier=*/2));
  }
  input.applicants.push_back(App("priority", "p", "X", 1, /*priority_tier=*/1));
  for (uint64_t seed = 0; seed < 20; ++seed) {
    input.seed = seed;
    const AllocationResult result = Allocate(input);
    ExpectValidAllocation(input, result);
    const Decision& decision = DecisionFor(result, "priority");
    EXPECT_EQ(decision.outcome, Outcome::kPlaced) << "seed " << seed;
    EXPECT_EQ(decision.reason, "placed: priority tier 1, lottery number " +
                                   std::to_string(LotteryNumber(result, "p")) + " of 9");
  }
}

// --- Allocate: limits ----------------------------------------------------------------------

TEST(AllocateTest, CapacityZeroWaitlistsEveryone) {
  AllocationInput input;
  input.sections = {Section("X", 0)};
  input.applicants = {App("a1", "s1", "X", 1), App("a2", "s2", "X", 1), App("a3", "s3", "X", 1)};
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  for (const Decision& decision : result.decisions) {
    EXPECT_EQ(decision.outcome, Outcome::kWaitlisted);
    EXPECT_EQ(decision.reason, "waitlisted: section full (capacity 0)");
  }
}

// A student's two applications to one section are ranked together, by their preference
// ranks, among the others: in a section ranked by the lottery alone as in one reordered by
// tiers.
TEST(AllocateTest, AStudentsRepeatedApplicationsToASectionAreRankedTogether) {
  for (const int tier : {0, 1}) {
    SCOPED_TRACE("tier " + std::to_string(tier));
    AllocationInput input;
    input.max_sections_per_student = 3;
    input.sections = {Section("X", 0)};
    input.applicants = {App("b1", "s2", "X", 1), App("a2", "s1", "X", 2), App("a1", "s1", "X", 1),
                        App("c1", "s3", "X", 1)};
    for (Applicant& applicant : input.applicants) {
      applicant.priority_tier = applicant.student_id == "s3" ? tier : 0;
    }
    const AllocationResult result = Allocate(input);
    std::vector<int> positions;
    for (const Decision& decision : result.decisions) {
      EXPECT_EQ(decision.outcome, Outcome::kWaitlisted) << decision.application_id;
      positions.push_back(decision.waitlist_position);
    }
    std::sort(positions.begin(), positions.end());
    EXPECT_EQ(positions, (std::vector<int>{1, 2, 3, 4}));
    const int a2 = DecisionFor(result, "a2").waitlist_position;
    const int a1 = DecisionFor(result, "a1").waitlist_position;
    EXPECT_EQ(a1 + 1, a2) << "by preference rank, though a2 comes first in the input";
    if (tier == 1) {
      EXPECT_EQ(DecisionFor(result, "c1").waitlist_position, 4) << "a later tier comes last";
    }
  }
}

TEST(AllocateTest, PerSchoolCapLimitsOneSchool) {
  AllocationInput input;
  SectionSeats section = Section("X", 10);
  section.per_school_cap = 2;
  input.sections = {section};
  for (int i = 0; i < 5; ++i) {
    input.applicants.push_back(
        App("big" + std::to_string(i), "b" + std::to_string(i), "X", 1, 0, "BIG"));
  }
  input.applicants.push_back(App("small0", "m0", "X", 1, 0, "SMALL"));
  input.applicants.push_back(App("small1", "m1", "X", 1, 0, "SMALL"));
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  int big_placed = 0;
  for (int i = 0; i < 5; ++i) {
    const Decision& decision = DecisionFor(result, "big" + std::to_string(i));
    if (decision.outcome == Outcome::kPlaced) {
      ++big_placed;
    } else {
      EXPECT_EQ(decision.outcome, Outcome::kWaitlisted);
      EXPECT_EQ(decision.reason, "waitlisted: per-school cap of 2 reached");
    }
  }
  EXPECT_EQ(big_placed, 2);
  EXPECT_EQ(DecisionFor(result, "small0").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "small1").outcome, Outcome::kPlaced);
}

TEST(AllocateTest, HostShareIsAShareOfTheClassNotOfTheCapacity) {
  AllocationInput input;
  SectionSeats section = Section("X", 10);
  section.host_school = "HOST";
  section.host_share_cap_percent = 35;
  input.sections = {section};
  for (int i = 0; i < 8; ++i) {
    input.applicants.push_back(
        App("host" + std::to_string(i), "h" + std::to_string(i), "X", 1, 0, "HOST"));
  }
  for (int i = 0; i < 5; ++i) {
    input.applicants.push_back(App("guest" + std::to_string(i), "g" + std::to_string(i), "X", 1,
                                   /*priority_tier=*/1, "GUEST" + std::to_string(i % 2)));
  }
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  // A full class would allow floor(10 * 35%) = 3, but only 5 guests apply: 3 of 8 would be
  // 37.5%, so the class holds 2 host students (2 of 7, 28.6%).
  EXPECT_THAT(result.host_limits, ElementsAre(2));
  int host_placed = 0;
  std::vector<int> positions;
  for (int i = 0; i < 8; ++i) {
    const Decision& decision = DecisionFor(result, "host" + std::to_string(i));
    if (decision.outcome == Outcome::kPlaced) {
      ++host_placed;
    } else {
      EXPECT_EQ(decision.reason, "waitlisted: host share cap of 2 reached (35% of the class)");
      positions.push_back(decision.waitlist_position);
    }
  }
  EXPECT_EQ(host_placed, 2);
  std::sort(positions.begin(), positions.end());
  EXPECT_THAT(positions, ElementsAre(1, 2, 3, 4, 5, 6));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(DecisionFor(result, "guest" + std::to_string(i)).outcome, Outcome::kPlaced);
  }
}

TEST(AllocateTest, HostStudentsAloneFormNoClass) {
  AllocationInput input;
  SectionSeats section = Section("X", 20);
  section.host_school = "HOST";
  section.host_share_cap_percent = 65;
  input.sections = {section};
  for (int i = 0; i < 5; ++i) {
    input.applicants.push_back(
        App("host" + std::to_string(i), "h" + std::to_string(i), "X", 1, 0, "HOST"));
  }
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_THAT(result.host_limits, ElementsAre(0));
  for (const Decision& decision : result.decisions) {
    EXPECT_EQ(decision.outcome, Outcome::kWaitlisted);
    EXPECT_EQ(decision.reason, "waitlisted: host share cap of 0 reached (65% of the class)");
  }
}

TEST(AllocateTest, HostShareCountsTheClassEnrolledBeforeTheRun) {
  AllocationInput input;
  SectionSeats section = Section("X", 4);
  section.host_school = "HOST";
  section.host_share_cap_percent = 30;
  section.enrolled_by_school = {{"GUEST", 6}};
  input.sections = {section};
  for (int i = 0; i < 4; ++i) {
    input.applicants.push_back(
        App("host" + std::to_string(i), "h" + std::to_string(i), "X", 1, 0, "HOST"));
  }
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  // With 6 guests enrolled, 2 host students make 25% of 8; a third would make 33%.
  EXPECT_THAT(result.host_limits, ElementsAre(2));
  int placed = 0;
  for (const Decision& decision : result.decisions) {
    placed += decision.outcome == Outcome::kPlaced ? 1 : 0;
  }
  EXPECT_EQ(placed, 2);
}

TEST(AllocateTest, PerSchoolCapCountsStudentsEnrolledBeforeTheRun) {
  AllocationInput input;
  SectionSeats section = Section("X", 5);
  section.per_school_cap = 3;
  section.enrolled_by_school = {{"A", 2}};
  input.sections = {section};
  input.applicants = {App("a1", "s1", "X", 1, 0, "A"), App("a2", "s2", "X", 1, 1, "A")};
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(DecisionFor(result, "a1").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "a2").reason, "waitlisted: per-school cap of 3 reached");
}

TEST(AllocateTest, TheTighterOfTwoSchoolCapsIsReported) {
  AllocationInput input;
  SectionSeats host_tighter = Section("X", 10);
  host_tighter.per_school_cap = 2;
  host_tighter.host_school = "HOST";
  host_tighter.host_share_cap_percent = 50;  // 1 host student beside 1 guest
  SectionSeats school_tighter = Section("Y", 10);
  school_tighter.per_school_cap = 1;
  school_tighter.host_school = "HOST";
  school_tighter.host_share_cap_percent = 50;
  input.sections = {host_tighter, school_tighter};
  input.applicants = {App("x1", "h1", "X", 1, 0, "HOST"),  App("x2", "h2", "X", 1, 1, "HOST"),
                      App("xg", "g1", "X", 1, 2, "GUEST"), App("y1", "h3", "Y", 1, 0, "HOST"),
                      App("y2", "h4", "Y", 1, 1, "HOST"),  App("yg", "g2", "Y", 1, 2, "GUEST")};
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(DecisionFor(result, "x1").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "x2").reason,
            "waitlisted: host share cap of 1 reached (50% of the class)");
  EXPECT_EQ(DecisionFor(result, "y1").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "y2").reason, "waitlisted: per-school cap of 1 reached");
}

TEST(AllocateTest, LimitOneGivesTheBestAvailablePreference) {
  AllocationInput input;
  input.sections = {Section("A", 1), Section("B", 1), Section("C", 1)};
  input.applicants = {App("rival-a", "rival", "A", 1, /*priority_tier=*/0),
                      App("p-a", "p", "A", 1, /*priority_tier=*/1), App("p-b", "p", "B", 2),
                      App("p-c", "p", "C", 3)};
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(DecisionFor(result, "rival-a").outcome, Outcome::kPlaced);
  const Decision& first = DecisionFor(result, "p-a");
  EXPECT_EQ(first.outcome, Outcome::kWaitlisted);
  EXPECT_EQ(first.waitlist_position, 1);
  EXPECT_EQ(first.reason, "waitlisted: section full (capacity 1)");
  EXPECT_EQ(DecisionFor(result, "p-b").outcome, Outcome::kPlaced);
  const Decision& third = DecisionFor(result, "p-c");
  EXPECT_EQ(third.outcome, Outcome::kNotPlaced);
  EXPECT_EQ(third.reason,
            "not placed: already placed in 1 higher-preference section(s), the limit");
}

TEST(AllocateTest, LimitTwoPlacesInTwoSections) {
  AllocationInput input;
  input.max_sections_per_student = 2;
  input.sections = {Section("A", 1), Section("B", 1), Section("C", 1)};
  // Ranks out of input order: the student's preference order is C, A, B.
  input.applicants = {App("p-a", "p", "A", 2), App("p-b", "p", "B", 3), App("p-c", "p", "C", 1)};
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(DecisionFor(result, "p-c").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "p-a").outcome, Outcome::kPlaced);
  const Decision& last = DecisionFor(result, "p-b");
  EXPECT_EQ(last.outcome, Outcome::kNotPlaced);
  EXPECT_EQ(last.reason, "not placed: already placed in 2 higher-preference section(s), the limit");
}

TEST(AllocateTest, SeatsHeldBeforeTheRunCountTowardTheLimit) {
  AllocationInput input;
  input.max_sections_per_student = 2;
  input.sections = {Section("A", 1), Section("B", 1)};
  input.applicants = {App("p-a", "p", "A", 1), App("p-b", "p", "B", 2), App("q-b", "q", "B", 1),
                      App("r-a", "r", "A", 2)};
  // p holds one seat of the term already, r both it may.
  input.seats_before = {{"p", 1}, {"r", 2}};
  const AllocationResult result = Allocate(input);
  EXPECT_EQ(DecisionFor(result, "p-a").outcome, Outcome::kPlaced);
  const Decision& over = DecisionFor(result, "p-b");
  EXPECT_EQ(over.outcome, Outcome::kNotPlaced);
  EXPECT_EQ(over.reason,
            "not placed: already holds 1 seat(s) of the term from before this run and placed in 1 "
            "higher-preference section(s), the limit");
  EXPECT_EQ(DecisionFor(result, "q-b").outcome, Outcome::kPlaced);
  const Decision& full = DecisionFor(result, "r-a");
  EXPECT_EQ(full.outcome, Outcome::kNotPlaced);
  EXPECT_EQ(full.reason,
            "not placed: already holds 2 seat(s) of the term from before this run and placed in 0 "
            "higher-preference section(s), the limit");
}

TEST(AllocateTest, RejectedApplicantMovesDownAndDisplacesAnother) {
  // x loses A to y, then takes B from z (x ranks higher there), and z moves on to C.
  AllocationInput input;
  input.sections = {Section("A", 1), Section("B", 1), Section("C", 1)};
  input.applicants = {
      App("z-b", "z", "B", 1, /*priority_tier=*/1), App("z-c", "z", "C", 2, /*priority_tier=*/0),
      App("x-a", "x", "A", 1, /*priority_tier=*/1), App("x-b", "x", "B", 2, /*priority_tier=*/0),
      App("y-a", "y", "A", 1, /*priority_tier=*/0)};
  for (uint64_t seed = 0; seed < 5; ++seed) {
    input.seed = seed;
    const AllocationResult result = Allocate(input);
    ExpectValidAllocation(input, result);
    EXPECT_EQ(DecisionFor(result, "y-a").outcome, Outcome::kPlaced);
    EXPECT_EQ(DecisionFor(result, "x-a").outcome, Outcome::kWaitlisted);
    EXPECT_EQ(DecisionFor(result, "x-b").outcome, Outcome::kPlaced);
    EXPECT_EQ(DecisionFor(result, "z-b").outcome, Outcome::kWaitlisted);
    EXPECT_EQ(DecisionFor(result, "z-b").waitlist_position, 1);
    EXPECT_EQ(DecisionFor(result, "z-c").outcome, Outcome::kPlaced);
  }
}

TEST(AllocateTest, DisplacedStudentRegainsAnEarlierLimitSlot) {
  // Limit 2: w holds A and B, loses A to v, and so goes on to C.
  AllocationInput input;
  input.max_sections_per_student = 2;
  input.sections = {Section("A", 1), Section("B", 1), Section("C", 1)};
  input.applicants = {App("w-a", "w", "A", 1, /*priority_tier=*/1), App("w-b", "w", "B", 2),
                      App("w-c", "w", "C", 3), App("v-x", "v", "X", 1),
                      App("v-a", "v", "A", 2, /*priority_tier=*/0)};
  input.sections.push_back(Section("X", 0));
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(DecisionFor(result, "w-a").outcome, Outcome::kWaitlisted);
  EXPECT_EQ(DecisionFor(result, "w-b").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "w-c").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "v-a").outcome, Outcome::kPlaced);
}

TEST(AllocateTest, ApplicationsToUnknownSectionsAreNotPlaced) {
  AllocationInput input;
  input.sections = {Section("X", 5)};
  input.applicants = {App("s1-gone", "s1", "gone", 1), App("s1-x", "s1", "X", 2),
                      App("s2-gone", "s2", "gone", 1)};
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(DecisionFor(result, "s1-gone").outcome, Outcome::kNotPlaced);
  EXPECT_EQ(DecisionFor(result, "s1-gone").reason,
            "not placed: section not part of this allocation");
  EXPECT_EQ(DecisionFor(result, "s1-x").outcome, Outcome::kPlaced);
  EXPECT_EQ(DecisionFor(result, "s2-gone").outcome, Outcome::kNotPlaced);
  // Ignored applications take no part in the lottery either.
  EXPECT_THAT(result.lottery_order, ElementsAre("s1"));
}

TEST(AllocateTest, ARepeatedSectionIdTakesApplicationsOnceAndReportsEachEntry) {
  AllocationInput input;
  input.sections = {Section("X", 1), Section("X", 5)};
  input.sections[1].host_school = kSchool;
  input.sections[1].host_share_cap_percent = 50;
  input.applicants = {App("s1-x", "s1", "X", 1), App("s2-x", "s2", "X", 1)};
  const AllocationResult result = Allocate(input);
  // The first entry's one seat, not the second's five.
  EXPECT_EQ(DecisionFor(result, "s1-x").outcome == Outcome::kPlaced,
            DecisionFor(result, "s2-x").outcome == Outcome::kWaitlisted);
  ASSERT_EQ(result.host_limits.size(), 2u) << "one per input section";
  EXPECT_EQ(result.host_limits[0], kNoLimit);
  EXPECT_EQ(result.host_limits[1], 2) << "half of a class of five, as the first round allows";
}

// --- Allocate: properties on random instances ----------------------------------------------

TEST(AllocateTest, RandomInstancesAreStableWithinLimitsAndMatchPlainDeferredAcceptance) {
  for (const uint32_t seed : {1u, 2u, 3u, 4u}) {
    for (const int limit : {1, 2, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", limit " + std::to_string(limit));
      Shape shape;
      shape.limit = limit;
      const AllocationInput input = RandomInstance(seed, shape);
      const AllocationResult result = Allocate(input);
      ExpectValidAllocation(input, result);
      EXPECT_EQ(Outcomes(result), ReferenceOutcomes(input, result));
      // The instance is crowded enough to exercise every outcome.
      const std::vector<Outcome> outcomes = Outcomes(result);
      EXPECT_GT(std::count(outcomes.begin(), outcomes.end(), Outcome::kPlaced), 0);
      EXPECT_GT(std::count(outcomes.begin(), outcomes.end(), Outcome::kWaitlisted), 0);
      EXPECT_GT(std::count(outcomes.begin(), outcomes.end(), Outcome::kNotPlaced), 0);
    }
  }
}

TEST(AllocateTest, ScaleTenThousandApplicantsFiveHundredSections) {
  Shape shape;
  shape.students = 2500;
  shape.sections = 500;
  shape.schools = 60;
  shape.max_capacity = 30;
  shape.min_applications = 4;
  shape.max_applications = 4;
  shape.limit = 2;
  const AllocationInput input = RandomInstance(2026, shape);
  ASSERT_GE(input.applicants.size(), 10000u);
  const AllocationResult result = Allocate(input);
  ExpectValidAllocation(input, result);
  EXPECT_EQ(Outcomes(result), ReferenceOutcomes(input, result));
}

// ----- Over dense ids ---------------------------------------------------------

// Students in schools applying to sections, some capped per school, some with a host
// share, some ranking by tiers; each student's applications scattered through the input.
PackedInput RandomPacked(uint64_t seed) {
  std::mt19937_64 random(seed);
  PackedInput input;
  input.students = 300;
  constexpr uint32_t kSchools = 6;
  input.max_sections_per_student = 2;
  input.seed = seed;
  for (uint32_t s = 0; s < 12; ++s) {
    PackedSection section;
    section.capacity = static_cast<int32_t>(random() % 25);
    section.per_school_cap = s % 3 == 0 ? 4 : 0;
    if (s % 4 == 1) {
      section.host_school = static_cast<int32_t>(random() % kSchools);
      section.host_share_cap_percent = 40;
      input.enrolled.push_back({s, static_cast<uint32_t>(section.host_school), 2});
    }
    input.sections.push_back(section);
  }
  for (uint32_t student = 0; student < input.students; ++student) {
    const uint32_t school = static_cast<uint32_t>(random() % kSchools);
    for (uint16_t rank = 1; rank <= 4; ++rank) {
      PackedApplication app;
      app.student = student;
      app.section = random() % 13 == 12 ? kNoSection : static_cast<uint32_t>(random() % 12);
      app.school = school;
      app.preference_rank = rank;
      app.priority_tier = app.section % 5 == 2 ? static_cast<uint8_t>(random() % 3) : 0;
      input.applications.push_back(app);
    }
  }
  std::shuffle(input.applications.begin(), input.applications.end(), random);
  return input;
}

TEST(AllocatePackedTest, TheOrderOfTheApplicationsDoesNotMatter) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const PackedInput input = RandomPacked(seed);
    // The same applications, reversed: one with repeated sections would rank by input
    // index, so those are left out.
    PackedInput reversed = input;
    std::set<std::pair<uint32_t, uint32_t>> seen;
    std::vector<size_t> kept;
    for (size_t i = 0; i < input.applications.size(); ++i) {
      const PackedApplication& app = input.applications[i];
      if (app.section == kNoSection || seen.insert({app.student, app.section}).second) {
        kept.push_back(i);
      }
    }
    PackedInput unique = input;
    unique.applications.clear();
    for (const size_t i : kept) {
      unique.applications.push_back(input.applications[i]);
    }
    reversed.applications.assign(unique.applications.rbegin(), unique.applications.rend());
    const PackedResult forward = AllocatePacked(unique);
    const PackedResult backward = AllocatePacked(reversed);
    const size_t n = unique.applications.size();
    ASSERT_EQ(forward.why.size(), n);
    EXPECT_EQ(forward.lottery, backward.lottery);
    EXPECT_EQ(forward.host_limits, backward.host_limits);
    int placed = 0, waitlisted = 0;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(forward.why[i], backward.why[n - 1 - i])
          << "seed " << seed << ", application " << i;
      EXPECT_EQ(forward.waitlist_positions[i], backward.waitlist_positions[n - 1 - i]);
      EXPECT_EQ(Reason(unique, forward, i), Reason(reversed, backward, n - 1 - i));
      placed += forward.why[i] == Why::kPlaced ? 1 : 0;
      waitlisted += OutcomeOf(forward.why[i]) == Outcome::kWaitlisted ? 1 : 0;
    }
    EXPECT_GT(placed, 0);
    EXPECT_GT(waitlisted, 0);
  }
}

TEST(AllocatePackedTest, EveryReasonIsSaidInWords) {
  PackedInput input;
  input.students = 3;
  input.sections = {{1, 0, -1, 100}, {1, 1, -1, 100}};
  input.applications = {
      {0, 0, 0, 1, 0}, {1, 0, 0, 1, 0}, {2, 1, 0, 1, 0}, {2, kNoSection, 0, 2, 0}, {0, 1, 0, 2, 0}};
  for (uint64_t seed = 0; seed < 8; ++seed) {
    input.seed = seed;
    const PackedResult result = AllocatePacked(input);
    // Students 0 and 1 draw for section 0's one seat; the loser's only other choice is
    // none (student 1) or section 1, where school 0 may hold one seat (student 0 against
    // student 2).
    const bool zero_won = result.why[0] == Why::kPlaced;
    EXPECT_EQ(Reason(input, result, zero_won ? 0 : 1),
              absl::StrCat("placed: priority tier 0, lottery number ",
                           result.lottery_number[zero_won ? 0 : 1], " of 3"));
    EXPECT_EQ(Reason(input, result, zero_won ? 1 : 0), "waitlisted: section full (capacity 1)");
    if (zero_won) {
      EXPECT_EQ(Reason(input, result, 4),
                "not placed: already placed in 1 higher-preference section(s), the limit");
    } else {
      const size_t lost = result.why[2] == Why::kPlaced ? 4 : 2;
      EXPECT_EQ(Reason(input, result, lost), "waitlisted: per-school cap of 1 reached");
    }
    EXPECT_EQ(Reason(input, result, 3), "not placed: section not part of this allocation");
    EXPECT_EQ(OutcomeOf(result.why[3]), Outcome::kNotPlaced);
  }
}

}  // namespace
}  // namespace osan::enrollment
