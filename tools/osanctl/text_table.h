// Plain-text tables for terminals, aligned by display width (Hangul and other
// East Asian wide characters take two columns).
#ifndef OSAN_TOOLS_OSANCTL_TEXT_TABLE_H_
#define OSAN_TOOLS_OSANCTL_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace osan::cli {

// Columns a UTF-8 string occupies on a terminal.
size_t DisplayWidth(absl::string_view text);

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Header, a rule, then the rows; columns separated by two spaces.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_TEXT_TABLE_H_
