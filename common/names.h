// The resource names every service uses for institutions, terms, courses,
// sections, programmes, schools and their students (AIP-122), and their
// parsing.
#ifndef OSAN_COMMON_NAMES_H_
#define OSAN_COMMON_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace osan {

struct TermId {
  int year = 0;
  int semester = 0;
  // "2026-1".
  std::string id() const;
  // "terms/2026-1".
  std::string name() const;
};

struct SectionId {
  TermId term;
  std::string id;  // canonical lower-case UUID
  std::string name() const;
};

// A student, named by the home school: `schools/{school}/students/{key}`.
struct StudentId {
  std::string school;  // institution code of the home school
  std::string key;     // the school's pseudonymous key (IsStudentKey)
  std::string name() const;
};

// Each parser returns INVALID_ARGUMENT naming `field` when `name` is not of
// its form. Parsing never touches storage: a well-formed name of a missing
// resource is reported NOT_FOUND later.
absl::StatusOr<std::string> ParseInstitutionName(absl::string_view field, absl::string_view name);
absl::StatusOr<TermId> ParseTermName(absl::string_view field, absl::string_view name);
// The school year of a term (`terms/2027-1` -> 2027), 0 if `name` is not a
// term name.
int SchoolYearOfTerm(absl::string_view name);
absl::StatusOr<std::string> ParseCourseName(absl::string_view field, absl::string_view name);
absl::StatusOr<SectionId> ParseSectionName(absl::string_view field, absl::string_view name);
// A programme id: 3..63 characters of [a-z0-9-], starting with a letter or
// digit (e.g. "2027-osan-credit").
absl::Status CheckProgrammeId(absl::string_view field, absl::string_view id);
// `programmes/{id}` -> id.
absl::StatusOr<std::string> ParseProgrammeName(absl::string_view field, absl::string_view name);

// `schools/{code}` -> code.
absl::StatusOr<std::string> ParseSchoolName(absl::string_view field, absl::string_view name);
absl::StatusOr<StudentId> ParseStudentName(absl::string_view field, absl::string_view name);
// A student key: 1..64 characters of A-Z, a-z, 0-9, '.', '_', '-'.
bool IsStudentKey(absl::string_view key);

std::string InstitutionName(absl::string_view code);
// `schools/{code}`.
std::string SchoolName(absl::string_view code);
// The code in an institution name the suite produced ("institutions/{code}"
// -> "{code}"); a name without the prefix is returned as it is. Untrusted
// input goes through ParseInstitutionName instead.
std::string InstitutionCodeOf(absl::string_view name);
std::string CourseName(absl::string_view id);
std::string ProgrammeName(absl::string_view id);

// True for a UUID in 8-4-4-4-12 hexadecimal form.
bool IsUuid(absl::string_view text);

}  // namespace osan

#endif  // OSAN_COMMON_NAMES_H_
