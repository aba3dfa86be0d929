// Tables for people: the same sheets written as CSV (common/csv.h's safe
// cells) or as an Excel workbook (.xlsx, through libxlsxwriter).
//
// A report or export builds its Sheets once, with typed cells, and picks the
// format last, so the CSV and the workbook always hold the same rows.
//
// Text cells in a workbook are written as strings, never as formulas, so
// nothing in them is evaluated and they need no formula neutralisation; the
// CSV form neutralises them (CsvField). Number cells are numbers in both:
// in the workbook with a display format (thousands separators for integers,
// one or two decimals for decimals).
//
// Example:
//   spreadsheet::Sheet sheet{"요약", {"사업", "수강"}, {}};
//   sheet.rows.push_back({spreadsheet::Cell::Text("오산형 학점제"),
//                         spreadsheet::Cell::Integer(42)});
//   const std::string csv = spreadsheet::WorkbookCsv({sheet});
//   absl::StatusOr<std::string> xlsx = spreadsheet::WorkbookXlsx({sheet});
#ifndef OSAN_COMMON_SPREADSHEET_H_
#define OSAN_COMMON_SPREADSHEET_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace osan::spreadsheet {

struct Cell {
  enum class Kind { kText, kInteger, kDecimal };
  Kind kind = Kind::kText;
  std::string text;   // kText
  double number = 0;  // kInteger (a whole number) and kDecimal

  static Cell Text(std::string text) { return {Kind::kText, std::move(text), 0}; }
  static Cell Integer(int64_t value) { return {Kind::kInteger, "", static_cast<double>(value)}; }
  static Cell Decimal(double value) { return {Kind::kDecimal, "", value}; }
};

// One table: a name (the workbook's sheet name: 1..31 characters, none of
// []:*?/\), a header row and rows of cells (each row as long as the header
// or shorter).
struct Sheet {
  std::string name;
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

// UTF-8 CSV with a byte order mark (so spreadsheet programs read Korean
// correctly), CRLF line ends. One sheet: its header row, then its rows.
// Several: each sheet's name on a line of its own, its header and rows, and
// an empty line between sheets.
std::string WorkbookCsv(const std::vector<Sheet>& sheets);

// An .xlsx workbook with one worksheet per sheet, in order: a bold header
// row, frozen, with a filter; columns sized to their contents. INTERNAL if
// libxlsxwriter fails (e.g. a text cell over Excel's 32,767 characters, or
// no temporary file can be written).
absl::StatusOr<std::string> WorkbookXlsx(const std::vector<Sheet>& sheets);

}  // namespace osan::spreadsheet

#endif  // OSAN_COMMON_SPREADSHEET_H_
