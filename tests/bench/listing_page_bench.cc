// The listing page's throughput and latency against its own /healthz, side
// by side in one run on one machine: the same HTTP server (services/listing
// web layer) serving a city-sized snapshot, driven by keep-alive clients
// with a fixed number of requests in flight. Prints one line per endpoint
// and the ratios; with --json FILE, also one JSON object in FILE (for
// tools/dev bench).
//
// Targets (issue "What people see"): `/` at >= 0.8x the /healthz rate, and
// its p99 within 3x the /healthz p99 at 256 requests in flight.
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/listing/web/http_server.h"
#include "services/listing/web/site.h"

namespace osan::listing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
namespace cv1 = catalog::v1;

// A snapshot the size of a city's term: `count` sections of 40 hosts in 6 areas.
std::shared_ptr<const Listing> CityListing(int count) {
  static const char* const kAreas[] = {"중앙", "세교", "대원", "남촌", "신장", "초평"};
  std::vector<cv1::PublicSection> sections;
  std::vector<enrollment::v1::SeatCount> seats;
  for (int i = 0; i < count; ++i) {
    cv1::PublicSection section;
    section.set_name(absl::StrCat("terms/2027-1/sections/s", i));
    section.set_term("terms/2027-1");
    section.set_title(absl::StrCat("공동교육과정 과목 ", 1000 + i));
    section.set_description("고교학점제 공동교육과정으로 여러 학교 학생이 함께 듣는 강좌입니다.");
    section.set_category(static_cast<cv1::Category>(1 + i % 5));
    section.set_credits(1 + i % 4);
    section.set_delivery_mode(static_cast<cv1::DeliveryMode>(1 + i % 3));
    section.set_host(absl::StrCat("institutions/HOST-", i % 40));
    section.set_host_display_name(absl::StrCat("개설 기관 ", i % 40));
    section.set_host_area(kAreas[i % 6]);
    section.set_location("본관 2층 강의실");
    section.set_capacity(20 + i % 11);
    section.set_allocation_policy(static_cast<cv1::AllocationPolicy>(1 + i % 4));
    cv1::WeeklyMeeting* meeting = section.add_weekly_meetings();
    meeting->set_weekday(static_cast<cv1::Weekday>(1 + i % 5));
    meeting->mutable_start_time()->set_hours(15 + i % 3);
    meeting->mutable_end_time()->set_hours(18 + i % 3);
    section.mutable_application_open_time()->set_seconds(1803600000);
    section.mutable_application_close_time()->set_seconds(1804200000);
    enrollment::v1::SeatCount count_of;
    count_of.set_section(section.name());
    count_of.set_capacity(section.capacity());
    count_of.set_enrolled(i % 17);
    seats.push_back(count_of);
    sections.push_back(std::move(section));
  }
  return std::make_shared<const Listing>("terms/2027-1", "bench", std::move(sections), seats,
                                         "bench");
}

// What the clients saw, over one or more timed runs.
struct Figures {
  std::vector<double> latencies_ms;  // of each 200 answer
  double seconds = 0;
  int64_t errors = 0;

  double per_second() const { return seconds > 0 ? latencies_ms.size() / seconds : 0; }
  // The q-quantile (0..1) of the latencies; zero if there are none.
  double Quantile(double q) const {
    if (latencies_ms.empty()) {
      return 0;
    }
    std::vector<double> sorted = latencies_ms;
    const size_t at = std::min(sorted.size() - 1, static_cast<size_t>(sorted.size() * q));
    std::nth_element(sorted.begin(), sorted.begin() + at, sorted.end());
    return sorted[at];
  }
  void Merge(const Figures& other) {
    latencies_ms.insert(latencies_ms.end(), other.latencies_ms.begin(), other.latencies_ms.end());
    seconds += other.seconds;
    errors += other.errors;
  }
};

// One keep-alive connection sending `target` again and again until `end`.
class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(net::io_context& io, int port, std::string target, Clock::time_point end,
         std::vector<double>& latencies, std::mutex& mu, std::atomic<int64_t>& errors)
      : stream_(io), port_(port), end_(end), latencies_(latencies), mu_(mu), errors_(errors) {
    request_ = {http::verb::get, target, 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set(http::field::accept_encoding, "gzip");
    // Room for a whole answer, so that one is read in one receive, as a
    // browser's network stack reads it.
    buffer_.reserve(64 * 1024);
  }

  void Start() {
    stream_.async_connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)),
        [self = shared_from_this()](beast::error_code error) {
          if (error) {
            ++self->errors_;
            return;
          }
          self->Send();
        });
  }

 private:
  void Send() {
    if (Clock::now() >= end_) {
      return;
    }
    sent_ = Clock::now();
    http::async_write(
        stream_, request_, [self = shared_from_this()](beast::error_code error, size_t) {
          if (error) {
            ++self->errors_;
            return;
          }
          self->response_ = {};
          http::async_read(
              self->stream_, self->buffer_, self->response_,
              [self](beast::error_code read_error, size_t) { self->OnRead(read_error); });
        });
  }

  void OnRead(beast::error_code error) {
    if (error || response_.result_int() != 200) {
      ++errors_;
      return;
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent_).count();
    {
      std::lock_guard<std::mutex> lock(mu_);
      latencies_.push_back(ms);
    }
    Send();
  }

  beast::tcp_stream stream_;
  const int port_;
  const Clock::time_point end_;
  http::request<http::empty_body> request_;
  http::response<http::string_body> response_;
  beast::flat_buffer buffer_;
  Clock::time_point sent_;
  std::vector<double>& latencies_;
  std::mutex& mu_;
  std::atomic<int64_t>& errors_;
};

Figures Drive(int port, const std::string& target, int in_flight, double seconds) {
  net::io_context io;
  std::vector<double> latencies;
  std::mutex mu;
  std::atomic<int64_t> errors{0};
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int i = 0; i < in_flight; ++i) {
    std::make_shared<Client>(io, port, target, end, latencies, mu, errors)->Start();
  }
  io.run();
  Figures figures;
  figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  figures.errors = errors;
  figures.latencies_ms = std::move(latencies);
  return figures;
}

int Main(int argc, char** argv) {
  // --json FILE: the figures also go to FILE as one JSON object.
  const std::string json_path = argc > 2 && std::string(argv[1]) == "--json" ? argv[2] : "";
  constexpr int kSections = 600;
  constexpr int kInFlight = 256;
  constexpr double kSeconds = 5;
  const std::shared_ptr<const Listing> listing = CityListing(kSections);
  Site site(Pages(), [&listing] { return listing; });
  auto server = HttpServer::Start(
      "127.0.0.1:0", 2, [&site](const HttpRequest& request) { return site.Handle(request); });
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  const int port = (*server)->port();
  Drive(port, "/", 8, 1);  // warm up: the first render of each page is cached
  // Alternately, two rounds each, so that drift of a shared machine falls on
  // both figures.
  Figures health, page, filtered;
  for (int round = 0; round < 2; ++round) {
    health.Merge(Drive(port, "/healthz", kInFlight, kSeconds));
    page.Merge(Drive(port, "/", kInFlight, kSeconds));
  }
  filtered.Merge(Drive(port, "/?day=%ED%99%94&sort=seats", kInFlight, kSeconds));
  const double rate_ratio = page.per_second() / health.per_second();
  const double p99_ratio = page.Quantile(0.99) / health.Quantile(0.99);
  if (!json_path.empty()) {
    std::ofstream(json_path) << absl::StrFormat(
        R"({"page_per_second":%.0f,"page_p99_ms":%.2f,"healthz_per_second":%.0f,)"
        R"("healthz_p99_ms":%.2f,"filtered_per_second":%.0f,"page_rate_ratio":%.3f,)"
        R"("page_p99_ratio":%.3f,"errors":%d,"sections":%d,"in_flight":%d})"
        "\n",
        page.per_second(), page.Quantile(0.99), health.per_second(), health.Quantile(0.99),
        filtered.per_second(), rate_ratio, p99_ratio, page.errors + health.errors + filtered.errors,
        kSections, kInFlight);
  }
  std::printf(
      "listing page, %d sections, %d requests in flight, %.0f s each (/healthz and / alternated, "
      "2 rounds each)\n",
      kSections, kInFlight, kSeconds);
  std::printf("  %-28s %10s %10s %10s %7s\n", "", "req/s", "p50 ms", "p99 ms", "errors");
  const auto row = [](const char* name, const Figures& f) {
    std::printf("  %-28s %10.0f %10.2f %10.2f %7lld\n", name, f.per_second(), f.Quantile(0.5),
                f.Quantile(0.99), static_cast<long long>(f.errors));
  };
  row("/healthz", health);
  row("/ (gzip)", page);
  row("/?day=화&sort=seats (gzip)", filtered);
  std::printf("  / rate vs /healthz: %.2fx (target >= 0.8); p99 vs /healthz: %.2fx (target <= 3)\n",
              rate_ratio, p99_ratio);
  return 0;
}

}  // namespace
}  // namespace osan::listing

int main(int argc, char** argv) { return osan::listing::Main(argc, argv); }
