#include "common/csv.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
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
  if (absl::ConsumePrefix(&text, kByteOrderMark)) {
    if (const size_t bad = FirstInvalidUtf8(text); bad != absl::string_view::npos) {
      return LineError(LineAt(text, bad),
                       "is not valid UTF-8, although the file starts with a UTF-8 byte order mark");
    }
  } else if (const size_t bad = FirstInvalidUtf8(text); bad != absl::string_view::npos) {
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
    text = converted;
  }

  std::vector<CsvRecord> records;
  const size_t n = text.size();
  size_t i = 0;
  int line = 1;
  const auto field_too_long = [&] {
    return LineError(line,
                     absl::StrCat("a field is longer than ", limits.max_field_bytes, " bytes"));
  };
  while (i < n) {
    CsvRecord record;
    record.line = line;
    if (records.size() == limits.max_records) {
      return LineError(line,
                       absl::StrCat("the file has more than ", limits.max_records, " records"));
    }
    while (true) {
      std::string field;
      if (i < n && text[i] == '"') {
        const int opened = line;
        ++i;
        while (true) {
          if (i == n) {
            return LineError(opened, "a quoted field is never closed (unbalanced quote)");
          }
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
            } else {
              ++i;
              break;
            }
          } else {
            if (text[i] == '\n') {
              ++line;
            }
            field.push_back(text[i++]);
          }
          if (field.size() > limits.max_field_bytes) {
            return field_too_long();
          }
        }
        if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          return LineError(line, "text after the closing quote of a field");
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') {
            return LineError(line,
                             "a quote inside an unquoted field (quote the whole field and "
                             "double the quote)");
          }
          field.push_back(text[i++]);
          if (field.size() > limits.max_field_bytes) {
            return field_too_long();
          }
        }
      }
      if (record.fields.size() == limits.max_fields) {
        return LineError(line,
                         absl::StrCat("a record has more than ", limits.max_fields, " fields"));
      }
      record.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < n) {
      if (text[i] == '\r') {
        if (i + 1 == n || text[i + 1] != '\n') {
          return LineError(line, "a carriage return (CR) not followed by a line feed (LF)");
        }
        ++i;
      }
      ++i;  // the LF
      ++line;
    }
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
