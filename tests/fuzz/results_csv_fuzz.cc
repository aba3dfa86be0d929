// The results CSV (osan::credit::ResultsCsv) on ledger entries parsed from
// the input, read back with a strict RFC 4180 reader (fuzz_support.h) and
// with the suite's own reader (common/csv.h).
//
// Input: an osan.credit.v1.ListPendingResultsResponse (at most 50 entries);
// inputs that do not parse are skipped.
//
// Checked: the output starts with the UTF-8 byte order mark and parses as
// RFC 4180 (every quote balanced, records ending in CRLF); it has one record
// for the header and one per entry, 28 fields each; free-text fields read
// back exactly as they were, whatever commas, quotes and line breaks they
// hold, except that one a spreadsheet would take for a formula reads back
// with the single-quote prefix (NeutraliseFormula); numbers read back
// unprefixed. Unless a field holds a NUL byte (which ParseCsv refuses),
// ParseCsv reads the same records as the strict reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/csv.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/results_sheet.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::credit {
namespace {

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";
constexpr size_t kColumns = 28;
// The columns that hold text rather than the service's own numbers.
constexpr size_t kTextColumns[] = {0, 1, 2, 3, 8, 9, 11, 12, 18, 19, 20, 21, 22, 23, 24, 25, 26};

// Whether a spreadsheet shows `cell` as text: it does not start with a
// formula trigger (checked here independently of common/csv.h).
bool ShownAsText(const std::string& cell) {
  return cell.empty() || absl::string_view("=+-@\t\r").find(cell[0]) == absl::string_view::npos;
}

void Check(const std::vector<v1::LedgerEntry>& entries) {
  const std::string csv = ResultsCsv(entries);
  OSAN_FUZZ_CHECK(absl::StartsWith(csv, kByteOrderMark));
  const auto records = fuzz::ReadCsv(absl::string_view(csv).substr(3));
  OSAN_FUZZ_CHECK(records.has_value());
  OSAN_FUZZ_CHECK(records->size() == entries.size() + 1);
  for (const auto& record : *records) {
    OSAN_FUZZ_CHECK(record.size() == kColumns);
  }
  OSAN_FUZZ_CHECK((*records)[0][0] == "학생");
  OSAN_FUZZ_CHECK((*records)[0][13] == "수업 횟수");
  OSAN_FUZZ_CHECK((*records)[0][14] == "출석 횟수");
  if (csv.find('\0') == std::string::npos) {
    CsvLimits limits;
    limits.max_field_bytes = csv.size();
    const auto parsed = ParseCsv(csv, limits);
    OSAN_FUZZ_CHECK(parsed.ok());
    OSAN_FUZZ_CHECK(parsed->size() == records->size());
    for (size_t i = 0; i < records->size(); ++i) {
      OSAN_FUZZ_CHECK((*parsed)[i].fields == (*records)[i]);
    }
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const v1::LedgerEntry& entry = entries[i];
    const v1::ResultPackage& p = entry.package();
    const std::vector<std::string>& row = (*records)[i + 1];
    for (const size_t column : kTextColumns) {
      OSAN_FUZZ_CHECK(ShownAsText(row[column]));
    }
    OSAN_FUZZ_CHECK(row[0] == NeutraliseFormula(p.student()));
    OSAN_FUZZ_CHECK(row[1] == NeutraliseFormula(p.term()));
    OSAN_FUZZ_CHECK(row[2] == NeutraliseFormula(p.title()));
    OSAN_FUZZ_CHECK(row[4] == absl::StrCat(p.credits()));
    OSAN_FUZZ_CHECK(row[8] == NeutraliseFormula(p.achievement_level()));
    OSAN_FUZZ_CHECK(row[11] == NeutraliseFormula(p.rank()));
    OSAN_FUZZ_CHECK(row[12] == NeutraliseFormula(p.notes()));
    OSAN_FUZZ_CHECK(row[18] == NeutraliseFormula(p.remarks()));
    OSAN_FUZZ_CHECK(row[19] == NeutraliseFormula(p.host_display_name()));
    OSAN_FUZZ_CHECK(row[21] == NeutraliseFormula(p.outcome_reason()));
    OSAN_FUZZ_CHECK(row[13] == absl::StrCat(p.attendance().sessions_held()));
    OSAN_FUZZ_CHECK(row[14] == absl::StrCat(p.attendance().attended()));
    OSAN_FUZZ_CHECK(row[25] == NeutraliseFormula(p.rule().source()));
    OSAN_FUZZ_CHECK(row[26] == NeutraliseFormula(entry.name()));
    OSAN_FUZZ_CHECK(row[27] == absl::StrCat(entry.version()));
  }
}

}  // namespace
}  // namespace osan::credit

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  osan::fuzz::QuietProtobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  osan::credit::v1::ListPendingResultsResponse pending;
  if (!pending.ParseFromArray(data, static_cast<int>(size)) || pending.entries_size() > 50) {
    return 0;
  }
  osan::credit::Check({pending.entries().begin(), pending.entries().end()});
  return 0;
}
