#include "tools/osanctl/course_import.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/names.h"
#include "common/status.h"
#include "services/catalog/domain/rules.h"
#include "services/catalog/vocabulary/labels.h"

namespace osan::cli {

namespace cv1 = catalog::v1;

const char kCourseImportHelp[] =
    "The first row names the columns, in any order (Korean or English; spaces,\n"
    "underscores and case do not matter):\n"
    "  과목명 (title)               required, 1..100 characters\n"
    "  구분 (category)              required: 공통, 일반선택, 진로선택, 융합선택, 교양,\n"
    "                               or COMMON, GENERAL_ELECTIVE, ... (the subject's own,\n"
    "                               also for hosts that are not schools)\n"
    "  교과 (area, subject_area)    required: 국어, 수학, 영어, 사회, 한국사, 과학, 체육,\n"
    "                               예술, 기술·가정/정보/제2외국어/한문/교양 (or 생활·교양),\n"
    "                               전문 교과, or KOREAN, MATHEMATICS, ...\n"
    "  학점 (credits)               optional, 1..8; empty: 3 for 체육/예술/교양, else 4\n"
    "  수업 방식 (mode)             required: 대면, 실시간 온라인, 혼합, or IN_PERSON,\n"
    "                               ONLINE_REALTIME, BLENDED\n"
    "  과목 소개 (description)      optional, up to 2000 characters\n"
    "The file is UTF-8 (Excel: \"CSV UTF-8\") or CP949 (Excel's plain \"CSV\").\n";

namespace {

// A column of the file, the Course field it fills (as the catalog's
// validation names it), and its header names.
struct ColumnSpec {
  const char* field;
  bool required;
  std::vector<absl::string_view> names;
};

const std::vector<ColumnSpec>& Columns() {
  static const auto* columns = new std::vector<ColumnSpec>{
      {"title", true, {"과목명", "과목", "과목 이름", "title"}},
      {"category", true, {"구분", "과목 구분", "category"}},
      {"subject_area", true, {"교과", "교과(군)", "교과군", "area", "subject_area"}},
      {"credits", false, {"학점", "credits"}},
      {"delivery_mode", true, {"수업 방식", "방식", "mode", "delivery_mode"}},
      {"description", false, {"과목 소개", "소개", "설명", "description"}},
  };
  return *columns;
}

// At most this many problems are listed; the rest are counted.
constexpr size_t kMaxListedProblems = 100;

class Problems {
 public:
  void Add(int line, absl::string_view problem) {
    Append(absl::StrCat("line ", line, ": ", problem));
  }
  void Add(int line, absl::string_view column, absl::string_view problem) {
    Append(absl::StrCat("line ", line, ", column '", column, "': ", problem));
  }
  bool empty() const { return count_ == 0; }
  absl::Status ToStatus() const {
    std::string message = absl::StrCat(count_, " problem(s) in the file; nothing is created:\n",
                                       absl::StrJoin(listed_, "\n"));
    if (count_ > listed_.size()) {
      absl::StrAppend(&message, "\n... and ", count_ - listed_.size(), " more");
    }
    return absl::InvalidArgumentError(message);
  }

 private:
  void Append(std::string problem) {
    if (listed_.size() < kMaxListedProblems) {
      listed_.push_back(std::move(problem));
    }
    ++count_;
  }
  std::vector<std::string> listed_;
  size_t count_ = 0;
};

}  // namespace

std::string ImportRequestId(const cv1::Course& course, int occurrence) {
  // Length-prefixed fields, so that no two different courses share a text.
  std::string material;
  for (const std::string& part :
       {course.host(), course.title(), absl::StrCat(course.category()),
        absl::StrCat(course.subject_area()), absl::StrCat(course.credits()),
        absl::StrCat(course.delivery_mode()), course.description(), absl::StrCat(occurrence)}) {
    absl::StrAppend(&material, part.size(), ":", part, ";");
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
  return absl::StrCat(
      "csv-", absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), 20)));
}

namespace {

// The header row: which column spec each column is (nullptr for an unnamed
// one), and where each named spec is.
class Header {
 public:
  // Reads `header`, adding its problems (unknown, repeated or missing
  // columns) to `problems`.
  Header(const CsvRecord& header, Problems& problems) : names_(header.fields) {
    specs_.assign(header.fields.size(), nullptr);
    for (size_t c = 0; c < header.fields.size(); ++c) {
      const std::string name = std::string(absl::StripAsciiWhitespace(header.fields[c]));
      if (name.empty()) {
        continue;
      }
      for (const ColumnSpec& spec : Columns()) {
        for (const absl::string_view alias : spec.names) {
          if (catalog::NormalizeLabel(alias) == catalog::NormalizeLabel(name)) {
            specs_[c] = &spec;
          }
        }
      }
      if (specs_[c] == nullptr) {
        problems.Add(header.line, name, "unknown column");
      } else if (!index_.emplace(specs_[c], c).second) {
        problems.Add(header.line, name,
                     absl::StrCat("names the same column as '", names_[index_[specs_[c]]], "'"));
      }
    }
    for (const ColumnSpec& spec : Columns()) {
      if (spec.required && index_.count(&spec) == 0) {
        problems.Add(header.line, absl::StrCat("required column '", spec.names.front(), "' (",
                                               spec.field, ") is missing"));
      }
    }
  }

  // Whether column `c` has a name.
  bool Named(size_t c) const { return c < specs_.size() && specs_[c] != nullptr; }

  // The trimmed value of `field`'s column in `record`; empty if absent.
  std::string Cell(const CsvRecord& record, const char* field) const {
    for (const auto& [spec, column] : index_) {
      if (absl::string_view(spec->field) == field && column < record.fields.size()) {
        return std::string(absl::StripAsciiWhitespace(record.fields[column]));
      }
    }
    return "";
  }

  // What the file calls `field`'s column (the field itself if absent).
  std::string ColumnName(const char* field) const {
    for (const auto& [spec, column] : index_) {
      if (absl::string_view(spec->field) == field) {
        return names_[column];
      }
    }
    return field;
  }

 private:
  const std::vector<std::string> names_;
  std::vector<const ColumnSpec*> specs_;
  std::map<const ColumnSpec*, size_t> index_;  // spec -> column
};

bool IsBlank(const CsvRecord& record) {
  return std::all_of(record.fields.begin(), record.fields.end(), [](const std::string& field) {
    return absl::StripAsciiWhitespace(field).empty();
  });
}

// A data row's course as the file gives it, and as the catalog will store it
// (its defaults applied).
struct ReadRow {
  cv1::Course course;
  cv1::Course effective;
};

// The course of one data row, hosted by `host`; its problems are added to
// `problems`, and then there is none.
std::optional<ReadRow> ReadCourse(const CsvRecord& record, const Header& header,
                                  absl::string_view host, Problems& problems) {
  bool row_ok = true;
  const auto bad = [&](const char* field, absl::string_view problem) {
    problems.Add(record.line, header.ColumnName(field), problem);
    row_ok = false;
  };
  for (size_t c = 0; c < record.fields.size(); ++c) {
    if (!header.Named(c) && !absl::StripAsciiWhitespace(record.fields[c]).empty()) {
      problems.Add(record.line, absl::StrCat("a value in column ", c + 1,
                                             ", which has no name in the header row"));
      row_ok = false;
    }
  }
  const auto cell = [&](const char* field) { return header.Cell(record, field); };

  cv1::Course course;
  course.set_host(std::string(host));
  course.set_title(cell("title"));
  course.set_description(cell("description"));
  // A required enum column: `parse` reads its label; `set` stores it.
  const auto enum_cell = [&](const char* column, absl::string_view what, auto parse,
                             const std::string& choices, auto set) {
    const std::string text = cell(column);
    if (text.empty()) {
      bad(column, "is required");
    } else if (const auto value = parse(text); !value) {
      bad(column, absl::StrCat("unknown ", what, " '", text, "' (", choices, ")"));
    } else {
      set(*value);
    }
  };
  enum_cell("category", "category", catalog::ParseCategoryLabel, catalog::CategoryChoices(),
            [&](cv1::Category value) { course.set_category(value); });
  enum_cell("subject_area", "subject area", catalog::ParseSubjectAreaLabel,
            catalog::SubjectAreaChoices(),
            [&](cv1::SubjectArea value) { course.set_subject_area(value); });
  enum_cell("delivery_mode", "mode", catalog::ParseDeliveryLabel, catalog::DeliveryChoices(),
            [&](cv1::DeliveryMode value) { course.set_delivery_mode(value); });
  if (const std::string text = cell("credits"); !text.empty()) {
    int credits = 0;
    if (!absl::SimpleAtoi(text, &credits)) {
      bad("credits", absl::StrCat("'", text, "' is not a whole number"));
    } else if (credits < 1 || credits > 8) {
      bad("credits", "must be between 1 and 8");
    } else {
      course.set_credits(credits);
    }
  }
  if (!row_ok) {
    return std::nullopt;
  }
  // The catalog's own checks, on the course as the catalog will see it.
  cv1::Course effective = course;
  catalog::ApplyCourseDefaults(&effective);
  if (const absl::Status valid = catalog::ValidateCourse(effective); !valid.ok()) {
    const absl::string_view message = valid.message();
    const size_t colon = message.find(": ");
    const std::string field(message.substr(0, colon == absl::string_view::npos ? 0 : colon));
    bool named = false;
    for (const ColumnSpec& spec : Columns()) {
      if (field == spec.field) {
        bad(spec.field, message.substr(colon + 2));
        named = true;
      }
    }
    if (!named) {
      problems.Add(record.line, message);
    }
    return std::nullopt;
  }
  return ReadRow{std::move(course), std::move(effective)};
}

}  // namespace

absl::StatusOr<std::vector<CourseRow>> ParseCourseImport(absl::string_view csv,
                                                         absl::string_view host,
                                                         const CsvLimits& limits) {
  if (const auto parsed = ParseInstitutionName("host", host); !parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--", parsed.status().message()));
  }
  OSAN_ASSIGN_OR_RETURN(const std::vector<CsvRecord> records, ParseCsv(csv, limits));
  if (records.empty()) {
    return absl::InvalidArgumentError("the file is empty: expected a header row, then courses");
  }
  Problems problems;
  const Header header(records.front(), problems);
  if (!problems.empty()) {
    return problems.ToStatus();
  }
  std::vector<CourseRow> rows;
  std::map<std::string, int> occurrences;  // the request id of occurrence 0 -> count
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (IsBlank(record)) {
      continue;
    }
    std::optional<ReadRow> read = ReadCourse(record, header, host, problems);
    if (!read.has_value()) {
      continue;
    }
    // From the course as the catalog will store it, so that a blank and an
    // explicit default (e.g. 학점) give the same id.
    const int occurrence = occurrences[ImportRequestId(read->effective, 0)]++;
    CourseRow& row = rows.emplace_back();
    row.line = record.line;
    row.request.set_request_id(ImportRequestId(read->effective, occurrence));
    *row.request.mutable_course() = std::move(read->course);
  }
  if (!problems.empty()) {
    return problems.ToStatus();
  }
  if (rows.empty()) {
    return absl::InvalidArgumentError("the file has a header row but no courses");
  }
  return rows;
}

}  // namespace osan::cli
