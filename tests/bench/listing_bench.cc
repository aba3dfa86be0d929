// What the public sees, side by side with the cheapest call of the same
// server: `PublicListingService.ListPublicSections` (the current term, a
// page of 50 from a few hundred sections) against `grpc.health.v1.Health/
// Check` of the same catalog server, a real catalog-server process over TLS
// on a throwaway PostgreSQL, both driven from one client address with 256
// calls in flight. Prints a table and writes the figures to the JSON file
// named by $OSAN_BENCH_JSON (tools/dev bench: bench.json). See
// docs/performance.md for what each figure means and its target.
//
// Targets (issue "the city's listing page"): listing calls/s at least 0.8x
// the health check's, no refusals, and the listing's p99 within 3x the
// health check's p99. Exits 1 when a target is missed by more than kNoise.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "tests/bench/grpc_load.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"
#include "tests/support/test_pki.h"

namespace osan::bench {
namespace {

namespace cv1 = catalog::v1;

constexpr int kSchools = 8;
constexpr int kCoursesPerSchool = 12;
constexpr int kSectionsPerCourse = 3;

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "listing bench: %s\n", why.c_str());
  std::exit(2);
}

// What one measured method did.
struct Figure {
  std::string name;
  LoadResult load;
};

// A figure and the limit it is held against, measured in the same run on
// the same server, alternately (two rounds each) so that drift of a noisy
// machine falls on both.
struct Comparison {
  std::string name;
  Figure figure;
  Figure limit;
  // Targets: figure calls/s >= min_ratio x limit calls/s; no refusals or
  // errors; figure p99 <= max_p99_ratio x limit p99.
  double min_ratio = 0.8;
  double max_p99_ratio = 3;

  double ratio() const {
    return limit.load.ok_per_second() > 0 ? figure.load.ok_per_second() / limit.load.ok_per_second()
                                          : 0;
  }
  double p99_ratio() const {
    const absl::Duration limit_p99 = limit.load.Quantile(0.99);
    return limit_p99 > absl::ZeroDuration()
               ? absl::FDivDuration(figure.load.Quantile(0.99), limit_p99)
               : 0;
  }
  bool met() const { return MetWithin(0); }
  // Whether the targets hold when ratios may miss them by `noise` (a share):
  // what a run on a noisy machine can still vouch for. Refusals and errors
  // have no noise.
  bool MetWithin(double noise) const {
    return ratio() >= min_ratio * (1 - noise) && p99_ratio() <= max_p99_ratio * (1 + noise) &&
           figure.load.refused() == 0 && figure.load.failed() == 0;
  }
};

// How far apart two runs of the same build land on a shared 2-core machine.
constexpr double kNoise = 0.10;

// The servers under test and how to reach them.
struct Servers {
  std::string catalog_address;
  std::string ca_pem;
};

// Measures one comparison on the running servers.
using Measure = std::function<Comparison(const Servers&)>;

LoadOptions OptionsFromEnvironment() {
  LoadOptions options;
  if (const char* seconds = std::getenv("OSAN_BENCH_SECONDS"); seconds != nullptr) {
    options.duration = absl::Seconds(std::max(1, std::atoi(seconds)));
  }
  return options;  // 4 channels x 64 calls: 256 in flight
}

// ListPublicSections with `request` against Health/Check of the same
// server, run alternately (two rounds each) on the same connections.
Comparison ListingAgainstHealth(const Servers& servers, const std::string& name,
                                const std::string& figure_name,
                                const cv1::ListPublicSectionsRequest& request) {
  const LoadOptions options = OptionsFromEnvironment();
  const auto channels = TlsChannels(servers.catalog_address, servers.ca_pem, options.channels);
  const grpc::health::v1::HealthCheckRequest health;
  Comparison comparison{name, {figure_name, {}}, {"grpc.health.v1.Health/Check", {}}};
  for (int round = 0; round < 2; ++round) {
    comparison.limit.load.Merge(
        DriveUnary(channels, "/grpc.health.v1.Health/Check", health, options));
    comparison.figure.load.Merge(DriveUnary(
        channels, "/osan.catalog.v1.PublicListingService/ListPublicSections", request, options));
  }
  return comparison;
}

// The default request (the current term's first 20 sections, basic view)
// against Health/Check.
Comparison ListingAgainstHealthCheck(const Servers& servers) {
  return ListingAgainstHealth(servers, "public listing vs health check (gRPC, TLS)",
                              "PublicListingService.ListPublicSections",
                              cv1::ListPublicSectionsRequest());
}

// A caller that holds the current version (a front end revalidating its
// copy) against Health/Check: the listing answers `not_modified`.
Comparison RevalidationAgainstHealthCheck(const Servers& servers) {
  cv1::ListPublicSectionsResponse current;
  grpc::ClientContext context;
  if (!cv1::PublicListingService::NewStub(
           TlsChannels(servers.catalog_address, servers.ca_pem, 1)[0])
           ->ListPublicSections(&context, cv1::ListPublicSectionsRequest(), &current)
           .ok()) {
    Fail("cannot read the listing's version");
  }
  cv1::ListPublicSectionsRequest revalidate;
  revalidate.set_known_version(current.version());
  return ListingAgainstHealth(servers, "listing revalidation vs health check (gRPC, TLS)",
                              "ListPublicSections, not modified", revalidate);
}

// Every comparison the bench makes. The listing page's `/` against its own
// `/healthz` joins here as another Measure once the page server exists: an
// HTTP driver fills the same LoadResult (answers by status, 429/503 counted
// as refused), and Servers gains the page's address.
const std::vector<Measure>& Measures() {
  static const auto* const measures =
      new std::vector<Measure>{ListingAgainstHealthCheck, RevalidationAgainstHealthCheck};
  return *measures;
}

// ----- Demo-sized data -------------------------------------------------------

class Seeder {
 public:
  explicit Seeder(std::shared_ptr<grpc::Channel> channel)
      : catalog_(cv1::CatalogService::NewStub(channel)),
        city_(testing::TestKeys::Get().Token("OSAN-CITY", auth::v1::CITY)) {}

  // kSchools schools, a term open for applications now, and for each school
  // kCoursesPerSchool courses of kSectionsPerCourse published sections.
  int Seed() {
    static const char* const kAreas[] = {"세교", "대원", "중앙", "남촌"};
    static const char* const kSubjects[] = {"인공지능 기초",  "데이터 과학",      "기하",
                                            "물리학 실험",    "경제 수학",        "심리학",
                                            "창의 공학",      "영어 발표",        "한국 문학",
                                            "생명 과학 탐구", "음악 감상과 비평", "미술 창작"};
    const cv1::Term term = CreateTerm();
    int sections = 0;
    for (int school = 1; school <= kSchools; ++school) {
      cv1::Institution institution;
      institution.set_kind(cv1::HIGH_SCHOOL);
      institution.set_display_name(absl::StrCat("오산", school, "고등학교"));
      institution.set_office_code("J10");
      institution.set_school_code(absl::StrFormat("75310%02d", school));
      institution.set_area(kAreas[school % 4]);
      institution.set_address(absl::StrCat("경기도 오산시 학교로 ", school));
      const std::string host =
          absl::StrCat("institutions/J10-75310", absl::StrFormat("%02d", school));
      Create(&cv1::CatalogService::Stub::CreateInstitution,
             [&](cv1::CreateInstitutionRequest& r) { *r.mutable_institution() = institution; });
      for (int c = 0; c < kCoursesPerSchool; ++c) {
        const cv1::Course course =
            Create(&cv1::CatalogService::Stub::CreateCourse, [&](cv1::CreateCourseRequest& r) {
              cv1::Course* course = r.mutable_course();
              course->set_title(absl::StrCat(kSubjects[c], " ", school, "반"));
              course->set_category(cv1::CAREER_ELECTIVE);
              course->set_subject_area(cv1::LIFE_AND_LIBERAL);
              course->set_credits(2);
              course->set_delivery_mode(cv1::IN_PERSON);
              course->set_host(host);
              course->set_description(absl::StrCat(
                  kSubjects[c], "을(를) 여러 학교 학생이 함께 배우는 공동교육과정입니다. ",
                  "프로젝트 수업과 발표로 진행하며, 방과 후 거점 학교에서 모입니다."));
            });
        for (int s = 0; s < kSectionsPerCourse; ++s) {
          const cv1::Section section =
              Create(&cv1::CatalogService::Stub::CreateSection, [&](cv1::CreateSectionRequest& r) {
                r.set_parent(term.name());
                cv1::Section* section = r.mutable_section();
                section->set_course(course.name());
                section->set_capacity(20);
                auto* meeting = section->add_weekly_meetings();
                meeting->set_weekday(static_cast<cv1::Weekday>(1 + (c + s) % 5));
                meeting->mutable_start_time()->set_hours(16);
                meeting->mutable_end_time()->set_hours(17);
                meeting->mutable_end_time()->set_minutes(40);
                section->set_location(absl::StrCat("본관 ", s + 1, "층 공동교육실"));
                section->set_instructor_display_name("김교사");
                section->set_allocation_policy(cv1::FIRST_COME);
              });
          Create(&cv1::CatalogService::Stub::TransitionSection,
                 [&](cv1::TransitionSectionRequest& r) {
                   r.set_name(section.name());
                   r.set_target_state(cv1::PUBLISHED);
                 });
          ++sections;
        }
      }
    }
    return sections;
  }

 private:
  cv1::Term CreateTerm() {
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    const int year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year() + 1;
    return Create(&cv1::CatalogService::Stub::CreateTerm, [&](cv1::CreateTermRequest& r) {
      cv1::Term* term = r.mutable_term();
      term->set_year(year);
      term->set_semester(1);
      term->mutable_application_window()->set_start_unix(now - 86400);
      term->mutable_application_window()->set_end_unix(now + 14 * 86400);
      const auto date = [year](type::v1::Date* d, int month, int day) {
        d->set_year(year);
        d->set_month(month);
        d->set_day(day);
      };
      date(term->mutable_classes_start(), 3, 2);
      date(term->mutable_classes_end(), 7, 16);
      date(term->mutable_drop_deadline(), 3, 20);
      date(term->mutable_results_due(), 7, 31);
    });
  }

  // Calls a mutation of the catalog as the city with a fresh request id;
  // any error ends the bench.
  template <class Request, class Response, class Fill>
  Response Create(grpc::Status (cv1::CatalogService::Stub::*method)(grpc::ClientContext*,
                                                                    const Request&, Response*),
                  Fill&& fill) {
    Request request;
    fill(request);
    request.set_request_id(absl::StrCat("bench-", ++requests_));
    Response response;
    auto context = testing::ContextWithToken(city_);
    const grpc::Status status = ((*catalog_).*method)(context.get(), request, &response);
    if (!status.ok()) {
      Fail(absl::StrCat("seeding failed: ", status.error_message()));
    }
    return response;
  }

  std::unique_ptr<cv1::CatalogService::Stub> catalog_;
  const std::string city_;
  int requests_ = 0;
};

// ----- Report ---------------------------------------------------------------

std::string Ms(absl::Duration d) { return absl::StrFormat("%.2f", absl::ToDoubleMilliseconds(d)); }

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      return line.substr(line.find(':') + 2);
    }
  }
  return "unknown";
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out + "\"";
}

std::string FigureJson(const Figure& figure) {
  return absl::StrFormat(
      R"({"name": %s, "calls_per_second": %.0f, "ok": %d, "refused": %d, "failed": %d, )"
      R"("p50_ms": %s, "p99_ms": %s})",
      JsonString(figure.name), figure.load.ok_per_second(), figure.load.ok(), figure.load.refused(),
      figure.load.failed(), Ms(figure.load.Quantile(0.5)), Ms(figure.load.Quantile(0.99)));
}

void PrintTable(const std::vector<Comparison>& comparisons) {
  std::printf("\n%-44s %10s %8s %8s %9s %9s\n", "method", "calls/s", "refused", "failed", "p50 ms",
              "p99 ms");
  for (const Comparison& c : comparisons) {
    for (const Figure* f : {&c.figure, &c.limit}) {
      std::printf("%-44s %10.0f %8lld %8lld %9s %9s\n", f->name.c_str(), f->load.ok_per_second(),
                  static_cast<long long>(f->load.refused()),
                  static_cast<long long>(f->load.failed()), Ms(f->load.Quantile(0.5)).c_str(),
                  Ms(f->load.Quantile(0.99)).c_str());
    }
  }
  std::printf("\n%-44s %8s %8s %10s %8s %s\n", "comparison", "ratio", "target", "p99 ratio",
              "target", "");
  for (const Comparison& c : comparisons) {
    std::printf("%-44s %8.2f %8s %10.2f %8s %s\n", c.name.c_str(), c.ratio(),
                absl::StrFormat(">=%.1f", c.min_ratio).c_str(), c.p99_ratio(),
                absl::StrFormat("<=%.0f", c.max_p99_ratio).c_str(), c.met() ? "met" : "MISSED");
  }
}

void WriteJson(const std::string& path, const std::vector<Comparison>& comparisons, int sections) {
  std::vector<std::string> entries;
  for (const Comparison& c : comparisons) {
    entries.push_back(absl::StrFormat(
        R"(    {"name": %s, "figure": %s, "limit": %s, "ratio": %.3f, "min_ratio": %.1f, )"
        R"("p99_ratio": %.3f, "max_p99_ratio": %.1f, "met": %s})",
        JsonString(c.name), FigureJson(c.figure), FigureJson(c.limit), c.ratio(), c.min_ratio,
        c.p99_ratio(), c.max_p99_ratio, c.met() ? "true" : "false"));
  }
  const char* commit = std::getenv("OSAN_BENCH_COMMIT");
  const LoadOptions options = OptionsFromEnvironment();
  std::ofstream out(path);
  out << "{\n  \"commit\": " << JsonString(commit != nullptr ? commit : "unknown") << ",\n"
      << "  \"machine\": {\"nproc\": " << std::thread::hardware_concurrency()
      << ", \"model_name\": " << JsonString(CpuModel()) << "},\n"
      << "  \"setup\": {\"sections\": " << sections << ", \"channels\": " << options.channels
      << ", \"calls_in_flight\": " << options.channels * options.calls_per_channel
      << ", \"seconds_per_round\": " << absl::ToInt64Seconds(options.duration)
      << ", \"rounds\": 2},\n"
      << "  \"comparisons\": [\n"
      << absl::StrJoin(entries, ",\n") << "\n  ]\n}\n";
  if (!out) {
    Fail(absl::StrCat("cannot write ", path));
  }
}

int Run() {
  const testing::Pem ca = testing::MakeCa("Osan bench CA");
  const testing::Pem server = testing::MakeLeaf(ca, "SVC-CATALOG");
  const std::string cert_file = testing::WriteSecretFile(server.cert);
  const std::string key_file = testing::WriteSecretFile(server.key);
  testing::ServiceProcess catalog(
      OSAN_CATALOG_SERVER,
      // Seeding through the API outruns one institution's rate limit on a fast machine;
      // the listing's public calls have a limit of their own (off by default).
      {{"OSAN_TLS_CERT", cert_file},
       {"OSAN_TLS_KEY", key_file},
       {"OSAN_PLAINTEXT", "false"},
       {"OSAN_RATE_LIMIT_PER_SECOND", "0"}});
  const Servers servers{catalog.address(), ca.cert};

  const int sections = Seeder(TlsChannels(servers.catalog_address, ca.cert, 1)[0]).Seed();
  std::printf("catalog-server over TLS at %s; %d published sections in the current term\n",
              servers.catalog_address.c_str(), sections);

  std::vector<Comparison> comparisons;
  for (const Measure& measure : Measures()) {
    comparisons.push_back(measure(servers));
  }
  PrintTable(comparisons);
  if (const char* path = std::getenv("OSAN_BENCH_JSON"); path != nullptr && *path != '\0') {
    WriteJson(path, comparisons, sections);
    std::printf("\nfigures written to %s\n", path);
  }
  for (const Comparison& c : comparisons) {
    if (!c.MetWithin(kNoise)) {
      std::printf("%s misses its target by more than the noise (%.0f%%)\n", c.name.c_str(),
                  kNoise * 100);
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace osan::bench

int main() { return osan::bench::Run(); }
