// Answers kept for a while, unknown names kept briefly, errors never, and a
// stale value served while the source cannot answer: common/ttl_cache.h.
#include "common/ttl_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace osan {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1800000000);

TEST(TtlCacheTest, KeepsValuesForTheTtlAndNotFoundForTheNegativeTtl) {
  TtlCache<int> cache(absl::Seconds(5), absl::Seconds(1));
  cache.Store("a", 7, kStart);
  cache.Store("gone", absl::NotFoundError("no such name"), kStart);
  ASSERT_TRUE(cache.Find("a", kStart + absl::Seconds(4)).has_value());
  EXPECT_EQ(**cache.Find("a", kStart + absl::Seconds(4)), 7);
  EXPECT_FALSE(cache.Find("a", kStart + absl::Seconds(5)).has_value());
  ASSERT_TRUE(cache.Find("gone", kStart).has_value());
  EXPECT_TRUE(absl::IsNotFound(cache.Find("gone", kStart)->status()));
  EXPECT_FALSE(cache.Find("gone", kStart + absl::Seconds(1)).has_value());
}

TEST(TtlCacheTest, NeverKeepsOtherErrors) {
  TtlCache<int> cache(absl::Seconds(5), absl::Seconds(1));
  cache.Store("a", absl::UnavailableError("down"), kStart);
  cache.Store("b", absl::PermissionDeniedError("no"), kStart);
  EXPECT_FALSE(cache.Find("a", kStart).has_value());
  EXPECT_FALSE(cache.Find("b", kStart).has_value());
}

TEST(TtlCacheTest, StaysWithinItsNamesDroppingExpiredEntriesFirst) {
  TtlCache<int> cache(absl::Seconds(5), absl::Seconds(1), /*max_names=*/3);
  cache.Store("old", 1, kStart);
  cache.Store("b", 2, kStart + absl::Seconds(3));
  cache.Store("c", 3, kStart + absl::Seconds(3));
  cache.Store("d", 4, kStart + absl::Seconds(6));  // "old" has expired: it goes
  EXPECT_TRUE(cache.Find("b", kStart + absl::Seconds(6)).has_value());
  EXPECT_TRUE(cache.Find("d", kStart + absl::Seconds(6)).has_value());
  EXPECT_FALSE(cache.FindStale("old", kStart + absl::Seconds(6), absl::Hours(1)).has_value());
  cache.Store("e", 5, kStart + absl::Seconds(6));  // none expired: all go
  EXPECT_TRUE(cache.Find("e", kStart + absl::Seconds(6)).has_value());
  EXPECT_FALSE(cache.Find("b", kStart + absl::Seconds(6)).has_value());
}

TEST(TtlCacheTest, FindStaleServesOldValuesWithinTheirAgeButNeverNotFound) {
  TtlCache<int> cache(absl::Seconds(5), absl::Seconds(1));
  cache.Store("a", 7, kStart);
  cache.Store("gone", absl::NotFoundError("no such name"), kStart);
  EXPECT_EQ(cache.FindStale("a", kStart + absl::Minutes(59), absl::Hours(1)), 7);
  EXPECT_FALSE(cache.FindStale("a", kStart + absl::Minutes(61), absl::Hours(1)).has_value());
  EXPECT_FALSE(cache.FindStale("gone", kStart, absl::Hours(1)).has_value());
}

TEST(TtlCacheTest, GetFetchesOnceAndServesStaleOnlyWhileTheSourceIsUnavailable) {
  // A TTL of zero: every Get asks the source.
  TtlCache<int> cache(absl::ZeroDuration(), absl::ZeroDuration());
  int fetches = 0;
  absl::StatusOr<int> source = 7;
  const auto fetch = [&] {
    ++fetches;
    return source;
  };
  EXPECT_EQ(*cache.Get("a", fetch, absl::Hours(1)), 7);
  source = absl::UnavailableError("down");
  EXPECT_EQ(*cache.Get("a", fetch, absl::Hours(1)), 7) << "the stale value while down";
  EXPECT_TRUE(absl::IsUnavailable(cache.Get("a", fetch).status())) << "no staleness asked for";
  EXPECT_TRUE(absl::IsUnavailable(cache.Get("never", fetch, absl::Hours(1)).status()));
  source = absl::NotFoundError("deleted");
  EXPECT_TRUE(absl::IsNotFound(cache.Get("a", fetch, absl::Hours(1)).status()))
      << "an answer of the source wins over a stale value";
  EXPECT_EQ(fetches, 5);

  TtlCache<int> kept(absl::Seconds(60), absl::Seconds(1));
  fetches = 0;
  source = 8;
  EXPECT_EQ(*kept.Get("b", fetch), 8);
  EXPECT_EQ(*kept.Get("b", fetch), 8);
  EXPECT_EQ(fetches, 1) << "a fresh value is not fetched again";
}

}  // namespace
}  // namespace osan
