// The results CSV (osan::credit::ResultsCsv) on ledger entries parsed from
// the input, read back with a strict RFC 4180 reader (fuzz_support.h).
//
// Input: an osan.credit.v1.ListPendingResultsResponse (at most 50 entries);
// inputs that do not parse are skipped.
//
// Checked: the output starts with the UTF-8 byte order mark and parses as
// RFC 4180 (every quote balanced, records ending in CRLF); it has one record
// for the header and one per entry, 24 fields each; free-text fields read
// back exactly as they were, whatever commas, quotes and line breaks they
// hold.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/api/credit.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::credit {
namespace {

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";
constexpr size_t kColumns = 24;

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
  for (size_t i = 0; i < entries.size(); ++i) {
    const v1::LedgerEntry& entry = entries[i];
    const v1::ResultPackage& p = entry.package();
    const std::vector<std::string>& row = (*records)[i + 1];
    OSAN_FUZZ_CHECK(row[0] == p.student());
    OSAN_FUZZ_CHECK(row[1] == p.term());
    OSAN_FUZZ_CHECK(row[2] == p.title());
    OSAN_FUZZ_CHECK(row[4] == absl::StrCat(p.credits()));
    OSAN_FUZZ_CHECK(row[8] == p.achievement_level());
    OSAN_FUZZ_CHECK(row[11] == p.rank());
    OSAN_FUZZ_CHECK(row[12] == p.notes());
    OSAN_FUZZ_CHECK(row[18] == p.remarks());
    OSAN_FUZZ_CHECK(row[19] == p.host_display_name());
    OSAN_FUZZ_CHECK(row[21] == p.outcome_reason());
    OSAN_FUZZ_CHECK(row[22] == entry.name());
    OSAN_FUZZ_CHECK(row[23] == absl::StrCat(entry.version()));
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
