// CSV (RFC 4180) for files people exchange with spreadsheets: a reader for
// uploaded files and a writer that is safe to open in Excel.
//
// Reading: the text is UTF-8, with or without a leading byte order mark.
// Korean Excel saves "CSV" in CP949 (the EUC-KR superset) unless the user
// picks "CSV UTF-8", so text that is not valid UTF-8 (and has no byte order
// mark) is converted from CP949 with iconv; if that fails too, the file is
// refused, naming both encodings. Text that is valid UTF-8 with non-ASCII
// characters up to a stray byte is refused as broken UTF-8, not reread as
// CP949. Records end with CRLF or LF (the last one
// may end at the end of the text); fields are separated by commas; a quoted
// field may hold commas, doubled quotes and line breaks (kept as they were).
//
// Writing: CsvField quotes a free-text cell when it must, and neutralises
// spreadsheet formula injection (OWASP "CSV injection"): a cell starting with
// = + - @, TAB or CR is prefixed with a single quote, which Excel and
// LibreOffice show as text instead of evaluating. Text from users, services
// or files must go through CsvField. Numbers the program formats itself go
// through CsvNumber, unprefixed, so that a negative number stays a number.
#ifndef OSAN_COMMON_CSV_H_
#define OSAN_COMMON_CSV_H_

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace osan {

// What ParseCsv accepts at most; larger input is INVALID_ARGUMENT.
struct CsvLimits {
  // Size of the text as given (before any conversion from CP949).
  size_t max_bytes = 10 << 20;
  // Records, the header included.
  size_t max_records = 20000;
  // Bytes of one field (UTF-8), after unquoting.
  size_t max_field_bytes = 4000;
  // Fields of one record (which bounds the memory a file of commas takes).
  size_t max_fields = 256;
};

// One record of a CSV file and the 1-based line it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;

  friend bool operator==(const CsvRecord& a, const CsvRecord& b) {
    return a.line == b.line && a.fields == b.fields;
  }
};

// Parses `text` (see above for the format and encodings) into its records,
// in order; fields are UTF-8. An empty line is a record with one empty field;
// empty text has no records. INVALID_ARGUMENT, with the 1-based line number
// in the message, for: an unbalanced quote, a quote inside an unquoted field
// or text after a closing quote, a CR not followed by LF outside quotes, a NUL
// byte, text that is neither UTF-8 nor CP949, or input over `limits`.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text,
                                                const CsvLimits& limits = CsvLimits());

// Whether a cell starting with `value` would be taken for a formula by a
// spreadsheet: its first byte is = + - @, TAB or CR.
bool LooksLikeFormula(absl::string_view value);

// `value` as a spreadsheet shows it once written by CsvField: prefixed with a
// single quote if LooksLikeFormula(value), else unchanged. Reading back a
// field written by CsvField(value) yields exactly NeutraliseFormula(value).
std::string NeutraliseFormula(absl::string_view value);

// One free-text cell: NeutraliseFormula(value), quoted (with inner quotes
// doubled) if it holds a comma, quote, CR or LF, or starts with U+FEFF (which
// a reader would otherwise take for a byte order mark at the start of a file).
std::string CsvField(absl::string_view value);

// One numeric cell the program formats itself (absl::StrCat's form), never
// prefixed, so that "-3" stays a number. Only for numbers, never for text.
template <class Number,
          std::enable_if_t<std::is_arithmetic_v<Number> && !std::is_same_v<Number, bool>, int> = 0>
std::string CsvNumber(Number value) {
  return absl::StrCat(value);
}

// One record: `cells` (each already made by CsvField or CsvNumber) joined by
// commas and ended with CRLF.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace osan

#endif  // OSAN_COMMON_CSV_H_
