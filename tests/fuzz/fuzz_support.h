// Helpers shared by the libFuzzer targets of tests/fuzz: checks that abort
// (so that libFuzzer reports the input), status-code contracts, and a strict
// RFC 4180 reader for checking the CSV writer.
#ifndef OSAN_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define OSAN_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <google/protobuf/stubs/logging.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

// Aborts with the failed condition when `condition` is false.
#define OSAN_FUZZ_CHECK(condition)                                                            \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)

namespace osan::fuzz {

// Aborts unless `status` has one of `allowed` codes: the API's contract for
// bad input (INVALID_ARGUMENT, UNAUTHENTICATED, ...), never INTERNAL.
inline void ExpectCode(const absl::Status& status, std::initializer_list<absl::StatusCode> allowed,
                       const char* what) {
  for (const absl::StatusCode code : allowed) {
    if (status.code() == code) {
      return;
    }
  }
  std::fprintf(stderr, "fuzz check failed: %s returned %s\n", what, status.ToString().c_str());
  std::abort();
}

// Parsing arbitrary bytes makes protobuf log (invalid UTF-8 in strings, ...):
// silence it, it only slows the fuzzer down.
inline void QuietProtobuf() { google::protobuf::SetLogHandler(nullptr); }

// A strict RFC 4180 reader: records end with CRLF (the last one may end at
// the end of input), fields are separated by commas, a field with a comma,
// quote, CR or LF is quoted, and a quote inside a quoted field is doubled.
// nullopt for anything else (an unbalanced quote, a bare CR or LF, text after
// a closing quote).
inline std::optional<std::vector<std::vector<std::string>>> ReadCsv(absl::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  size_t i = 0;
  if (text.empty()) {
    return records;
  }
  while (true) {
    if (i < text.size() && text[i] == '"') {
      // Quoted field: up to the closing quote.
      ++i;
      while (true) {
        if (i >= text.size()) {
          return std::nullopt;  // unbalanced quote
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        if (text[i] == '"') {
          return std::nullopt;  // a quote inside an unquoted field
        }
        field.push_back(text[i++]);
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i == text.size()) {
      records.push_back(std::move(record));
      return records;
    }
    if (text[i] == ',') {
      ++i;
      continue;
    }
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      i += 2;
      records.push_back(std::move(record));
      record.clear();
      if (i == text.size()) {
        return records;
      }
      continue;
    }
    return std::nullopt;  // a bare CR or LF, or text after a closing quote
  }
}

}  // namespace osan::fuzz

#endif  // OSAN_TESTS_FUZZ_FUZZ_SUPPORT_H_
