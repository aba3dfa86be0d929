#include "services/credit/domain/report.h"

#include <utility>

#include "absl/strings/strip.h"
#include "common/names.h"

namespace osan::credit {

ResultFact ResultFactOf(const v1::ResultPackage& package, const std::string& school_code) {
  ResultFact result;
  result.section = package.section();
  result.home_school = InstitutionName(school_code);
  result.outcome = package.outcome();
  result.credits_earned = package.credits_earned();
  return result;
}

namespace {

namespace cv1 = catalog::v1;
using spreadsheet::Cell;

void Add(const v1::ReportCounts& from, v1::ReportCounts* to) {
  to->set_sections_opened(to->sections_opened() + from.sections_opened());
  to->set_sections_cancelled(to->sections_cancelled() + from.sections_cancelled());
  to->set_applicants(to->applicants() + from.applicants());
  to->set_enrolled(to->enrolled() + from.enrolled());
  to->set_completed(to->completed() + from.completed());
  to->set_credits_earned(to->credits_earned() + from.credits_earned());
}

// Rows by institution, ordered by name, with display names.
google::protobuf::RepeatedPtrField<v1::ReportRow> Rows(
    const std::map<std::string, v1::ReportCounts>& counts,
    const std::map<std::string, std::string>& names) {
  google::protobuf::RepeatedPtrField<v1::ReportRow> rows;
  for (const auto& [institution, row_counts] : counts) {
    v1::ReportRow* row = rows.Add();
    row->set_institution(institution);
    const auto name = names.find(institution);
    row->set_display_name(name != names.end() ? name->second : institution);
    *row->mutable_counts() = row_counts;
  }
  return rows;
}

// `institutions/{code}` -> code.
std::string CodeOf(absl::string_view institution) {
  return std::string(absl::StripPrefix(institution, "institutions/"));
}

std::vector<Cell> CountCells(const v1::ReportCounts& counts, bool with_sections) {
  std::vector<Cell> cells;
  if (with_sections) {
    cells.push_back(Cell::Integer(counts.sections_opened()));
    cells.push_back(Cell::Integer(counts.sections_cancelled()));
  }
  cells.push_back(Cell::Integer(counts.applicants()));
  cells.push_back(Cell::Integer(counts.enrolled()));
  cells.push_back(Cell::Integer(counts.completed()));
  cells.push_back(Cell::Integer(counts.credits_earned()));
  return cells;
}

const std::vector<std::string>& SectionHeaders() {
  static const auto* headers = new std::vector<std::string>{"개설 강좌", "폐강 강좌"};
  return *headers;
}
const std::vector<std::string>& CountHeaders() {
  static const auto* headers =
      new std::vector<std::string>{"신청 인원", "수강 인원", "이수 인원", "취득 학점"};
  return *headers;
}

spreadsheet::Sheet InstitutionSheet(const std::string& name, const std::string& code_header,
                                    const std::string& name_header, bool with_sections,
                                    const google::protobuf::RepeatedPtrField<v1::ReportRow>& rows) {
  spreadsheet::Sheet sheet{name, {code_header, name_header}, {}};
  if (with_sections) {
    sheet.headers.insert(sheet.headers.end(), SectionHeaders().begin(), SectionHeaders().end());
  }
  sheet.headers.insert(sheet.headers.end(), CountHeaders().begin(), CountHeaders().end());
  for (const v1::ReportRow& row : rows) {
    std::vector<Cell> cells = {Cell::Text(CodeOf(row.institution())),
                               Cell::Text(row.display_name())};
    for (Cell& cell : CountCells(row.counts(), with_sections)) {
      cells.push_back(std::move(cell));
    }
    sheet.rows.push_back(std::move(cells));
  }
  return sheet;
}

}  // namespace

bool CountsAsOpened(cv1::SectionState state) {
  return state != cv1::SECTION_STATE_UNSPECIFIED && state != cv1::DRAFT && state != cv1::CANCELLED;
}

v1::ProgrammeReport BuildProgrammeReport(const ReportFacts& facts) {
  v1::ProgrammeReport report;
  report.set_programme(facts.programme.name());
  report.set_programme_display_name(facts.programme.display_name());
  report.set_term(facts.term);

  std::map<std::string, std::string> host_of;  // section name -> host
  std::map<std::string, v1::ReportCounts> by_host;
  std::map<std::string, v1::ReportCounts> by_school;
  for (const cv1::Section& section : facts.sections) {
    host_of[section.name()] = section.host();
    v1::ReportCounts& host = by_host[section.host()];
    if (CountsAsOpened(section.state())) {
      host.set_sections_opened(host.sections_opened() + 1);
    } else if (section.state() == cv1::CANCELLED) {
      host.set_sections_cancelled(host.sections_cancelled() + 1);
    }
  }
  // Each count is added to the section's host and the students' home school.
  const auto count = [&](const std::string& section, const std::string& school,
                         const v1::ReportCounts& counts) {
    const auto host = host_of.find(section);
    if (host == host_of.end()) {
      return;  // another programme's section
    }
    Add(counts, &by_host[host->second]);
    Add(counts, &by_school[school]);
  };
  for (const enrollment::v1::ApplicationCount& applications : facts.applications) {
    v1::ReportCounts counts;
    counts.set_applicants(applications.count());
    if (applications.state() == enrollment::v1::ENROLLED) {
      counts.set_enrolled(applications.count());
    }
    count(applications.section(), applications.home_school(), counts);
  }
  for (const ResultFact& result : facts.results) {
    if (result.outcome != v1::COMPLETED) {
      continue;
    }
    v1::ReportCounts counts;
    counts.set_completed(1);
    counts.set_credits_earned(result.credits_earned);
    count(result.section, result.home_school, counts);
  }

  for (const auto& [host, counts] : by_host) {
    Add(counts, report.mutable_total());
  }
  // A programme without sections still reports its zeros.
  report.mutable_total();
  *report.mutable_by_host() = Rows(by_host, facts.institution_names);
  *report.mutable_by_school() = Rows(by_school, facts.institution_names);
  return report;
}

std::vector<spreadsheet::Sheet> ReportSheets(const v1::ProgrammeReport& report) {
  spreadsheet::Sheet summary{"요약", {"사업", "사업명", "학기"}, {}};
  summary.headers.insert(summary.headers.end(), SectionHeaders().begin(), SectionHeaders().end());
  summary.headers.insert(summary.headers.end(), CountHeaders().begin(), CountHeaders().end());
  std::vector<Cell> cells = {Cell::Text(report.programme()),
                             Cell::Text(report.programme_display_name()),
                             Cell::Text(report.term())};
  for (Cell& cell : CountCells(report.total(), /*with_sections=*/true)) {
    cells.push_back(std::move(cell));
  }
  summary.rows.push_back(std::move(cells));
  return {
      summary,
      InstitutionSheet("학교별", "학교 코드", "학교명", /*with_sections=*/false,
                       report.by_school()),
      InstitutionSheet("기관별", "기관 코드", "기관명", /*with_sections=*/true, report.by_host())};
}

}  // namespace osan::credit
