#include "tools/osanctl/programme_commands.h"

#include <cerrno>
#include <cstring>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "services/catalog/vocabulary/labels.h"
#include "tools/osanctl/catalog_commands.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/credit_commands.h"
#include "tools/osanctl/text_table.h"

ABSL_DECLARE_FLAG(std::string, term);
ABSL_DECLARE_FLAG(std::string, out);

ABSL_FLAG(std::string, programme, "",
          "programmes/{id}: `reports programme`, and the programme funding a course or section "
          "for `courses create|update` and `sections create`");
ABSL_FLAG(std::string, display_name, "", "`programmes create|update`: the programme's name");
ABSL_FLAG(int, year, 0, "`programmes create`: the agreement year; `programmes list`: filter");
ABSL_FLAG(std::string, annex, "", "`programmes create|update`: e.g. \"2027 부속서 2\"");
ABSL_FLAG(std::string, funder, "",
          "`programmes create|update`: CITY (오산시), EDU_OFFICE (화성오산교육지원청) or "
          "PROVINCE (경기도)");
ABSL_FLAG(std::string, budget, "", "`programmes create|update`: the budget in won");
ABSL_FLAG(std::string, format, "",
          "`reports programme`: csv or xlsx (with --out); `results export`: csv (default) or xlsx");

namespace osan::cli {
namespace {

namespace cv1 = catalog::v1;
namespace rv1 = credit::v1;

using Catalog = cv1::CatalogService::Stub;

constexpr char kCreateUsage[] =
    "programmes create ID --display_name NAME --year YEAR --annex ANNEX "
    "--funder CITY|EDU_OFFICE|PROVINCE [--budget KRW]";
constexpr char kUpdateUsage[] =
    "programmes update programmes/{id} [--display_name --annex --funder --budget]";
constexpr char kReportUsage[] =
    "reports programme --programme programmes/{id} --term terms/{year}-{semester} "
    "[--format csv|xlsx --out FILE]";

template <class Request, class Response>
grpc::Status CallCatalog(UnaryMethod<Catalog, Request, Response> method, const Request& request,
                         Response* response) {
  return CallUnary(*CatalogStub(), method, request, response);
}

// "12,345,678": won as people read them.
std::string Won(int64_t value) {
  std::string digits = absl::StrCat(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return absl::StrCat(value < 0 ? "-" : "", digits);
}

// --display_name, --annex, --funder and --budget into `programme`; false,
// with the flag named on stderr, if --funder or --budget is malformed.
bool ProgrammeFromFlags(cv1::Programme* programme) {
  cv1::Funder funder = cv1::FUNDER_UNSPECIFIED;
  if (!ParseEnum("funder", absl::GetFlag(FLAGS_funder), &cv1::Funder_Parse, &funder)) {
    return false;
  }
  const std::string budget = absl::GetFlag(FLAGS_budget);
  int64_t won = 0;
  if (!budget.empty() && !absl::SimpleAtoi(budget, &won)) {
    std::cerr << "osanctl: --budget: '" << budget << "' is not a number of won\n";
    return false;
  }
  programme->set_display_name(absl::GetFlag(FLAGS_display_name));
  programme->set_annex(absl::GetFlag(FLAGS_annex));
  programme->set_funder(funder);
  programme->set_budget_krw(won);
  return true;
}

void PrintProgramme(const cv1::Programme& programme) {
  std::cout << programme.name() << "\n";
  PrintField("사업명", programme.display_name());
  PrintField("연도", absl::StrCat(programme.year()));
  PrintField("근거", programme.annex());
  PrintField("재원", catalog::FunderLabel(programme.funder()));
  PrintField("예산", absl::StrCat(Won(programme.budget_krw()), "원"));
}

void PrintCounts(const std::string& title, bool with_sections,
                 const google::protobuf::RepeatedPtrField<rv1::ReportRow>& rows) {
  std::vector<std::string> headers = {"기관", "이름"};
  if (with_sections) {
    headers.insert(headers.end(), {"개설", "폐강"});
  }
  headers.insert(headers.end(), {"신청", "수강", "이수", "취득 학점"});
  TextTable table(headers);
  for (const rv1::ReportRow& row : rows) {
    const rv1::ReportCounts& c = row.counts();
    std::vector<std::string> cells = {row.institution(), row.display_name()};
    if (with_sections) {
      cells.insert(cells.end(),
                   {absl::StrCat(c.sections_opened()), absl::StrCat(c.sections_cancelled())});
    }
    cells.insert(cells.end(), {absl::StrCat(c.applicants()), absl::StrCat(c.enrolled()),
                               absl::StrCat(c.completed()), absl::StrCat(c.credits_earned())});
    table.AddRow(cells);
  }
  std::cout << "\n" << title << "\n";
  table.Print(std::cout);
}

}  // namespace

int CreateProgramme(const std::vector<std::string>& args) {
  cv1::CreateProgrammeRequest request;
  if (args.size() != 1 || !ProgrammeFromFlags(request.mutable_programme())) {
    return Usage(kCreateUsage);
  }
  request.set_programme_id(args[0]);
  request.mutable_programme()->set_year(absl::GetFlag(FLAGS_year));
  request.set_request_id(RequestId());
  cv1::Programme created;
  const grpc::Status status = CallCatalog(&Catalog::CreateProgramme, request, &created);
  if (!status.ok()) {
    return Fail(status);
  }
  PrintProgramme(created);
  return 0;
}

int ListProgrammes(const std::vector<std::string>& args) {
  if (!args.empty()) {
    return Usage("programmes list [--year YEAR]");
  }
  cv1::ListProgrammesRequest request;
  request.set_year(absl::GetFlag(FLAGS_year));
  TextTable table({"사업명", "연도", "근거", "재원", "예산(원)", "이름"});
  int count = 0;
  auto stub = CatalogStub();
  const grpc::Status status = ListEveryPage(
      *stub, &Catalog::ListProgrammes, request, [&](const cv1::ListProgrammesResponse& page) {
        for (const cv1::Programme& programme : page.programmes()) {
          table.AddRow({programme.display_name(), absl::StrCat(programme.year()), programme.annex(),
                        catalog::FunderLabel(programme.funder()), Won(programme.budget_krw()),
                        programme.name()});
          ++count;
        }
      });
  if (!status.ok()) {
    return Fail(status);
  }
  table.Print(std::cout);
  std::cout << count << " programme(s)\n";
  return 0;
}

int UpdateProgramme(const std::vector<std::string>& args) {
  cv1::UpdateProgrammeRequest request;
  cv1::Programme& programme = *request.mutable_programme();
  if (args.size() != 1 || !ProgrammeFromFlags(&programme)) {
    return Usage(kUpdateUsage);
  }
  // The fields given are the ones that change.
  auto& paths = *request.mutable_update_mask()->mutable_paths();
  for (const auto& [path, given] : std::vector<std::pair<const char*, bool>>{
           {"display_name", !programme.display_name().empty()},
           {"annex", !programme.annex().empty()},
           {"funder", programme.funder() != cv1::FUNDER_UNSPECIFIED},
           {"budget_krw", !absl::GetFlag(FLAGS_budget).empty()}}) {
    if (given) {
      paths.Add(path);
    }
  }
  if (paths.empty()) {
    return Usage(kUpdateUsage);
  }
  cv1::GetProgrammeRequest get;
  get.set_name(args[0]);
  cv1::Programme current;
  grpc::Status status = CallCatalog(&Catalog::GetProgramme, get, &current);
  if (!status.ok()) {
    return Fail(status);
  }
  programme.set_name(current.name());
  programme.set_etag(current.etag());
  request.set_request_id(RequestId());
  cv1::Programme updated;
  status = CallCatalog(&Catalog::UpdateProgramme, request, &updated);
  if (!status.ok()) {
    return Fail(status);
  }
  PrintProgramme(updated);
  return 0;
}

int ProgrammeReport(const std::vector<std::string>& args) {
  rv1::GetProgrammeReportRequest request;
  request.set_programme(absl::GetFlag(FLAGS_programme));
  request.set_term(absl::GetFlag(FLAGS_term));
  const std::string format = absl::AsciiStrToLower(absl::GetFlag(FLAGS_format));
  const std::string out = absl::GetFlag(FLAGS_out);
  if (!args.empty() || request.programme().empty() || request.term().empty() ||
      (format != "" && format != "csv" && format != "xlsx") || format.empty() != out.empty()) {
    return Usage(kReportUsage);
  }
  request.set_format(format == "csv"    ? rv1::CSV
                     : format == "xlsx" ? rv1::XLSX
                                        : rv1::EXPORT_FORMAT_UNSPECIFIED);
  rv1::ProgrammeReport report;
  const grpc::Status status =
      CallUnary(*rv1::ReportService::NewStub(MakeChannel(CreditAddress())),
                &rv1::ReportService::Stub::GetProgrammeReport, request, &report);
  if (!status.ok()) {
    return Fail(status);
  }
  if (!out.empty()) {
    if (!WriteFile(out, report.content(), 0644)) {
      return Fail(absl::StrCat("cannot write ", out, ": ", std::strerror(errno)));
    }
    std::cerr << "wrote the report of " << report.programme() << " in " << report.term() << " to "
              << out << "\n";
    return 0;
  }
  const rv1::ReportCounts& total = report.total();
  std::cout << report.programme_display_name() << " (" << report.programme() << "), "
            << report.term() << "\n";
  PrintField("개설 강좌", absl::StrCat(total.sections_opened()));
  PrintField("폐강 강좌", absl::StrCat(total.sections_cancelled()));
  PrintField("신청 인원", absl::StrCat(total.applicants()));
  PrintField("수강 인원", absl::StrCat(total.enrolled()));
  PrintField("이수 인원", absl::StrCat(total.completed()));
  PrintField("취득 학점", absl::StrCat(total.credits_earned()));
  PrintCounts("학교별", /*with_sections=*/false, report.by_school());
  PrintCounts("기관별", /*with_sections=*/true, report.by_host());
  return 0;
}

}  // namespace osan::cli
