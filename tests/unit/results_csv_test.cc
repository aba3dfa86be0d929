// Unit tests of the results CSV (osan::credit::ResultsCsv): text cells are
// neutralised against formula injection, the service's numbers are not.
#include <string>
#include <vector>

#include "common/csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/api/credit.h"

namespace osan::credit {
namespace {

using ::testing::ElementsAre;

TEST(ResultsCsvTest, NeutralisesTextButNotTheServicesNumbers) {
  v1::LedgerEntry entry;
  entry.set_name("ledger/entries/e-1");
  entry.set_version(2);
  v1::ResultPackage& p = *entry.mutable_package();
  p.set_student("schools/J10-7531001/students/s-104");
  p.set_title("=HYPERLINK(\"http://evil.example\",\"click\")");
  p.set_notes("-2+3 looks like a sum, \"quoted\"");
  p.set_remarks("@SUM(A1:A9)");
  p.set_credits(4);
  p.set_course_mean(-1.5);
  const std::string csv = ResultsCsv({entry});
  const auto records = ParseCsv(csv);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  const std::vector<std::string>& row = (*records)[1].fields;
  ASSERT_EQ(row.size(), 24u);
  EXPECT_EQ(row[0], "schools/J10-7531001/students/s-104");
  EXPECT_EQ(row[2], "'=HYPERLINK(\"http://evil.example\",\"click\")");
  EXPECT_EQ(row[4], "4");
  EXPECT_EQ(row[7], "-1.5");  // a number the service computed stays a number
  EXPECT_EQ(row[12], "'-2+3 looks like a sum, \"quoted\"");
  EXPECT_EQ(row[18], "'@SUM(A1:A9)");
  EXPECT_THAT(std::vector<std::string>(row.end() - 2, row.end()),
              ElementsAre("ledger/entries/e-1", "2"));
  // The raw text: the formula is quoted and prefixed, the number bare.
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","),
            std::string::npos);
  EXPECT_NE(csv.find(",-1.5,"), std::string::npos);
}

}  // namespace
}  // namespace osan::credit
