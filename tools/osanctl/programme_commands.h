// osanctl's commands for the city and the education office: the programmes
// (사업) of the Future Education Cooperation District agreement
// (osan.catalog.v1.CatalogService) and their reports
// (osan.credit.v1.ReportService). Conventions as in catalog_commands.h;
// reports go to --credit (default $OSAN_CREDIT or 127.0.0.1:50053).
#ifndef OSAN_TOOLS_OSANCTL_PROGRAMME_COMMANDS_H_
#define OSAN_TOOLS_OSANCTL_PROGRAMME_COMMANDS_H_

#include <string>
#include <vector>

namespace osan::cli {

// programmes create ID --display_name N --year Y --annex A
//   --funder CITY|EDU_OFFICE|PROVINCE [--budget KRW]
int CreateProgramme(const std::vector<std::string>& args);

// programmes list [--year Y]: the programmes with their funder and budget.
int ListProgrammes(const std::vector<std::string>& args);

// programmes update programmes/{id} [--display_name --annex --funder
// --budget]: changes the fields given.
int UpdateProgramme(const std::vector<std::string>& args);

// reports programme --programme programmes/{id} --term terms/{t}
//   [--format csv|xlsx --out FILE]: the counts as tables, or the report
//   written to FILE as CSV or an Excel workbook.
int ProgrammeReport(const std::vector<std::string>& args);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_PROGRAMME_COMMANDS_H_
