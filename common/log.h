// Structured logging: one JSON object per line on stderr.
#ifndef OSAN_COMMON_LOG_H_
#define OSAN_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace osan::log {

enum class Level { kDebug, kInfo, kWarning, kError };

using Field = std::pair<absl::string_view, std::string>;

// Writes {"ts":..., "level":..., "msg":..., <fields>} as one line. Thread-safe;
// values are JSON-escaped.
void Write(Level level, absl::string_view message, std::initializer_list<Field> fields = {});

inline void Info(absl::string_view message, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, message, fields);
}
inline void Warning(absl::string_view message, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarning, message, fields);
}
inline void Error(absl::string_view message, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, message, fields);
}

// Messages below `level` are dropped. Default kInfo.
void SetMinLevel(Level level);
// Whether messages of `level` are written: callers may skip building them.
bool Enabled(Level level);

}  // namespace osan::log

#endif  // OSAN_COMMON_LOG_H_
