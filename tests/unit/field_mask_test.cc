// Unit tests of common/field_mask.h.
#include "common/field_mask.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "tests/support/status_assertions.h"

namespace osan {
namespace {

using ::osan::testing::IsInvalidField;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::set<std::string> Updatable() {
  return {"capacity", "location", "eligible_grades", "weekly_meetings"};
}

catalog::v1::Section TargetSection() {
  catalog::v1::Section section;
  section.set_name("terms/2026-1/sections/9b2c1d4e-7f30-4a61-8e5b-2d9c0a7f1e43");
  section.set_capacity(20);
  section.set_location("에듀랩 2층");
  section.add_eligible_grades(1);
  section.add_eligible_grades(2);
  section.set_state(catalog::v1::DRAFT);
  return section;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) {
    mask.add_paths(path);
  }
  return mask;
}

TEST(ApplyFieldMaskTest, CopiesOnlyMaskedFields) {
  catalog::v1::Section patch;
  patch.set_capacity(30);
  patch.set_location("오산시청");
  patch.set_state(catalog::v1::CANCELLED);
  catalog::v1::Section target = TargetSection();
  ASSERT_TRUE(ApplyFieldMask(patch, Mask({"capacity"}), Updatable(), &target).ok());
  EXPECT_EQ(target.capacity(), 30);
  EXPECT_EQ(target.location(), "에듀랩 2층");
  EXPECT_EQ(target.state(), catalog::v1::DRAFT);
  EXPECT_EQ(target.name(), TargetSection().name());
}

TEST(ApplyFieldMaskTest, MaskedEmptyValueClearsField) {
  catalog::v1::Section patch;  // location empty
  catalog::v1::Section target = TargetSection();
  ASSERT_TRUE(ApplyFieldMask(patch, Mask({"location"}), Updatable(), &target).ok());
  EXPECT_EQ(target.location(), "");
}

TEST(ApplyFieldMaskTest, RejectsEmptyMask) {
  catalog::v1::Section patch;
  patch.set_capacity(30);
  catalog::v1::Section target = TargetSection();
  EXPECT_TRUE(IsInvalidField(ApplyFieldMask(patch, Mask({}), Updatable(), &target), "update_mask"));
  EXPECT_EQ(target.SerializeAsString(), TargetSection().SerializeAsString());
}

TEST(ApplyFieldMaskTest, RejectsPathNotUpdatableAndLeavesTargetUnchanged) {
  catalog::v1::Section patch;
  patch.set_capacity(30);
  patch.set_state(catalog::v1::CANCELLED);
  for (const auto& mask : {Mask({"state"}), Mask({"capacity", "state"}), Mask({"no_such_field"}),
                           Mask({"capacity", "weekly_meetings.weekday"})}) {
    SCOPED_TRACE(mask.ShortDebugString());
    catalog::v1::Section target = TargetSection();
    const absl::Status status = ApplyFieldMask(patch, mask, Updatable(), &target);
    EXPECT_TRUE(IsInvalidField(status, "update_mask"));
    EXPECT_THAT(status.message(), HasSubstr(mask.paths(mask.paths_size() - 1)));
    EXPECT_EQ(target.SerializeAsString(), TargetSection().SerializeAsString());
  }
}

TEST(ApplyFieldMaskTest, ReplacesRepeatedFieldsInsteadOfAppending) {
  catalog::v1::Section patch;
  patch.add_eligible_grades(3);
  catalog::v1::Section target = TargetSection();
  ASSERT_TRUE(ApplyFieldMask(patch, Mask({"eligible_grades"}), Updatable(), &target).ok());
  EXPECT_THAT(target.eligible_grades(), ElementsAre(3));

  catalog::v1::Section with_meetings = TargetSection();
  with_meetings.add_weekly_meetings()->set_weekday(catalog::v1::MONDAY);
  with_meetings.add_weekly_meetings()->set_weekday(catalog::v1::WEDNESDAY);
  catalog::v1::Section meetings_patch;
  meetings_patch.add_weekly_meetings()->set_weekday(catalog::v1::FRIDAY);
  ASSERT_TRUE(
      ApplyFieldMask(meetings_patch, Mask({"weekly_meetings"}), Updatable(), &with_meetings).ok());
  ASSERT_EQ(with_meetings.weekly_meetings_size(), 1);
  EXPECT_EQ(with_meetings.weekly_meetings(0).weekday(), catalog::v1::FRIDAY);
}

TEST(ApplyFieldMaskTest, ReplacesMessageFieldsInsteadOfMerging) {
  catalog::v1::Term target;
  target.mutable_application_window()->set_start_unix(100);
  target.mutable_application_window()->set_end_unix(200);
  catalog::v1::Term patch;
  patch.mutable_application_window()->set_start_unix(150);
  ASSERT_TRUE(
      ApplyFieldMask(patch, Mask({"application_window"}), {"application_window"}, &target).ok());
  EXPECT_EQ(target.application_window().start_unix(), 150);
  EXPECT_EQ(target.application_window().end_unix(), 0);
}

}  // namespace
}  // namespace osan
