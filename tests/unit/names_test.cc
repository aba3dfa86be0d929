// Unit tests of the suite's resource names (common/names.h).
#include "common/names.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_assertions.h"

namespace osan {
namespace {

constexpr absl::string_view kUuid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
constexpr char kSchoolCode[] = "J10-7531001";
constexpr absl::string_view kUpperUuid = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";

using ::osan::testing::IsInvalidField;

// ----- Institutions ---------------------------------------------------------

TEST(InstitutionNameTest, BuildsName) {
  EXPECT_EQ(InstitutionName("J10-7531001"), "institutions/J10-7531001");
  EXPECT_EQ(InstitutionName("OSAN-AICODING"), "institutions/OSAN-AICODING");
}

TEST(ParseInstitutionNameTest, RoundTripsSchoolAndHostCodes) {
  for (const absl::string_view code : {"J10-7531001", "OSAN-AICODING", "ABC", "A12"}) {
    SCOPED_TRACE(code);
    const auto parsed = ParseInstitutionName("host", InstitutionName(code));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, code);
  }
}

TEST(InstitutionCodeOfTest, StripsThePrefixOfNamesTheSuiteProduced) {
  EXPECT_EQ(InstitutionCodeOf(InstitutionName("OSAN-AICODING")), "OSAN-AICODING");
  EXPECT_EQ(InstitutionCodeOf("institutions/J10-7531001"), "J10-7531001");
  EXPECT_EQ(InstitutionCodeOf("J10-7531001"), "J10-7531001");
  EXPECT_EQ(InstitutionCodeOf(""), "");
}

TEST(ParseInstitutionNameTest, AcceptsLongestCode) {
  const std::string code(32, 'A');
  const auto parsed = ParseInstitutionName("host", InstitutionName(code));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, code);
}

TEST(ParseInstitutionNameTest, RejectsMalformedNames) {
  for (const std::string& name : {
           std::string(""), std::string("institutions/"),
           std::string("J10-7531001"),                           // no prefix
           std::string("institution/J10-7531001"),               // wrong prefix
           std::string("Institutions/J10-7531001"),              // prefix is case-sensitive
           std::string("institutions/J10-7531001/"),             // trailing slash
           std::string("institutions/j10-7531001"),              // lower case
           std::string("institutions/AB"),                       // too short
           std::string("institutions/1ABC"),                     // starts with a digit
           std::string("institutions/OSAN_AI"),                  // underscore
           std::string("institutions/OSAN AI"),                  // space
           std::string("institutions/-OSAN"),                    // starts with a dash
           absl::StrCat("institutions/", std::string(33, 'A')),  // too long
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseInstitutionName("host", name).status(), "host"));
  }
}

TEST(ParseInstitutionNameTest, NamesTheGivenField) {
  EXPECT_TRUE(
      IsInvalidField(ParseInstitutionName("eligible_schools", "bad").status(), "eligible_schools"));
}

// ----- Terms ----------------------------------------------------------------

TEST(TermIdTest, FormatsIdAndName) {
  const TermId term{2026, 2};
  EXPECT_EQ(term.id(), "2026-2");
  EXPECT_EQ(term.name(), "terms/2026-2");
}

TEST(ParseTermNameTest, ParsesBothSemesters) {
  const auto first = ParseTermName("parent", "terms/2026-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->year, 2026);
  EXPECT_EQ(first->semester, 1);

  const auto second = ParseTermName("parent", "terms/2027-2");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->year, 2027);
  EXPECT_EQ(second->semester, 2);
}

TEST(ParseTermNameTest, RoundTrips) {
  for (const absl::string_view name : {"terms/2026-1", "terms/2026-2", "terms/2100-1"}) {
    SCOPED_TRACE(name);
    const auto parsed = ParseTermName("parent", name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->name(), name);
  }
}

TEST(ParseTermNameTest, RejectsMalformedNames) {
  for (const absl::string_view name : {
           "",
           "terms/",
           "2026-1",         // no prefix
           "term/2026-1",    // wrong prefix
           "Terms/2026-1",   // prefix is case-sensitive
           "terms/2026-1/",  // trailing slash
           "terms/2026-3",   // semester 3
           "terms/2026-0",   // semester 0
           "terms/2026-",    // no semester
           "terms/2026",     // no separator
           "terms/2026_1",   // wrong separator
           "terms/26-1",     // short year
           "terms/20261-1",  // long year
           "terms/+026-1",   // sign
           "terms/-026-1",   // sign
           "terms/ 026-1",   // leading space
           "terms/2026-+",   // sign as semester
           "terms/2026-1x",  // trailing characters
           "terms/abcd-1",   // not a number
           "terms/2026-1/sections/3f2504e0-4f89-41d3-9a0c-0305e82c3301",  // a section name
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseTermName("parent", name).status(), "parent"));
  }
}

TEST(ParseTermNameTest, RejectsYearsThatAreNotFourDigits) {
  for (const absl::string_view name :
       {"terms/202 -1", "terms/20  -1", "terms/2   -2", "terms/0026-1", "terms/+202-1"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseTermName("parent", name).status(), "parent"));
  }
}

// ----- Courses --------------------------------------------------------------

TEST(CourseNameTest, BuildsName) { EXPECT_EQ(CourseName(kUuid), absl::StrCat("courses/", kUuid)); }

TEST(ParseCourseNameTest, RoundTrips) {
  const auto parsed = ParseCourseName("course", CourseName(kUuid));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, kUuid);
  EXPECT_EQ(CourseName(*parsed), CourseName(kUuid));
}

TEST(ParseCourseNameTest, CanonicalisesUpperCaseUuidToLowerCase) {
  const auto parsed = ParseCourseName("course", absl::StrCat("courses/", kUpperUuid));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, kUuid);
}

TEST(ParseCourseNameTest, RejectsMalformedNames) {
  for (const std::string& name : {
           std::string(""), std::string("courses/"), std::string("courses/123"),
           std::string(kUuid),                                           // no prefix
           absl::StrCat("course/", kUuid),                               // wrong prefix
           absl::StrCat("Courses/", kUuid),                              // prefix is case-sensitive
           absl::StrCat("courses/", kUuid, "/"),                         // trailing slash
           absl::StrCat("courses/", kUuid, "0"),                         // too long
           absl::StrCat("courses/{", kUuid, "}"),                        // braces
           std::string("courses/3f2504e04f8941d39a0c0305e82c3301"),      // no dashes
           std::string("courses/3f2504e0-4f89-41d3-9a0c-0305e82c330g"),  // non-hex
           std::string("courses/3f2504e0-4f8941d3-9a0c--0305e82c3301"),  // dashes misplaced
           std::string("courses/3f2504e0 4f89 41d3 9a0c 0305e82c3301"),  // spaces
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseCourseName("course", name).status(), "course"));
  }
}

// ----- Sections -------------------------------------------------------------

TEST(SectionIdTest, FormatsName) {
  const SectionId section{TermId{2026, 1}, std::string(kUuid)};
  EXPECT_EQ(section.name(), absl::StrCat("terms/2026-1/sections/", kUuid));
}

TEST(ParseSectionNameTest, ParsesTermAndId) {
  const auto parsed = ParseSectionName("name", absl::StrCat("terms/2026-2/sections/", kUuid));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->term.year, 2026);
  EXPECT_EQ(parsed->term.semester, 2);
  EXPECT_EQ(parsed->id, kUuid);
}

TEST(ParseSectionNameTest, RoundTrips) {
  const std::string name = absl::StrCat("terms/2026-1/sections/", kUuid);
  const auto parsed = ParseSectionName("name", name);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->name(), name);
}

TEST(ParseSectionNameTest, CanonicalisesUpperCaseUuidToLowerCase) {
  const auto parsed = ParseSectionName("name", absl::StrCat("terms/2026-1/sections/", kUpperUuid));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->id, kUuid);
  EXPECT_EQ(parsed->name(), absl::StrCat("terms/2026-1/sections/", kUuid));
}

TEST(ParseSectionNameTest, RejectsMalformedNames) {
  for (const std::string& name : {
           std::string(""),
           std::string("terms/2026-1/sections/"),
           std::string("terms/2026-1/sections/abc"),
           std::string("terms/2026-1"),
           absl::StrCat("sections/", kUuid),                                    // no term
           absl::StrCat("/sections/", kUuid),                                   // no term
           absl::StrCat("terms//sections/", kUuid),                             // empty term
           absl::StrCat("terms/2026-3/sections/", kUuid),                       // semester 3
           absl::StrCat("terms/26-1/sections/", kUuid),                         // short year
           absl::StrCat("term/2026-1/sections/", kUuid),                        // wrong prefix
           absl::StrCat("terms/2026-1/section/", kUuid),                        // wrong collection
           absl::StrCat("terms/2026-1/sections/", kUuid, "/"),                  // trailing slash
           absl::StrCat("terms/2026-1/sections/", kUuid, "/sections/", kUuid),  // nested
           absl::StrCat("terms/2026-1/x/sections/", kUuid),                     // extra segment
           absl::StrCat("courses/", kUuid),                                     // a course name
           std::string("terms/2026-1/sections/3f2504e0-4f89-41d3-9a0c-0305e82c330z"),
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseSectionName("name", name).status(), "name"));
  }
}

// ----- UUIDs ----------------------------------------------------------------

TEST(IsUuidTest, AcceptsCanonicalForms) {
  EXPECT_TRUE(IsUuid(kUuid));
  EXPECT_TRUE(IsUuid(kUpperUuid));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));
}

TEST(IsUuidTest, RejectsOtherText) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("3f2504e0-4f89-41d3-9a0c-0305e82c330"));    // 35 characters
  EXPECT_FALSE(IsUuid("3f2504e0-4f89-41d3-9a0c-0305e82c33011"));  // 37 characters
  EXPECT_FALSE(IsUuid("3f2504e0-4f89-41d3-9a0c-0305e82c330g"));   // non-hex
  EXPECT_FALSE(IsUuid("3f2504e0f4f89-41d3-9a0c-0305e82c3301"));   // dash replaced
  EXPECT_FALSE(IsUuid("3f2504e0-4f89-41d3-9a0c-0305e82c-301"));   // extra dash
  EXPECT_FALSE(IsUuid("3f2504e04f8941d39a0c0305e82c3301"));       // no dashes
}

// ----- Programmes -----------------------------------------------------------

TEST(ParseProgrammeNameTest, AcceptsLowerCaseIdsOfThreeTo63Characters) {
  EXPECT_EQ(*ParseProgrammeName("programme", "programmes/2027-osan-credit"), "2027-osan-credit");
  EXPECT_EQ(*ParseProgrammeName("programme", "programmes/abc"), "abc");
  EXPECT_TRUE(ParseProgrammeName("p", absl::StrCat("programmes/", std::string(63, 'a'))).ok());
  EXPECT_EQ(ProgrammeName("2027-maker"), "programmes/2027-maker");
}

TEST(ParseProgrammeNameTest, RefusesOtherFormsNamingTheField) {
  for (const char* name :
       {"", "2027-osan-credit", "programmes/", "programmes/ab", "programmes/-abc",
        "programmes/Osan", "programmes/osan_credit", "programmes/오산", "courses/2027-osan-credit",
        "programmes/2027-osan-credit/x"}) {
    const auto parsed = ParseProgrammeName("course.programme", name);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(parsed.status().message(),
              "course.programme: must be programmes/{id}, e.g. programmes/2027-osan-credit")
        << name;
  }
  EXPECT_FALSE(ParseProgrammeName("p", absl::StrCat("programmes/", std::string(64, 'a'))).ok());
  EXPECT_EQ(CheckProgrammeId("programme_id", "A").message(),
            "programme_id: must be 3..63 characters of a-z, 0-9 and '-', starting with a letter "
            "or digit, e.g. 2027-osan-credit");
}

// ----- Schools and students -------------------------------------------------

TEST(SchoolNameTest, BuildsName) { EXPECT_EQ(SchoolName(kSchoolCode), "schools/J10-7531001"); }

TEST(ParseSchoolNameTest, RoundTrips) {
  const auto parsed = ParseSchoolName("parent", SchoolName(kSchoolCode));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, kSchoolCode);
}

TEST(ParseSchoolNameTest, RejectsMalformedNames) {
  for (const std::string& name : {
           std::string(""),
           std::string("schools/"),                        // empty code
           std::string("J10-7531001"),                     // no prefix
           std::string("school/J10-7531001"),              // wrong prefix
           std::string("institutions/J10-7531001"),        // another collection
           std::string("Schools/J10-7531001"),             // prefix is case-sensitive
           std::string("schools/j10-7531001"),             // lower-case code
           std::string("schools/J10-7531001/"),            // trailing slash
           std::string("schools/J10 7531001"),             // space
           std::string("schools/J10-7531001/students/a"),  // a student, not a school
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseSchoolName("parent", name).status(), "parent"));
  }
}

TEST(StudentIdTest, BuildsName) {
  const StudentId id{kSchoolCode, "s-001"};
  EXPECT_EQ(id.name(), "schools/J10-7531001/students/s-001");
}

TEST(ParseStudentNameTest, RoundTrips) {
  const StudentId id{kSchoolCode, "Ab9._-z"};
  const auto parsed = ParseStudentName("student", id.name());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->school, kSchoolCode);
  EXPECT_EQ(parsed->key, "Ab9._-z");
  EXPECT_EQ(parsed->name(), id.name());
}

TEST(ParseStudentNameTest, AcceptsKeyOf64Characters) {
  const std::string key(64, 'k');
  const auto parsed = ParseStudentName("student", StudentId{kSchoolCode, key}.name());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->key, key);
}

TEST(ParseStudentNameTest, RejectsMalformedNames) {
  for (const std::string& name : {
           std::string(""),
           std::string("J10-7531001/students/s-001"),          // no prefix
           std::string("school/J10-7531001/students/s-001"),   // wrong prefix
           std::string("schools/J10-7531001/student/s-001"),   // wrong collection
           std::string("schools/J10-7531001"),                 // no student part
           std::string("schools/J10-7531001/students/"),       // empty key
           std::string("schools/J10-7531001/students/a/b"),    // key with '/'
           std::string("schools/J10-7531001/students/a b"),    // key with a space
           std::string("schools/j10-7531001/students/s-001"),  // lower-case school code
           std::string("schools//students/s-001"),             // empty school code
           std::string("schools/students/s-001"),              // no school code at all
           absl::StrCat("schools/J10-7531001/students/", std::string(65, 'k')),  // key too long
       }) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsInvalidField(ParseStudentName("student", name).status(), "student"));
  }
}

}  // namespace
}  // namespace osan
