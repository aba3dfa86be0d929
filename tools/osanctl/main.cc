// osanctl: the command-line client of the Osan credit exchange.
//
//   osanctl keygen DIR [NAME]                token signing key pair into DIR
//   osanctl token --key F --institution C --role R [--ttl 12h]
//   osanctl health                           health of the catalog service
//   osanctl sections list [filters]          the public listing of joint courses
//   osanctl sections show NAME               one published section
//   osanctl courses create --host ... --title ... (needs --token)
//   osanctl courses import --host ... --file F.csv [--dry-run] (needs --token)
//   osanctl courses list|update|review, sections create|move
//                                            catalog (catalog_commands.h)
//   osanctl demo load --data F --key F       load the Osan demo data
//   osanctl students add|list, apply, applications list|approve|reject|...,
//           drop, roster, allocate, cancel-section, feed
//                                            enrollment (enrollment_commands.h)
//   osanctl results pending|export|ack|history|feed, transcript, attendance,
//           assess, finalize                 credit records (credit_commands.h)
//   osanctl audit verify|list                the audit trail (audit_commands.h)
//
// Addresses: --catalog (OSAN_CATALOG, default 127.0.0.1:50051), --enrollment
// (OSAN_ENROLLMENT, default 127.0.0.1:50052), --credit (OSAN_CREDIT, default
// 127.0.0.1:50053). Token: --token (OSAN_TOKEN). Flags may be spelled with
// hyphens or underscores (--dry-run, --dry_run).
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/csv.h"
#include "common/server.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/domain/rules.h"
#include "tools/demo/semester_walk.h"
#include "tools/osanctl/audit_commands.h"
#include "tools/osanctl/catalog_commands.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/course_import.h"
#include "tools/osanctl/credit_commands.h"
#include "tools/osanctl/demo_loader.h"
#include "tools/osanctl/enrollment_commands.h"
#include "tools/osanctl/institution_commands.h"
#include "tools/osanctl/programme_commands.h"
#include "tools/osanctl/text_table.h"

ABSL_FLAG(std::string, token, "", "bearer token (default $OSAN_TOKEN)");
ABSL_FLAG(std::string, key, "",
          "token signing key (PEM) for `token` and `demo load`; the student key for "
          "`students add`");
ABSL_FLAG(std::string, institution, "", "institution code for `token`");
ABSL_FLAG(std::string, role, "", "CITY, EDU_OFFICE, SCHOOL, ACADEMY or SERVICE for `token`");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(12), "`token`: its lifetime, e.g. 12h, 30m or 90s");
ABSL_FLAG(std::string, term, "",
          "terms/{year}-{semester}: for `sections list` (default: the current term) and "
          "`allocate`");
ABSL_FLAG(std::string, category, "", "COMMON, GENERAL_ELECTIVE, CAREER_ELECTIVE, ...");
ABSL_FLAG(std::string, weekday, "", "MONDAY .. SUNDAY");
ABSL_FLAG(std::string, host, "", "institutions/{code}");
ABSL_FLAG(std::string, mode, "", "IN_PERSON, ONLINE_REALTIME or BLENDED");
ABSL_FLAG(std::string, keyword, "", "words in titles or descriptions");
ABSL_FLAG(std::string, title, "", "course title for `courses create|update`");
ABSL_FLAG(std::string, area, "", "subject area for `courses create|update` (e.g. MATHEMATICS)");
ABSL_FLAG(int, credits, 0, "credits for `courses create` (0: the default) and `courses update`");
ABSL_FLAG(std::string, description, "", "course description for `courses create|update`");
ABSL_FLAG(std::string, request_id, "", "request id of a change (default: generated)");
ABSL_FLAG(std::string, data, "tools/demo/osan.textproto", "demo data file for `demo load`");
ABSL_FLAG(std::string, file, "", "CSV file for `courses import`");
ABSL_FLAG(bool, dry_run, false, "`courses import`: check the file and show what would be created");

namespace osan::cli {
namespace {

namespace cv1 = catalog::v1;

constexpr char kUsage[] =
    "osanctl COMMAND [flags]\n"
    "  keygen DIR [NAME]          write NAME-signing.pem and NAME-verify.pem into DIR\n"
    "                             (NAME: token, the issuer's key, by default; a\n"
    "                             service's key for its --service_signing_key)\n"
    "  token                      print a token (--key --institution --role [--ttl 12h])\n"
    "  health [ADDRESS...]        check health (default: every service)\n"
    "  sections list              list published joint courses ([--term --category\n"
    "                             --weekday --host --mode --keyword])\n"
    "  sections show NAME         show one published section\n"
    "  courses create             create a course (--token --host --title --category\n"
    "                             --area --mode [--credits --description --request_id])\n"
    "  courses import             create a host's courses from a CSV file (--token --host\n"
    "                             --file [--dry-run]); without --file it describes the\n"
    "                             file's columns\n"
    "  courses list               courses and their recognition ([--host --state])\n"
    "  courses update NAME        change a course ([--title --category --area --credits\n"
    "                             --mode --description]); what the office recognised\n"
    "                             sends it back to review\n"
    "  courses review NAME        the education office's decision on a course taught\n"
    "                             outside school (--decision APPROVED|REJECTED [--reason])\n"
    "  sections create            create a section (--term --course --capacity --policy\n"
    "                             --weekly DAY@HH:MM-HH:MM,... or --dated\n"
    "                             YYYY-MM-DD@HH:MM-HH:MM,... [--location --instructor\n"
    "                             --grades --sessions --min_enrollment])\n"
    "  sections move NAME         the next step of a section's life (--to STATE [--reason])\n"
    "  programmes create ID       a programme of the 미래교육협력지구 agreement (CITY or\n"
    "                             EDU_OFFICE: --display_name --year --annex --funder\n"
    "                             [--budget]); courses and sections name it (--programme)\n"
    "  programmes list            the programmes ([--year])\n"
    "  programmes update NAME     change one ([--display_name --annex --funder --budget])\n"
    "  institutions list          the registry ([--kind])\n"
    "  institutions suspend CODE  refuse the institution's tokens everywhere (CITY or\n"
    "                             EDU_OFFICE); institutions resume CODE lifts it\n"
    "  demo load                  load demo data into catalog and enrollment (--data --key)\n"
    "  demo semester              walk one semester to results on the running services\n"
    "                             (--key [--term])\n"
    "enrollment (--token; --enrollment, default $OSAN_ENROLLMENT or 127.0.0.1:50052;\n"
    "changes take [--request_id]):\n"
    "  students add               register a student (--school --key --entry_year --name)\n"
    "  students list              list a school's students (--school)\n"
    "  apply                      apply for a section (--student --section --rank\n"
    "                             [--approve])\n"
    "  applications list          list applications (--school or --section; [--state])\n"
    "  applications approve NAME  the home school approves an application [--reason]\n"
    "  applications reject NAME   the home school or the host rejects one (--reason)\n"
    "  applications withdraw NAME the home school withdraws one [--reason]\n"
    "  applications accept NAME   the host accepts one in screening [--reason]\n"
    "  applications decline NAME  the host declines one in screening (--reason)\n"
    "  drop NAME                  drop an enrolment or leave the waitlist (--reason)\n"
    "  roster SECTION             a section's enrolled students and waitlist (host)\n"
    "  allocate                   allocate the seats of a term (--term [--seed]), showing "
    "progress\n"
    "  allocation decisions RUN   a run's decisions (allocationRuns/{id} [--section] [--school])\n"
    "  cancel-section SECTION     cancel a section (--reason)\n"
    "  feed                       print application changes, one per line ([--cursor\n"
    "                             --follow])\n"
    "credit records (--token; --credit, default $OSAN_CREDIT or 127.0.0.1:50053;\n"
    "changes take [--request_id]):\n"
    "  results pending            a school's unacknowledged results (--school)\n"
    "  results export             the pending results as CSV or an Excel workbook\n"
    "                             (--school [--format csv|xlsx --out FILE])\n"
    "  reports programme          a programme's report for a term, by school and host\n"
    "                             (CITY or EDU_OFFICE: --programme --term\n"
    "                             [--format csv|xlsx --out FILE])\n"
    "  results ack ENTRY          acknowledge a result entered into NEIS\n"
    "                             (--entry_version)\n"
    "  results history ENTRY      every version of a ledger entry\n"
    "  results feed               print result events, one per line ([--cursor\n"
    "                             --follow])\n"
    "  transcript STUDENT         a student's credits toward graduation and results\n"
    "  attendance SECTION         record a session's attendance (--session --date\n"
    "                             --marks [--reason])\n"
    "  assess SECTION             record a student's assessment (--student --score\n"
    "                             --rate [--notes --reason])\n"
    "  finalize SECTION           decide outcomes and write results to the ledger\n"
    "the audit trail of student data (an EDU_OFFICE --token):\n"
    "  audit verify               recompute the hash chains ([--service enrollment|credit])\n"
    "  audit list                 the newest records ([--service --student --principal\n"
    "                             --limit])\n";

int KeyGen(const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2) {
    return Fail("usage: osanctl keygen DIR [NAME]");
  }
  const std::string dir = args[0];
  const std::string name = args.size() == 2 ? args[1] : "token";
  if (name.empty() || name.find_first_of("/.") != std::string::npos) {
    return Fail("keygen: NAME must be a plain file name prefix such as enrollment");
  }
  auto pair = auth::GenerateKeyPair();
  if (!pair.ok()) {
    return Fail(std::string(pair.status().message()));
  }
  mkdir(dir.c_str(), 0700);
  const std::string private_path = dir + "/" + name + "-signing.pem";
  const std::string public_path = dir + "/" + name + "-verify.pem";
  if (!WriteFile(private_path, pair->private_key_pem, 0600) ||
      !WriteFile(public_path, pair->public_key_pem, 0644)) {
    return Fail("cannot write the key files into " + dir);
  }
  std::cout << "wrote " << private_path << " (keep secret) and " << public_path << "\n";
  return 0;
}

int Token() {
  auth::Role role = auth::v1::ROLE_UNSPECIFIED;
  if (!ParseEnum("role", absl::GetFlag(FLAGS_role), &auth::v1::Role_Parse, &role) ||
      role == auth::v1::ROLE_UNSPECIFIED || absl::GetFlag(FLAGS_institution).empty()) {
    return Fail("usage: osanctl token --key FILE --institution CODE --role ROLE");
  }
  auto signer = LoadSigner(absl::GetFlag(FLAGS_key));
  if (!signer.ok()) {
    return Fail(std::string(signer.status().message()));
  }
  const absl::Duration lifetime = absl::Trunc(absl::GetFlag(FLAGS_ttl), absl::Seconds(1));
  const absl::Duration longest = auth::TokenOptions().MaxLifetime(role);
  if (lifetime < absl::Seconds(1) || lifetime > longest) {
    return Fail(absl::StrCat("--ttl: the services accept ", auth::RoleName(role),
                             " tokens of 1s to ", absl::FormatDuration(longest)));
  }
  auto token = signer->Issue({absl::GetFlag(FLAGS_institution), role}, absl::Now(), lifetime);
  if (!token.ok()) {
    return Fail(std::string(token.status().message()));
  }
  std::cout << *token << "\n";
  return 0;
}

// Checks grpc.health.v1 at each address (default: catalog and enrollment);
// 0 only if every one is SERVING.
int Health(const std::vector<std::string>& args) {
  const std::vector<std::string> addresses =
      args.empty()
          ? std::vector<std::string>{CatalogAddress(), EnrollmentAddress(), CreditAddress()}
          : args;
  int exit_code = 0;
  for (const std::string& address : addresses) {
    auto stub = grpc::health::v1::Health::NewStub(MakeChannel(address));
    grpc::health::v1::HealthCheckResponse response;
    auto context = MakeContext("");
    const grpc::Status status =
        stub->Check(context.get(), grpc::health::v1::HealthCheckRequest(), &response);
    if (!status.ok()) {
      std::cout << address << ": " << ErrorCodeName(status.error_code()) << " ("
                << status.error_message() << ")\n";
      exit_code = 1;
      continue;
    }
    std::cout << address << ": "
              << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
              << "\n";
    if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      exit_code = 1;
    }
  }
  return exit_code;
}

int ListSections() {
  cv1::ListPublicSectionsRequest request;
  cv1::Category category = cv1::CATEGORY_UNSPECIFIED;
  cv1::Weekday weekday = cv1::WEEKDAY_UNSPECIFIED;
  cv1::DeliveryMode mode = cv1::DELIVERY_MODE_UNSPECIFIED;
  if (!ParseEnum("category", absl::GetFlag(FLAGS_category), &cv1::Category_Parse, &category) ||
      !ParseEnum("weekday", absl::GetFlag(FLAGS_weekday), &cv1::Weekday_Parse, &weekday) ||
      !ParseEnum("mode", absl::GetFlag(FLAGS_mode), &cv1::DeliveryMode_Parse, &mode)) {
    return 2;
  }
  request.set_term(absl::GetFlag(FLAGS_term));
  request.set_category(category);
  request.set_weekday(weekday);
  request.set_delivery_mode(mode);
  request.set_host(absl::GetFlag(FLAGS_host));
  request.set_keyword(absl::GetFlag(FLAGS_keyword));
  request.set_page_size(200);
  auto stub = cv1::PublicListingService::NewStub(MakeChannel(CatalogAddress()));
  TextTable table({"과목", "구분", "학점", "개설 기관", "시간", "정원", "방식", "이름"});
  std::string term;
  int count = 0;
  do {
    cv1::ListPublicSectionsResponse response;
    auto context = MakeContext("");
    const grpc::Status status = stub->ListPublicSections(context.get(), request, &response);
    if (!status.ok()) {
      return Fail(status);
    }
    term = response.term();
    for (const auto& section : response.sections()) {
      table.AddRow({section.title(), CategoryLabel(section.category()),
                    absl::StrCat(section.credits()), section.host_display_name(),
                    MeetingSummary(section), absl::StrCat(section.capacity()),
                    DeliveryLabel(section.delivery_mode()), section.name()});
      ++count;
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  std::cout << term << ": " << count << " joint course section(s)\n\n";
  table.Print(std::cout);
  return 0;
}

int ShowSection(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Fail("usage: osanctl sections show terms/{year}-{semester}/sections/{id}");
  }
  auto stub = cv1::PublicListingService::NewStub(MakeChannel(CatalogAddress()));
  cv1::GetPublicSectionRequest request;
  request.set_name(args[0]);
  cv1::PublicSection section;
  auto context = MakeContext("");
  const grpc::Status status = stub->GetPublicSection(context.get(), request, &section);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << section.title() << " (" << CategoryLabel(section.category()) << ", "
            << section.credits() << "학점)\n"
            << "  개설 기관   " << section.host_display_name() << "\n"
            << "  시간        " << MeetingSummary(section) << "\n"
            << "  장소        " << (section.location().empty() ? "-" : section.location()) << "\n"
            << "  강사        " << section.instructor_display_name() << "\n"
            << "  정원        " << section.capacity() << "명, " << section.sessions() << "차시\n"
            << "  대상 학년   "
            << (section.eligible_grades().empty() ? "전 학년"
                                                  : absl::StrJoin(section.eligible_grades(), ", "))
            << "\n"
            << "  선발 방식   " << PolicyLabel(section.allocation_policy()) << "\n"
            << "  수업 방식   " << DeliveryLabel(section.delivery_mode()) << "\n"
            << "  소개        " << section.description() << "\n"
            << "  이름        " << section.name() << "\n";
  return 0;
}

// Whether a failed CreateCourse may succeed if sent again as it is: the
// request id makes that safe.
bool Transient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

// Whether a failure would be the same for every other row (the caller or the
// service, not the row, is the problem), so the import stops.
bool AffectsEveryRow(grpc::StatusCode code) {
  return Transient(code) || code == grpc::StatusCode::UNAUTHENTICATED ||
         code == grpc::StatusCode::PERMISSION_DENIED;
}

// Creates the courses of a CSV file (tools/osanctl/course_import.h) for
// --host: checks the whole file first and creates nothing if any row is bad;
// with --dry-run shows what would be created and sends nothing. Each row's
// request id is derived from the row, so running the same import again
// creates nothing twice. Rows are sent one by one; a row the catalog refuses
// is reported with its line and the others go on; a failure that concerns
// every row stops the import. Exit 0 only if every row is created (or was
// created before).
int ImportCourses(const std::vector<std::string>& args) {
  const std::string path = absl::GetFlag(FLAGS_file);
  std::string host = absl::GetFlag(FLAGS_host);
  if (!args.empty() || path.empty() || host.empty()) {
    std::cerr << kCourseImportHelp;
    return Usage("courses import --host institutions/{code} --file F.csv [--dry-run]");
  }
  if (!absl::StartsWith(host, "institutions/")) {
    host = absl::StrCat("institutions/", host);
  }
  // One byte over the limit is enough for the parser to refuse the file.
  auto text = server::ReadFile(path, CsvLimits().max_bytes + 1);
  if (!text.ok()) {
    return Fail(std::string(text.status().message()));
  }
  const auto rows = ParseCourseImport(*text, host);
  if (!rows.ok()) {
    return Fail(absl::StrCat(path, ": ", rows.status().message()));
  }
  if (absl::GetFlag(FLAGS_dry_run)) {
    TextTable table({"줄", "과목", "구분", "교과", "학점", "방식", "request_id"});
    for (const CourseRow& row : *rows) {
      const cv1::Course& course = row.request.course();
      table.AddRow(
          {absl::StrCat(row.line), course.title(), CategoryLabel(course.category()),
           SubjectAreaLabel(course.subject_area()),
           absl::StrCat(course.credits() != 0 ? course.credits() : catalog::DefaultCredits(course)),
           DeliveryLabel(course.delivery_mode()), row.request.request_id()});
    }
    table.Print(std::cout);
    std::cout << rows->size() << " course(s) would be created for " << host
              << " (dry run: nothing was sent)\n";
    return 0;
  }

  auto stub = CatalogStub();
  const size_t total = rows->size();
  const size_t step = std::max<size_t>(1, total / 20);
  size_t created = 0;
  size_t failed = 0;
  size_t done = 0;
  for (const CourseRow& row : *rows) {
    cv1::Course course;
    grpc::Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
      }
      status = CallUnary(*stub, &cv1::CatalogService::Stub::CreateCourse, row.request, &course);
      if (!Transient(status.error_code())) {
        break;
      }
    }
    ++done;
    if (status.ok()) {
      ++created;
      std::cout << "line " << row.line << "\t" << course.name() << "\t" << course.title() << "\n";
    } else {
      ++failed;
      std::cerr << "osanctl: " << path << ": line " << row.line << ": "
                << ErrorCodeName(status.error_code()) << ": " << status.error_message() << "\n";
      if (AffectsEveryRow(status.error_code())) {
        break;
      }
    }
    if (done % step == 0 || done == total) {
      std::cerr << done << "/" << total << " " << (failed == 0 ? "created" : "sent") << "\n";
    }
  }
  if (failed == 0) {
    std::cout << created << " course(s) created for " << host << " from " << path << "\n";
    return 0;
  }
  return Fail(absl::StrCat(created, " of ", total, " course(s) created, ", failed, " failed",
                           done < total ? absl::StrCat(", ", total - done, " not sent") : "",
                           "; running the same import again is safe: courses already "
                           "created are not created twice"));
}

int LoadDemo() {
  auto signer = LoadSigner(absl::GetFlag(FLAGS_key));
  if (!signer.ok()) {
    return Fail(std::string(signer.status().message()));
  }
  auto data = server::ReadFile(absl::GetFlag(FLAGS_data));
  if (!data.ok()) {
    return Fail(std::string(data.status().message()));
  }
  const absl::Status loaded = LoadDemoData(*data, *signer, MakeChannel(CatalogAddress()),
                                           MakeChannel(EnrollmentAddress()), std::cout);
  if (!loaded.ok()) {
    return Fail(std::string(loaded.message()));
  }
  return 0;
}

// Walks one semester on the running services (tools/demo/semester_walk.h),
// in a term of its own: `--term terms/{year}-{semester}`, default the current
// calendar year's second semester. A term that exists already was walked
// before, and is left as it is.
int WalkDemoSemester() {
  auto signer = LoadSigner(absl::GetFlag(FLAGS_key));
  if (!signer.ok()) {
    return Fail(std::string(signer.status().message()));
  }
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600));
  std::string term = absl::GetFlag(FLAGS_term);
  if (term.empty()) {
    term = absl::StrCat("terms/", today.year(), "-2");
  }
  int year = 0;
  int semester = 0;
  if (!absl::SimpleAtoi(term.substr(6, 4), &year) || term.size() != 12 ||
      !absl::SimpleAtoi(term.substr(11, 1), &semester)) {
    return Usage("demo semester [--term terms/{year}-{semester}]");
  }
  demo::Clients clients(*signer, MakeChannel(CatalogAddress()), MakeChannel(EnrollmentAddress()),
                        MakeChannel(CreditAddress()));
  cv1::GetTermRequest get;
  get.set_name(term);
  const auto existing = clients.Call(clients.catalog(), &cv1::CatalogService::Stub::GetTerm,
                                     demo::kCity, auth::v1::CITY, get);
  if (existing.ok()) {
    std::cout << "semester walk: " << term << " exists already; nothing to do\n";
    return 0;
  }
  demo::WalkOptions options;
  options.year = year;
  options.semester = semester;
  options.create_institutions = false;
  options.request_prefix = absl::StrCat("walk", year, semester);
  options.progress = [](const std::string& line) { std::cout << line << "\n"; };
  const auto walked = demo::WalkSemester(clients, options);
  if (!walked.ok()) {
    return Fail(std::string(walked.status().message()));
  }
  return 0;
}

struct Command {
  std::vector<std::string> words;
  std::function<int(const std::vector<std::string>& args)> run;
};

int Run(const std::vector<std::string>& words) {
  const std::vector<Command> commands = {
      {{"keygen"}, KeyGen},
      {{"token"}, [](const auto&) { return Token(); }},
      {{"health"}, Health},
      {{"sections", "list"}, [](const auto&) { return ListSections(); }},
      {{"sections", "show"}, ShowSection},
      {{"sections", "seats"}, ShowSeatCounts},
      {{"courses", "create"}, CreateCourse},
      {{"courses", "import"}, ImportCourses},
      {{"courses", "list"}, ListCourses},
      {{"courses", "update"}, UpdateCourse},
      {{"courses", "review"}, ReviewCourse},
      {{"sections", "create"}, CreateSection},
      {{"programmes", "create"}, CreateProgramme},
      {{"programmes", "list"}, ListProgrammes},
      {{"programmes", "update"}, UpdateProgramme},
      {{"institutions", "list"}, ListInstitutions},
      {{"institutions", "suspend"},
       [](const auto& args) { return SetInstitutionSuspended(true, args); }},
      {{"institutions", "resume"},
       [](const auto& args) { return SetInstitutionSuspended(false, args); }},
      {{"reports", "programme"}, ProgrammeReport},
      {{"sections", "move"}, MoveSection},
      {{"demo", "load"}, [](const auto&) { return LoadDemo(); }},
      {{"demo", "semester"}, [](const auto&) { return WalkDemoSemester(); }},
      {{"students", "add"}, AddStudent},
      {{"students", "list"}, ListStudents},
      {{"apply"}, SubmitApplication},
      {{"applications", "list"}, ListApplications},
      {{"applications", "approve"},
       [](const auto& args) { return DecideApplication(Decision::kApprove, args); }},
      {{"applications", "reject"},
       [](const auto& args) { return DecideApplication(Decision::kReject, args); }},
      {{"applications", "withdraw"},
       [](const auto& args) { return DecideApplication(Decision::kWithdraw, args); }},
      {{"applications", "accept"},
       [](const auto& args) { return DecideApplication(Decision::kAccept, args); }},
      {{"applications", "decline"},
       [](const auto& args) { return DecideApplication(Decision::kDecline, args); }},
      {{"drop"}, DropEnrollment},
      {{"roster"}, ShowRoster},
      {{"allocate"}, RunAllocation},
      {{"allocation", "decisions"}, ListAllocationDecisions},
      {{"cancel-section"}, CancelSection},
      {{"feed"}, WatchChanges},
      {{"results", "pending"}, ListPendingResults},
      {{"results", "export"}, ExportPendingResults},
      {{"results", "ack"}, AcknowledgeResult},
      {{"results", "history"}, ShowLedgerHistory},
      {{"results", "feed"}, WatchResults},
      {{"transcript"}, ShowTranscript},
      {{"attendance"}, RecordAttendance},
      {{"assess"}, RecordAssessment},
      {{"finalize"}, FinalizeSection},
      {{"audit", "verify"}, VerifyAuditChain},
      {{"audit", "list"}, ListAuditRecords},
  };
  for (const Command& command : commands) {
    if (words.size() >= command.words.size() &&
        std::equal(command.words.begin(), command.words.end(), words.begin())) {
      return command.run(
          std::vector<std::string>(words.begin() + command.words.size(), words.end()));
    }
  }
  std::cerr << kUsage;
  return 2;
}

}  // namespace
}  // namespace osan::cli

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(osan::cli::kUsage);
  // Flag names may be spelled with hyphens: --dry-run is --dry_run. Only
  // what then names a flag is respelled (a value such as "--x-y" after
  // --description is left alone), and nothing after "--".
  std::vector<std::string> spelled(argv, argv + argc);
  std::vector<char*> arguments;
  bool flags_ended = false;
  for (std::string& argument : spelled) {
    flags_ended = flags_ended || argument == "--";
    if (!flags_ended && argument.size() > 2 && argument.compare(0, 2, "--") == 0) {
      const size_t end = std::min(argument.find('='), argument.size());
      std::string name = argument.substr(2, end - 2);
      std::replace(name.begin(), name.end(), '-', '_');
      if (absl::FindCommandLineFlag(name) != nullptr ||
          (absl::StartsWith(name, "no") && absl::FindCommandLineFlag(name.substr(2)) != nullptr)) {
        argument.replace(2, end - 2, name);
      }
    }
    arguments.push_back(argument.data());
  }
  const std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(arguments.size()), arguments.data());
  return osan::cli::Run(std::vector<std::string>(positional.begin() + 1, positional.end()));
}
