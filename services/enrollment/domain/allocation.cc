#include "services/enrollment/domain/allocation.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "services/enrollment/domain/placement.h"

namespace osan::enrollment {

uint64_t Lottery::Below(uint64_t n) {
  assert(n > 0);
  // The engine yields 2^64 equally likely values. The top 2^64 mod n of them would make
  // small results likelier, so draws among them are rejected and drawn again; the rest
  // split evenly into n classes of `draw % n`.
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  const uint64_t rejected = (kMax - n + 1) % n;  // == 2^64 mod n
  const uint64_t last_accepted = kMax - rejected;
  uint64_t draw = engine_();
  while (draw > last_accepted) {
    draw = engine_();
  }
  return draw % n;
}

namespace {

constexpr int kNoLimit = std::numeric_limits<int>::max();

// A section's ranking position of one application: smaller goes first. The application's
// input index only separates a student's repeated applications to the same section.
struct Rank {
  int tier;
  int lottery;  // 0-based index in the lottery order
  int application;

  bool operator<(const Rank& other) const {
    return std::tie(tier, lottery, application) <
           std::tie(other.tier, other.lottery, other.application);
  }
};

// The most seats one home school may take in a section in this run, and which rule sets it.
struct SchoolLimit {
  int seats = kNoLimit;
  bool host_share = false;
};

// One section during deferred acceptance: the applications it tentatively holds, always the
// greedy choice (in ranking order, within capacity and school limits) among everything
// proposed to it so far.
struct SectionState {
  const SectionSeats* seats = nullptr;
  // Interned home school of the host's students, or -1 when no applicant can match it.
  int host_school = -1;
  // Students enrolled before the run: all, the host's own, and per interned school.
  int enrolled_before = 0;
  int host_before = 0;
  std::map<int, int> before_by_school;
  // The most host students this run may seat here, as settled so far.
  int host_limit = kNoLimit;
  std::set<Rank> held;
  // Held applications per home school, kept only for schools with a limit.
  std::map<int, std::set<Rank>> held_by_school;

  SchoolLimit LimitFor(int school) const {
    SchoolLimit limit;
    if (seats->per_school_cap > 0) {
      const auto before = before_by_school.find(school);
      limit.seats = std::max(
          0, seats->per_school_cap - (before == before_by_school.end() ? 0 : before->second));
    }
    if (school == host_school && host_limit < limit.seats) {
      limit = {host_limit, true};
    }
    return limit;
  }
};

// Whether the greedy choice over `held` plus `candidate` admits `candidate` under `limit`,
// which `held` already respects: fewer than `limit` held applications rank before it.
bool Admits(const std::set<Rank>& held, int limit, const Rank& candidate) {
  if (static_cast<int>(held.size()) < limit) {
    return true;
  }
  return !held.empty() && candidate < *held.rbegin();
}

// Per-application facts resolved from the input.
struct Entry {
  int section = -1;  // index into the sections, -1 when not part of this allocation
  int student = -1;  // index into the lottery order
  int school = -1;   // interned home school
  Rank rank{};
};

// No application: what Propose reports when admitting one drops nobody.
constexpr int kNobody = -1;

// Drops held application `app` from its section.
void Release(int app, const std::vector<Entry>& entries, SectionState& section) {
  const Entry& entry = entries[app];
  section.held.erase(entry.rank);
  if (section.LimitFor(entry.school).seats != kNoLimit) {
    section.held_by_school[entry.school].erase(entry.rank);
  }
}

// Offers application `app` to its section. Returns whether the section now holds it and, if
// so, the application it let go to stay within its limits (or kNobody). Keeps the section's
// holds equal to its greedy choice among all proposals so far; that choice is path
// independent, so choosing among the holds plus the newcomer is enough.
std::pair<bool, int> Propose(int app, const std::vector<Entry>& entries,
                             std::vector<SectionState>& sections) {
  const Entry& entry = entries[app];
  SectionState& section = sections[entry.section];
  const SchoolLimit limit = section.LimitFor(entry.school);
  std::set<Rank>* same_school =
      limit.seats == kNoLimit ? nullptr : &section.held_by_school[entry.school];
  if (!Admits(section.held, section.seats->capacity, entry.rank) ||
      (same_school != nullptr && !Admits(*same_school, limit.seats, entry.rank))) {
    return {false, kNobody};
  }
  // Admitting pushes out the first holder whose seat now exceeds a limit: the school's last
  // holder if the school is at its limit (it ranks no better than the section's last
  // holder), else the section's last holder if the section is full.
  int dropped = kNobody;
  if (same_school != nullptr && static_cast<int>(same_school->size()) >= limit.seats) {
    dropped = same_school->rbegin()->application;
  } else if (static_cast<int>(section.held.size()) >= section.seats->capacity) {
    dropped = section.held.rbegin()->application;
  }
  if (dropped != kNobody) {
    Release(dropped, entries, section);
  }
  section.held.insert(entry.rank);
  if (same_school != nullptr) {
    same_school->insert(entry.rank);
  }
  return {true, dropped};
}

// Why a section does not hold a proposal, given the seats its school took among the holds
// ranked before it. With every proposal ranked by now, a rejected one met either its
// school's limit or a full section; the school's limit is named first, since more seats
// would not change it.
std::string WaitlistReason(const SectionState& section, const SchoolLimit& limit,
                           int school_seats_taken) {
  if (school_seats_taken >= limit.seats) {
    return limit.host_share
               ? "waitlisted: host share cap of " +
                     std::to_string(section.host_before + limit.seats) + " reached (" +
                     std::to_string(section.seats->host_share_cap_percent) + "% of the class)"
               : "waitlisted: per-school cap of " + std::to_string(section.seats->per_school_cap) +
                     " reached";
  }
  return "waitlisted: section full (capacity " + std::to_string(section.seats->capacity) + ")";
}

// One run of deferred acceptance under the sections' current limits.
struct Deferral {
  std::vector<bool> proposed;  // per application
  std::vector<bool> placed;    // per application
  std::vector<int> held;       // seats held, per student
};

// Deferred acceptance: a student below the limit proposes to their next application; a
// student a section lets go proposes again. Each application is proposed at most once.
Deferral Defer(const std::vector<Entry>& entries, const std::vector<std::vector<int>>& preferences,
               std::vector<SectionState>& sections, int max_sections_per_student) {
  for (SectionState& section : sections) {
    section.held.clear();
    section.held_by_school.clear();
  }
  const size_t students = preferences.size();
  Deferral run{std::vector<bool>(entries.size(), false), std::vector<bool>(entries.size(), false),
               std::vector<int>(students, 0)};
  std::vector<size_t> next(students, 0);
  std::deque<int> to_propose;
  for (int s = 0; s < static_cast<int>(students); ++s) {
    to_propose.push_back(s);
  }
  while (!to_propose.empty()) {
    const int student = to_propose.front();
    to_propose.pop_front();
    while (run.held[student] < max_sections_per_student &&
           next[student] < preferences[student].size()) {
      const int app = preferences[student][next[student]++];
      run.proposed[app] = true;
      const std::pair<bool, int> proposal = Propose(app, entries, sections);
      if (!proposal.first) {
        continue;
      }
      run.placed[app] = true;
      ++run.held[student];
      if (proposal.second != kNobody) {
        const int dropped = proposal.second;
        run.placed[dropped] = false;
        --run.held[entries[dropped].student];
        to_propose.push_back(entries[dropped].student);
      }
    }
  }
  return run;
}

// Lowers the host limit of every section whose host students exceed the share of the class
// it got; returns whether any fell.
bool LowerHostLimits(const std::vector<Entry>& entries, std::vector<SectionState>& sections) {
  bool lowered = false;
  for (SectionState& section : sections) {
    if (section.host_school < 0 || section.seats->host_share_cap_percent >= 100) {
      continue;
    }
    int host = 0;  // seated in this run
    int others = section.enrolled_before - section.host_before;
    for (const Rank& rank : section.held) {
      ++(entries[rank.application].school == section.host_school ? host : others);
    }
    const int most = MaxHostStudents(section.seats->host_share_cap_percent, others);
    if (host > 0 && section.host_before + host > most) {
      // Below `host`, which the limit allowed: the limit falls.
      section.host_limit = std::max(0, most - section.host_before);
      lowered = true;
    }
  }
  return lowered;
}

}  // namespace

AllocationResult Allocate(const AllocationInput& input) {
  const std::vector<Applicant>& applicants = input.applicants;
  const int count = static_cast<int>(applicants.size());
  AllocationResult result;
  result.decisions.resize(count);
  std::vector<Entry> entries(count);

  // Sections by id; a repeated id keeps its first entry.
  std::map<std::string, int> section_index;
  for (int i = 0; i < static_cast<int>(input.sections.size()); ++i) {
    section_index.emplace(input.sections[i].section_id, i);
  }

  // The lottery covers students with at least one application in this allocation.
  std::vector<std::string> students;
  for (int i = 0; i < count; ++i) {
    result.decisions[i].application_id = applicants[i].application_id;
    const auto it = section_index.find(applicants[i].section_id);
    if (it == section_index.end()) {
      result.decisions[i].reason = "not placed: section not part of this allocation";
      continue;
    }
    entries[i].section = it->second;
    students.push_back(applicants[i].student_id);
  }
  std::sort(students.begin(), students.end());
  students.erase(std::unique(students.begin(), students.end()), students.end());
  Lottery(input.seed).Shuffle(students);
  std::map<std::string, int> lottery_index;
  for (int i = 0; i < static_cast<int>(students.size()); ++i) {
    lottery_index.emplace(students[i], i);
  }

  // Resolve each application, and each student's applications in preference order.
  std::map<std::string, int> school_index;
  std::vector<std::vector<int>> preferences(students.size());
  for (int i = 0; i < count; ++i) {
    Entry& entry = entries[i];
    if (entry.section < 0) {
      continue;
    }
    entry.student = lottery_index.at(applicants[i].student_id);
    entry.school = school_index.emplace(applicants[i].school, static_cast<int>(school_index.size()))
                       .first->second;
    entry.rank = {applicants[i].priority_tier, entry.student, i};
    preferences[entry.student].push_back(i);
  }
  for (std::vector<int>& apps : preferences) {
    std::sort(apps.begin(), apps.end(), [&applicants](int a, int b) {
      return std::tie(applicants[a].preference_rank, a) <
             std::tie(applicants[b].preference_rank, b);
    });
  }

  std::vector<SectionState> sections(input.sections.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    const SectionSeats& seats = input.sections[i];
    SectionState& section = sections[i];
    section.seats = &seats;
    for (const auto& [school, enrolled] : seats.enrolled_by_school) {
      section.enrolled_before += enrolled;
      if (school == seats.host_school) {
        section.host_before = enrolled;
      }
      const auto interned = school_index.find(school);
      if (interned != school_index.end()) {
        section.before_by_school[interned->second] = enrolled;
      }
    }
    if (!seats.host_school.empty()) {
      const auto it = school_index.find(seats.host_school);
      if (it != school_index.end()) {
        section.host_school = it->second;
      }
    }
    if (seats.host_share_cap_percent < 100) {
      // The first round allows the share of a full class.
      const int64_t full_class = int64_t{section.enrolled_before} + seats.capacity;
      section.host_limit = std::max<int64_t>(
          0, full_class * seats.host_share_cap_percent / 100 - section.host_before);
    }
  }

  Deferral run = Defer(entries, preferences, sections, input.max_sections_per_student);
  while (LowerHostLimits(entries, sections)) {
    run = Defer(entries, preferences, sections, input.max_sections_per_student);
  }
  const std::vector<bool>& proposed = run.proposed;
  const std::vector<bool>& placed = run.placed;
  const std::vector<int>& held = run.held;

  // Decisions. Each section's proposals are walked in its ranking order; a rejected one is
  // explained by what the holds ranked before it had used up.
  std::vector<std::vector<int>> proposals(sections.size());
  for (int i = 0; i < count; ++i) {
    if (proposed[i]) {
      proposals[entries[i].section].push_back(i);
    } else if (entries[i].section >= 0) {
      result.decisions[i].reason = "not placed: already placed in " +
                                   std::to_string(held[entries[i].student]) +
                                   " higher-preference section(s), the limit";
    }
  }
  const std::string lottery_size = std::to_string(students.size());
  for (size_t s = 0; s < sections.size(); ++s) {
    std::vector<int>& apps = proposals[s];
    std::sort(apps.begin(), apps.end(),
              [&entries](int a, int b) { return entries[a].rank < entries[b].rank; });
    std::map<int, int> school_seats_taken;
    int waitlisted = 0;
    for (const int app : apps) {
      Decision& decision = result.decisions[app];
      const Entry& entry = entries[app];
      if (placed[app]) {
        ++school_seats_taken[entry.school];
        decision.outcome = Outcome::kPlaced;
        decision.reason = "placed: priority tier " + std::to_string(entry.rank.tier) +
                          ", lottery number " + std::to_string(entry.student + 1) + " of " +
                          lottery_size;
        continue;
      }
      decision.outcome = Outcome::kWaitlisted;
      decision.waitlist_position = ++waitlisted;
      decision.reason = WaitlistReason(sections[s], sections[s].LimitFor(entry.school),
                                       school_seats_taken[entry.school]);
    }
  }

  result.lottery_order = std::move(students);
  for (const SectionState& section : sections) {
    result.host_limits.push_back(section.host_limit);
  }
  return result;
}

}  // namespace osan::enrollment
