// Unit tests of common/status.h.
#include "common/status.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace osan {
namespace {

TEST(InvalidFieldTest, NamesTheField) {
  const absl::Status status = InvalidField("capacity", "must be between 1 and 500");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "capacity: must be between 1 and 500");
}

absl::Status FailIfNegative(int value) {
  if (value < 0) {
    return absl::OutOfRangeError("negative");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Half(int value) {
  if (value % 2 != 0) {
    return absl::InvalidArgumentError("odd");
  }
  return value / 2;
}

absl::StatusOr<int> HalfOfNonNegative(int value, int* steps) {
  OSAN_RETURN_IF_ERROR(FailIfNegative(value));
  ++*steps;
  OSAN_ASSIGN_OR_RETURN(const int half, Half(value));
  ++*steps;
  return half;
}

TEST(StatusMacrosTest, ReturnEarlyOnError) {
  int steps = 0;
  EXPECT_EQ(HalfOfNonNegative(-2, &steps).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(steps, 0);

  steps = 0;
  EXPECT_EQ(HalfOfNonNegative(3, &steps).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(steps, 1);

  steps = 0;
  const absl::StatusOr<int> half = HalfOfNonNegative(8, &steps);
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_EQ(*half, 4);
  EXPECT_EQ(steps, 2);
}

}  // namespace
}  // namespace osan
