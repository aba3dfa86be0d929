#include "tools/osanctl/text_table.h"

#include <algorithm>

namespace osan::cli {
namespace {

bool IsWide(unsigned code_point) {
  return (code_point >= 0x1100 && code_point <= 0x115F) ||  // Hangul Jamo
         (code_point >= 0x2E80 && code_point <= 0xA4CF) ||  // CJK, Kana, ...
         (code_point >= 0xAC00 && code_point <= 0xD7A3) ||  // Hangul syllables
         (code_point >= 0xF900 && code_point <= 0xFAFF) ||  // CJK compatibility
         (code_point >= 0xFF00 && code_point <= 0xFF60) ||  // fullwidth forms
         (code_point >= 0xFFE0 && code_point <= 0xFFE6);
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    length = std::min(length, text.size() - i);
    unsigned code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    width += IsWide(code_point) ? 2 : 1;
    i += length;
  }
  return width;
}

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  for (size_t r = 0; r < rows_.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < rows_[r].size(); ++c) {
      line += rows_[r][c];
      if (c + 1 < rows_[r].size()) {
        line.append(widths[c] - DisplayWidth(rows_[r][c]) + 2, ' ');
      }
    }
    out << line << '\n';
    if (r == 0) {
      size_t total = 0;
      for (const size_t w : widths) {
        total += w + 2;
      }
      out << std::string(total > 2 ? total - 2 : 0, '-') << '\n';
    }
  }
}

}  // namespace osan::cli
