// Memory of each service process: resident set (VmRSS) idle after start, and
// resident and peak (VmHWM) after 256 calls in flight for a few seconds on
// its health check and, for catalog and enrollment, a public and an
// authenticated method (the city's token, per-institution rate limit off; no
// data is loaded: what is measured is the serving machinery, not caches of
// data). Catalog, enrollment and
// credit-record run as their own processes over a throwaway PostgreSQL (tools/dev bench). Prints a
// table; with --json FILE, writes the figures for bench.json. Target: idle at
// most 64 MiB. See docs/performance.md.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.pb.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "tests/bench/grpc_load.h"
#include "tests/support/service_process.h"

namespace osan::bench {
namespace {

constexpr double kIdleTargetMiB = 64;

// A field of /proc/PID/status in MiB ("VmRSS", "VmHWM"); 0 if absent.
double StatusMiB(pid_t pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream values(line.substr(field.size() + 1));
      double kib = 0;
      values >> kib;
      return kib / 1024;
    }
  }
  return 0;
}

struct Figures {
  std::string service;
  double idle = 0;
  double loaded = 0;
  double peak = 0;
  int64_t calls = 0;
  int64_t errors = 0;
};

// A method to load a service with: its name, request, and bearer token
// (empty for methods needing none).
struct Load {
  std::string method;
  const google::protobuf::Message* request;
  std::string token;
};

// Idle, then loaded with each of `calls` in turn.
Figures Measure(const std::string& service, const testing::ServiceProcess& process,
                const std::vector<Load>& calls) {
  Figures figures{service};
  absl::SleepFor(absl::Seconds(2));  // settled
  figures.idle = StatusMiB(process.pid(), "VmRSS");
  LoadOptions options;
  options.duration = absl::Seconds(3);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < options.channels; ++i) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("osan.channel", i);  // one connection each
    channels.push_back(grpc::CreateCustomChannel(process.address(),
                                                 grpc::InsecureChannelCredentials(), arguments));
  }
  for (const Load& load : calls) {
    options.bearer_token = load.token;
    const LoadResult result = DriveUnary(channels, load.method, *load.request, options);
    figures.calls += result.ok();
    figures.errors += result.refused() + result.failed();
  }
  figures.loaded = StatusMiB(process.pid(), "VmRSS");
  figures.peak = StatusMiB(process.pid(), "VmHWM");
  return figures;
}

int Run(int argc, char** argv) {
  std::string json_path;
  if (argc == 3 && std::string(argv[1]) == "--json") {
    json_path = argv[2];
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: service_memory_bench [--json FILE]\n");
    return 2;
  }
  const auto key_file = [](const std::string& service) {
    return testing::WriteSecretFile(testing::TestKeys::Get().service_private_key_pem(service));
  };
  testing::ServiceProcess catalog(OSAN_CATALOG_SERVER, {{"OSAN_RATE_LIMIT_PER_SECOND", "0"}});
  testing::ServiceProcess enrollment(OSAN_ENROLLMENT_SERVER,
                                     {{"OSAN_CATALOG_ADDRESS", catalog.address()},
                                      {"OSAN_SERVICE_SIGNING_KEY", key_file("SVC-ENROLLMENT")},
                                      {"OSAN_RATE_LIMIT_PER_SECOND", "0"}});
  testing::ServiceProcess credit(OSAN_CREDIT_SERVER,
                                 {{"OSAN_CATALOG_ADDRESS", catalog.address()},
                                  {"OSAN_ENROLLMENT_ADDRESS", enrollment.address()},
                                  {"OSAN_SERVICE_SIGNING_KEY", key_file("SVC-CREDIT")}});
  const grpc::health::v1::HealthCheckRequest health;
  enrollment::v1::ListSeatCountsRequest seats;
  seats.set_term("terms/2027-1");
  const std::string check = "/grpc.health.v1.Health/Check";
  // OSAN-CITY is in every catalog from its first start.
  const std::string city = testing::TestKeys::Get().Token("OSAN-CITY", auth::v1::CITY);
  const catalog::v1::ListInstitutionsRequest institutions;
  enrollment::v1::CountApplicationsRequest counts;
  counts.set_term("terms/2027-1");
  const std::vector<Figures> all = {
      Measure("catalog", catalog,
              {{check, &health, ""},
               {"/osan.catalog.v1.CatalogService/ListInstitutions", &institutions, city}}),
      Measure("enrollment", enrollment,
              {{check, &health, ""},
               {"/osan.enrollment.v1.PublicSeatsService/ListSeatCounts", &seats, ""},
               {"/osan.enrollment.v1.EnrollmentService/CountApplications", &counts, city}}),
      Measure("credit-record", credit, {{check, &health, ""}}),
  };
  std::printf("%-14s %9s %11s %9s %10s %7s\n", "service", "idle MiB", "loaded MiB", "peak MiB",
              "calls", "errors");
  std::vector<std::string> items;
  for (const Figures& f : all) {
    std::printf("%-14s %9.1f %11.1f %9.1f %10lld %7lld\n", f.service.c_str(), f.idle, f.loaded,
                f.peak, static_cast<long long>(f.calls), static_cast<long long>(f.errors));
    items.push_back(absl::StrFormat(
        R"j({"name": "memory of %s (RSS)", "figure": {"idle_mib": %.1f, "loaded_mib": %.1f,)j"
        R"j( "peak_mib": %.1f, "calls": %d, "errors": %d}, "limit": {"idle_mib": %.0f},)j"
        R"j( "met": %s})j",
        f.service, f.idle, f.loaded, f.peak, f.calls, f.errors, kIdleTargetMiB,
        f.idle <= kIdleTargetMiB ? "true" : "false"));
  }
  std::printf("target: idle at most %.0f MiB per service\n", kIdleTargetMiB);
  if (!json_path.empty()) {
    std::ofstream(json_path) << "[" << absl::StrJoin(items, ", ") << "]\n";
  }
  return 0;
}

}  // namespace
}  // namespace osan::bench

int main(int argc, char** argv) { return osan::bench::Run(argc, argv); }
