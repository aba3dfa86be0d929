// The change feed's delivery: enrollment's WatchChanges and
// WatchChangeBatches read from the start (a catch-up of 100,000 events) by
// one follower, and the last 10,000 by 100 followers at once, each against
// reading the same rows with the feed's own query (one SELECT, libpqxx) in
// the same run on the same database. Target: at least 0.5x, held by the
// batched feed. Prints a table; with $OSAN_FEED_BENCH_JSON set, writes the
// figures there for bench.json.
//
// Run: tools/dev bench   (starts a throwaway PostgreSQL; see tools/dev)
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "tests/support/credit_exchange.h"
#include "tests/support/exchange_fixture.h"

namespace osan::enrollment {
namespace {

constexpr int kEvents = 100000;
constexpr int kFollowers = 100;
constexpr int kTail = 10000;
constexpr int kSelectConnections = 8;
constexpr double kMinRatio = 0.5;

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Seconds for `count` threads running `body` at once.
double OnThreads(int count, const std::function<void()>& body) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back(body);
  }
  for (auto& thread : threads) {
    thread.join();
  }
  return Since(start);
}

struct Read {
  int64_t events = 0;
  // The cursor of every event, kept only when asked for.
  std::vector<std::string> cursors;
  bool ok = false;
};

// WatchChanges (or with `batched`, WatchChangeBatches) from `cursor` to the
// end, as `token`.
Read Follow(v1::EnrollmentService::Stub& stub, const std::string& token, const std::string& cursor,
            bool keep_cursors, bool batched = false) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  v1::WatchChangesRequest request;
  request.set_cursor(cursor);
  Read read;
  const auto take = [&](const v1::ChangeEvent& event) {
    ++read.events;
    if (keep_cursors) {
      read.cursors.push_back(event.cursor());
    }
  };
  grpc::Status status;
  if (batched) {
    auto reader = stub.WatchChangeBatches(&context, request);
    v1::ChangeEventBatch batch;
    while (reader->Read(&batch)) {
      for (const v1::ChangeEvent& event : batch.events()) {
        take(event);
      }
    }
    status = reader->Finish();
  } else {
    auto reader = stub.WatchChanges(&context, request);
    v1::ChangeEvent event;
    while (reader->Read(&event)) {
      take(event);
    }
    status = reader->Finish();
  }
  EXPECT_TRUE(status.ok()) << status.error_message();
  read.ok = status.ok();
  return read;
}

// The feed's query without its visibility and caller filters, from after
// `cursor` ("txid.seq"; empty: the start): every row read, its bytes touched.
int64_t Select(pqxx::connection& connection, const std::string& cursor) {
  std::string txid = "0";
  std::string seq = "0";
  if (!cursor.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(cursor, '.');
    txid = parts.at(0);
    seq = parts.at(1);
  }
  pqxx::work tx(connection);
  const pqxx::result rows = tx.exec_params(
      "SELECT e.txid::text, e.seq, e.application,"
      " (extract(epoch FROM e.commit_time) * 1000000)::bigint"
      " FROM application_events e WHERE (e.txid, e.seq) > ($1::xid8, $2::bigint)"
      " ORDER BY e.txid, e.seq",
      txid, seq);
  int64_t bytes = 0;
  for (const auto& row : rows) {
    bytes += static_cast<int64_t>(pqxx::binarystring(row[2]).size());
  }
  tx.commit();
  EXPECT_GT(bytes, 0);
  return static_cast<int64_t>(rows.size());
}

struct Comparison {
  std::string name;
  double feed_per_second = 0;
  double select_per_second = 0;
  double ratio() const { return feed_per_second / select_per_second; }
};

TEST(FeedBenchmark, DeliveryAgainstOneSelect) {
  testing::Exchange exchange([](ServiceConfig& config) {
    config.max_streams_per_institution = 0;  // 100 followers of one service
    config.worker_threads = 16;
  });
  exchange.CreateBasics();
  // The changes are written directly, one realistic application each: writing is not what
  // is measured.
  v1::Application application;
  application.set_name("applications/0b7a1d2e-4c55-4f0e-9a43-6c1d2f3e4a5b");
  application.set_student("schools/J10-7531001/students/walk20271-a1");
  application.set_section("terms/2027-1/sections/3f1e2d4c-5b6a-4798-8c7d-6e5f4a3b2c1d");
  application.set_preference_rank(1);
  application.set_state(v1::ENROLLED);
  application.set_reason("placed: priority tier 0, lottery number 17 of 240");
  application.set_decided_by("HSOS-EDU");
  application.set_host("institutions/OSAN-AICODING");
  application.set_term("terms/2027-1");
  const std::string hex = absl::BytesToHexString(application.SerializeAsString());
  ASSERT_EQ(exchange.QueryEnrollment(
                absl::StrCat("WITH e AS (INSERT INTO application_events"
                             " (application_id, school_code, host_code, application)"
                             " SELECT gen_random_uuid(), 'J10-7531001', 'OSAN-AICODING', decode('",
                             hex, "', 'hex') FROM generate_series(1, ", kEvents,
                             ") RETURNING 1) SELECT count(*) FROM e")),
            kEvents);
  const std::string token = exchange.Token("SVC-CREDIT", auth::v1::SERVICE);
  const std::string url = exchange.enrollment_service().database().url();
  pqxx::connection connection(url);

  // One follower catching up from the start, and one SELECT of the same rows.
  Comparison one{absl::StrCat("change feed, one follower catching up ", kEvents, " events")};
  auto start = std::chrono::steady_clock::now();
  const int64_t selected = Select(connection, "");
  one.select_per_second = selected / Since(start);
  start = std::chrono::steady_clock::now();
  const Read caught_up = Follow(exchange.enrollment(), token, "", true);
  one.feed_per_second = caught_up.events / Since(start);
  ASSERT_EQ(selected, kEvents);
  ASSERT_EQ(caught_up.events, kEvents) << "the feed skipped or repeated events";

  // 100 followers reading the last kTail events at once, and as many SELECTs of them on
  // kSelectConnections connections.
  const std::string tail = caught_up.cursors[kEvents - kTail - 1];
  Comparison many{
      absl::StrCat("change feed, ", kFollowers, " followers reading ", kTail, " events each")};
  std::atomic<int64_t> rows{0};
  std::atomic<int> next{0};
  const double selecting = OnThreads(kSelectConnections, [&] {
    pqxx::connection mine(url);
    for (int i = next++; i < kFollowers; i = next++) {
      rows += Select(mine, tail);
    }
  });
  many.select_per_second = rows.load() / selecting;
  std::atomic<int64_t> delivered{0};
  std::atomic<int> complete{0};
  const double following = OnThreads(kFollowers, [&] {
    const Read read = Follow(exchange.enrollment(), token, tail, false);
    delivered += read.events;
    complete += read.ok && read.events == kTail ? 1 : 0;
  });
  many.feed_per_second = delivered.load() / following;
  EXPECT_EQ(rows.load(), int64_t{kFollowers} * kTail);
  EXPECT_EQ(complete.load(), kFollowers) << "every follower gets exactly the tail";

  // The same two with the events in batches (WatchChangeBatches).
  Comparison one_batched{
      absl::StrCat("batched change feed, one follower catching up ", kEvents, " events")};
  one_batched.select_per_second = one.select_per_second;
  start = std::chrono::steady_clock::now();
  const Read batched = Follow(exchange.enrollment(), token, "", true, true);
  one_batched.feed_per_second = batched.events / Since(start);
  EXPECT_EQ(batched.cursors, caught_up.cursors) << "the batches differ from the feed";
  Comparison many_batched{absl::StrCat("batched change feed, ", kFollowers, " followers reading ",
                                       kTail, " events each")};
  many_batched.select_per_second = many.select_per_second;
  delivered = 0;
  complete = 0;
  const double following_batches = OnThreads(kFollowers, [&] {
    const Read read = Follow(exchange.enrollment(), token, tail, false, true);
    delivered += read.events;
    complete += read.ok && read.events == kTail ? 1 : 0;
  });
  many_batched.feed_per_second = delivered.load() / following_batches;
  EXPECT_EQ(complete.load(), kFollowers) << "every follower gets exactly the tail in batches";

  // The target is held by the batched feed, the one to catch up with; the
  // feed of single events is reported beside it.
  std::printf("\n%-58s %12s %12s %7s\n", "comparison", "feed ev/s", "SELECT rows/s", "ratio");
  std::vector<std::string> items;
  for (const Comparison* c : {&one, &many, &one_batched, &many_batched}) {
    const bool held = c == &one_batched || c == &many_batched;
    std::printf("%-58s %12.0f %12.0f %6.2fx%s\n", c->name.c_str(), c->feed_per_second,
                c->select_per_second, c->ratio(), held ? "" : "  (reported)");
    items.push_back(absl::StrFormat(
        R"j({"name": "%s", "figure": {"events_per_second": %.0f}, "limit": {"name": "the same)j"
        R"j( rows with one SELECT", "rows_per_second": %.0f}, "ratio": %.2f%s})j",
        c->name, c->feed_per_second, c->select_per_second, c->ratio(),
        held ? absl::StrFormat(R"j(, "min_ratio": %.1f, "met": %s)j", kMinRatio,
                               c->ratio() >= kMinRatio ? "true" : "false")
             : ""));
  }
  std::printf("target: the batched feed delivers at least %.1fx what one SELECT reads\n\n",
              kMinRatio);
  if (const char* path = std::getenv("OSAN_FEED_BENCH_JSON"); path != nullptr && *path != '\0') {
    std::ofstream(path) << "[" << absl::StrJoin(items, ", ") << "]\n";
  }
}

// Credit's result feed: one home school catching up kEvents results (one
// student each, as finalizing a region's sections produces), through
// WatchResults, against the feed's own query as one SELECT. Target: at least
// 0.5x. Writes $OSAN_RESULT_FEED_BENCH_JSON when set.
TEST(FeedBenchmark, ResultFeedCatchUpAgainstOneSelect) {
  testing::CreditExchange suite;
  suite.exchange().CreateBasics();
  credit::v1::LedgerEntry entry;
  entry.set_name("ledger/6a1f0c2e-3b4d-4e5f-9a8b-7c6d5e4f3a2b");
  entry.set_version(1);
  credit::v1::ResultPackage* package = entry.mutable_package();
  package->set_term("terms/2027-1");
  package->set_section("terms/2027-1/sections/3f1e2d4c-5b6a-4798-8c7d-6e5f4a3b2c1d");
  package->set_student("schools/J10-7531001/students/walk20271-a1");
  package->set_title("인공지능 기초");
  package->set_credits(2);
  package->set_credits_earned(2);
  package->set_raw_score(91);
  package->set_course_mean(78.5);
  package->set_achievement_level("A");
  package->set_student_count(24);
  entry.set_reason("finalized");
  entry.set_recorded_by("OSAN-AICODING");
  const std::string hex = absl::BytesToHexString(entry.SerializeAsString());
  const std::string url = suite.credit_service().database().url();
  pqxx::connection connection(url);
  {
    pqxx::work tx(connection);
    tx.exec0(absl::StrCat(
        "INSERT INTO ledger (entry_id, version, school_code, student_key, section_id, host_code,"
        " outcome, entry) SELECT gen_random_uuid(), 1, 'J10-7531001', 's-' || g,"
        " gen_random_uuid(), 'OSAN-AICODING', 'COMPLETED', decode('",
        hex, "', 'hex') FROM generate_series(1, ", kEvents, ") g"));
    tx.exec0(
        "INSERT INTO result_events (entry_id, version, school_code)"
        " SELECT entry_id, version, school_code FROM ledger ORDER BY student_key");
    tx.commit();
  }
  Comparison one{absl::StrCat("result feed, one school catching up ", kEvents, " results")};
  auto start = std::chrono::steady_clock::now();
  int64_t selected = 0;
  {
    pqxx::work tx(connection);
    const pqxx::result rows = tx.exec(
        "SELECT e.txid::text, e.seq, l.entry, EXISTS (SELECT 1 FROM acknowledgements k"
        " WHERE k.entry_id = l.entry_id AND k.version = l.version)"
        " FROM result_events e JOIN ledger l USING (entry_id, version)"
        " WHERE (e.txid, e.seq) > ('0'::xid8, 0) AND e.school_code = 'J10-7531001'"
        " ORDER BY e.txid, e.seq");
    for (const auto& row : rows) {
      selected += pqxx::binarystring(row[2]).size() > 0 ? 1 : 0;
    }
    tx.commit();
  }
  one.select_per_second = selected / Since(start);
  ASSERT_EQ(selected, kEvents);

  grpc::ClientContext context;
  context.AddMetadata(
      "authorization",
      absl::StrCat("Bearer ", suite.exchange().Token(testing::kSchoolA, auth::v1::SCHOOL)));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  start = std::chrono::steady_clock::now();
  auto reader = suite.credit().WatchResults(&context, credit::v1::WatchResultsRequest());
  int64_t delivered = 0;
  credit::v1::ResultEvent event;
  while (reader->Read(&event)) {
    ++delivered;
  }
  const grpc::Status status = reader->Finish();
  one.feed_per_second = delivered / Since(start);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(delivered, kEvents) << "the result feed skipped or repeated results";

  std::printf("\n%-58s %12s %12s %7s\n%-58s %12.0f %12.0f %6.2fx\n\n", "comparison", "feed ev/s",
              "SELECT rows/s", "ratio", one.name.c_str(), one.feed_per_second,
              one.select_per_second, one.ratio());
  if (const char* path = std::getenv("OSAN_RESULT_FEED_BENCH_JSON");
      path != nullptr && *path != '\0') {
    std::ofstream(path) << absl::StrFormat(
        R"j([{"name": "%s", "figure": {"events_per_second": %.0f}, "limit": {"name": "the same)j"
        R"j( rows with one SELECT", "rows_per_second": %.0f}, "ratio": %.2f, "min_ratio": %.1f,)j"
        R"j( "met": %s}])j"
        "\n",
        one.name, one.feed_per_second, one.select_per_second, one.ratio(), kMinRatio,
        one.ratio() >= kMinRatio ? "true" : "false");
  }
}

}  // namespace
}  // namespace osan::enrollment
