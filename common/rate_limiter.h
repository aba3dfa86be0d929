// Per-caller request rates: a token bucket per key (an institution code, or
// the peer address for unauthenticated calls).
#ifndef OSAN_COMMON_RATE_LIMITER_H_
#define OSAN_COMMON_RATE_LIMITER_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace osan {

// Memory stays bounded by the keys active recently: a bucket left idle long
// enough to have refilled completely is indistinguishable from a new one, and
// is dropped by a sweep that runs at most once per refill period (burst /
// per_second), from Acquire. So the table holds at most the keys seen in the
// last two refill periods.
class RateLimiter {
 public:
  // Each key may make `per_second` calls a second on average and up to
  // `burst` at once. `per_second` <= 0 disables limiting.
  RateLimiter(double per_second, double burst);

  // Takes one call for `key` at `now`. Returns zero if allowed, else how long
  // until a call would be. `now` comes from the caller (absl::Now() in
  // servers, a fake clock in tests).
  absl::Duration Acquire(const std::string& key, absl::Time now);

  // Keys with a bucket in memory.
  size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };
  // Drops the buckets that have refilled by `now`, if a refill period has
  // passed since the last sweep.
  void MaybeSweep(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double per_second_;
  const double burst_;
  // How long an empty bucket takes to refill to `burst_`.
  const absl::Duration refill_period_;
  mutable absl::Mutex mu_;
  std::map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace osan

#endif  // OSAN_COMMON_RATE_LIMITER_H_
