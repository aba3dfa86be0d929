// `osanctl courses import`: the CSV file's columns, and the conversion of its
// rows into CreateCourseRequests. Pure: no I/O and no calls, so that it can
// be unit-tested and fuzzed; sending the requests is the command's part.
#ifndef OSAN_TOOLS_OSANCTL_COURSE_IMPORT_H_
#define OSAN_TOOLS_OSANCTL_COURSE_IMPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/csv.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::cli {

// The columns and their values, for the command's help (and the README).
extern const char kCourseImportHelp[];

// One course to create and the line of the file its row starts on.
struct CourseRow {
  int line = 0;
  catalog::v1::CreateCourseRequest request;
};

// Reads a course file (common/csv.h: UTF-8 or CP949): a header row naming the
// columns (kCourseImportHelp; in any order, Korean or English names, spaces,
// underscores and ASCII case ignored), then one course per row; rows whose
// cells are all empty are skipped. Cells are trimmed of surrounding ASCII
// whitespace. Each row becomes a CreateCourseRequest for `host`
// (`institutions/{code}`) whose course passes the catalog's own checks
// (catalog::ValidateCourse, after its defaults), with the request id of
// ImportRequestId.
//
// The whole file is checked before anything is returned: INVALID_ARGUMENT
// lists every problem, one per line, as "line N, column 'C': problem" (C as
// the header names it), or "line N: problem" for the file's structure; so
// either every row is good or nothing is to be created. Never another code.
absl::StatusOr<std::vector<CourseRow>> ParseCourseImport(absl::string_view csv,
                                                         absl::string_view host,
                                                         const CsvLimits& limits = CsvLimits());

// The request id of creating `course` from a file: "csv-" and 40 hex digits
// of SHA-256 over the course's fields and `occurrence` (how many rows with the
// same fields come before it in the file, from 0). It depends on what the row
// says, not on where it is, so that re-running an import (after a failure, or
// after fixing or adding other rows) creates no course twice, while two
// identical rows in one file still create two courses.
std::string ImportRequestId(const catalog::v1::Course& course, int occurrence);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_COURSE_IMPORT_H_
