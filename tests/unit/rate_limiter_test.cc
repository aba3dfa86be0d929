// Unit tests of common/rate_limiter.h.
#include "common/rate_limiter.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace osan {
namespace {

TEST(RateLimiterTest, AllowsTheBurstThenTheRateAndRefusesWithAWait) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  const absl::Time start = absl::FromUnixSeconds(1800000000);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("a", start), absl::ZeroDuration()) << i;
  }
  EXPECT_EQ(limiter.Acquire("a", start), absl::Milliseconds(500));
  EXPECT_EQ(limiter.Acquire("b", start), absl::ZeroDuration()) << "keys are independent";
  EXPECT_EQ(limiter.Acquire("a", start + absl::Milliseconds(500)), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire("a", start + absl::Milliseconds(500)), absl::ZeroDuration());
  // Refilling stops at the burst.
  const absl::Time later = start + absl::Hours(1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("a", later), absl::ZeroDuration()) << i;
  }
  EXPECT_GT(limiter.Acquire("a", later), absl::ZeroDuration());
}

TEST(RateLimiterTest, IdleBucketsAreEvictedSoTheTableStaysBounded) {
  // Refills from empty in burst / rate = 2 s.
  RateLimiter limiter(/*per_second=*/2, /*burst=*/4);
  absl::Time now = absl::FromUnixSeconds(1800000000);
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(limiter.Acquire(absl::StrCat("peer-", round, "-", i), now), absl::ZeroDuration());
    }
    // Only this round's keys and, at most, the previous round's.
    EXPECT_LE(limiter.size(), 2000u) << round;
    now += absl::Seconds(2);
  }
  now += absl::Seconds(2);
  limiter.Acquire("last", now);
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiterTest, EvictionForgetsNoBucketStillRefilling) {
  // Refills from empty in burst / rate = 2 s.
  RateLimiter limiter(/*per_second=*/1, /*burst=*/2);
  const absl::Time start = absl::FromUnixSeconds(1800000000);
  ASSERT_EQ(limiter.Acquire("busy", start), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire("busy", start), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire("idle", start), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire("busy", start + absl::Seconds(1)), absl::ZeroDuration());
  // The sweep due at 2 s drops "idle" (full again) but keeps "busy" (1 of 2).
  const absl::Time later = start + absl::Seconds(2);
  ASSERT_EQ(limiter.Acquire("other", later), absl::ZeroDuration());
  EXPECT_EQ(limiter.size(), 2u) << "busy and other";
  EXPECT_EQ(limiter.Acquire("busy", later), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire("busy", later), absl::ZeroDuration()) << "its spent calls still count";
}

TEST(RateLimiterTest, ZeroRateDisablesLimiting) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(limiter.Acquire("a", absl::UnixEpoch()), absl::ZeroDuration());
  }
}

}  // namespace
}  // namespace osan
