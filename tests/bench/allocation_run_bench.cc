// RunAllocation end to end at Gyeonggi scale: 7,912 applicants of 395
// schools with 5 approved applications each to 538 lottery sections, through
// the real services (gRPC, catalog, enrollment, PostgreSQL): candidates
// locked, sections read from catalog, allocation, every decision, state change
// and change event written, the run stored. Against COPY of as many rows into
// a table of the decisions' shape (with its indexes) on the same database in
// the same run. Target: at most 3x. Then walks every page of the run's
// decisions and the other reads of the run, and reports the largest reply
// (limit 1 MiB). Checks the seats afterwards: none overbooked, every
// application decided. With $OSAN_ALLOCATION_RUN_BENCH_JSON set, writes the
// figures there for bench.json.
//
// Run: tools/dev bench   (starts a throwaway PostgreSQL; see tools/dev)
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/enrollment/client/allocation_wait.h"
#include "tests/support/exchange_fixture.h"
#include "tests/support/gyeonggi_term.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;

constexpr int kSections = testing::GyeonggiTerm::kSections;
constexpr int kSchools = testing::GyeonggiTerm::kSchools;
constexpr int kStudents = testing::GyeonggiTerm::kStudents;
constexpr int kPreferences = testing::GyeonggiTerm::kPreferences;
constexpr int kCapacity = testing::GyeonggiTerm::kCapacity;
constexpr double kMaxRatio = 3.0;
constexpr size_t kMaxReplyBytes = 1 << 20;

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Seconds to COPY `rows` rows shaped like allocation decisions into a new
// table with the same indexes.
double CopyRows(const std::string& url, int rows) {
  pqxx::connection connection(url);
  {
    pqxx::nontransaction tx(connection);
    tx.exec0("DROP TABLE IF EXISTS copy_limit");
    tx.exec0("CREATE TABLE copy_limit (LIKE allocation_decisions INCLUDING ALL)");
  }
  const auto start = std::chrono::steady_clock::now();
  pqxx::work tx(connection);
  pqxx::stream_to copy(
      tx, "copy_limit",
      std::vector<std::string>{"run_id", "ordinal", "application_id", "school_code", "student_key",
                               "section_name", "outcome", "waitlist_position", "lottery_number",
                               "reason"});
  const std::string run = "0b7e4c1a-6f7e-4d3b-9a51-2c9f8e1d0a77";
  for (int i = 0; i < rows; ++i) {
    copy << std::make_tuple(run, i + 1, absl::StrFormat("00000000-0000-4000-8000-%012d", i),
                            absl::StrFormat("S%04d", i % kSchools), absl::StrCat("s-", i),
                            absl::StrCat("terms/2026-1/sections/", i % kSections), "WAITLISTED",
                            i % 50, i / kPreferences + 1, "section full: waitlisted by lottery");
  }
  copy.complete();
  tx.commit();
  return Since(start);
}

TEST(AllocationRunBenchmark, RunAllocationAtGyeonggiScaleAgainstCopy) {
  testing::Exchange exchange;  // test services have no rate limit
  exchange.CreateBasics();
  const auto setup = std::chrono::steady_clock::now();
  const testing::GyeonggiTerm gyeonggi = testing::CreateGyeonggiTerm(exchange);
  const std::string& term = gyeonggi.term;
  const std::string url = exchange.enrollment_service().database().url();
  const int applications = kStudents * kPreferences;
  std::fprintf(stderr, "set up %d sections and %d applications in %.1f s\n", kSections,
               applications, Since(setup));

  const std::string city = exchange.Token(testing::kCity, auth::v1::CITY);
  size_t largest_reply = 0;
  std::string largest_method;
  const auto note_reply = [&](const google::protobuf::Message& reply, const char* method) {
    if (reply.ByteSizeLong() > largest_reply) {
      largest_reply = reply.ByteSizeLong();
      largest_method = method;
    }
  };
  v1::RunAllocationRequest request;
  request.set_term(term);
  request.set_seed(2027);
  request.set_request_id("bench-allocation");
  const auto start = std::chrono::steady_clock::now();
  v1::AllocationOperation operation;
  auto context = testing::ContextWithToken(city);
  ASSERT_TRUE(exchange.enrollment().RunAllocation(context.get(), request, &operation).ok());
  const double answered = Since(start);
  note_reply(operation, "RunAllocation");
  int polls = 0;
  // When each stage was first seen (within a poll's 20 ms).
  std::vector<std::pair<std::string, double>> stages = {{operation.stage(), answered}};
  const absl::StatusOr<v1::AllocationRun> run = AwaitAllocation(
      operation,
      [&](const std::string& name) -> absl::StatusOr<v1::AllocationOperation> {
        ++polls;
        v1::GetAllocationOperationRequest get;
        get.set_name(name);
        v1::AllocationOperation polled;
        auto poll = testing::ContextWithToken(city);
        const grpc::Status status =
            exchange.enrollment().GetAllocationOperation(poll.get(), get, &polled);
        if (!status.ok()) {
          return absl::UnavailableError(status.error_message());
        }
        note_reply(polled, "GetAllocationOperation");
        return polled;
      },
      absl::Now() + absl::Minutes(10),
      [&](const v1::AllocationOperation& polled) {
        if (stages.empty() || stages.back().first != polled.stage()) {
          stages.emplace_back(polled.stage(), Since(start));
        }
      },
      absl::Milliseconds(20));
  const double run_seconds = Since(start);
  ASSERT_TRUE(run.ok()) << run.status();
  const int decided = run->enrolled_count() + run->waitlisted_count() + run->not_placed_count();
  EXPECT_EQ(decided, applications);
  EXPECT_EQ(run->section_count(), kSections);

  // Every page of the decisions, as the city reads them.
  const auto walk = std::chrono::steady_clock::now();
  v1::ListAllocationDecisionsRequest list;
  list.set_parent(run->name());
  list.set_page_size(200);
  int listed = 0, pages = 0;
  do {
    v1::ListAllocationDecisionsResponse page;
    auto call = testing::ContextWithToken(city);
    const grpc::Status status =
        exchange.enrollment().ListAllocationDecisions(call.get(), list, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    note_reply(page, "ListAllocationDecisions");
    listed += page.decisions_size();
    ++pages;
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  const double walk_seconds = Since(walk);
  EXPECT_EQ(listed, applications);
  v1::GetAllocationRunRequest get_run;
  get_run.set_name(run->name());
  v1::AllocationRun stored;
  context = testing::ContextWithToken(city);
  ASSERT_TRUE(exchange.enrollment().GetAllocationRun(context.get(), get_run, &stored).ok());
  note_reply(stored, "GetAllocationRun");

  // The seats as the applications say: none overbooked, the counters agree.
  EXPECT_EQ(exchange.QueryEnrollment(absl::StrCat(
                "SELECT count(*) FROM (SELECT section_id FROM applications WHERE state = "
                "'ENROLLED' GROUP BY section_id HAVING count(*) > ",
                kCapacity, ") o")),
            0);
  EXPECT_EQ(exchange.QueryEnrollment(
                "SELECT count(*) FROM section_seats s WHERE enrolled <> (SELECT count(*) FROM "
                "applications a WHERE a.section_id = s.section_id AND a.state = 'ENROLLED')"),
            0);
  EXPECT_EQ(exchange.QueryEnrollment("SELECT count(*) FROM applications WHERE state = 'APPROVED'"),
            0);

  std::string stage_times;
  for (const auto& [stage, at] : stages) {
    absl::StrAppendFormat(&stage_times, "  %-44s from %6.3f s\n", stage, at);
  }
  const double copy_seconds = CopyRows(url, applications);
  const double ratio = run_seconds / copy_seconds;
  std::printf(
      "\nRunAllocation at Gyeonggi scale: %d students of %d schools, %d applications, %d "
      "sections of %d seats\n"
      "  %-46s %8.3f s (answered in %.1f ms, %d polls)\n"
      "  %-46s %8.3f s\n"
      "%s"
      "  run / COPY:                                    %.2fx (target at most %.0fx)\n"
      "  decisions: %d enrolled, %d waitlisted, %d not placed; %d pages read in %.2f s\n"
      "  largest reply: %zu bytes (%s; limit %zu)\n\n",
      kStudents, kSchools, applications, kSections, kCapacity,
      "RunAllocation until done (poll every 20 ms)", run_seconds, answered * 1000, polls,
      absl::StrCat("COPY of ", applications, " rows (decisions' shape)").c_str(), copy_seconds,
      stage_times.c_str(), ratio, kMaxRatio, run->enrolled_count(), run->waitlisted_count(),
      run->not_placed_count(), pages, walk_seconds, largest_reply, largest_method.c_str(),
      kMaxReplyBytes);
  EXPECT_LE(largest_reply, kMaxReplyBytes);
  if (const char* path = std::getenv("OSAN_ALLOCATION_RUN_BENCH_JSON");
      path != nullptr && *path != '\0') {
    std::ofstream(path) << absl::StrFormat(
        R"j([{"name": "RunAllocation end to end, Gyeonggi scale (%d applicants, %d sections)",)j"
        R"j( "figure": {"seconds": %.3f, "answered_ms": %.1f},)j"
        R"j( "limit": {"name": "COPY of as many rows", "seconds": %.3f},)j"
        R"j( "ratio": %.2f, "max_ratio": %.1f, "largest_reply_bytes": %d,)j"
        R"j( "met": %s}])j"
        "\n",
        kStudents, kSections, run_seconds, answered * 1000, copy_seconds, ratio, kMaxRatio,
        static_cast<int>(largest_reply),
        ratio <= kMaxRatio && largest_reply <= kMaxReplyBytes ? "true" : "false");
  }
}

}  // namespace
}  // namespace osan::enrollment
