// The results as home schools receive them to enter into NEIS: one row per
// ledger entry, in Korean, as CSV or a sheet of an Excel workbook. Pure.
#ifndef OSAN_SERVICES_CREDIT_DOMAIN_RESULTS_SHEET_H_
#define OSAN_SERVICES_CREDIT_DOMAIN_RESULTS_SHEET_H_

#include <string>
#include <vector>

#include "common/spreadsheet.h"
#include "osan/credit/v1/credit.pb.h"

namespace osan::credit {

// 이수, 보충 필요, 미이수; "" for an unspecified outcome.
std::string OutcomeLabel(v1::Outcome outcome);

// The CSV that home schools enter into NEIS by hand: a UTF-8 byte order mark
// (so spreadsheet programs read Korean correctly), Korean headers, one row per
// entry, fields quoted as RFC 4180 requires; text cells that a spreadsheet
// would take for a formula are prefixed with a single quote (common/csv.h).
std::string ResultsCsv(const std::vector<v1::LedgerEntry>& entries);

// The same rows as one sheet, "미반영 성적", for CSV (ResultsCsv) and the
// Excel workbook of ExportPendingResults.
spreadsheet::Sheet ResultsSheet(const std::vector<v1::LedgerEntry>& entries);

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_DOMAIN_RESULTS_SHEET_H_
