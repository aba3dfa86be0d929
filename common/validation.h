// Field validation shared by the services' request checks. Each function
// returns INVALID_ARGUMENT naming `field` when the value is unacceptable.
#ifndef OSAN_COMMON_VALIDATION_H_
#define OSAN_COMMON_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace osan {

// Length in Unicode code points of valid UTF-8 text.
size_t Utf8Length(absl::string_view text);

// Offset of the first byte of `text` that does not start a valid UTF-8
// sequence (overlong forms, surrogates and values past U+10FFFF are invalid),
// or absl::string_view::npos if all of `text` is valid UTF-8.
size_t FirstInvalidUtf8(absl::string_view text);

// `text` is valid UTF-8, has no control characters other than newline and
// tab (and none at all unless `multiline`), and is min..max code points long.
absl::Status CheckText(absl::string_view field, absl::string_view text, size_t min, size_t max,
                       bool multiline = false);

// A request_id is required on mutations: 1..64 characters of [A-Za-z0-9._:-].
absl::Status CheckRequestId(absl::string_view request_id);

// An integer within [min, max].
absl::Status CheckRange(absl::string_view field, long long value, long long min, long long max);

}  // namespace osan

#endif  // OSAN_COMMON_VALIDATION_H_
