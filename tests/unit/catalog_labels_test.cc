// Unit tests of the catalog's Korean labels (services/catalog/domain/labels.h).
#include <gtest/gtest.h>

#include "services/catalog/domain/labels.h"

namespace osan::catalog {
namespace {

TEST(LabelsTest, EveryValueHasALabelThatParsesBack) {
  for (int i = v1::Category_MIN; i <= v1::Category_MAX; ++i) {
    const auto category = static_cast<v1::Category>(i);
    if (!v1::Category_IsValid(i) || category == v1::CATEGORY_UNSPECIFIED) {
      continue;
    }
    SCOPED_TRACE(v1::Category_Name(category));
    ASSERT_FALSE(CategoryLabel(category).empty());
    EXPECT_EQ(ParseCategoryLabel(CategoryLabel(category)), category);
    EXPECT_EQ(ParseCategoryLabel(v1::Category_Name(category)), category);
  }
  for (int i = v1::SubjectArea_MIN; i <= v1::SubjectArea_MAX; ++i) {
    const auto area = static_cast<v1::SubjectArea>(i);
    if (!v1::SubjectArea_IsValid(i) || area == v1::SUBJECT_AREA_UNSPECIFIED) {
      continue;
    }
    SCOPED_TRACE(v1::SubjectArea_Name(area));
    ASSERT_FALSE(SubjectAreaLabel(area).empty());
    EXPECT_EQ(ParseSubjectAreaLabel(SubjectAreaLabel(area)), area);
  }
  for (int i = v1::DeliveryMode_MIN; i <= v1::DeliveryMode_MAX; ++i) {
    const auto mode = static_cast<v1::DeliveryMode>(i);
    if (!v1::DeliveryMode_IsValid(i) || mode == v1::DELIVERY_MODE_UNSPECIFIED) {
      continue;
    }
    SCOPED_TRACE(v1::DeliveryMode_Name(mode));
    ASSERT_FALSE(DeliveryLabel(mode).empty());
    EXPECT_EQ(ParseDeliveryLabel(DeliveryLabel(mode)), mode);
  }
}

TEST(LabelsTest, OtherSpellingsParseButLabelsAreWrittenOneWay) {
  EXPECT_EQ(CategoryLabel(v1::OUT_OF_SCHOOL), "학교 밖 교육");
  EXPECT_EQ(ParseCategoryLabel("학교밖"), v1::OUT_OF_SCHOOL);
  EXPECT_EQ(ParseCategoryLabel(" career_elective "), v1::CAREER_ELECTIVE);
  EXPECT_EQ(ParseDeliveryLabel("온라인"), v1::ONLINE_REALTIME);
  EXPECT_EQ(ParseSubjectAreaLabel("기술·가정/정보/제2외국어/한문/교양"), v1::LIFE_AND_LIBERAL);
}

TEST(LabelsTest, UnknownAndUnspecifiedValues) {
  EXPECT_EQ(CategoryLabel(v1::CATEGORY_UNSPECIFIED), "");
  EXPECT_EQ(DeliveryLabel(static_cast<v1::DeliveryMode>(99)), "");
  EXPECT_EQ(ParseCategoryLabel("CATEGORY_UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseCategoryLabel(""), std::nullopt);
  EXPECT_EQ(ParseSubjectAreaLabel("물리"), std::nullopt);
}

}  // namespace
}  // namespace osan::catalog
