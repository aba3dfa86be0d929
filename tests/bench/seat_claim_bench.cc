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
// The spread: 60 first-come sections open at once and 8,000 claims from 64
// clients fall on them evenly, through the service (coalesced), against
// pgbench running the SQL of one claim (lock the section's counter, take a
// seat if one is left, insert the application and its change event) with as
// many clients and transactions on the same cluster. Target: at least 0.8x.
// With $OSAN_SEAT_SPREAD_BENCH_JSON set, writes its figures there.
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

// Runs `client(claim)` on kClients threads released together, until `claims`
// claims (numbered from 0) are done; `prepare` runs on each thread first.
// Returns the wall time from release to the last claim.
Figures Timed(const std::function<std::function<void(int)>()>& prepare, int claims = kClaims) {
  absl::Barrier* start = new absl::Barrier(kClients + 1);
  std::atomic<int> next{0};
  std::vector<double> latencies_ms(claims);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      const std::function<void(int)> claim = prepare();
      if (start->Block()) {
        delete start;
      }
      for (int i = next++; i < claims; i = next++) {
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
  return {seconds, claims / seconds, latencies_ms[claims / 2], latencies_ms[claims * 99 / 100]};
}

// Enrollment's configuration for kClients claiming at once.
void ForTheRush(ServiceConfig& config) {
  config.db_pool_size = 8;
  config.worker_threads = kClients + 16;
  config.max_queued_calls = 4 * kClients;
}

// `claims` students of school A, inserted directly (setting up is not what
// is measured), each claiming a seat in `section_of(claim)` through the
// service; every claim must be answered OK.
Figures Claims(testing::Exchange& exchange, int claims,
               const std::function<std::string(int)>& section_of) {
  exchange.QueryEnrollment(absl::StrCat(
      "WITH s AS (INSERT INTO students (school_code, student_key, entry_year, display_name) "
      "SELECT 'J10-7531001', 's-' || g, 2025, '학생 ' || g "
      "FROM generate_series(1, ",
      claims, ") g RETURNING 1) SELECT count(*) FROM s"));
  std::atomic<int> failures{0};
  const Figures figures = Timed(
      [&] {
        return [&](int i) {
          v1::Application application;
          if (!exchange
                   .Apply(absl::StrCat("schools/J10-7531001/students/s-", i + 1), section_of(i), 1,
                          true, &application)
                   .ok()) {
            ++failures;
          }
        };
      },
      claims);
  EXPECT_EQ(failures.load(), 0);
  return figures;
}

Figures Rush(int max_seat_batch) {
  EnrollmentOptions options;
  options.max_seat_batch = max_seat_batch;
  testing::Exchange exchange(ForTheRush, options);
  exchange.CreateBasics();
  const cv1::Section section = exchange.CreateSection(testing::kAcademy, "인공지능 기초",
                                                      cv1::FIRST_COME, kCapacity, cv1::TUESDAY, 18);
  Figures figures = Claims(exchange, kClaims, [&](int) { return section.name(); });
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

constexpr int kSpreadSections = 60;
constexpr int kSpreadClaims = 8000;
constexpr int kSpreadCapacity = 100;

// Claims per second of pgbench running one claim's SQL, kSpreadClaims
// transactions from kClients clients, on a database of its own.
double PgbenchClaims() {
  testing::TestDatabase database;
  {
    pqxx::connection setup(database.url());
    pqxx::nontransaction tx(setup);
    tx.exec0(absl::StrCat(
        "CREATE TABLE seats (section int PRIMARY KEY, capacity int NOT NULL, enrolled int NOT "
        "NULL, CHECK (enrolled <= capacity));"
        "INSERT INTO seats SELECT s, ",
        kSpreadCapacity, ", 0 FROM generate_series(1, ", kSpreadSections,
        ") s;"
        "CREATE TABLE claims (id uuid PRIMARY KEY, section int NOT NULL, student bigint NOT NULL,"
        " state text NOT NULL, create_time timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE claim_events (seq bigserial PRIMARY KEY, claim uuid NOT NULL,"
        " payload bytea NOT NULL)"));
  }
  const std::string script = "/tmp/osan-seat-spread.sql";
  std::ofstream(script) << absl::StrFormat(
      "\\set s random(1, %d)\n"
      "\\set k random(1, 1000000000)\n"
      "BEGIN;\n"
      "SELECT capacity, enrolled FROM seats WHERE section = :s FOR UPDATE;\n"
      "UPDATE seats SET enrolled = enrolled + 1 WHERE section = :s AND enrolled < capacity;\n"
      "WITH c AS (INSERT INTO claims (id, section, student, state) VALUES (gen_random_uuid(),"
      " :s, :k, 'ENROLLED') RETURNING id) INSERT INTO claim_events (claim, payload)"
      " SELECT id, convert_to(repeat('x', 300), 'UTF8') FROM c;\n"
      "COMMIT;\n",
      kSpreadSections);
  const std::string command =
      absl::StrFormat("pgbench -n -c %d -j 2 -t %d -f %s '%s' 2>&1", kClients,
                      kSpreadClaims / kClients, script, database.url());
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  std::string output;
  char buffer[512];
  while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr) {
    output += buffer;
  }
  const int status = pipe == nullptr ? -1 : pclose(pipe);
  EXPECT_EQ(status, 0) << output;
  // "tps = 1234.5 (without initial connection time)"
  const size_t at = output.find("tps = ");
  EXPECT_NE(at, std::string::npos) << output;
  return at == std::string::npos ? 0 : std::strtod(output.c_str() + at + 6, nullptr);
}

TEST(SeatClaimBenchmark, SixtySectionsOpeningAtOnceAgainstPgbench) {
  const double pgbench = PgbenchClaims();
  testing::Exchange exchange(ForTheRush);
  exchange.CreateBasics();
  std::vector<cv1::Section> sections;
  for (int i = 0; i < kSpreadSections; ++i) {
    sections.push_back(exchange.CreateSection(
        testing::kAcademy, absl::StrCat("공동 과목 ", i + 1), cv1::FIRST_COME, kSpreadCapacity,
        static_cast<cv1::Weekday>(cv1::MONDAY + i % 5), 9 + i % 8));
  }
  const Figures service =
      Claims(exchange, kSpreadClaims, [&](int i) { return sections[i % kSpreadSections].name(); });
  const int64_t enrolled =
      exchange.QueryEnrollment("SELECT count(*) FROM applications WHERE state = 'ENROLLED'");
  EXPECT_EQ(enrolled, int64_t{kSpreadSections} * kSpreadCapacity);
  EXPECT_EQ(exchange.QueryEnrollment(absl::StrCat(
                "SELECT count(*) FROM (SELECT section_id FROM applications WHERE state = "
                "'ENROLLED' GROUP BY section_id HAVING count(*) > ",
                kSpreadCapacity, ") o")),
            0);
  const double ratio = service.per_second / pgbench;
  std::printf(
      "\nfirst-come spread: %d claims by %d clients over %d sections of %d seats\n"
      "  %-44s %8.0f claims/s  p50 %6.1f ms  p99 %6.1f ms\n"
      "  %-44s %8.0f claims/s\n"
      "  service / pgbench:                        %.2fx (target at least 0.8x)\n"
      "  seats taken: %lld of %d\n\n",
      kSpreadClaims, kClients, kSpreadSections, kSpreadCapacity, "service, coalesced batches",
      service.per_second, service.p50_ms, service.p99_ms, "pgbench, one claim's SQL", pgbench,
      ratio, static_cast<long long>(enrolled), kSpreadSections * kSpreadCapacity);
  if (const char* path = std::getenv("OSAN_SEAT_SPREAD_BENCH_JSON");
      path != nullptr && *path != '\0') {
    std::ofstream(path) << absl::StrFormat(
        R"j([{"name": "first-come spread (%d claims, %d clients, %d sections)",)j"
        R"j( "figure": {"claims_per_second": %.0f, "p99_ms": %.1f},)j"
        R"j( "limit": {"name": "pgbench running one claim's SQL", "claims_per_second": %.0f},)j"
        R"j( "ratio": %.2f, "min_ratio": 0.8, "enrolled": %d, "met": %s}])j"
        "\n",
        kSpreadClaims, kClients, kSpreadSections, service.per_second, service.p99_ms, pgbench,
        ratio, static_cast<int>(enrolled), ratio >= 0.8 ? "true" : "false");
  }
}

}  // namespace
}  // namespace osan::enrollment
