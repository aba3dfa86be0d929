// A service's Prometheus metrics (common/metrics.h), scraped over HTTP from
// real servers: the text parses strictly as Prometheus' exposition format
// (version 0.0.4), and the series count what the test did.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "tests/support/exchange_fixture.h"
#include "tests/support/exposition.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace osan::testing {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;

// The samples served on `port`'s /metrics, which must parse strictly.
std::vector<Sample> Scrape(int port) {
  const HttpReply scrape = HttpGet(port, "/metrics");
  EXPECT_EQ(scrape.status, 200);
  std::vector<std::string> errors;
  std::vector<Sample> samples = ParseExposition(scrape.body, &errors);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
  return samples;
}

TEST(MetricsTest, AScrapeParsesAndCountsTheCallsAndTheFoundation) {
  TestService catalog(catalog::CatalogDefinition(), [](ServiceConfig& config) {
    config.metrics_address = "127.0.0.1:0";
    config.failed_auth_rate_per_second = 0.001;
    config.failed_auth_burst = 2;
    config.public_rate_limit_per_second = 0.001;
    config.public_rate_limit_burst = 1;
  });
  ASSERT_GT(catalog.metrics_port(), 0);
  auto stub = cv1::CatalogService::NewStub(catalog.channel());
  auto listing = cv1::PublicListingService::NewStub(catalog.channel());
  // Three calls without a token: two refused as UNAUTHENTICATED, the third
  // throttled as a failed authentication.
  for (int i = 0; i < 3; ++i) {
    cv1::GetTermRequest request;
    request.set_name("terms/2026-1");
    cv1::Term term;
    auto context = ContextWithToken("");
    const grpc::Status status = stub->GetTerm(context.get(), request, &term);
    EXPECT_EQ(status.error_code(),
              i < 2 ? grpc::StatusCode::UNAUTHENTICATED : grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  // A public call (with no term open, refused: counted by its code all the same).
  cv1::ListPublicSectionsRequest list;
  cv1::ListPublicSectionsResponse listed;
  auto context = ContextWithToken("");
  const grpc::Status public_call = listing->ListPublicSections(context.get(), list, &listed);
  const std::string public_code =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(public_call.error_code()));
  // A second one, over the address's public limit.
  context = ContextWithToken("");
  EXPECT_EQ(listing->ListPublicSections(context.get(), list, &listed).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  const HttpReply scrape = HttpGet(catalog.metrics_port(), "/metrics");
  ASSERT_EQ(scrape.status, 200);
  EXPECT_TRUE(absl::StartsWith(scrape.headers.at("content-type"), "text/plain"))
      << scrape.headers.at("content-type");
  std::vector<std::string> errors;
  const std::vector<Sample> samples = ParseExposition(scrape.body, &errors);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");

  const std::string get_term = "CatalogService.GetTerm";
  EXPECT_EQ(ValueOf(samples, "osan_rpc_calls_total",
                    {{"service", "catalog"}, {"method", get_term}, {"code", "UNAUTHENTICATED"}}),
            2);
  EXPECT_EQ(ValueOf(samples, "osan_rpc_calls_total",
                    {{"service", "catalog"}, {"method", get_term}, {"code", "RESOURCE_EXHAUSTED"}}),
            1);
  EXPECT_EQ(ValueOf(samples, "osan_rpc_calls_total",
                    {{"service", "catalog"},
                     {"method", "PublicListingService.ListPublicSections"},
                     {"code", public_code}}),
            1);
  EXPECT_EQ(ValueOf(samples, "osan_rpc_duration_seconds_count",
                    {{"service", "catalog"}, {"method", get_term}}),
            3);
  EXPECT_EQ(ValueOf(samples, "osan_rpc_duration_seconds_bucket",
                    {{"service", "catalog"}, {"method", get_term}, {"le", "+Inf"}}),
            3);
  EXPECT_EQ(ValueOf(samples, "osan_rate_limit_refusals_total",
                    {{"service", "catalog"}, {"limit", "failed_authentication"}}),
            1);
  EXPECT_EQ(ValueOf(samples, "osan_rate_limit_refusals_total",
                    {{"service", "catalog"}, {"limit", "public_address"}}),
            1);
  EXPECT_EQ(ValueOf(samples, "osan_rpc_calls_total",
                    {{"service", "catalog"},
                     {"method", "PublicListingService.ListPublicSections"},
                     {"code", "RESOURCE_EXHAUSTED"}}),
            1);
  EXPECT_EQ(ValueOf(samples, "osan_db_pool_size", {{"service", "catalog"}}), 4);
  EXPECT_EQ(ValueOf(samples, "osan_database_up", {{"service", "catalog"}}), 1);
  const std::optional<double> open =
      ValueOf(samples, "osan_db_pool_open_connections", {{"service", "catalog"}});
  ASSERT_TRUE(open.has_value());
  EXPECT_GE(*open, 1);
  EXPECT_LE(*open, 4);
  EXPECT_EQ(ValueOf(samples, "osan_worker_queue_depth", {{"service", "catalog"}}), 0);
  EXPECT_EQ(ValueOf(samples, "osan_db_errors_total", {{"service", "catalog"}}), 0);
}

TEST(MetricsTest, EnrollmentCountsItsSeatBatchesAndFeedMessages) {
  Exchange exchange([](ServiceConfig& config) { config.metrics_address = "127.0.0.1:0"; });
  const int port = exchange.enrollment_service().metrics_port();
  ASSERT_GT(port, 0);
  const std::map<std::string, std::string> enrollment = {{"service", "enrollment"}};
  std::vector<Sample> before = Scrape(port);
  EXPECT_EQ(ValueOf(before, "osan_seat_batches_total", enrollment), 0);
  EXPECT_EQ(ValueOf(before, "osan_feed_messages_sent_total", enrollment), 0);

  exchange.CreateBasics();
  const cv1::Section section =
      exchange.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 5, cv1::TUESDAY, 18);
  for (int i = 0; i < 3; ++i) {
    ev1::Application application;
    const ev1::Student student = exchange.CreateStudent(kSchoolA, absl::StrCat("s-", i));
    ASSERT_TRUE(exchange.Apply(student.name(), section.name(), 1, true, &application).ok());
    ASSERT_EQ(application.state(), ev1::ENROLLED);
  }
  // The change feed read until the three enrolments arrived; each stream
  // ends once caught up.
  const std::vector<ev1::ChangeEvent> events =
      exchange.ReadChanges(exchange.Token(kSchoolA, auth::v1::SCHOOL), 3);
  ASSERT_GE(events.size(), 3u);

  // A stream is closed on the server just after its client saw it end.
  std::vector<Sample> after = Scrape(port);
  for (const absl::Time deadline = absl::Now() + absl::Seconds(10);
       ValueOf(after, "osan_feed_streams_open", enrollment) != 0 && absl::Now() < deadline;) {
    after = Scrape(port);
  }
  // Three seats taken one after the other: three batches of one change each
  // (coalescing joins only changes that wait together).
  EXPECT_EQ(ValueOf(after, "osan_seat_batches_total", enrollment), 3);
  EXPECT_EQ(ValueOf(after, "osan_seat_batch_changes_total", enrollment), 3);
  EXPECT_EQ(ValueOf(after, "osan_feed_messages_sent_total", enrollment),
            static_cast<double>(events.size()));
  EXPECT_EQ(ValueOf(after, "osan_feed_streams_open", enrollment), 0);
  EXPECT_EQ(ValueOf(after, "osan_feed_lag_seconds", enrollment), 0);
}

TEST(MetricsTest, WithoutAnAddressNoMetricsAreServed) {
  TestService catalog(catalog::CatalogDefinition());
  EXPECT_EQ(catalog.metrics_port(), 0);
}

}  // namespace
}  // namespace osan::testing
