// A service's Prometheus metrics (common/metrics.h), scraped over HTTP from a
// real catalog server: the text parses strictly as Prometheus' exposition
// format (version 0.0.4), and the series count what the test did.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace osan::testing {
namespace {

namespace cv1 = catalog::v1;

// One sample: its metric name and labels (sorted by name), and its value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

bool IsMetricName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) {
    return false;
  }
  for (const char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != ':') {
      return false;
    }
  }
  return true;
}

// Parses `text` as the exposition format, strictly: HELP and TYPE lines
// before their family's samples, each family typed once, every sample of a
// typed family (a histogram's as _bucket, _sum and _count, a summary's also
// as _sum and _count), label values
// quoted with \\, \" and \n escapes, values numbers. Failures are added to
// `errors`.
std::vector<Sample> ParseExposition(const std::string& text, std::vector<std::string>* errors) {
  std::map<std::string, std::string> types;
  std::vector<Sample> samples;
  const auto family_of = [&](const std::string& name) -> std::optional<std::string> {
    if (types.count(name) != 0) {
      return name;
    }
    // A histogram's series, or a summary's _sum and _count.
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      absl::string_view base = name;
      if (!absl::ConsumeSuffix(&base, suffix) || types.count(std::string(base)) == 0) {
        continue;
      }
      const std::string& type = types[std::string(base)];
      if (type == "histogram" || (type == "summary" && std::string(suffix) != "_bucket")) {
        return std::string(base);
      }
    }
    return std::nullopt;
  };
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const std::string where = absl::StrCat("line ", number, ": ", line);
    if (line.empty()) {
      continue;
    }
    if (absl::ConsumePrefix(&line, "# ")) {
      const std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(' ', 2));
      if (parts.size() < 2 || (parts[0] != "HELP" && parts[0] != "TYPE") ||
          !IsMetricName(parts[1])) {
        errors->push_back("bad comment, " + where);
        continue;
      }
      if (parts[0] == "TYPE") {
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (parts.size() != 3 || kTypes.count(parts[2]) == 0 || types.count(parts[1]) != 0) {
          errors->push_back("bad or repeated TYPE, " + where);
        }
        types[parts[1]] = parts.size() == 3 ? parts[2] : "";
      }
      continue;
    }
    Sample sample;
    const size_t name_end = line.find_first_of("{ ");
    sample.name = std::string(line.substr(0, name_end));
    if (name_end == absl::string_view::npos || !IsMetricName(sample.name)) {
      errors->push_back("bad sample name, " + where);
      continue;
    }
    line.remove_prefix(name_end);
    if (absl::ConsumePrefix(&line, "{")) {
      while (!absl::ConsumePrefix(&line, "}")) {
        const size_t eq = line.find("=\"");
        if (eq == absl::string_view::npos || !IsMetricName(line.substr(0, eq))) {
          errors->push_back("bad label, " + where);
          break;
        }
        const std::string label(line.substr(0, eq));
        line.remove_prefix(eq + 2);
        std::string value;
        while (!line.empty() && line[0] != '"') {
          if (line[0] == '\\' && line.size() > 1) {
            value.push_back(line[1] == 'n' ? '\n' : line[1]);
            line.remove_prefix(2);
          } else {
            value.push_back(line[0]);
            line.remove_prefix(1);
          }
        }
        if (!absl::ConsumePrefix(&line, "\"") || sample.labels.count(label) != 0) {
          errors->push_back("bad or repeated label value, " + where);
          break;
        }
        sample.labels[label] = value;
        absl::ConsumePrefix(&line, ",");
      }
    }
    const std::vector<std::string> rest = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (rest.empty() || rest.size() > 2 ||
        !(absl::SimpleAtod(rest[0], &sample.value) || rest[0] == "+Inf" || rest[0] == "-Inf" ||
          rest[0] == "NaN")) {
      errors->push_back("bad value, " + where);
      continue;
    }
    if (!family_of(sample.name)) {
      errors->push_back("sample of no typed family, " + where);
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

// The value of the sample `name` with exactly `labels`, if there is one.
std::optional<double> ValueOf(const std::vector<Sample>& samples, const std::string& name,
                              const std::map<std::string, std::string>& labels) {
  for (const Sample& sample : samples) {
    if (sample.name == name && sample.labels == labels) {
      return sample.value;
    }
  }
  return std::nullopt;
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

TEST(MetricsTest, WithoutAnAddressNoMetricsAreServed) {
  TestService catalog(catalog::CatalogDefinition());
  EXPECT_EQ(catalog.metrics_port(), 0);
}

}  // namespace
}  // namespace osan::testing
