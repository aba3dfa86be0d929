// Unit tests of common/csv.h: the RFC 4180 reader (encodings, line ends,
// quoting, refusals, limits) and the formula-safe writer.
#include "common/csv.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace osan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The fields of each record.
std::vector<std::vector<std::string>> Fields(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> fields;
  for (const CsvRecord& record : records) {
    fields.push_back(record.fields);
  }
  return fields;
}

std::vector<int> Lines(const std::vector<CsvRecord>& records) {
  std::vector<int> lines;
  for (const CsvRecord& record : records) {
    lines.push_back(record.line);
  }
  return lines;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReaderTest, ReadsCrlfAndLfLineEndsAndAMissingFinalLineEnd) {
  for (const std::string text : {"a,b\r\nc,d\r\n", "a,b\nc,d\n", "a,b\r\nc,d", "a,b\nc,d"}) {
    const auto records = ParseCsv(text);
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_EQ(Fields(*records), (Rows{{"a", "b"}, {"c", "d"}})) << text;
    EXPECT_THAT(Lines(*records), ElementsAre(1, 2));
  }
}

TEST(CsvReaderTest, SkipsALeadingByteOrderMark) {
  const auto records = ParseCsv("\xEF\xBB\xBF과목명,학점\r\n물리학,4\r\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records), (Rows{{"과목명", "학점"}, {"물리학", "4"}}));
}

TEST(CsvReaderTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto records = ParseCsv(
      "title,description\r\n\"a, b\",\"say \"\"hi\"\"\r\nnext line\nthird\"\r\nz,\"\"\r\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(
      Fields(*records),
      (Rows{{"title", "description"}, {"a, b", "say \"hi\"\r\nnext line\nthird"}, {"z", ""}}));
  // A record keeps the line it starts on; line breaks inside quotes count.
  EXPECT_THAT(Lines(*records), ElementsAre(1, 2, 5));
}

TEST(CsvReaderTest, EmptyFieldsEmptyLinesAndEmptyText) {
  auto records = ParseCsv("a,,\r\n\r\n,b");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records), (Rows{{"a", "", ""}, {""}, {"", "b"}}));
  records = ParseCsv("");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(CsvReaderTest, ConvertsCp949) {
  // "구분,국어\r\n교양,1" as Korean Excel saves it by default.
  const auto records = ParseCsv("\xB1\xB8\xBA\xD0,\xB1\xB9\xBE\xEE\r\n\xB1\xB3\xBE\xE7,1\r\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records), (Rows{{"구분", "국어"}, {"교양", "1"}}));
}

TEST(CsvReaderTest, RefusesTextThatIsNeitherUtf8NorCp949) {
  // 0xFF is no lead byte in either encoding.
  const auto records = ParseCsv("a,b\r\nc,\xFF\xFF\r\n");
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(records.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(records.status().message(), HasSubstr("UTF-8 or CP949"));
  EXPECT_THAT(records.status().message(), HasSubstr("CSV UTF-8"));
}

TEST(CsvReaderTest, AStrayByteInUtf8TextIsNotReadAsCp949) {
  // "물리" in UTF-8, then a Latin-1 é (0xE9) on line 2.
  const auto stray = ParseCsv("\xEB\xAC\xBC\xEB\xA6\xAC\r\ncaf\xE9\r\n");
  EXPECT_EQ(stray.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(stray.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(stray.status().message(), HasSubstr("not valid UTF-8"));
}

TEST(CsvReaderTest, ABomMeansUtf8AndIsNotReadAsCp949) {
  const auto records = ParseCsv("\xEF\xBB\xBF\xB1\xB9\xBE\xEE\r\n");
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(records.status().message(), HasSubstr("line 1"));
}

struct Refusal {
  std::string text;
  int line;
  std::string problem;
};

TEST(CsvReaderTest, RefusesMalformedInputNamingTheLine) {
  const std::vector<Refusal> refusals = {
      {"a,b\r\n\"open,c\r\nd,e\r\n", 2, "never closed"},
      {"a,b\r\nc,d\"e\r\n", 2, "quote inside an unquoted field"},
      {"a\r\nb\r\n\"c\"d,e\r\n", 3, "after the closing quote"},
      {"a,b\rc,d\r\n", 1, "carriage return"},
      {"\"multi\r\nline\"x\r\n", 2, "after the closing quote"},
  };
  for (const Refusal& refusal : refusals) {
    const auto records = ParseCsv(refusal.text);
    EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument) << refusal.text;
    EXPECT_THAT(records.status().message(), HasSubstr(absl::StrCat("line ", refusal.line, ":")))
        << refusal.text;
    EXPECT_THAT(records.status().message(), HasSubstr(refusal.problem)) << refusal.text;
  }
}

TEST(CsvReaderTest, RefusesNulBytesEvenInQuotedFields) {
  const std::string quoted("x\r\n\"a\0b\"\r\n", 10);
  EXPECT_EQ(ParseCsv(quoted).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ParseCsv(quoted).status().message(), HasSubstr("line 2: contains a NUL byte"));
  const std::string plain("a\0", 2);
  EXPECT_THAT(ParseCsv(plain).status().message(), HasSubstr("line 1: contains a NUL byte"));
}

TEST(CsvReaderTest, EnforcesItsLimits) {
  CsvLimits limits;
  limits.max_bytes = 10;
  limits.max_records = 2;
  limits.max_field_bytes = 3;
  EXPECT_TRUE(ParseCsv("abc,d\r\ne\r\n", limits).ok());
  const auto too_big = ParseCsv("abc,d\r\ne,f\r\n", limits);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_big.status().message(), HasSubstr("limit of 10"));
  const auto too_many = ParseCsv("a\r\nb\r\nc\r\n", limits);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_many.status().message(), HasSubstr("line 3: the file has more than 2 records"));
  const auto too_long = ParseCsv("a\r\n\"abcd\"", limits);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_long.status().message(), HasSubstr("line 2: a field is longer than 3 bytes"));
  EXPECT_FALSE(ParseCsv("abcd", limits).ok());
}

TEST(CsvReaderTest, LimitsTheFieldsOfARecord) {
  CsvLimits limits;
  limits.max_fields = 3;
  EXPECT_TRUE(ParseCsv("a,b,c\r\n,,\r\n", limits).ok());
  const auto too_wide = ParseCsv("a,b,c\r\n,,,\r\n", limits);
  EXPECT_EQ(too_wide.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_wide.status().message(), HasSubstr("line 2: a record has more than 3 fields"));
  // A file of commas within the byte limit is refused early, not expanded.
  EXPECT_FALSE(ParseCsv(std::string(1 << 20, ',')).ok());
}

TEST(CsvReaderTest, DefaultLimits) {
  const CsvLimits limits;
  EXPECT_EQ(limits.max_bytes, 10u << 20);
  EXPECT_EQ(limits.max_records, 20000u);
  EXPECT_EQ(limits.max_field_bytes, 4000u);
  EXPECT_EQ(limits.max_fields, 256u);
  EXPECT_TRUE(ParseCsv(std::string(4000, 'x')).ok());
  EXPECT_FALSE(ParseCsv(std::string(4001, 'x')).ok());
}

TEST(CsvWriterTest, QuotesOnlyWhatMustBeQuoted) {
  EXPECT_EQ(CsvField("물리학 실험"), "물리학 실험");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvLine({"a", CsvField("b,c"), CsvNumber(3)}), "a,\"b,c\",3\r\n");
  // A leading U+FEFF is quoted, so that it is not read as a byte order mark.
  EXPECT_EQ(CsvField("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");
  const auto records = ParseCsv("\xEF\xBB\xBF" + CsvLine({CsvField("\xEF\xBB\xBFx")}));
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ((*records)[0].fields, std::vector<std::string>{"\xEF\xBB\xBFx"});
}

TEST(CsvWriterTest, NeutralisesFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("=1+2"), "'=1+2");
  EXPECT_EQ(CsvField("+82 10"), "'+82 10");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
  // Only the first character matters.
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField(" =b"), " =b");
  EXPECT_EQ(CsvField("'=b"), "'=b");
  EXPECT_TRUE(LooksLikeFormula("-3"));
  EXPECT_FALSE(LooksLikeFormula(""));
  EXPECT_EQ(NeutraliseFormula("=x"), "'=x");
  EXPECT_EQ(NeutraliseFormula("x"), "x");
}

TEST(CsvWriterTest, NumbersTheProgramWritesStayNumbers) {
  EXPECT_EQ(CsvNumber(-3), "-3");
  EXPECT_EQ(CsvNumber(-2.5), "-2.5");
  EXPECT_EQ(CsvNumber(int64_t{12345678901}), "12345678901");
  // The same text as free text is neutralised.
  EXPECT_EQ(CsvField("-3"), "'-3");
}

TEST(CsvRoundTripTest, WrittenFieldsReadBackAsNeutralised) {
  const std::vector<std::string> values = {
      "plain", "a,b", "q\"uote", "line\r\nbreak", "=cmd|' /C calc'!A0", "-1", "", "\rx", "국어"};
  std::string text;
  for (const std::string& value : values) {
    text += CsvLine({CsvField(value), CsvField(value)});
  }
  const auto records = ParseCsv(text);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_THAT((*records)[i].fields,
                ElementsAre(NeutraliseFormula(values[i]), NeutraliseFormula(values[i])));
  }
}

}  // namespace
}  // namespace osan
