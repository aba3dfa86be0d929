#include "tools/osanctl/credit_commands.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/text_table.h"

// Defined in enrollment_commands.cc, shared with the enrollment commands.
ABSL_DECLARE_FLAG(std::string, student);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, cursor);
ABSL_DECLARE_FLAG(bool, follow);
ABSL_DECLARE_FLAG(std::string, format);

ABSL_FLAG(std::string, credit, "",
          "credit-record address (default $OSAN_CREDIT or 127.0.0.1:50053)");
ABSL_FLAG(std::string, out, "",
          "`results export`: write the CSV or workbook to this file (default: stdout, CSV only); "
          "`reports programme`: the file to write");
// Not --version: Abseil defines that flag itself (print the build and exit).
ABSL_FLAG(int, entry_version, 0,
          "`results ack`: the version of the ledger entry that was entered into NEIS");
ABSL_FLAG(int, session, 0, "`attendance`: the session number, from 1");
ABSL_FLAG(std::string, date, "", "`attendance`: the date the session was held, YYYY-MM-DD");
ABSL_FLAG(std::string, marks, "",
          "`attendance`: every enrolled student's mark, STUDENT=STATUS,... with STATUS one of "
          "PRESENT, LATE, EARLY_LEAVE, ABSENT, EXCUSED");
// NaN: not given (0 is a valid score).
ABSL_FLAG(double, score, std::numeric_limits<double>::quiet_NaN(),
          "`assess`: the raw score, 0..100");
ABSL_FLAG(double, rate, std::numeric_limits<double>::quiet_NaN(),
          "`assess`: the achievement rate, 0..100 (the share of achievement standards reached)");
ABSL_FLAG(std::string, notes, "", "`assess`: 세부능력 및 특기사항, up to 1500 characters");

namespace osan::cli {
namespace {

namespace rv1 = credit::v1;

using Stub = rv1::CreditService::Stub;

constexpr char kPendingUsage[] = "results pending --school CODE";
constexpr char kExportUsage[] = "results export --school CODE [--format csv|xlsx] [--out FILE]";
constexpr char kAckUsage[] = "results ack ledger/{id} --entry_version N";
constexpr char kHistoryUsage[] = "results history ledger/{id}";
constexpr char kResultsFeedUsage[] = "results feed [--cursor CURSOR] [--follow]";
constexpr char kTranscriptUsage[] = "transcript schools/{code}/students/{key}";
constexpr char kAttendanceUsage[] =
    "attendance terms/{term}/sections/{id} --session N --date YYYY-MM-DD "
    "--marks STUDENT=STATUS,... [--reason TEXT]";
constexpr char kAssessUsage[] =
    "assess terms/{term}/sections/{id} --student schools/{code}/students/{key} --score X "
    "--rate Y [--notes TEXT] [--reason TEXT]";
constexpr char kFinalizeUsage[] = "finalize terms/{term}/sections/{id}";

// The label column of the transcript's progress lines: wide enough for
// "기초 교과 (국·수·영)".
constexpr size_t kProgressLabelWidth = 22;

std::unique_ptr<Stub> NewStub() {
  return rv1::CreditService::NewStub(MakeChannel(CreditAddress()));
}

// Calls `method` once with the caller's token and the usual deadline.
template <class Request, class Response>
grpc::Status Call(UnaryMethod<Stub, Request, Response> method, const Request& request,
                  Response* response) {
  return CallUnary(*NewStub(), method, request, response);
}

// "A 33.3%, B 66.7%, C 0.0%", levels in order.
std::string PercentText(const google::protobuf::Map<std::string, double>& percent) {
  std::vector<std::string> parts;
  for (const auto& [level, share] : std::map<std::string, double>(percent.begin(), percent.end())) {
    parts.push_back(absl::StrFormat("%s %.1f%%", level, share));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

// "2027-03-02".
std::string DateText(const type::v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

// Parses YYYY-MM-DD, a real calendar day, into `date`; false otherwise.
bool ParseDate(const std::string& text, type::v1::Date* date) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return false;
  }
  date->set_year(static_cast<int32_t>(day.year()));
  date->set_month(day.month());
  date->set_day(day.day());
  return true;
}

// Parses --marks, "STUDENT=STATUS,..." (status names in any case, blanks
// around items ignored), into `marks`. A malformed item is reported on
// stderr and makes it return false; so does a list without any mark.
bool ParseMarks(const std::string& text,
                google::protobuf::RepeatedPtrField<rv1::AttendanceMark>* marks) {
  for (const absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    const std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    rv1::AttendanceMark mark;
    mark.set_student(std::string(absl::StripAsciiWhitespace(parts.first)));
    const std::string status_text(absl::StripAsciiWhitespace(parts.second));
    if (mark.student().empty() || status_text.empty()) {
      std::cerr << "osanctl: --marks: expected STUDENT=STATUS, got '"
                << absl::StripAsciiWhitespace(item) << "'\n";
      return false;
    }
    rv1::AttendanceStatus status = rv1::ATTENDANCE_STATUS_UNSPECIFIED;
    if (!ParseEnum("marks", status_text, &rv1::AttendanceStatus_Parse, &status)) {
      return false;
    }
    mark.set_status(status);
    *marks->Add() = std::move(mark);
  }
  if (marks->empty()) {
    std::cerr << "osanctl: --marks: no STUDENT=STATUS given\n";
    return false;
  }
  return true;
}

// "출석 10, 지각 1, 결석 1": the marks per status, in the enum's order.
std::string MarkCounts(const google::protobuf::RepeatedPtrField<rv1::AttendanceMark>& marks) {
  std::map<rv1::AttendanceStatus, int> counts;
  for (const auto& mark : marks) {
    ++counts[mark.status()];
  }
  std::vector<std::string> parts;
  for (const auto& [status, count] : counts) {
    parts.push_back(absl::StrCat(AttendanceStatusLabel(status), " ", count));
  }
  return absl::StrJoin(parts, ", ");
}

// "공통 8, 진로선택 4": credits per category (keyed by the category's enum
// name, as the transcript has them), in the enum's order; empty if none.
std::string CategoryCredits(const google::protobuf::Map<std::string, int32_t>& credits) {
  std::map<catalog::v1::Category, int> by_category;
  for (const auto& [name, value] : credits) {
    catalog::v1::Category category = catalog::v1::CATEGORY_UNSPECIFIED;
    catalog::v1::Category_Parse(name, &category);
    by_category[category] += value;
  }
  std::vector<std::string> parts;
  for (const auto& [category, value] : by_category) {
    parts.push_back(absl::StrCat(CategoryLabel(category), " ", value));
  }
  return absl::StrJoin(parts, ", ");
}

// "label: 없음", or "label (N)" and then one indented line per item.
void PrintList(const std::string& label,
               const google::protobuf::RepeatedPtrField<std::string>& items) {
  if (items.empty()) {
    std::cout << label << ": 없음\n";
    return;
  }
  std::cout << label << " (" << items.size() << ")\n";
  for (const std::string& item : items) {
    std::cout << "  - " << item << "\n";
  }
}

// The records of `csv` after its header line. A record ends at a line break
// outside quotes (or at the end of the text); quoted fields may hold breaks.
int CsvDataRows(const std::string& csv) {
  int records = 0;
  bool quoted = false;
  bool open_record = false;  // text since the last record ended
  for (const char c : csv) {
    if (c == '"') {
      quoted = !quoted;
    }
    if (c == '\n' && !quoted) {
      ++records;
      open_record = false;
    } else if (c != '\r') {
      open_record = true;
    }
  }
  records += open_record ? 1 : 0;
  return std::max(records - 1, 0);
}

}  // namespace

int ListPendingResults(const std::vector<std::string>& args) {
  rv1::ListPendingResultsRequest request;
  request.set_parent(SchoolName());
  if (!args.empty() || request.parent().empty()) {
    return Usage(kPendingUsage);
  }
  request.set_page_size(200);
  TextTable table({"학생", "과목", "성취도", "원점수", "이수 여부", "버전", "이름"});
  int count = 0;
  do {
    rv1::ListPendingResultsResponse response;
    const grpc::Status status = Call(&Stub::ListPendingResults, request, &response);
    if (!status.ok()) {
      return Fail(status);
    }
    for (const auto& entry : response.entries()) {
      const rv1::ResultPackage& package = entry.package();
      table.AddRow({package.student(), package.title(), OrDash(package.achievement_level()),
                    absl::StrCat(package.raw_score()), OutcomeLabel(package.outcome()),
                    absl::StrCat(entry.version()), entry.name()});
      ++count;
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  std::cout << request.parent() << ": " << count << " pending result(s)\n\n";
  table.Print(std::cout);
  return 0;
}

int ExportPendingResults(const std::vector<std::string>& args) {
  rv1::ExportPendingResultsRequest request;
  request.set_parent(SchoolName());
  const std::string format = absl::AsciiStrToLower(absl::GetFlag(FLAGS_format));
  const std::string out = absl::GetFlag(FLAGS_out);
  const bool xlsx = format == "xlsx";
  if (!args.empty() || request.parent().empty() || (!format.empty() && format != "csv" && !xlsx) ||
      (xlsx && out.empty())) {
    return Usage(kExportUsage);
  }
  request.set_format(xlsx ? rv1::XLSX : rv1::CSV);
  rv1::ExportPendingResultsResponse response;
  const grpc::Status status = Call(&Stub::ExportPendingResults, request, &response);
  if (!status.ok()) {
    return Fail(status);
  }
  if (xlsx) {
    if (!WriteFile(out, response.xlsx(), 0644)) {
      return Fail(absl::StrCat("cannot write ", out, ": ", std::strerror(errno)));
    }
    std::cerr << "wrote the pending results of " << request.parent() << " to " << out << "\n";
    return 0;
  }
  if (out.empty()) {
    std::cout << response.csv() << std::flush;
    return std::cout ? 0 : Fail("cannot write the CSV to stdout");
  }
  if (!WriteFile(out, response.csv(), 0644)) {
    return Fail(absl::StrCat("cannot write ", out, ": ", std::strerror(errno)));
  }
  std::cerr << "wrote " << CsvDataRows(response.csv()) << " result(s) to " << out << "\n";
  return 0;
}

int AcknowledgeResult(const std::vector<std::string>& args) {
  rv1::AcknowledgeResultRequest request;
  request.set_version(absl::GetFlag(FLAGS_entry_version));
  if (args.size() != 1 || request.version() < 1) {
    return Usage(kAckUsage);
  }
  request.set_entry(args[0]);
  request.set_request_id(RequestId());
  rv1::Acknowledgement acknowledgement;
  const grpc::Status status = Call(&Stub::AcknowledgeResult, request, &acknowledgement);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "acknowledged " << acknowledgement.entry() << " version "
            << acknowledgement.version() << " (by " << acknowledgement.acknowledged_by()
            << ", request_id " << request.request_id() << ")\n";
  return 0;
}

int ShowLedgerHistory(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage(kHistoryUsage);
  }
  rv1::GetLedgerHistoryRequest request;
  request.set_entry(args[0]);
  request.set_page_size(200);
  rv1::LedgerHistory history;
  do {
    rv1::LedgerHistory page;
    const grpc::Status status = Call(&Stub::GetLedgerHistory, request, &page);
    if (!status.ok()) {
      return Fail(status);
    }
    history.mutable_versions()->MergeFrom(page.versions());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  std::cout << request.entry();
  if (!history.versions().empty()) {
    const rv1::ResultPackage& latest = history.versions().rbegin()->package();
    std::cout << ": " << latest.title() << ", " << latest.student() << " (" << latest.section()
              << ")";
  }
  std::cout << ", " << history.versions_size() << " version(s)\n\n";
  TextTable table({"버전", "이수 여부", "성취도", "사유", "근거", "확인"});
  for (const auto& entry : history.versions()) {
    table.AddRow({absl::StrCat(entry.version()), OutcomeLabel(entry.package().outcome()),
                  OrDash(entry.package().achievement_level()), OrDash(OneLine(entry.reason())),
                  OrDash(OneLine(entry.evidence_ref())), entry.acknowledged() ? "확인" : "미확인"});
  }
  table.Print(std::cout);
  return 0;
}

int WatchResults(const std::vector<std::string>& args) {
  if (!args.empty()) {
    return Usage(kResultsFeedUsage);
  }
  rv1::WatchResultsRequest request;
  request.set_cursor(absl::GetFlag(FLAGS_cursor));
  request.set_follow(absl::GetFlag(FLAGS_follow));
  const grpc::Status status =
      ReadStream(*NewStub(), &Stub::WatchResults, request, request.follow(),
                 [](const rv1::ResultEvent& event) {
                   const rv1::LedgerEntry& entry = event.entry();
                   PrintFeedLine({event.cursor(), entry.name(), absl::StrCat(entry.version()),
                                  entry.package().student(), entry.package().title(),
                                  rv1::Outcome_Name(entry.package().outcome()),
                                  entry.acknowledged() ? "true" : "false"});
                 });
  if (!status.ok()) {
    return Fail(status);
  }
  return 0;
}

int ShowTranscript(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage(kTranscriptUsage);
  }
  rv1::GetTranscriptRequest request;
  request.set_student(args[0]);
  rv1::Transcript transcript;
  const grpc::Status status = Call(&Stub::GetTranscript, request, &transcript);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << transcript.student() << "\n";
  const auto progress = [](const std::string& label, const std::string& value) {
    PrintField(label, value, kProgressLabelWidth);
  };
  progress("과목 이수 학점",
           absl::StrCat(transcript.subject_credits(), "/", transcript.subject_credits_required()));
  // The ledger holds subject credits only; creative activities (창의적
  // 체험활동) make up the rest of the total.
  progress("총", absl::StrCat(transcript.subject_credits(), "/", transcript.total_required(),
                              " (창의적 체험활동 별도)"));
  progress("기초 교과 (국·수·영)",
           absl::StrCat(transcript.korean_math_english(), "/", transcript.korean_math_english_cap(),
                        " 상한", transcript.korean_math_english_within_cap() ? "" : " 초과"));
  progress("필수 이수",
           absl::StrCat(transcript.core_credits(), "/", transcript.core_credits_required()));
  progress("구분별", CategoryCredits(transcript.credits_by_category()));

  std::cout << "\n";
  TextTable areas({"영역", "취득", "최소", "충족 여부"});
  for (const auto& area : transcript.areas()) {
    areas.AddRow({SubjectAreaLabel(area.area()), absl::StrCat(area.earned()),
                  absl::StrCat(area.required()), area.met() ? "충족" : "미충족"});
  }
  areas.Print(std::cout);

  std::cout << "\n" << transcript.results_size() << " result(s)\n\n";
  TextTable results({"학기", "과목", "구분", "영역", "학점", "취득", "성취도", "원점수",
                     "이수 여부", "버전", "이름"});
  for (const auto& entry : transcript.results()) {
    const rv1::ResultPackage& package = entry.package();
    results.AddRow({package.term(), package.title(), CategoryLabel(package.category()),
                    SubjectAreaLabel(package.subject_area()), absl::StrCat(package.credits()),
                    absl::StrCat(package.credits_earned()), OrDash(package.achievement_level()),
                    absl::StrCat(package.raw_score()), OutcomeLabel(package.outcome()),
                    absl::StrCat(entry.version()), entry.name()});
  }
  results.Print(std::cout);

  std::cout << "\n";
  PrintList(OutcomeLabel(rv1::NOT_COMPLETED), transcript.not_completed());
  PrintList(OutcomeLabel(rv1::REMEDIATION_REQUIRED), transcript.remediation_pending());
  return 0;
}

int RecordAttendance(const std::vector<std::string>& args) {
  rv1::RecordAttendanceRequest request;
  request.set_session_number(absl::GetFlag(FLAGS_session));
  const std::string date = absl::GetFlag(FLAGS_date);
  const std::string marks = absl::GetFlag(FLAGS_marks);
  if (args.size() != 1 || request.session_number() < 1 || date.empty() || marks.empty()) {
    return Usage(kAttendanceUsage);
  }
  if (!ParseDate(date, request.mutable_date())) {
    std::cerr << "osanctl: --date: not a date '" << date << "' (YYYY-MM-DD)\n";
    return 2;
  }
  if (!ParseMarks(marks, request.mutable_marks())) {
    return 2;
  }
  request.set_section(args[0]);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(RequestId());
  rv1::SessionAttendance recorded;
  const grpc::Status status = Call(&Stub::RecordAttendance, request, &recorded);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << recorded.name() << ": version " << recorded.version() << "\n";
  PrintField("날짜", DateText(recorded.date()));
  PrintField("출결", MarkCounts(recorded.marks()));
  PrintField("사유", recorded.reason());
  PrintField("기록 기관", recorded.recorded_by());
  PrintField("request_id", request.request_id());
  return 0;
}

int RecordAssessment(const std::vector<std::string>& args) {
  rv1::RecordAssessmentRequest request;
  rv1::Assessment& assessment = *request.mutable_assessment();
  assessment.set_student(absl::GetFlag(FLAGS_student));
  assessment.set_raw_score(absl::GetFlag(FLAGS_score));
  assessment.set_achievement_rate(absl::GetFlag(FLAGS_rate));
  if (args.size() != 1 || assessment.student().empty() || std::isnan(assessment.raw_score()) ||
      std::isnan(assessment.achievement_rate())) {
    return Usage(kAssessUsage);
  }
  assessment.set_section(args[0]);
  assessment.set_notes(absl::GetFlag(FLAGS_notes));
  assessment.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(RequestId());
  rv1::Assessment recorded;
  const grpc::Status status = Call(&Stub::RecordAssessment, request, &recorded);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "assessment of " << recorded.student() << " in " << recorded.section()
            << ": version " << recorded.version() << "\n";
  PrintField("원점수", absl::StrCat(recorded.raw_score()));
  PrintField("성취율", absl::StrCat(recorded.achievement_rate(), "%"));
  PrintField("성취도", recorded.achievement_level());
  PrintField("사유", recorded.reason());
  PrintField("기록 기관", recorded.recorded_by());
  PrintField("request_id", request.request_id());
  return 0;
}

int FinalizeSection(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage(kFinalizeUsage);
  }
  rv1::FinalizeSectionRequest request;
  request.set_section(args[0]);
  request.set_request_id(RequestId());
  rv1::FinalizeSectionResponse response;
  const grpc::Status status = Call(&Stub::FinalizeSection, request, &response);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "finalized " << request.section() << " (request_id " << request.request_id()
            << ")\n";
  PrintField("수강자 수", absl::StrCat(response.student_count(), "명"));
  PrintField("과목 평균", absl::StrCat(response.course_mean()));
  PrintField("성취도별 분포비율", PercentText(response.level_distribution_percent()));
  std::cout << "\n";
  TextTable table({"학생", "성취도", "원점수", "출석", "이수 여부", "사유", "버전", "이름"});
  for (const auto& entry : response.entries()) {
    const rv1::ResultPackage& package = entry.package();
    table.AddRow(
        {package.student(), OrDash(package.achievement_level()), absl::StrCat(package.raw_score()),
         absl::StrCat(package.attendance().attended(), "/", package.attendance().sessions_held()),
         OutcomeLabel(package.outcome()), OrDash(OneLine(package.outcome_reason())),
         absl::StrCat(entry.version()), entry.name()});
  }
  table.Print(std::cout);
  return 0;
}

std::string CreditAddress() {
  return FlagOrEnv(absl::GetFlag(FLAGS_credit), "OSAN_CREDIT", "127.0.0.1:50053");
}

}  // namespace osan::cli
