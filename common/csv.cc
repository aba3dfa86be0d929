#include "common/csv.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status.h"
#include "common/validation.h"

namespace osan {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// 1-based line of the byte at `offset`.
int LineAt(absl::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

absl::Status LineError(int line, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", problem));
}

// `text` converted from CP949 to UTF-8, or nullopt if it is not CP949.
std::optional<std::string> FromCp949(absl::string_view text) {
  iconv_t converter = iconv_open("UTF-8", "CP949");
  if (converter == reinterpret_cast<iconv_t>(-1)) {
    return std::nullopt;
  }
  std::string out;
  // A CP949 character is one or two bytes, and three at most in UTF-8.
  std::string buffer(text.size() / 2 * 3 + 4, '\0');
  char* in = const_cast<char*>(text.data());
  size_t in_left = text.size();
  bool ok = true;
  while (in_left > 0) {
    char* next = buffer.data();
    size_t out_left = buffer.size();
    const size_t converted = iconv(converter, &in, &in_left, &next, &out_left);
    out.append(buffer.data(), next - buffer.data());
    if (converted == static_cast<size_t>(-1) && errno != E2BIG) {
      ok = false;  // EILSEQ or EINVAL: not CP949
      break;
    }
  }
  iconv_close(converter);
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

// `text` as UTF-8: as given if it is (a byte order mark dropped), else
// converted from CP949 into `converted`. INVALID_ARGUMENT naming the line of
// the first byte that is neither.
absl::StatusOr<absl::string_view> AsUtf8(absl::string_view text, std::string& converted) {
  if (absl::ConsumePrefix(&text, kByteOrderMark)) {
    if (const size_t bad = FirstInvalidUtf8(text); bad != absl::string_view::npos) {
      return LineError(LineAt(text, bad),
                       "is not valid UTF-8, although the file starts with a UTF-8 byte order mark");
    }
    return text;
  }
  const size_t bad = FirstInvalidUtf8(text);
  if (bad == absl::string_view::npos) {
    return text;
  }
  // Korean text before the first bad byte was UTF-8: a UTF-8 file with a
  // stray byte, not a CP949 file (which would read as something else).
  const absl::string_view before = text.substr(0, bad);
  if (std::any_of(before.begin(), before.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return LineError(LineAt(text, bad), "is not valid UTF-8 (a stray byte in UTF-8 text)");
  }
  std::optional<std::string> from_cp949 = FromCp949(text);
  if (!from_cp949.has_value() || FirstInvalidUtf8(*from_cp949) != absl::string_view::npos) {
    return LineError(LineAt(text, bad),
                     "the file must be UTF-8 or CP949 text (in Excel, save it as \"CSV "
                     "UTF-8\")");
  }
  converted = *std::move(from_cp949);
  return absl::string_view(converted);
}

// Reads UTF-8 CSV text record by record, keeping count of lines.
class CsvReader {
 public:
  CsvReader(absl::string_view text, const CsvLimits& limits) : text_(text), limits_(limits) {}

  bool done() const { return i_ == text_.size(); }

  // The next record, and past the line break that ends it.
  absl::StatusOr<CsvRecord> Record() {
    CsvRecord record;
    record.line = line_;
    while (true) {
      std::string field;
      OSAN_RETURN_IF_ERROR(At('"') ? Quoted(field) : Unquoted(field));
      if (record.fields.size() == limits_.max_fields) {
        return Error(absl::StrCat("a record has more than ", limits_.max_fields, " fields"));
      }
      record.fields.push_back(std::move(field));
      if (!At(',')) {
        break;
      }
      ++i_;
    }
    OSAN_RETURN_IF_ERROR(LineBreak());
    return record;
  }

  absl::Status Error(absl::string_view problem) const { return LineError(line_, problem); }

 private:
  bool At(char c) const { return i_ < text_.size() && text_[i_] == c; }
  bool AtFieldEnd() const { return done() || At(',') || At('\r') || At('\n'); }

  absl::Status Append(std::string& field, char c) {
    field.push_back(c);
    if (field.size() > limits_.max_field_bytes) {
      return Error(absl::StrCat("a field is longer than ", limits_.max_field_bytes, " bytes"));
    }
    return absl::OkStatus();
  }

  // A field in quotes: a doubled quote is one quote; line breaks are kept.
  absl::Status Quoted(std::string& field) {
    const int opened = line_;
    ++i_;
    while (true) {
      if (done()) {
        return LineError(opened, "a quoted field is never closed (unbalanced quote)");
      }
      if (At('"')) {
        ++i_;
        if (!At('"')) {
          break;
        }
      } else if (At('\n')) {
        ++line_;
      }
      OSAN_RETURN_IF_ERROR(Append(field, text_[i_++]));
    }
    if (!AtFieldEnd()) {
      return Error("text after the closing quote of a field");
    }
    return absl::OkStatus();
  }

  absl::Status Unquoted(std::string& field) {
    while (!AtFieldEnd()) {
      if (At('"')) {
        return Error(
            "a quote inside an unquoted field (quote the whole field and double the quote)");
      }
      OSAN_RETURN_IF_ERROR(Append(field, text_[i_++]));
    }
    return absl::OkStatus();
  }

  // LF or CRLF, unless the text ends.
  absl::Status LineBreak() {
    if (done()) {
      return absl::OkStatus();
    }
    if (At('\r')) {
      ++i_;
      if (!At('\n')) {
        return Error("a carriage return (CR) not followed by a line feed (LF)");
      }
    }
    ++i_;  // the LF
    ++line_;
    return absl::OkStatus();
  }

  const absl::string_view text_;
  const CsvLimits& limits_;
  size_t i_ = 0;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, const CsvLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the file has ", text.size(), " bytes, more than the limit of ", limits.max_bytes));
  }
  if (const size_t nul = text.find('\0'); nul != absl::string_view::npos) {
    return LineError(LineAt(text, nul), "contains a NUL byte; is this a CSV text file?");
  }
  std::string converted;
  OSAN_ASSIGN_OR_RETURN(const absl::string_view utf8, AsUtf8(text, converted));
  std::vector<CsvRecord> records;
  CsvReader reader(utf8, limits);
  while (!reader.done()) {
    if (records.size() == limits.max_records) {
      return reader.Error(absl::StrCat("the file has more than ", limits.max_records, " records"));
    }
    OSAN_ASSIGN_OR_RETURN(CsvRecord record, reader.Record());
    records.push_back(std::move(record));
  }
  return records;
}

bool LooksLikeFormula(absl::string_view value) {
  return !value.empty() &&
         absl::string_view("=+-@\t\r").find(value.front()) != absl::string_view::npos;
}

std::string NeutraliseFormula(absl::string_view value) {
  return LooksLikeFormula(value) ? absl::StrCat("'", value) : std::string(value);
}

std::string CsvField(absl::string_view value) {
  std::string cell = NeutraliseFormula(value);
  if (cell.find_first_of(",\"\r\n") == std::string::npos &&
      !absl::StartsWith(cell, kByteOrderMark)) {
    return cell;
  }
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') {
      quoted.push_back('"');
    }
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  return absl::StrCat(absl::StrJoin(cells, ","), "\r\n");
}

}  // namespace osan
