// Unit tests of the catalog's Korean labels (services/catalog/vocabulary/labels.h).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "services/catalog/vocabulary/labels.h"

namespace osan::catalog {
namespace {

// Every specified value of an enum has a label, and the label and the proto
// name both parse back to the value.
template <class Enum>
void ExpectLabelsRoundTrip(int min, int max, bool (*is_valid)(int),
                           const std::string& (*proto_name)(Enum), std::string (*label)(Enum),
                           std::optional<Enum> (*parse)(absl::string_view)) {
  for (int i = min; i <= max; ++i) {
    const auto value = static_cast<Enum>(i);
    if (!is_valid(i) || i == 0) {  // 0: the unspecified value
      continue;
    }
    SCOPED_TRACE(proto_name(value));
    ASSERT_FALSE(label(value).empty());
    EXPECT_EQ(parse(label(value)), value);
    EXPECT_EQ(parse(proto_name(value)), value);
  }
}

TEST(LabelsTest, EveryValueHasALabelThatParsesBack) {
  ExpectLabelsRoundTrip<v1::Category>(v1::Category_MIN, v1::Category_MAX, v1::Category_IsValid,
                                      v1::Category_Name<v1::Category>, CategoryLabel,
                                      ParseCategoryLabel);
  ExpectLabelsRoundTrip<v1::SubjectArea>(
      v1::SubjectArea_MIN, v1::SubjectArea_MAX, v1::SubjectArea_IsValid,
      v1::SubjectArea_Name<v1::SubjectArea>, SubjectAreaLabel, ParseSubjectAreaLabel);
  ExpectLabelsRoundTrip<v1::DeliveryMode>(
      v1::DeliveryMode_MIN, v1::DeliveryMode_MAX, v1::DeliveryMode_IsValid,
      v1::DeliveryMode_Name<v1::DeliveryMode>, DeliveryLabel, ParseDeliveryLabel);
}

TEST(LabelsTest, ChoicesListEveryLabelInOrder) {
  EXPECT_EQ(CategoryChoices(), "공통, 일반선택, 진로선택, 융합선택, 교양, 학교 밖 교육");
  EXPECT_EQ(DeliveryChoices(), "대면, 실시간 온라인, 혼합");
  EXPECT_EQ(SubjectAreaChoices(),
            "국어, 수학, 영어, 사회, 한국사, 과학, 체육, 예술, "
            "기술·가정/정보/제2외국어/한문/교양, 전문 교과");
}

TEST(LabelsTest, OtherSpellingsParseButLabelsAreWrittenOneWay) {
  EXPECT_EQ(CategoryLabel(v1::OUT_OF_SCHOOL), "학교 밖 교육");
  EXPECT_EQ(ParseCategoryLabel("학교밖"), v1::OUT_OF_SCHOOL);
  EXPECT_EQ(ParseCategoryLabel(" career_elective "), v1::CAREER_ELECTIVE);
  EXPECT_EQ(ParseDeliveryLabel("온라인"), v1::ONLINE_REALTIME);
  EXPECT_EQ(SubjectAreaLabel(v1::LIFE_AND_LIBERAL), "기술·가정/정보/제2외국어/한문/교양");
  EXPECT_EQ(ParseSubjectAreaLabel("생활·교양"), v1::LIFE_AND_LIBERAL);  // the 2015 name
}

TEST(LabelsTest, UnknownAndUnspecifiedValues) {
  EXPECT_EQ(CategoryLabel(v1::CATEGORY_UNSPECIFIED), "");
  EXPECT_EQ(DeliveryLabel(static_cast<v1::DeliveryMode>(99)), "");
  EXPECT_EQ(ParseCategoryLabel("CATEGORY_UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseCategoryLabel(""), std::nullopt);
  EXPECT_EQ(ParseSubjectAreaLabel("물리"), std::nullopt);
}

TEST(LabelsTest, FundersByTheirKoreanNames) {
  EXPECT_EQ(FunderLabel(v1::CITY), "오산시");
  EXPECT_EQ(FunderLabel(v1::EDU_OFFICE), "화성오산교육지원청");
  EXPECT_EQ(FunderLabel(v1::PROVINCE), "경기도");
  EXPECT_EQ(FunderLabel(v1::FUNDER_UNSPECIFIED), "");
  EXPECT_EQ(ParseFunderLabel("오산교육지원청"), v1::EDU_OFFICE);
  EXPECT_EQ(ParseFunderLabel("province"), v1::PROVINCE);
  EXPECT_EQ(ParseFunderLabel("서울시"), std::nullopt);
}

}  // namespace
}  // namespace osan::catalog
