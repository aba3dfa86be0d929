// Programme reports for the city and the education office: counts of a
// programme's sections, applications and results in a term, in total, by
// the students' home school and by host, and the sheets (요약, 학교별, 기관별)
// that render them as CSV or an Excel workbook.
//
// Pure: the use case (services/credit/api/report.h) gathers the facts from
// catalog, enrollment and the ledger; nothing here reads anything. Counts
// only: no input or output names a student.
#ifndef OSAN_SERVICES_CREDIT_DOMAIN_REPORT_H_
#define OSAN_SERVICES_CREDIT_DOMAIN_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "common/spreadsheet.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::credit {

// The latest version of one result, as a report counts it.
struct ResultFact {
  std::string section;      // `terms/{year}-{semester}/sections/{id}`
  std::string home_school;  // `institutions/{code}`
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  int credits_earned = 0;
};

// The fact of `package`, a result of a student of the school `school_code`.
ResultFact ResultFactOf(const v1::ResultPackage& package, const std::string& school_code);

// What a programme report is made of.
struct ReportFacts {
  catalog::v1::Programme programme;
  std::string term;  // `terms/{year}-{semester}`
  // The programme's sections in the term, in any state.
  std::vector<catalog::v1::Section> sections;
  // Application counts of the sections (counts of other sections are
  // ignored).
  std::vector<enrollment::v1::ApplicationCount> applications;
  // The latest version of each result of the programme's sections.
  std::vector<ResultFact> results;
  // Display names by `institutions/{code}`; a missing one shows the code.
  std::map<std::string, std::string> institution_names;
};

// Whether a section in `state` counts as opened: offered to students (any
// state past DRAFT but CANCELLED).
bool CountsAsOpened(catalog::v1::SectionState state);

// The counts: sections opened and cancelled (in total and by host),
// applications in any state and ENROLLED ones, results COMPLETED and their
// credits earned, each by the student's home school and the section's host.
// Rows are ordered by institution name; an institution appears when it has
// any count.
v1::ProgrammeReport BuildProgrammeReport(const ReportFacts& facts);

// The report as sheets: 요약 (one row), 학교별 and 기관별, with Korean headers.
std::vector<spreadsheet::Sheet> ReportSheets(const v1::ProgrammeReport& report);

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_DOMAIN_REPORT_H_
