#include "services/credit/api/report.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "services/credit/domain/report.h"

namespace osan::credit {

absl::StatusOr<std::string> RenderSheets(const std::vector<spreadsheet::Sheet>& sheets,
                                         v1::ExportFormat format, absl::string_view field) {
  switch (format) {
    case v1::CSV:
      return spreadsheet::WorkbookCsv(sheets);
    case v1::XLSX:
      return spreadsheet::WorkbookXlsx(sheets);
    default:
      return InvalidField(field, "must be CSV or XLSX");
  }
}

absl::StatusOr<v1::ProgrammeReport> Reports::GetProgrammeReport(
    const server::CallContext& call, const v1::GetProgrammeReportRequest& request) {
  const auth::Role role = call.principal->role;
  if (role != auth::v1::CITY && role != auth::v1::EDU_OFFICE) {
    return absl::PermissionDeniedError("only CITY or EDU_OFFICE read programme reports");
  }
  OSAN_RETURN_IF_ERROR(ParseProgrammeName("programme", request.programme()).status());
  OSAN_ASSIGN_OR_RETURN(const TermId term, ParseTermName("term", request.term()));
  if (!v1::ExportFormat_IsValid(request.format())) {
    return InvalidField("format", "must be CSV or XLSX, or unspecified for counts only");
  }

  ReportFacts facts;
  facts.term = term.name();
  OSAN_ASSIGN_OR_RETURN(facts.programme, peers_->Programme(request.programme(), call.deadline));
  catalog::v1::ListSectionsRequest funded;
  funded.set_programme(request.programme());
  OSAN_ASSIGN_OR_RETURN(facts.sections, peers_->TermSections(term.name(), funded, call.deadline));
  OSAN_ASSIGN_OR_RETURN(const auto counts,
                        peers_->CountApplications(term.name(), call.bearer_token, call.deadline));

  std::vector<std::string> section_ids;
  std::set<std::string> sections;
  std::set<std::string> institutions;  // hosts and home schools, for their names
  for (const catalog::v1::Section& section : facts.sections) {
    OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("section", section.name()));
    section_ids.push_back(id.id);
    sections.insert(section.name());
    institutions.insert(section.host());
  }
  for (const auto& count : counts.counts()) {
    if (sections.count(count.section()) > 0) {
      facts.applications.push_back(count);
      institutions.insert(count.home_school());
    }
  }
  OSAN_ASSIGN_OR_RETURN(facts.results, store_->Transact([&](store::Records& records) {
    return records.LatestResultsOfSections(section_ids);
  }));
  for (const ResultFact& result : facts.results) {
    institutions.insert(result.home_school);
  }
  for (const std::string& institution : institutions) {
    auto found = peers_->Institution(institution, call.deadline);
    if (found.ok()) {
      facts.institution_names[institution] = found->display_name();
    } else if (!absl::IsNotFound(found.status())) {
      return found.status();
    }
  }

  v1::ProgrammeReport report = BuildProgrammeReport(facts);
  if (request.format() != v1::EXPORT_FORMAT_UNSPECIFIED) {
    OSAN_ASSIGN_OR_RETURN(*report.mutable_content(),
                          RenderSheets(ReportSheets(report), request.format(), "format"));
  }
  return report;
}

}  // namespace osan::credit
