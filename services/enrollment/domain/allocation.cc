#include "services/enrollment/domain/allocation.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

Outcome OutcomeOf(Why why) {
  switch (why) {
    case Why::kPlaced:
      return Outcome::kPlaced;
    case Why::kSectionFull:
    case Why::kPerSchoolCap:
    case Why::kHostShare:
      return Outcome::kWaitlisted;
    case Why::kLimitHeld:
    case Why::kNotInThisRun:
      break;
  }
  return Outcome::kNotPlaced;
}

namespace {

constexpr int32_t kNoLimit = std::numeric_limits<int32_t>::max();
constexpr uint32_t kNoGroup = std::numeric_limits<uint32_t>::max();

// A section's ranking of one application, smaller first: (priority tier, 0-based lottery
// index, position). The position (see Allocator) only separates a student's repeated
// applications to the same section: by preference rank, then input index.
using Key = uint64_t;
constexpr int kIndexBits = 28;
constexpr Key kIndexMask = (Key{1} << kIndexBits) - 1;

constexpr Key kNoKey = std::numeric_limits<Key>::max();

Key MakeKey(uint8_t tier, uint32_t lottery_index, uint32_t position) {
  return (Key{tier} << (2 * kIndexBits)) | (Key{lottery_index} << kIndexBits) | position;
}
uint32_t PositionOf(Key key) { return static_cast<uint32_t>(key & kIndexMask); }
uint32_t LotteryIndexOf(Key key) { return static_cast<uint32_t>((key >> kIndexBits) & kIndexMask); }

// Per position, this round: proposed, and held now.
constexpr uint8_t kProposed = 1;
constexpr uint8_t kHeld = 2;

// What the allocation needs of one application, kept by its position (see Allocator):
// read together, so kept together.
struct Position {
  // Its index in the input.
  uint32_t app = 0;
  // Its group or section (Allocator::kSectionSlot).
  uint32_t slot = 0;
  uint16_t preference_rank = 0;
  uint8_t tier = 0;
  // kProposed and kHeld, this round.
  uint8_t state = 0;
};
using Positions = std::vector<Position>;

// The applications a section tentatively holds: a max-heap of their keys, worst on top.
// The worst, when let go, leaves the heap at once; applications let go because their
// school reached its limit stay in it, no longer counted, until they reach the top
// (a position's state says which are still held; while none is stale, it is not read). The top key
// is kept beside the counts, so that a proposal ranked below it is refused without reading the
// heap.
class Holds {
 public:
  int32_t size() const { return live_; }
  void Clear() {
    keys_.clear();
    live_ = 0;
    stale_ = 0;
  }
  void Add(Key key) {
    keys_.push_back(key);
    std::push_heap(keys_.begin(), keys_.end());
    top_ = keys_.front();
    ++live_;
  }
  // The worst held application, Worst(), was let go.
  void DropWorst() {
    Pop();
    --live_;
  }
  // Another held application was let go (its kHeld is already cleared).
  void Forget() {
    --live_;
    ++stale_;
  }
  // The worst key still held; size() > 0.
  Key Worst(const Positions& positions) {
    while (stale_ > 0 && !(positions[PositionOf(top_)].state & kHeld)) {
      Pop();
      --stale_;
    }
    return top_;
  }
  // Whether the greedy choice over the holds plus `candidate` admits it under `limit`,
  // which the holds respect: fewer than `limit` holds rank before it. The top, stale or
  // not, ranks no better than any held key, so a candidate not ranked before it is refused
  // without reading the heap.
  bool Admits(int32_t limit, Key candidate, const Positions& positions) {
    return live_ < limit || (live_ > 0 && candidate < top_ && candidate < Worst(positions));
  }
  // Calls `each` with the keys still held, in no order.
  template <class Each>
  void ForEachHeld(const Positions& positions, const Each& each) const {
    for (const Key key : keys_) {
      if (positions[PositionOf(key)].state & kHeld) {
        each(key);
      }
    }
  }

 private:
  void Pop() {
    std::pop_heap(keys_.begin(), keys_.end());
    keys_.pop_back();
    top_ = keys_.empty() ? 0 : keys_.front();
  }

  int32_t live_ = 0;
  // Keys in keys_ no longer held.
  int32_t stale_ = 0;
  // keys_.front(), when keys_ is not empty.
  Key top_ = 0;
  std::vector<Key> keys_;
};

struct SectionState {
  // PackedSection::capacity, kept here to be read with the holds.
  int32_t capacity = 0;
  int32_t enrolled_before = 0;
  int32_t host_before = 0;
  // The most host students this run may seat here, as settled so far.
  int32_t host_limit = kNoLimit;
  Holds holds;
};

// One home school within a section where a limit may apply to it: the per-school cap, or
// the host share for the host's own students. There may be about as many groups as
// applications (1.5 M of 6.5 M in the national benchmark), hence 16 bytes each.
struct Group {
  // The most seats this run may give the school, this round.
  int32_t limit = kNoLimit;
  // Seats it holds now (while deciding: seats judged placed so far), and the worst key
  // among them, kNoKey when not known (forgotten when that application is let go; found
  // again by a scan of the section's holds when needed).
  int32_t held = 0;
  Key worst = kNoKey;

  void Add(Key key) {
    worst = held == 0 ? key : std::max(worst, key);  // stays kNoKey when not known
    ++held;
  }
  void Remove(Key key) {
    --held;
    worst = key == worst ? kNoKey : worst;
  }
};

// The allocation's working state; one run of deferred acceptance after another.
//
// The applications in the run are numbered by position: each drawn student's in
// preference order (rank, then input index), the students in lottery order. Deferred
// acceptance and the decisions read them in that order, front to back, so what they need
// of an application is kept by position (its group or section, its tier, its flags), and
// the input is read only to build those and to place the outcomes. Memory is a few arrays
// indexed by position, student, section and group (docs/performance.md).
class Allocator {
 public:
  explicit Allocator(const PackedInput& input) : input_(input), apps_(input.applications) {}

  PackedResult Run();

 private:
  // A slot names the group of a position's school in its section, or (with this bit) the
  // section itself when the section has no groups.
  static constexpr uint32_t kSectionSlot = uint32_t{1} << 31;

  uint32_t GroupOf(uint32_t position) const {
    const uint32_t slot = positions_[position].slot;
    return slot & kSectionSlot ? kNoGroup : slot;
  }
  uint32_t SectionOf(uint32_t position) const {
    const uint32_t slot = positions_[position].slot;
    return slot & kSectionSlot ? slot & ~kSectionSlot : group_sections_[slot];
  }
  // The group of `school` in `section`, or kNoGroup: a search of the section's groups.
  uint32_t FindGroup(uint32_t section, uint32_t school) const {
    const auto first = group_schools_.begin() + group_starts_[section];
    const auto last = group_schools_.begin() + group_starts_[section + 1];
    const auto it = std::lower_bound(first, last, school);
    return it != last && *it == school ? static_cast<uint32_t>(it - group_schools_.begin())
                                       : kNoGroup;
  }
  // Whether the host share, rather than the per-school cap, sets group `g`'s limit.
  bool HostShareSets(uint32_t section, uint32_t g) const;
  void Draw();
  void IndexPreferences();
  void IndexSections();
  void SetGroupLimits();
  Key WorstOf(Group& group, uint32_t g, SectionState& section) const;
  // The per-school cap's limit on group `g` of `section`: the cap less the school's
  // students enrolled before, or kNoLimit.
  int32_t SchoolCapLimit(uint32_t section, uint32_t g) const;
  std::pair<bool, Key> Propose(uint32_t position, Key key);
  void Defer();
  bool LowerHostLimits();
  void Decide();
  // The outcome of the application at proposed `position` of section `s`, the proposals
  // ranked before it in `s` judged: its waitlist position follows `s`'s `waitlisted`, and
  // a group's `held` counts the seats it took so far.
  void Judge(uint32_t position, uint32_t s, int32_t& waitlisted);

  const PackedInput& input_;
  const std::vector<PackedApplication>& apps_;
  PackedResult result_;
  // Positions of lottery index i: offsets_[i] .. offsets_[i + 1].
  std::vector<uint32_t> offsets_;
  Positions positions_;
  std::vector<SectionState> sections_;
  // The groups of section s are group_schools_[group_starts_[s] .. group_starts_[s + 1]),
  // their schools in ascending order; a group's number is its index there.
  std::vector<uint32_t> group_starts_;
  std::vector<uint32_t> group_schools_;
  std::vector<uint32_t> group_sections_;
  std::vector<Group> groups_;
  // Students enrolled before the run, by group; few groups have any.
  absl::flat_hash_map<uint32_t, int32_t> group_enrolled_before_;
  // Per section: 1 where a student applied more than once.
  std::vector<uint8_t> repeated_;
};

// The lottery: the students with an application in the run, in ascending id, shuffled.
void Allocator::Draw() {
  std::vector<uint8_t> drawn(input_.students, 0);
  for (const PackedApplication& app : apps_) {
    if (app.section != kNoSection) {
      drawn[app.student] = 1;
    }
  }
  for (uint32_t s = 0; s < input_.students; ++s) {
    if (drawn[s]) {
      result_.lottery.push_back(s);
    }
  }
  Lottery(input_.seed).Shuffle(result_.lottery);
  result_.lottery_number.assign(input_.students, 0);
  for (size_t i = 0; i < result_.lottery.size(); ++i) {
    result_.lottery_number[result_.lottery[i]] = static_cast<uint32_t>(i + 1);
  }
}

// The positions: a counting sort on the lottery index, each position's tier, slot (after
// IndexSections) and preference rank copied from its application in one pass over the
// input; then each student's positions ordered by preference, and the sections some
// student applied to twice.
void Allocator::IndexPreferences() {
  const uint32_t count = static_cast<uint32_t>(apps_.size());
  const uint32_t drawn = static_cast<uint32_t>(result_.lottery.size());
  offsets_.assign(drawn + 1, 0);
  for (const PackedApplication& app : apps_) {
    if (app.section != kNoSection) {
      ++offsets_[result_.lottery_number[app.student]];
    }
  }
  for (uint32_t i = 0; i < drawn; ++i) {
    offsets_[i + 1] += offsets_[i];
  }
  positions_.resize(offsets_.back());
  {
    std::vector<uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (uint32_t i = 0; i < count; ++i) {
      const PackedApplication& app = apps_[i];
      if (app.section == kNoSection) {
        continue;
      }
      // A capped section has a group for every school applying; a host-shared one only
      // for the host's: the others' applications name the section.
      const uint32_t g = FindGroup(app.section, app.school);
      positions_[fill[result_.lottery_number[app.student] - 1]++] = {
          i, g == kNoGroup ? kSectionSlot | app.section : g, app.preference_rank, app.priority_tier,
          0};
    }
  }
  // Within a student the positions are in input order: a stable sort by rank gives
  // (rank, input index). Most students gave their applications in rank order already.
  const auto by_rank = [](const Position& a, const Position& b) {
    return a.preference_rank < b.preference_rank;
  };
  repeated_.assign(input_.sections.size(), 0);
  for (uint32_t s = 0; s < drawn; ++s) {
    const uint32_t first = offsets_[s];
    const uint32_t last = offsets_[s + 1];
    const auto begin = positions_.begin();
    if (!std::is_sorted(begin + first, begin + last, by_rank)) {
      std::stable_sort(begin + first, begin + last, by_rank);
    }
    for (uint32_t a = first; a < last; ++a) {
      for (uint32_t b = first; b < a; ++b) {
        if (SectionOf(a) == SectionOf(b)) {
          repeated_[SectionOf(a)] = 1;
        }
      }
    }
  }
}

// Sections' counts before the run and their first host limit, and the groups: every school
// applying to a section with a per-school cap, and the host's school where a host share
// applies.
void Allocator::IndexSections() {
  const size_t count = input_.sections.size();
  sections_.resize(count);
  const auto capped = [this](uint32_t s) { return input_.sections[s].per_school_cap > 0; };
  const auto host_shared = [this](uint32_t s) {
    return input_.sections[s].host_school >= 0 && input_.sections[s].host_share_cap_percent < 100;
  };
  // Candidate schools per section by counting sort, then sorted and made unique.
  {
    std::vector<uint32_t> starts(count + 1, 0);
    for (const PackedApplication& app : apps_) {
      if (app.section != kNoSection && capped(app.section)) {
        ++starts[app.section + 1];
      }
    }
    for (uint32_t s = 0; s < count; ++s) {
      starts[s + 1] += starts[s] + (host_shared(s) ? 1 : 0);
    }
    std::vector<uint32_t> schools(starts.back());
    std::vector<uint32_t> fill(starts.begin(), starts.end() - 1);
    for (uint32_t s = 0; s < count; ++s) {
      if (host_shared(s)) {
        schools[fill[s]++] = static_cast<uint32_t>(input_.sections[s].host_school);
      }
    }
    for (const PackedApplication& app : apps_) {
      if (app.section != kNoSection && capped(app.section)) {
        schools[fill[app.section]++] = app.school;
      }
    }
    group_starts_.assign(count + 1, 0);
    for (uint32_t s = 0; s < count; ++s) {
      const auto first = schools.begin() + starts[s];
      const auto last = schools.begin() + starts[s + 1];
      std::sort(first, last);
      group_schools_.insert(group_schools_.end(), first, std::unique(first, last));
      group_starts_[s + 1] = static_cast<uint32_t>(group_schools_.size());
    }
  }
  groups_.resize(group_schools_.size());
  group_sections_.resize(group_schools_.size());
  for (uint32_t s = 0; s < count; ++s) {
    std::fill(group_sections_.begin() + group_starts_[s],
              group_sections_.begin() + group_starts_[s + 1], s);
  }

  for (const PackedEnrolled& enrolled : input_.enrolled) {
    SectionState& section = sections_[enrolled.section];
    section.enrolled_before += enrolled.count;
    if (static_cast<int64_t>(enrolled.school) == input_.sections[enrolled.section].host_school) {
      section.host_before += enrolled.count;
    }
    const uint32_t g = FindGroup(enrolled.section, enrolled.school);
    if (g != kNoGroup) {
      group_enrolled_before_[g] += enrolled.count;
    }
  }
  for (size_t s = 0; s < count; ++s) {
    const PackedSection& seats = input_.sections[s];
    SectionState& section = sections_[s];
    section.capacity = seats.capacity;
    if (seats.host_share_cap_percent < 100) {
      // The first round allows the share of a full class.
      const int64_t full_class = int64_t{section.enrolled_before} + seats.capacity;
      section.host_limit = static_cast<int32_t>(std::max<int64_t>(
          0, full_class * seats.host_share_cap_percent / 100 - section.host_before));
    }
  }
}

int32_t Allocator::SchoolCapLimit(uint32_t section, uint32_t g) const {
  const int32_t cap = input_.sections[section].per_school_cap;
  if (cap <= 0) {
    return kNoLimit;
  }
  const auto enrolled = group_enrolled_before_.find(g);
  return std::max(0, cap - (enrolled == group_enrolled_before_.end() ? 0 : enrolled->second));
}

bool Allocator::HostShareSets(uint32_t section, uint32_t g) const {
  const PackedSection& seats = input_.sections[section];
  return static_cast<int64_t>(group_schools_[g]) == seats.host_school &&
         sections_[section].host_limit < SchoolCapLimit(section, g);
}

// Each group's limit under its section's current host limit: the tighter of the per-school
// cap (less the school's students enrolled before) and, for the host's school, the host
// limit.
void Allocator::SetGroupLimits() {
  for (uint32_t s = 0; s < sections_.size(); ++s) {
    const PackedSection& seats = input_.sections[s];
    for (uint32_t g = group_starts_[s]; g < group_starts_[s + 1]; ++g) {
      Group& group = groups_[g];
      group.held = 0;
      group.worst = kNoKey;
      group.limit = SchoolCapLimit(s, g);
      if (static_cast<int64_t>(group_schools_[g]) == seats.host_school) {
        group.limit = std::min(group.limit, sections_[s].host_limit);
      }
    }
  }
}

// The worst key `section` holds in group `g`, which holds one or more. When not known, a
// scan of the section's holds finds it: that is needed only after the group's worst
// holder was let go.
Key Allocator::WorstOf(Group& group, uint32_t g, SectionState& section) const {
  if (group.worst == kNoKey) {
    group.worst = 0;
    section.holds.ForEachHeld(positions_, [&](Key key) {
      if (GroupOf(PositionOf(key)) == g) {
        group.worst = std::max(group.worst, key);
      }
    });
  }
  return group.worst;
}

// Offers the application at `position`, ranked `key`, to its section. Returns whether the
// section now holds it and, if so, the key of the application it let go to stay within
// its limits (or kNoKey). Keeps the section's holds equal to its greedy choice among all
// proposals so far; that choice is path independent, so choosing among the holds plus the
// newcomer is enough.
std::pair<bool, Key> Allocator::Propose(uint32_t position, Key key) {
  const uint32_t s = SectionOf(position);
  SectionState& section = sections_[s];
  if (!section.holds.Admits(section.capacity, key, positions_)) {
    return {false, kNoKey};
  }
  const uint32_t g = GroupOf(position);
  Group* group = g != kNoGroup && groups_[g].limit != kNoLimit ? &groups_[g] : nullptr;
  // Admitting pushes out the first holder whose seat now exceeds a limit: the school's last
  // holder if the school is at its limit (it ranks no better than the section's last
  // holder), else the section's last holder if the section is full.
  Key dropped = kNoKey;
  if (group != nullptr && group->held >= group->limit) {
    if (group->held == 0) {
      return {false, kNoKey};  // a limit of 0
    }
    const Key worst = WorstOf(*group, g, section);
    if (!(key < worst)) {
      return {false, kNoKey};
    }
    dropped = worst;
    positions_[PositionOf(dropped)].state &= ~kHeld;
    section.holds.Forget();
  } else if (section.holds.size() >= section.capacity) {
    dropped = section.holds.Worst(positions_);
    positions_[PositionOf(dropped)].state &= ~kHeld;
    section.holds.DropWorst();
  }
  if (dropped != kNoKey) {
    const uint32_t dropped_group = GroupOf(PositionOf(dropped));
    if (dropped_group != kNoGroup && groups_[dropped_group].limit != kNoLimit) {
      groups_[dropped_group].Remove(dropped);
    }
  }
  positions_[position].state |= kHeld;
  section.holds.Add(key);
  if (group != nullptr) {
    group->Add(key);
  }
  return {true, dropped};
}

// Deferred acceptance: a student below the limit proposes to their next application; a
// student a section lets go proposes again. Each application is proposed at most once.
void Allocator::Defer() {
  for (SectionState& section : sections_) {
    section.holds.Clear();
  }
  SetGroupLimits();
  for (Position& position : positions_) {
    position.state = 0;
  }
  // By lottery index.
  const uint32_t drawn = static_cast<uint32_t>(result_.lottery.size());
  std::vector<int32_t> seats_held(drawn, 0);
  if (!input_.seats_before.empty()) {
    for (uint32_t i = 0; i < drawn; ++i) {
      seats_held[i] = input_.seats_before[result_.lottery[i]];
    }
  }
  std::vector<uint32_t> next(offsets_.begin(), offsets_.end() - 1);
  // Students to propose, last in first out, first in lottery order: the outcome does not
  // depend on the order, but in lottery order a student is displaced only by priority tiers
  // and school limits, so few propose twice; and the positions are read front to back.
  std::vector<uint32_t> to_propose(drawn);
  for (uint32_t i = 0; i < drawn; ++i) {
    to_propose[i] = drawn - 1 - i;
  }
  while (!to_propose.empty()) {
    const uint32_t student = to_propose.back();
    to_propose.pop_back();
    while (seats_held[student] < input_.max_sections_per_student &&
           next[student] < offsets_[student + 1]) {
      const uint32_t position = next[student]++;
      positions_[position].state |= kProposed;
      const auto [admitted, dropped] =
          Propose(position, MakeKey(positions_[position].tier, student, position));
      if (!admitted) {
        continue;
      }
      ++seats_held[student];
      if (dropped != kNoKey) {
        const uint32_t loser = LotteryIndexOf(dropped);
        --seats_held[loser];
        if (loser != student) {
          to_propose.push_back(loser);
        }
      }
    }
  }
  result_.seats_held.assign(input_.students, 0);
  for (uint32_t i = 0; i < drawn; ++i) {
    result_.seats_held[result_.lottery[i]] = seats_held[i];
  }
}

// Lowers the host limit of every section whose host students exceed the share of the class
// it got; returns whether any fell.
bool Allocator::LowerHostLimits() {
  bool lowered = false;
  for (size_t s = 0; s < sections_.size(); ++s) {
    const PackedSection& seats = input_.sections[s];
    SectionState& section = sections_[s];
    if (seats.host_school < 0 || seats.host_share_cap_percent >= 100) {
      continue;
    }
    int32_t host = 0;  // seated in this run
    int32_t others = section.enrolled_before - section.host_before;
    section.holds.ForEachHeld(positions_, [&](Key key) {
      const uint32_t g = GroupOf(PositionOf(key));
      ++(g != kNoGroup && static_cast<int64_t>(group_schools_[g]) == seats.host_school ? host
                                                                                       : others);
    });
    const int32_t most = MaxHostStudents(seats.host_share_cap_percent, others);
    if (host > 0 && section.host_before + host > most) {
      // Below `host`, which the limit allowed: the limit falls.
      section.host_limit = std::max(0, most - section.host_before);
      lowered = true;
    }
  }
  return lowered;
}

void Allocator::Judge(uint32_t position, uint32_t s, int32_t& waitlisted) {
  const uint32_t app = positions_[position].app;
  const uint32_t g = GroupOf(position);
  const bool limited = g != kNoGroup && groups_[g].limit != kNoLimit;
  if (positions_[position].state & kHeld) {
    result_.why[app] = Why::kPlaced;
    if (limited) {
      ++groups_[g].held;
    }
    return;
  }
  result_.waitlist_positions[app] = ++waitlisted;
  // With every proposal ranked before it judged, a rejected one met either its school's
  // limit or a full section; the school's limit is named first, since more seats would not
  // change it.
  result_.why[app] = !limited || groups_[g].held < groups_[g].limit ? Why::kSectionFull
                     : HostShareSets(s, g)                          ? Why::kHostShare
                                                                    : Why::kPerSchoolCap;
}

// Outcomes. Each section's proposals are judged in its ranking order. Where no priority
// tier reorders it and no student applied twice, that order is the positions' order: those
// sections are judged in one pass over the positions. The others' proposals are gathered
// by key and judged section by section.
void Allocator::Decide() {
  const uint32_t count = static_cast<uint32_t>(apps_.size());
  result_.why.assign(count, Why::kNotInThisRun);
  result_.waitlist_positions.assign(count, 0);
  const size_t sections = sections_.size();
  std::vector<uint8_t> apart(repeated_);  // ranked apart from the lottery
  for (uint32_t p = 0; p < positions_.size(); ++p) {
    if ((positions_[p].state & kProposed) && positions_[p].tier != 0) {
      apart[SectionOf(p)] = 1;
    }
  }
  std::vector<int32_t> waitlisted(sections, 0);
  for (Group& group : groups_) {
    group.held = 0;
  }
  std::vector<uint32_t> starts(sections + 1, 0);  // of each section's keys ranked apart
  const uint32_t drawn = static_cast<uint32_t>(result_.lottery.size());
  for (uint32_t student = 0; student < drawn; ++student) {
    for (uint32_t p = offsets_[student]; p < offsets_[student + 1]; ++p) {
      if (!(positions_[p].state & kProposed)) {
        result_.why[positions_[p].app] = Why::kLimitHeld;
        continue;
      }
      const uint32_t s = SectionOf(p);
      if (apart[s]) {
        ++starts[s + 1];
      } else {
        Judge(p, s, waitlisted[s]);
      }
    }
  }
  for (size_t s = 0; s < sections; ++s) {
    starts[s + 1] += starts[s];
  }
  std::vector<Key> keys(starts.back());
  std::vector<uint32_t> fill(starts.begin(), starts.end() - 1);
  for (uint32_t student = 0; student < drawn && !keys.empty(); ++student) {
    for (uint32_t p = offsets_[student]; p < offsets_[student + 1]; ++p) {
      if ((positions_[p].state & kProposed) && apart[SectionOf(p)]) {
        keys[fill[SectionOf(p)]++] = MakeKey(positions_[p].tier, student, p);
      }
    }
  }
  for (uint32_t s = 0; s < sections; ++s) {
    std::sort(keys.begin() + starts[s], keys.begin() + starts[s + 1]);
    for (uint32_t k = starts[s]; k < starts[s + 1]; ++k) {
      Judge(PositionOf(keys[k]), s, waitlisted[s]);
    }
  }
}

PackedResult Allocator::Run() {
  Draw();
  IndexSections();
  IndexPreferences();
  Defer();
  while (LowerHostLimits()) {
    Defer();
  }
  Decide();
  for (const SectionState& section : sections_) {
    result_.host_limits.push_back(section.host_limit);
    result_.host_before.push_back(section.host_before);
  }
  return std::move(result_);
}

}  // namespace

PackedResult AllocatePacked(const PackedInput& input) {
  assert(input.applications.size() <= kMaxApplications);
  return Allocator(input).Run();
}

std::string Reason(const PackedInput& input, const PackedResult& result, size_t i) {
  const PackedApplication& app = input.applications[i];
  switch (result.why[i]) {
    case Why::kPlaced:
      return "placed: priority tier " + std::to_string(app.priority_tier) + ", lottery number " +
             std::to_string(result.lottery_number[app.student]) + " of " +
             std::to_string(result.lottery.size());
    case Why::kSectionFull:
      return "waitlisted: section full (capacity " +
             std::to_string(input.sections[app.section].capacity) + ")";
    case Why::kPerSchoolCap:
      return "waitlisted: per-school cap of " +
             std::to_string(input.sections[app.section].per_school_cap) + " reached";
    case Why::kHostShare:
      return "waitlisted: host share cap of " +
             std::to_string(result.host_before[app.section] + result.host_limits[app.section]) +
             " reached (" + std::to_string(input.sections[app.section].host_share_cap_percent) +
             "% of the class)";
    case Why::kLimitHeld: {
      const int32_t before = input.seats_before.empty() ? 0 : input.seats_before[app.student];
      const std::string placed =
          std::to_string(result.seats_held[app.student] - before) + " higher-preference section(s)";
      return before == 0 ? "not placed: already placed in " + placed + ", the limit"
                         : "not placed: already holds " + std::to_string(before) +
                               " seat(s) of the term from before this run and placed in " + placed +
                               ", the limit";
    }
    case Why::kNotInThisRun:
      break;
  }
  return "not placed: section not part of this allocation";
}

AllocationResult Allocate(const AllocationInput& input) {
  PackedInput packed;
  packed.max_sections_per_student = input.max_sections_per_student;
  packed.seed = input.seed;

  // One packed section per input section; applications go to the first of a repeated id
  // (the others take none, and report their first host limit).
  absl::flat_hash_map<std::string, uint32_t> section_index;
  absl::flat_hash_map<std::string, uint32_t> school_index;
  const auto school_id = [&school_index](const std::string& code) {
    return school_index.try_emplace(code, static_cast<uint32_t>(school_index.size())).first->second;
  };
  for (const SectionSeats& seats : input.sections) {
    const uint32_t s = static_cast<uint32_t>(packed.sections.size());
    section_index.try_emplace(seats.section_id, s);
    packed.sections.push_back(
        {seats.capacity, seats.per_school_cap,
         seats.host_school.empty() ? -1 : static_cast<int32_t>(school_id(seats.host_school)),
         seats.host_share_cap_percent});
    for (const auto& [school, enrolled] : seats.enrolled_by_school) {
      packed.enrolled.push_back({s, school_id(school), enrolled});
    }
  }

  // Students numbered in the order of their ids, so the draw does not depend on input order.
  std::vector<const std::string*> students;
  for (const Applicant& applicant : input.applicants) {
    students.push_back(&applicant.student_id);
  }
  std::sort(students.begin(), students.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  students.erase(std::unique(students.begin(), students.end(),
                             [](const std::string* a, const std::string* b) { return *a == *b; }),
                 students.end());
  absl::flat_hash_map<std::string, uint32_t> student_index;
  for (const std::string* student : students) {
    student_index.emplace(*student, static_cast<uint32_t>(student_index.size()));
  }
  packed.students = static_cast<uint32_t>(student_index.size());
  if (!input.seats_before.empty()) {
    packed.seats_before.assign(packed.students, 0);
    for (const auto& [student, seats] : input.seats_before) {
      const auto index = student_index.find(student);
      if (index != student_index.end()) {
        packed.seats_before[index->second] = seats;
      }
    }
  }
  packed.applications.reserve(input.applicants.size());
  for (const Applicant& applicant : input.applicants) {
    const auto section = section_index.find(applicant.section_id);
    PackedApplication app;
    app.student = student_index.at(applicant.student_id);
    app.section = section == section_index.end() ? kNoSection : section->second;
    app.school = school_id(applicant.school);
    app.preference_rank = static_cast<uint16_t>(std::clamp(applicant.preference_rank, 0, 0xFFFF));
    app.priority_tier = static_cast<uint8_t>(std::clamp(applicant.priority_tier, 0, 0xFF));
    packed.applications.push_back(app);
  }

  const PackedResult allocated = AllocatePacked(packed);
  AllocationResult result;
  result.decisions.reserve(input.applicants.size());
  for (size_t i = 0; i < input.applicants.size(); ++i) {
    result.decisions.push_back({input.applicants[i].application_id, OutcomeOf(allocated.why[i]),
                                allocated.waitlist_positions[i], Reason(packed, allocated, i)});
  }
  for (const uint32_t student : allocated.lottery) {
    result.lottery_order.push_back(*students[student]);
  }
  result.host_limits.assign(allocated.host_limits.begin(), allocated.host_limits.end());
  return result;
}

}  // namespace osan::enrollment
