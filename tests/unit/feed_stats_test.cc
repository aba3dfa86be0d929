// FeedStats (common/server.h): streams open, messages sent, and the lag of
// the stream furthest behind, on a clock the test sets.
#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "common/server.h"

namespace osan::server {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

TEST(FeedStatsTest, LagIsHowLongTheStreamFurthestBehindHasBeenReading) {
  FeedStats stats;
  int first = 0, second = 0;  // their addresses tell the streams apart
  stats.Opened(&first);
  stats.Opened(&second);
  EXPECT_EQ(stats.open(), 2);
  EXPECT_EQ(stats.Lag(kStart), absl::ZeroDuration()) << "nothing read yet";

  stats.Read(&first, 100, kStart);
  stats.Read(&second, 5, kStart + absl::Seconds(2));
  EXPECT_EQ(stats.Lag(kStart + absl::Seconds(3)), absl::Seconds(3));
  // Another full page does not restart the first stream's lag.
  stats.Read(&first, 100, kStart + absl::Seconds(3));
  EXPECT_EQ(stats.Lag(kStart + absl::Seconds(4)), absl::Seconds(4));

  // Caught up (an empty page): the second stream is now furthest behind.
  stats.Read(&first, 0, kStart + absl::Seconds(5));
  EXPECT_EQ(stats.Lag(kStart + absl::Seconds(6)), absl::Seconds(4));
  stats.Closed(&second);
  EXPECT_EQ(stats.open(), 1);
  EXPECT_EQ(stats.Lag(kStart + absl::Seconds(7)), absl::ZeroDuration());
}

TEST(FeedStatsTest, CountsMessagesSent) {
  FeedStats stats;
  EXPECT_EQ(stats.sent(), 0);
  stats.Sent();
  stats.Sent();
  EXPECT_EQ(stats.sent(), 2);
}

}  // namespace
}  // namespace osan::server
