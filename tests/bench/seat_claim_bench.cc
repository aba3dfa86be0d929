// The first-come rush: thousands of students claim seats in one popular
// section at the same moment. Measures claims per second through the real
// services (gRPC, catalog, enrollment, PostgreSQL) with one transaction per
// claim (the naive path: every claim locks the section's counter row in its
// own transaction) against coalesced batches, in one run on one machine, and
// prints both and their ratio, with each path's median and 99th-percentile
// claim latency. Checks the seat invariants after each run (no seat
// overbooked, none lost). With $OSAN_SEAT_BENCH_JSON set, writes the figures
// there for bench.json.
//
// Run: tools/dev bench   (starts a throwaway PostgreSQL; see tools/dev)
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/barrier.h"
#include "tests/support/exchange_fixture.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;

constexpr int kClients = 64;
constexpr int kClaims = 2000;
constexpr int kCapacity = 500;

struct Figures {
  double seconds = 0;
  double per_second = 0;
  // Claim latencies.
  double p50_ms = 0;
  double p99_ms = 0;
  // Seats taken at the end, as the applications say (at most kCapacity).
  int64_t enrolled = 0;
};

// Runs `client(claim)` on kClients threads released together, until kClaims
// claims (numbered from 0) are done; `prepare` runs on each thread first.
// Returns the wall time from release to the last claim.
Figures Timed(const std::function<std::function<void(int)>()>& prepare) {
  absl::Barrier* start = new absl::Barrier(kClients + 1);
  std::atomic<int> next{0};
  std::vector<double> latencies_ms(kClaims);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      const std::function<void(int)> claim = prepare();
      if (start->Block()) {
        delete start;
      }
      for (int i = next++; i < kClaims; i = next++) {
        const auto sent = std::chrono::steady_clock::now();
        claim(i);
        latencies_ms[i] =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent)
                .count();
      }
    });
  }
  const auto begin = std::chrono::steady_clock::now();
  if (start->Block()) {
    delete start;
  }
  for (auto& client : clients) {
    client.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  return {seconds, kClaims / seconds, latencies_ms[kClaims / 2], latencies_ms[kClaims * 99 / 100]};
}

Figures Rush(int max_seat_batch) {
  EnrollmentOptions options;
  options.max_seat_batch = max_seat_batch;
  testing::Exchange exchange(
      [](ServiceConfig& config) {
        config.db_pool_size = 8;
        config.worker_threads = kClients + 16;
        config.max_queued_calls = 4 * kClients;
      },
      options);
  exchange.CreateBasics();
  const cv1::Section section = exchange.CreateSection(testing::kAcademy, "인공지능 기초",
                                                      cv1::FIRST_COME, kCapacity, cv1::TUESDAY, 18);
  // Students are inserted directly: setting up is not what is measured.
  exchange.QueryEnrollment(absl::StrCat(
      "WITH s AS (INSERT INTO students (school_code, student_key, entry_year, display_name) "
      "SELECT 'J10-7531001', 's-' || g, 2025, '학생 ' || g "
      "FROM generate_series(1, ",
      kClaims, ") g RETURNING 1) SELECT count(*) FROM s"));

  std::atomic<int> failures{0};
  Figures figures = Timed([&] {
    return [&](int i) {
      v1::Application application;
      if (!exchange
               .Apply(absl::StrCat("schools/J10-7531001/students/s-", i + 1), section.name(), 1,
                      true, &application)
               .ok()) {
        ++failures;
      }
    };
  });
  EXPECT_EQ(failures.load(), 0);
  const std::string id = section.name().substr(section.name().rfind('/') + 1);
  figures.enrolled = exchange.QueryEnrollment(absl::StrCat(
      "SELECT count(*) FROM applications WHERE section_id = '", id, "' AND state = 'ENROLLED'"));
  EXPECT_EQ(figures.enrolled, kCapacity);
  EXPECT_EQ(exchange.QueryEnrollment(
                absl::StrCat("SELECT enrolled FROM section_seats WHERE section_id = '", id, "'")),
            kCapacity);
  EXPECT_EQ(exchange.QueryEnrollment(
                absl::StrCat("SELECT count(*) FROM applications WHERE section_id = '", id,
                             "' AND state = 'WAITLISTED'")),
            kClaims - kCapacity);
  return figures;
}

// The bare floor of the naive design on this machine: each of kClaims
// transactions only increments one shared counter row, from kClients
// connections at once.
Figures LockedCounter() {
  testing::TestDatabase database;
  {
    pqxx::connection setup(database.url());
    pqxx::nontransaction tx(setup);
    tx.exec0("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
    tx.exec0("INSERT INTO counter VALUES (1, 0)");
  }
  return Timed([&] {
    auto connection = std::make_shared<pqxx::connection>(database.url());
    return [connection](int) {
      pqxx::work tx(*connection);
      tx.exec0("UPDATE counter SET n = n + 1 WHERE id = 1");
      tx.commit();
    };
  });
}

TEST(SeatClaimBenchmark, CoalescedClaimsAgainstOneTransactionPerClaim) {
  const Figures counter = LockedCounter();
  const Figures naive = Rush(1);
  const Figures coalesced = Rush(256);
  std::printf(
      "\nfirst-come rush: %d claims by %d concurrent clients on one section of %d seats\n"
      "  %-44s %8.2f s  %8.0f /s        p50 %6.1f ms  p99 %6.1f ms\n"
      "  %-44s %8.2f s  %8.0f claims/s  p50 %6.1f ms  p99 %6.1f ms\n"
      "  %-44s %8.2f s  %8.0f claims/s  p50 %6.1f ms  p99 %6.1f ms\n"
      "  coalesced / one transaction per claim:   %.2fx (target at least 3x)\n"
      "  coalesced / bare locked counter row:     %.2fx\n\n",
      kClaims, kClients, kCapacity, "bare locked counter row (SQL only)", counter.seconds,
      counter.per_second, counter.p50_ms, counter.p99_ms,
      "service, one transaction per claim (naive)", naive.seconds, naive.per_second, naive.p50_ms,
      naive.p99_ms, "service, coalesced batches", coalesced.seconds, coalesced.per_second,
      coalesced.p50_ms, coalesced.p99_ms, coalesced.per_second / naive.per_second,
      coalesced.per_second / counter.per_second);
  if (const char* path = std::getenv("OSAN_SEAT_BENCH_JSON"); path != nullptr && *path != '\0') {
    const double ratio = coalesced.per_second / naive.per_second;
    std::ofstream(path) << absl::StrFormat(
        R"j([{"name": "first-come, one hot section (%d claims, %d clients, %d seats)",)j"
        R"j( "figure": {"claims_per_second": %.0f, "p50_ms": %.1f, "p99_ms": %.1f},)j"
        R"j( "limit": {"name": "one transaction per claim", "claims_per_second": %.0f,)j"
        R"j( "p99_ms": %.1f}, "floor": {"name": "bare locked counter row",)j"
        R"j( "per_second": %.0f}, "ratio": %.2f, "min_ratio": 3.0, "enrolled": %d,)j"
        R"j( "capacity": %d, "met": %s}])j"
        "\n",
        kClaims, kClients, kCapacity, coalesced.per_second, coalesced.p50_ms, coalesced.p99_ms,
        naive.per_second, naive.p99_ms, counter.per_second, ratio, coalesced.enrolled, kCapacity,
        ratio >= 3.0 && coalesced.enrolled == kCapacity ? "true" : "false");
  }
}

}  // namespace
}  // namespace osan::enrollment
