// The CSV reader and writer (common/csv.h) and the course import's row
// conversion (tools/osanctl/course_import.h) on arbitrary bytes.
//
// Input: the bytes of a file, as a user might upload it.
//
// Checked: ParseCsv and ParseCourseImport answer OK or INVALID_ARGUMENT,
// never another code, and ParseCsv's refusals name a line; records written
// back with CsvField and CsvLine read back as the same records, on the same
// lines, each field as NeutraliseFormula made it (and writing those again
// gives the same text: the prefix is added once); every course the import
// returns passes the catalog's own checks, with a valid request id distinct
// from the other rows', on increasing lines past the header.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/csv.h"
#include "common/validation.h"
#include "services/catalog/domain/rules.h"
#include "tests/fuzz/fuzz_support.h"
#include "tools/osanctl/course_import.h"

namespace osan {
namespace {

constexpr char kHost[] = "institutions/OSAN-AICODING";

// Small limits, so that inputs of a few kilobytes reach them.
CsvLimits SmallLimits() {
  CsvLimits limits;
  limits.max_bytes = 1 << 16;
  limits.max_records = 64;
  limits.max_field_bytes = 200;
  return limits;
}

std::string Write(const std::vector<CsvRecord>& records) {
  std::string text;
  for (const CsvRecord& record : records) {
    std::vector<std::string> cells;
    for (const std::string& field : record.fields) {
      cells.push_back(CsvField(field));
    }
    text += CsvLine(cells);
  }
  return text;
}

void CheckCsvRoundTrip(absl::string_view input) {
  const CsvLimits limits = SmallLimits();
  const auto records = ParseCsv(input, limits);
  if (!records.ok()) {
    fuzz::ExpectCode(records.status(), {absl::StatusCode::kInvalidArgument}, "ParseCsv");
    OSAN_FUZZ_CHECK(absl::StartsWith(records.status().message(), "line ") ||
                    absl::StartsWith(records.status().message(), "the file has"));
    return;
  }
  for (const CsvRecord& record : *records) {
    OSAN_FUZZ_CHECK(!record.fields.empty());
    for (const std::string& field : record.fields) {
      OSAN_FUZZ_CHECK(field.size() <= limits.max_field_bytes);
      OSAN_FUZZ_CHECK(FirstInvalidUtf8(field) == absl::string_view::npos);
    }
  }
  const std::string written = Write(*records);
  CsvLimits relaxed = limits;
  relaxed.max_bytes = written.size();
  relaxed.max_field_bytes = limits.max_field_bytes + 1;  // the formula prefix
  const auto reread = ParseCsv(written, relaxed);
  OSAN_FUZZ_CHECK(reread.ok());
  OSAN_FUZZ_CHECK(reread->size() == records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    const CsvRecord& before = (*records)[i];
    const CsvRecord& after = (*reread)[i];
    OSAN_FUZZ_CHECK(after.line == before.line);
    OSAN_FUZZ_CHECK(after.fields.size() == before.fields.size());
    for (size_t k = 0; k < before.fields.size(); ++k) {
      OSAN_FUZZ_CHECK(after.fields[k] == NeutraliseFormula(before.fields[k]));
      OSAN_FUZZ_CHECK(!LooksLikeFormula(after.fields[k]));
    }
  }
  OSAN_FUZZ_CHECK(Write(*reread) == written);
}

void CheckImport(absl::string_view input) {
  const auto rows = cli::ParseCourseImport(input, kHost, SmallLimits());
  if (!rows.ok()) {
    fuzz::ExpectCode(rows.status(), {absl::StatusCode::kInvalidArgument}, "ParseCourseImport");
    return;
  }
  OSAN_FUZZ_CHECK(!rows->empty());
  int previous_line = 1;
  std::set<std::string> request_ids;
  for (const cli::CourseRow& row : *rows) {
    OSAN_FUZZ_CHECK(row.line > previous_line);
    previous_line = row.line;
    OSAN_FUZZ_CHECK(CheckRequestId(row.request.request_id()).ok());
    OSAN_FUZZ_CHECK(request_ids.insert(row.request.request_id()).second);
    catalog::v1::Course course = row.request.course();
    OSAN_FUZZ_CHECK(course.host() == kHost);
    OSAN_FUZZ_CHECK(course.name().empty());
    catalog::ApplyCourseDefaults(&course);
    OSAN_FUZZ_CHECK(catalog::ValidateCourse(course).ok());
  }
}

}  // namespace
}  // namespace osan

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  osan::CheckCsvRoundTrip(input);
  osan::CheckImport(input);
  return 0;
}
