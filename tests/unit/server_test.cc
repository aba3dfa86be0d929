// Unit tests of common/server.h that need no server running.
#include "common/server.h"

#include "gtest/gtest.h"

namespace osan {
namespace {

TEST(ReadFileTest, ReadsAtMostTheBytesAsked) {
  const auto head = server::ReadFile("/dev/zero", 100000);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->size(), 100000u);
  const auto whole = server::ReadFile("/proc/self/cmdline");
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_FALSE(whole->empty());
  EXPECT_EQ(server::ReadFile("/nonexistent/file").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace osan
