#include "common/spreadsheet.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/csv.h"

namespace osan::spreadsheet {
namespace {

std::string CsvCell(const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::kInteger:
      return CsvNumber(static_cast<int64_t>(cell.number));
    case Cell::Kind::kDecimal:
      return CsvNumber(cell.number);
    case Cell::Kind::kText:
      break;
  }
  return CsvField(cell.text);
}

void AppendTable(const Sheet& sheet, std::string* csv) {
  *csv += CsvLine(sheet.headers);
  for (const auto& row : sheet.rows) {
    std::vector<std::string> cells;
    cells.reserve(row.size());
    for (const Cell& cell : row) {
      cells.push_back(CsvCell(cell));
    }
    *csv += CsvLine(cells);
  }
}

// Display width of `text` in a spreadsheet column, roughly: Hangul and
// other wide characters count two.
double DisplayWidth(const std::string& text) {
  double width = 0;
  for (const unsigned char c : text) {
    if (c < 0x80) {
      width += 1;
    } else if (c >= 0xC0) {
      width += 2;  // the lead byte of a multi-byte character
    }
  }
  return width;
}

std::string CellText(const Cell& cell) {
  return cell.kind == Cell::Kind::kText ? cell.text : CsvCell(cell);
}

// A temporary file that is removed when this goes out of scope.
class TempFile {
 public:
  TempFile() {
    const char* dir = getenv("TMPDIR");
    path_ = absl::StrCat(dir != nullptr && *dir != '\0' ? dir : "/tmp", "/osan-xlsx-XXXXXX");
    const int fd = mkstemp(path_.data());
    if (fd < 0) {
      path_.clear();
    } else {
      close(fd);
    }
  }
  ~TempFile() {
    if (!path_.empty()) {
      unlink(path_.c_str());
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

absl::Status XlsxError(absl::string_view what, lxw_error error) {
  return absl::InternalError(
      absl::StrCat("writing the workbook: ", what, ": ", lxw_strerror(error)));
}

absl::Status WriteSheet(lxw_workbook* workbook, const Sheet& sheet, lxw_format* header,
                        lxw_format* integer, lxw_format* decimal) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.name.c_str());
  if (worksheet == nullptr) {
    return absl::InternalError(absl::StrCat("writing the workbook: bad sheet name ", sheet.name));
  }
  std::vector<double> widths(sheet.headers.size(), 0);
  for (size_t col = 0; col < sheet.headers.size(); ++col) {
    widths[col] = DisplayWidth(sheet.headers[col]);
    const lxw_error error = worksheet_write_string(worksheet, 0, static_cast<lxw_col_t>(col),
                                                   sheet.headers[col].c_str(), header);
    if (error != LXW_NO_ERROR) {
      return XlsxError(sheet.headers[col], error);
    }
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t col = 0; col < sheet.rows[r].size() && col < widths.size(); ++col) {
      const Cell& cell = sheet.rows[r][col];
      const auto column = static_cast<lxw_col_t>(col);
      lxw_error error = LXW_NO_ERROR;
      switch (cell.kind) {
        case Cell::Kind::kText:
          error = worksheet_write_string(worksheet, row, column, cell.text.c_str(), nullptr);
          break;
        case Cell::Kind::kInteger:
          error = worksheet_write_number(worksheet, row, column, cell.number, integer);
          break;
        case Cell::Kind::kDecimal:
          error = worksheet_write_number(worksheet, row, column, cell.number, decimal);
          break;
      }
      if (error != LXW_NO_ERROR) {
        return XlsxError(absl::StrCat(sheet.name, " row ", r + 1), error);
      }
      widths[col] = std::max(widths[col], DisplayWidth(CellText(cell)));
    }
  }
  for (size_t col = 0; col < widths.size(); ++col) {
    const auto column = static_cast<lxw_col_t>(col);
    worksheet_set_column(worksheet, column, column, std::min(widths[col] + 2, 60.0), nullptr);
  }
  if (!sheet.headers.empty()) {
    worksheet_freeze_panes(worksheet, 1, 0);
    worksheet_autofilter(worksheet, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                         static_cast<lxw_col_t>(sheet.headers.size() - 1));
  }
  return absl::OkStatus();
}

}  // namespace

std::string WorkbookCsv(const std::vector<Sheet>& sheets) {
  std::string csv = "\xEF\xBB\xBF";
  if (sheets.size() == 1) {
    AppendTable(sheets.front(), &csv);
    return csv;
  }
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (i > 0) {
      csv += "\r\n";
    }
    csv += CsvLine({CsvField(sheets[i].name)});
    AppendTable(sheets[i], &csv);
  }
  return csv;
}

absl::StatusOr<std::string> WorkbookXlsx(const std::vector<Sheet>& sheets) {
  const TempFile file;
  if (file.path().empty()) {
    return absl::InternalError("writing the workbook: no temporary file");
  }
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) {
    return absl::InternalError("writing the workbook: libxlsxwriter could not start");
  }
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* integer = workbook_add_format(workbook);
  format_set_num_format(integer, "#,##0");
  lxw_format* decimal = workbook_add_format(workbook);
  format_set_num_format(decimal, "#,##0.0#");
  absl::Status written = absl::OkStatus();
  for (const Sheet& sheet : sheets) {
    written = WriteSheet(workbook, sheet, header, integer, decimal);
    if (!written.ok()) {
      break;
    }
  }
  const lxw_error closed = workbook_close(workbook);  // frees the workbook in every case
  if (!written.ok()) {
    return written;
  }
  if (closed != LXW_NO_ERROR) {
    return XlsxError("closing", closed);
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return absl::InternalError("writing the workbook: cannot read it back");
  }
  return bytes.str();
}

}  // namespace osan::spreadsheet
