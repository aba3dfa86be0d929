// The listing page over HTTP with a real catalog and enrollment (real
// PostgreSQL): what it lists, seats left as enrollment counts them, the
// snapshot following catalog changes, and hostile requests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/listing/source/listing_source.h"
#include "services/listing/web/http_server.h"
#include "services/listing/web/site.h"
#include "tests/support/exchange_fixture.h"
#include "tests/support/exposition.h"
#include "tests/support/http_client.h"

namespace osan::listing {
namespace {

namespace cv1 = catalog::v1;
using ::testing::HasSubstr;
using testing::HttpCall;
using testing::HttpGet;
using testing::kAcademy;
using testing::kSchoolA;
using ::testing::Not;

class ListingPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange_.CreateBasics();
    ai_ = exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 2, cv1::TUESDAY, 18);
    math_ = exchange_.CreateSection(kSchoolA, "고급 수학", cv1::FIRST_COME, 3, cv1::MONDAY, 18);
    enrollment::v1::Application application;
    ASSERT_TRUE(exchange_
                    .Apply(exchange_.CreateStudent(kSchoolA, "s-1").name(), ai_.name(), 1, true,
                           &application)
                    .ok());
    ASSERT_EQ(application.state(), enrollment::v1::ENROLLED);
    Refresh();
    auto server = HttpServer::Start(
        "127.0.0.1:0", 2, [this](const HttpRequest& request) { return site_.Handle(request); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // One successful poll, as the page's poller would make it: a poll that
  // fails (a busy machine missing the call timeout) is tried again.
  void Refresh() {
    absl::Status status;
    for (const absl::Time deadline = absl::Now() + absl::Seconds(30); absl::Now() < deadline;) {
      status = source_.Refresh();
      if (status.ok()) {
        return;
      }
      ++failed_polls_;
    }
    FAIL() << status;
  }

  static std::string IdOf(const cv1::Section& section) {
    return section.name().substr(section.name().rfind('/') + 1);
  }

  int port() const { return server_->port(); }

  testing::Exchange exchange_;
  cv1::Section ai_, math_;
  ListingSource source_{exchange_.catalog_service().channel(),
                        exchange_.enrollment_service().channel(), nullptr, absl::Seconds(5)};
  Site site_{Pages(), [this] { return source_.Current(); }};
  std::unique_ptr<HttpServer> server_;
  int failed_polls_ = 0;
};

TEST_F(ListingPageTest, ListsTheTermWithSeatsLeftAsEnrollmentCountsThem) {
  const testing::HttpReply page = HttpGet(port(), "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(page.body, HasSubstr("인공지능 기초"));
  EXPECT_THAT(page.body, HasSubstr("고급 수학"));
  const testing::HttpReply section = HttpGet(port(), "/sections/" + IdOf(ai_));
  ASSERT_EQ(section.status, 200);
  EXPECT_THAT(section.body, HasSubstr("<dd id=\"seats-left\">1석"));
  EXPECT_THAT(section.body, Not(HasSubstr("s-1"))) << "no student ever appears";
  EXPECT_THAT(section.body, Not(HasSubstr("학생 s-1")));
}

TEST_F(ListingPageTest, FiltersByDayAndKeyword) {
  const testing::HttpReply tuesday = HttpGet(port(), "/?day=%ED%99%94");  // 화
  ASSERT_EQ(tuesday.status, 200) << tuesday.body;
  EXPECT_THAT(tuesday.body, HasSubstr("인공지능 기초"));
  EXPECT_THAT(tuesday.body, Not(HasSubstr(">고급 수학<")));
  const testing::HttpReply keyword = HttpGet(port(), "/?q=%EC%88%98%ED%95%99");  // 수학
  EXPECT_THAT(keyword.body, HasSubstr(">고급 수학<"));
  EXPECT_THAT(keyword.body, Not(HasSubstr(">인공지능 기초<")));
}

TEST_F(ListingPageTest, ANewSectionAppearsAfterTheNextRefresh) {
  const cv1::Section added =
      exchange_.CreateSection(kSchoolA, "천문학 탐구", cv1::LOTTERY, 10, cv1::FRIDAY, 18);
  Refresh();
  const testing::HttpReply page = HttpGet(port(), "/");
  EXPECT_THAT(page.body, HasSubstr("천문학 탐구"));
  EXPECT_EQ(HttpGet(port(), "/sections/" + IdOf(added)).status, 200);
}

TEST_F(ListingPageTest, CachingHeadersAndCompression) {
  const testing::HttpReply page = HttpGet(port(), "/", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(page.headers.at("cache-control"), "public, max-age=10");
  const std::string etag = page.headers.at("etag");
  EXPECT_EQ(HttpGet(port(), "/", {{"If-None-Match", etag}}).status, 304);
  const testing::HttpReply head = HttpCall(port(), "HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ListingPageTest, HostileRequestsGet4xxAndTheServerKeepsServing) {
  std::string many = "/?";
  for (int i = 0; i < 10000; ++i) {
    absl::StrAppend(&many, "a", i, "=1&");
  }
  const int long_status = HttpGet(port(), many).status;
  EXPECT_GE(long_status, 400);
  EXPECT_LT(long_status, 500);
  EXPECT_EQ(HttpGet(port(), "/?day=%EC%9B%94&day=%ED%99%94").status, 400);
  EXPECT_EQ(HttpGet(port(), "/sections/../../etc/passwd").status, 404);
  EXPECT_EQ(HttpGet(port(), "/%2e%2e/%2e%2e/etc/passwd").status, 404);
  EXPECT_EQ(HttpGet(port(), "/?q=" + std::string(300, 'x')).status, 400);
  EXPECT_EQ(HttpGet(port(), "/?day=%FF").status, 400);
  EXPECT_EQ(HttpCall(port(), "POST", "/").status, 405);
  EXPECT_EQ(HttpCall(port(), "DELETE", "/sections/x").status, 405);
  EXPECT_EQ(HttpGet(port(), "/healthz").status, 200);
  EXPECT_EQ(HttpGet(port(), "/").status, 200) << "still serving";
}

TEST_F(ListingPageTest, MetricsCountRequestsByRouteAndStatusAndTheListingsAge) {
  auto metrics = Metrics::Serve("127.0.0.1:0", "listing");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  source_.SampleInto(**metrics);
  auto observed = HttpServer::Start("127.0.0.1:0", 1,
                                    Observed(metrics->get(), [this](const HttpRequest& request) {
                                      return site_.Handle(request);
                                    }));
  ASSERT_TRUE(observed.ok()) << observed.status();
  const int page_port = (*observed)->port();
  EXPECT_EQ(HttpGet(page_port, "/?day=%EC%9B%94").status, 200);
  EXPECT_EQ(HttpGet(page_port, "/").status, 200);
  EXPECT_EQ(HttpGet(page_port, "/?day=%FF").status, 400);
  EXPECT_EQ(HttpGet(page_port, "/sections/" + IdOf(ai_)).status, 200);
  EXPECT_EQ(HttpGet(page_port, "/sections/nowhere").status, 404);
  EXPECT_EQ(HttpGet(page_port, "/etc/passwd").status, 404);

  const testing::HttpReply scrape = HttpGet((*metrics)->port(), "/metrics");
  ASSERT_EQ(scrape.status, 200);
  std::vector<std::string> errors;
  const std::vector<testing::Sample> samples = testing::ParseExposition(scrape.body, &errors);
  EXPECT_THAT(errors, ::testing::IsEmpty());
  const auto requests = [&samples](const std::string& route, const std::string& code) {
    return testing::ValueOf(samples, "osan_http_requests_total",
                            {{"service", "listing"}, {"route", route}, {"code", code}});
  };
  EXPECT_EQ(requests("/", "200"), 2);
  EXPECT_EQ(requests("/", "400"), 1);
  EXPECT_EQ(requests("/sections/{id}", "200"), 1);
  EXPECT_EQ(requests("/sections/{id}", "404"), 1);
  EXPECT_EQ(requests("other", "404"), 1);
  EXPECT_EQ(testing::ValueOf(samples, "osan_http_request_duration_seconds_count",
                             {{"service", "listing"}, {"route", "/"}}),
            3);
  // SetUp polled until a poll succeeded.
  const std::optional<double> age =
      testing::ValueOf(samples, "osan_listing_age_seconds", {{"service", "listing"}});
  ASSERT_TRUE(age.has_value());
  EXPECT_GE(*age, 0);
  EXPECT_EQ(
      testing::ValueOf(samples, "osan_listing_refresh_failures_total", {{"service", "listing"}}),
      failed_polls_);
}

}  // namespace
}  // namespace osan::listing
