// Allocation (deferred acceptance) through the enrollment domain library on
// synthetic input, at Osan, Gyeonggi and national scale, held against one
// std::sort of one 64-bit key per application in the same process, and its
// peak memory against the packed input. Prints a table; with --json FILE,
// writes the figures for bench.json (tools/dev bench). Single-threaded, as
// the allocation is. See docs/performance.md.
//
//   allocation_bench [--scales osan,gyeonggi,national] [--rounds 3] [--json FILE]
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/enrollment/domain/allocation.h"

// ----- Heap accounting: every operator new of this process ------------------

namespace {
std::atomic<size_t> heap_now{0};
std::atomic<size_t> heap_peak{0};

void* Counted(void* block) {
  if (block == nullptr) {
    throw std::bad_alloc();
  }
  const size_t now = heap_now += malloc_usable_size(block);
  size_t peak = heap_peak.load();
  while (now > peak && !heap_peak.compare_exchange_weak(peak, now)) {
  }
  return block;
}

void Uncounted(void* block) {
  if (block != nullptr) {
    heap_now -= malloc_usable_size(block);
    std::free(block);
  }
}
}  // namespace

void* operator new(size_t size) { return Counted(std::malloc(size)); }
void* operator new[](size_t size) { return Counted(std::malloc(size)); }
void operator delete(void* block) noexcept { Uncounted(block); }
void operator delete[](void* block) noexcept { Uncounted(block); }
void operator delete(void* block, size_t) noexcept { Uncounted(block); }
void operator delete[](void* block, size_t) noexcept { Uncounted(block); }

namespace osan::enrollment {
namespace {

struct Scale {
  std::string name;
  uint32_t students;
  uint32_t sections;
  uint32_t schools;
};

const std::vector<Scale>& Scales() {
  static const auto* const scales = new std::vector<Scale>{
      {"osan", 8000, 100, 8},
      {"gyeonggi", 80000, 538, 395},
      {"national", 1300000, 30000, 2400},
  };
  return *scales;
}

constexpr int kPreferences = 5;
constexpr int kMaxSectionsPerStudent = 2;

// Students spread over schools; each ranks 5 distinct sections, popular ones
// likelier (the square of a uniform draw); seats for about 90% of the
// students' wishes. A quarter of the sections cap each school, an eighth hold
// seats of their host school's students to half the class, a fifth rank by
// priority tiers.
PackedInput Synthetic(const Scale& scale, uint64_t seed) {
  std::mt19937_64 random(seed);
  const auto below = [&random](uint32_t n) { return static_cast<uint32_t>(random() % n); };
  PackedInput input;
  input.students = scale.students;
  input.max_sections_per_student = kMaxSectionsPerStudent;
  input.seed = seed;
  const int32_t capacity = static_cast<int32_t>(
      std::max<uint64_t>(1, uint64_t{scale.students} * 9 / 10 / scale.sections));
  input.sections.resize(scale.sections);
  for (uint32_t s = 0; s < scale.sections; ++s) {
    PackedSection& section = input.sections[s];
    section.capacity = capacity;
    if (s % 4 == 1) {
      section.per_school_cap = std::max(1, capacity / 4);
    }
    if (s % 8 == 2) {
      section.host_school = static_cast<int32_t>(below(scale.schools));
      section.host_share_cap_percent = 50;
    }
    if (s % 10 == 3) {
      input.enrolled.push_back({s, below(scale.schools), 1});
    }
  }
  input.applications.reserve(size_t{scale.students} * kPreferences);
  for (uint32_t student = 0; student < scale.students; ++student) {
    const uint32_t school = below(scale.schools);
    uint32_t chosen[kPreferences];
    for (int rank = 0; rank < kPreferences; ++rank) {
      uint32_t section = 0;
      do {
        const double u = std::uniform_real_distribution<double>(0, 1)(random);
        section = std::min(scale.sections - 1, static_cast<uint32_t>(u * u * scale.sections));
      } while (std::find(chosen, chosen + rank, section) != chosen + rank);
      chosen[rank] = section;
      PackedApplication app;
      app.student = student;
      app.section = section;
      app.school = school;
      app.preference_rank = static_cast<uint16_t>(rank + 1);
      app.priority_tier = section % 5 == 4 ? static_cast<uint8_t>(below(3)) : 0;
      input.applications.push_back(app);
    }
  }
  return input;
}

size_t PackedBytes(const PackedInput& input) {
  return input.applications.size() * sizeof(PackedApplication) +
         input.sections.size() * sizeof(PackedSection) +
         input.enrolled.size() * sizeof(PackedEnrolled);
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

struct Figures {
  Scale scale;
  size_t applications = 0;
  double allocate_seconds = 0;
  double sort_seconds = 0;
  size_t input_bytes = 0;
  size_t peak_bytes = 0;
  size_t placed = 0;
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Figures Measure(const Scale& scale, int rounds) {
  Figures figures;
  figures.scale = scale;
  const PackedInput input = Synthetic(scale, 20270301);
  figures.applications = input.applications.size();
  figures.input_bytes = PackedBytes(input);
  std::mt19937_64 random(7);
  std::vector<uint64_t> keys(input.applications.size());
  std::vector<double> allocate_times;
  std::vector<double> sort_times;
  // Alternating, so that a noisy neighbour slows both alike.
  for (int round = 0; round < rounds; ++round) {
    for (uint64_t& key : keys) {
      key = random();
    }
    auto start = std::chrono::steady_clock::now();
    std::sort(keys.begin(), keys.end());
    sort_times.push_back(Seconds(std::chrono::steady_clock::now() - start));

    const size_t before = heap_now.load();
    heap_peak = before;
    start = std::chrono::steady_clock::now();
    const PackedResult result = AllocatePacked(input);
    allocate_times.push_back(Seconds(std::chrono::steady_clock::now() - start));
    figures.peak_bytes = heap_peak.load() - before;
    figures.placed =
        static_cast<size_t>(std::count(result.why.begin(), result.why.end(), Why::kPlaced));
  }
  figures.allocate_seconds = Median(allocate_times);
  figures.sort_seconds = Median(sort_times);
  return figures;
}

std::string Json(const std::vector<Figures>& all) {
  std::vector<std::string> items;
  for (const Figures& f : all) {
    const double ratio = f.allocate_seconds / f.sort_seconds;
    const double memory = static_cast<double>(f.peak_bytes) / f.input_bytes;
    items.push_back(absl::StrFormat(
        R"j({"name": "allocation, %s (%u students x %d, %u sections, %u schools)",)j"
        R"j( "figure": {"seconds": %.4f, "peak_bytes": %u}, "limit": {"sort_seconds": %.4f,)j"
        R"j( "packed_input_bytes": %u}, "ratio": %.2f, "max_ratio": 4.0, "memory_ratio": %.2f,)j"
        R"j( "max_memory_ratio": 2.0, "met": %s, "setup": {"applications": %u, "placed": %u}})j",
        f.scale.name, f.scale.students, kPreferences, f.scale.sections, f.scale.schools,
        f.allocate_seconds, f.peak_bytes, f.sort_seconds, f.input_bytes, ratio, memory,
        ratio <= 4.0 && memory <= 2.0 ? "true" : "false", f.applications, f.placed));
  }
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]\n");
}

int Main(int argc, char** argv) {
  std::vector<std::string> wanted = {"osan", "gyeonggi", "national"};
  int rounds = 3;
  std::string json_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--scales") {
      wanted = absl::StrSplit(argv[i + 1], ',');
    } else if (flag == "--rounds") {
      rounds = std::max(1, std::atoi(argv[i + 1]));
    } else if (flag == "--json") {
      json_path = argv[i + 1];
    } else {
      std::fprintf(stderr,
                   "usage: allocation_bench [--scales osan,gyeonggi,national] "
                   "[--rounds N] [--json FILE]\n");
      return 2;
    }
  }
  std::vector<Figures> all;
  std::printf("%-9s %12s %10s %10s %7s %10s %10s %7s\n", "scale", "applications", "allocate",
              "sort", "ratio", "peak MiB", "input MiB", "memory");
  for (const Scale& scale : Scales()) {
    if (std::find(wanted.begin(), wanted.end(), scale.name) == wanted.end()) {
      continue;
    }
    const Figures f = Measure(scale, rounds);
    std::printf("%-9s %12zu %9.3fs %9.3fs %6.2fx %10.1f %10.1f %6.2fx\n", scale.name.c_str(),
                f.applications, f.allocate_seconds, f.sort_seconds,
                f.allocate_seconds / f.sort_seconds, f.peak_bytes / 1048576.0,
                f.input_bytes / 1048576.0, static_cast<double>(f.peak_bytes) / f.input_bytes);
    std::fflush(stdout);
    all.push_back(f);
  }
  std::printf(
      "targets: ratio <= 4x one std::sort of a 64-bit key per application; "
      "memory <= 2x the packed input (national)\n");
  if (!json_path.empty()) {
    std::ofstream(json_path) << Json(all);
  }
  return 0;
}

}  // namespace
}  // namespace osan::enrollment

int main(int argc, char** argv) { return osan::enrollment::Main(argc, argv); }
