#include "common/rate_limiter.h"

#include <algorithm>

namespace osan {

absl::Duration RateLimiter::Acquire(const std::string& key, absl::Time now) {
  if (per_second_ <= 0) {
    return absl::ZeroDuration();
  }
  absl::MutexLock lock(&mu_);
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

}  // namespace osan
