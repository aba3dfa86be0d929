#include "common/names.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status.h"

namespace osan {
namespace {

constexpr absl::string_view kInstitutions = "institutions/";
constexpr absl::string_view kTerms = "terms/";
constexpr absl::string_view kCourses = "courses/";
constexpr absl::string_view kSections = "/sections/";
constexpr absl::string_view kProgrammes = "programmes/";
constexpr absl::string_view kSchools = "schools/";
constexpr absl::string_view kStudents = "/students/";

bool IsKeyChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

bool IsInstitutionCode(absl::string_view code) {
  if (code.size() < 3 || code.size() > 32 || !absl::ascii_isupper(code[0])) {
    return false;
  }
  for (const char c : code) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<TermId> ParseTermId(absl::string_view field, absl::string_view id) {
  TermId term;
  const auto digits = [](absl::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); });
  };
  if (id.size() != 6 || id[4] != '-' || !digits(id.substr(0, 4)) || id[0] == '0' ||
      !absl::SimpleAtoi(id.substr(0, 4), &term.year) ||
      !absl::SimpleAtoi(id.substr(5, 1), &term.semester) ||
      (term.semester != 1 && term.semester != 2)) {
    return InvalidField(field, "must be terms/{year}-{semester}, e.g. terms/2026-1");
  }
  return term;
}

}  // namespace

std::string TermId::id() const { return absl::StrCat(year, "-", semester); }
std::string TermId::name() const { return absl::StrCat(kTerms, id()); }
std::string SectionId::name() const { return absl::StrCat(term.name(), kSections, id); }
std::string InstitutionName(absl::string_view code) { return absl::StrCat(kInstitutions, code); }

std::string InstitutionCodeOf(absl::string_view name) {
  absl::ConsumePrefix(&name, kInstitutions);
  return std::string(name);
}
std::string SchoolName(absl::string_view code) { return absl::StrCat(kSchools, code); }
std::string StudentId::name() const { return absl::StrCat(kSchools, school, kStudents, key); }
std::string CourseName(absl::string_view id) { return absl::StrCat(kCourses, id); }
std::string ProgrammeName(absl::string_view id) { return absl::StrCat(kProgrammes, id); }

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(text[i])) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::string> ParseInstitutionName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kInstitutions) || !IsInstitutionCode(name)) {
    return InvalidField(field, "must be institutions/{code}, e.g. institutions/J10-7531001");
  }
  return std::string(name);
}

absl::StatusOr<TermId> ParseTermName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kTerms)) {
    return InvalidField(field, "must be terms/{year}-{semester}, e.g. terms/2026-1");
  }
  return ParseTermId(field, name);
}

int SchoolYearOfTerm(absl::string_view name) {
  const absl::StatusOr<TermId> term = ParseTermName("term", name);
  return term.ok() ? term->year : 0;
}

absl::StatusOr<std::string> ParseCourseName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kCourses) || !IsUuid(name)) {
    return InvalidField(field, "must be courses/{id}");
  }
  return absl::AsciiStrToLower(name);
}

absl::StatusOr<SectionId> ParseSectionName(absl::string_view field, absl::string_view name) {
  const size_t split = name.find(kSections);
  if (!absl::StartsWith(name, kTerms) || split == absl::string_view::npos) {
    return InvalidField(field, "must be terms/{year}-{semester}/sections/{id}");
  }
  auto term = ParseTermId(field, name.substr(kTerms.size(), split - kTerms.size()));
  const absl::string_view id = name.substr(split + kSections.size());
  if (!term.ok() || !IsUuid(id)) {
    return InvalidField(field, "must be terms/{year}-{semester}/sections/{id}");
  }
  return SectionId{*term, absl::AsciiStrToLower(id)};
}

absl::Status CheckProgrammeId(absl::string_view field, absl::string_view id) {
  const auto allowed = [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  };
  if (id.size() < 3 || id.size() > 63 || id[0] == '-' ||
      !std::all_of(id.begin(), id.end(), allowed)) {
    return InvalidField(field,
                        "must be 3..63 characters of a-z, 0-9 and '-', starting with a letter or "
                        "digit, e.g. 2027-osan-credit");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseProgrammeName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kProgrammes) || !CheckProgrammeId(field, name).ok()) {
    return InvalidField(field, "must be programmes/{id}, e.g. programmes/2027-osan-credit");
  }
  return std::string(name);
}

absl::StatusOr<std::string> ParseSchoolName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kSchools) || !IsInstitutionCode(name)) {
    return InvalidField(field, "must be schools/{code}, e.g. schools/J10-7531001");
  }
  return std::string(name);
}

bool IsStudentKey(absl::string_view key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), IsKeyChar);
}

absl::StatusOr<StudentId> ParseStudentName(absl::string_view field, absl::string_view name) {
  const size_t split = name.find(kStudents);
  if (!absl::StartsWith(name, kSchools) || split == absl::string_view::npos) {
    return InvalidField(field, "must be schools/{code}/students/{key}");
  }
  StudentId id{std::string(name.substr(kSchools.size(), split - kSchools.size())),
               std::string(name.substr(split + kStudents.size()))};
  if (!IsInstitutionCode(id.school) || !IsStudentKey(id.key)) {
    return InvalidField(field, "must be schools/{code}/students/{key}");
  }
  return id;
}

}  // namespace osan
