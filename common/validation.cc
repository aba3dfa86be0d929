#include "common/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace osan {
namespace {

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 if invalid
// (overlong forms, surrogates and values past U+10FFFF are invalid).
size_t DecodeOne(absl::string_view text, size_t i, unsigned* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned lead = byte(i);
  size_t length = 0;
  unsigned value = 0;
  unsigned min = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *code_point = value;
  return length;
}

}  // namespace

size_t Utf8Length(absl::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned code_point = 0;
    const size_t length = DecodeOne(text, i, &code_point);
    i += length == 0 ? 1 : length;
    ++count;
  }
  return count;
}

size_t FirstInvalidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    unsigned code_point = 0;
    const size_t length = DecodeOne(text, i, &code_point);
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return absl::string_view::npos;
}

absl::Status CheckText(absl::string_view field, absl::string_view text, size_t min, size_t max,
                       bool multiline) {
  size_t count = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned code_point = 0;
    const size_t length = DecodeOne(text, i, &code_point);
    if (length == 0) {
      return InvalidField(field, "is not valid UTF-8");
    }
    const bool allowed_control = multiline && (code_point == '\n' || code_point == '\t');
    if ((code_point < 0x20 || code_point == 0x7F) && !allowed_control) {
      return InvalidField(field, "contains control characters");
    }
    i += length;
    ++count;
  }
  if (count < min) {
    return InvalidField(
        field, min == 1 ? "is required" : absl::StrCat("must be at least ", min, " characters"));
  }
  if (count > max) {
    return InvalidField(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status CheckRequestId(absl::string_view request_id) {
  if (request_id.empty()) {
    return InvalidField("request_id", "is required on every change, so that a retry is safe");
  }
  if (request_id.size() > 64) {
    return InvalidField("request_id", "must be at most 64 characters");
  }
  for (const char c : request_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return InvalidField("request_id", "may contain only letters, digits and . _ : -");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRange(absl::string_view field, long long value, long long min, long long max) {
  if (value < min || value > max) {
    return InvalidField(field, absl::StrCat("must be between ", min, " and ", max));
  }
  return absl::OkStatus();
}

}  // namespace osan
