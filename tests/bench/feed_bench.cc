// The feeds' delivery: enrollment's change feed (WatchChanges,
// WatchChangeBatches) and credit's result feed (WatchResults,
// WatchResultBatches), each read from the start (a catch-up of 100,000
// events) by one follower and the last 10,000 by 100 followers at once,
// against reading the same rows with the feed's own query (one SELECT,
// libpqxx) in the same run on the same database. Target: at least 0.5x, held
// by the batched feeds. Prints a table; with $OSAN_FEED_BENCH_JSON and
// $OSAN_RESULT_FEED_BENCH_JSON set, writes the figures there for bench.json.
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
#include <type_traits>
#include <utility>
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

// The events of a feed message: a batch's events (this overload, where the
// message has them, is the better match for an int argument), or the event.
template <class Batch>
auto EventsOf(const Batch& batch, int)
    -> std::vector<const std::decay_t<decltype(batch.events(0))>*> {
  std::vector<const std::decay_t<decltype(batch.events(0))>*> events;
  for (const auto& event : batch.events()) {
    events.push_back(&event);
  }
  return events;
}
template <class Event>
std::vector<const Event*> EventsOf(const Event& event, long /*single event*/) {
  return {&event};
}

// Reads the feed method `watch` of `stub` (e.g. &Stub::WatchChangeBatches)
// from after `cursor` to its end, as `token`.
template <class Stub, class Request, class Message>
Read Follow(Stub& stub,
            std::unique_ptr<grpc::ClientReader<Message>> (Stub::*watch)(grpc::ClientContext*,
                                                                        const Request&),
            const std::string& token, const std::string& cursor, bool keep_cursors) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  Request request;
  request.set_cursor(cursor);
  Read read;
  auto reader = (stub.*watch)(&context, request);
  Message message;
  while (reader->Read(&message)) {
    for (const auto* event : EventsOf(message, 0)) {
      ++read.events;
      if (keep_cursors) {
        read.cursors.push_back(event->cursor());
      }
    }
  }
  const grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  read.ok = status.ok();
  return read;
}

// "txid.seq" as the feeds' cursors are: the position after which to read.
std::pair<std::string, std::string> Position(const std::string& cursor) {
  if (cursor.empty()) {
    return {"0", "0"};
  }
  const std::vector<std::string> parts = absl::StrSplit(cursor, '.');
  return {parts.at(0), parts.at(1)};
}

// Runs a feed's own query, `sql` (its position parameters $1 txid and $2
// seq, its payload the third column), from after `cursor` ("txid.seq"; empty:
// the start): every row read, its payload's bytes touched. The row count.
int64_t SelectFeed(pqxx::connection& connection, const std::string& sql,
                   const std::string& cursor) {
  const auto [txid, seq] = Position(cursor);
  pqxx::work tx(connection);
  const pqxx::result rows = tx.exec_params(sql, txid, seq);
  int64_t bytes = 0;
  for (const auto& row : rows) {
    bytes += static_cast<int64_t>(pqxx::binarystring(row[2]).size());
  }
  tx.commit();
  EXPECT_GT(bytes, 0);
  return static_cast<int64_t>(rows.size());
}

// The change feed's query without its visibility and caller filters.
int64_t SelectChanges(pqxx::connection& connection, const std::string& cursor) {
  return SelectFeed(connection,
                    "SELECT e.txid::text, e.seq, e.application,"
                    " (extract(epoch FROM e.commit_time) * 1000000)::bigint"
                    " FROM application_events e WHERE (e.txid, e.seq) > ($1::xid8, $2::bigint)"
                    " ORDER BY e.txid, e.seq",
                    cursor);
}

struct Comparison {
  std::string name;
  double feed_per_second = 0;
  double select_per_second = 0;
  bool held = false;  // by the target; else reported beside it
  double ratio() const { return feed_per_second / select_per_second; }
};

// A feed to measure: how to follow it and how to read its rows with one
// SELECT.
struct Feed {
  std::string name;  // e.g. "change feed"
  std::string url;   // its database
  // Follows the feed from after `cursor` to its end, in batches or not.
  std::function<Read(const std::string& cursor, bool keep_cursors, bool batched)> follow;
  // The feed's own query from after `cursor`: the number of rows read.
  std::function<int64_t(pqxx::connection&, const std::string& cursor)> select;
};

// One follower catching up kEvents events from the start, and kFollowers
// reading the last kTail at once, in single events (reported) and in batches
// (held), each against the same rows read by one SELECT (the tail's by
// kFollowers SELECTs on kSelectConnections connections).
std::vector<Comparison> Measure(const Feed& feed) {
  pqxx::connection connection(feed.url);
  auto start = std::chrono::steady_clock::now();
  const int64_t selected = feed.select(connection, "");
  const double select_all = selected / Since(start);
  EXPECT_EQ(selected, kEvents);

  start = std::chrono::steady_clock::now();
  const Read caught_up = feed.follow("", true, false);
  const double follow_all = caught_up.events / Since(start);
  EXPECT_EQ(caught_up.events, kEvents) << "the " << feed.name << " skipped or repeated events";
  if (caught_up.events != kEvents) {
    return {};
  }
  start = std::chrono::steady_clock::now();
  const Read batched = feed.follow("", true, true);
  const double follow_all_batched = batched.events / Since(start);
  EXPECT_EQ(batched.cursors, caught_up.cursors) << "the batches differ from the " << feed.name;

  const std::string tail = caught_up.cursors[kEvents - kTail - 1];
  std::atomic<int64_t> rows{0};
  std::atomic<int> next{0};
  const double selecting = OnThreads(kSelectConnections, [&] {
    pqxx::connection mine(feed.url);
    for (int i = next++; i < kFollowers; i = next++) {
      rows += feed.select(mine, tail);
    }
  });
  EXPECT_EQ(rows.load(), int64_t{kFollowers} * kTail);
  const double select_tail = rows.load() / selecting;
  // kFollowers at once, each reading from the tail to the end.
  const auto follow_tail = [&](bool in_batches) {
    std::atomic<int64_t> delivered{0};
    std::atomic<int> complete{0};
    const double seconds = OnThreads(kFollowers, [&] {
      const Read read = feed.follow(tail, false, in_batches);
      delivered += read.events;
      complete += read.ok && read.events == kTail ? 1 : 0;
    });
    EXPECT_EQ(complete.load(), kFollowers)
        << "every follower gets exactly the tail" << (in_batches ? " in batches" : "");
    return delivered.load() / seconds;
  };
  const std::string one = absl::StrCat(", one follower catching up ", kEvents, " events");
  const std::string many = absl::StrCat(", ", kFollowers, " followers reading ", kTail, " each");
  return {{feed.name + one, follow_all, select_all, false},
          {feed.name + many, follow_tail(false), select_tail, false},
          {"batched " + feed.name + one, follow_all_batched, select_all, true},
          {"batched " + feed.name + many, follow_tail(true), select_tail, true}};
}

// Prints `comparisons` as a table and, when the environment variable
// `json_variable` names a file, writes them there as bench.json comparisons.
void Report(const std::vector<Comparison>& comparisons, const char* json_variable) {
  std::printf("\n%-62s %12s %12s %7s\n", "comparison", "feed ev/s", "SELECT rows/s", "ratio");
  std::vector<std::string> items;
  for (const Comparison& c : comparisons) {
    std::printf("%-62s %12.0f %12.0f %6.2fx%s\n", c.name.c_str(), c.feed_per_second,
                c.select_per_second, c.ratio(), c.held ? "" : "  (reported)");
    items.push_back(absl::StrFormat(
        R"j({"name": "%s", "figure": {"events_per_second": %.0f}, "limit": {"name": "the same)j"
        R"j( rows with one SELECT", "rows_per_second": %.0f}, "ratio": %.2f%s})j",
        c.name, c.feed_per_second, c.select_per_second, c.ratio(),
        c.held ? absl::StrFormat(R"j(, "min_ratio": %.1f, "met": %s)j", kMinRatio,
                                 c.ratio() >= kMinRatio ? "true" : "false")
               : ""));
  }
  std::printf("target: the batched feed delivers at least %.1fx what one SELECT reads\n\n",
              kMinRatio);
  if (const char* path = std::getenv(json_variable); path != nullptr && *path != '\0') {
    std::ofstream(path) << "[" << absl::StrJoin(items, ", ") << "]\n";
  }
}

TEST(FeedBenchmark, ChangeFeedAgainstOneSelect) {
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
  using Stub = v1::EnrollmentService::Stub;
  Feed feed{"change feed", exchange.enrollment_service().database().url(),
            [&](const std::string& cursor, bool keep_cursors, bool batched) {
              return batched ? Follow(exchange.enrollment(), &Stub::WatchChangeBatches, token,
                                      cursor, keep_cursors)
                             : Follow(exchange.enrollment(), &Stub::WatchChanges, token, cursor,
                                      keep_cursors);
            },
            SelectChanges};
  Report(Measure(feed), "OSAN_FEED_BENCH_JSON");
}

// The result feed's query without its visibility filter, for one school.
int64_t SelectResults(pqxx::connection& connection, const std::string& cursor) {
  return SelectFeed(connection,
                    "SELECT e.txid::text, e.seq, l.entry, EXISTS (SELECT 1 FROM acknowledgements k"
                    " WHERE k.entry_id = l.entry_id AND k.version = l.version)"
                    " FROM result_events e JOIN ledger l USING (entry_id, version)"
                    " WHERE (e.txid, e.seq) > ($1::xid8, $2::bigint)"
                    " AND e.school_code = 'J10-7531001' ORDER BY e.txid, e.seq",
                    cursor);
}

// Credit's result feed: one home school's kEvents results (one student each,
// as finalizing a region's sections produces).
TEST(FeedBenchmark, ResultFeedAgainstOneSelect) {
  testing::CreditExchange suite([](ServiceConfig& config) {
    config.max_streams_per_institution = 0;  // 100 followers of one school
    config.worker_threads = 16;
  });
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
  {
    pqxx::connection connection(url);
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
  const std::string token = suite.exchange().Token(testing::kSchoolA, auth::v1::SCHOOL);
  using Stub = credit::v1::CreditService::Stub;
  Feed feed{"result feed", url,
            [&](const std::string& cursor, bool keep_cursors, bool batched) {
              return batched
                         ? Follow(suite.credit(), &Stub::WatchResultBatches, token, cursor,
                                  keep_cursors)
                         : Follow(suite.credit(), &Stub::WatchResults, token, cursor, keep_cursors);
            },
            SelectResults};
  Report(Measure(feed), "OSAN_RESULT_FEED_BENCH_JSON");
}

}  // namespace
}  // namespace osan::enrollment
