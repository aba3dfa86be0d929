#include "common/rate_limiter.h"

#include <algorithm>
#include <iterator>

namespace osan {

RateLimiter::RateLimiter(double per_second, double burst)
    : per_second_(per_second),
      burst_(burst),
      refill_period_(per_second > 0 ? absl::Seconds(burst / per_second)
                                    : absl::InfiniteDuration()) {}

absl::Duration RateLimiter::Acquire(const std::string& key, absl::Time now) {
  if (per_second_ <= 0) {
    return absl::ZeroDuration();
  }
  absl::MutexLock lock(&mu_);
  MaybeSweep(now);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted && now > bucket.updated) {
    bucket.tokens =
        std::min(burst_, bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) * per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::ZeroDuration();
  }
  return absl::Seconds((1 - bucket.tokens) / per_second_);
}

void RateLimiter::MaybeSweep(absl::Time now) {
  if (now - last_sweep_ < refill_period_) {
    return;
  }
  last_sweep_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const Bucket& bucket = it->second;
    const bool refilled =
        bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) * per_second_ >= burst_;
    it = refilled ? buckets_.erase(it) : std::next(it);
  }
}

size_t RateLimiter::size() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace osan
