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

class RateLimiter {
 public:
  // Each key may make `per_second` calls a second on average and up to
  // `burst` at once. `per_second` <= 0 disables limiting.
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes one call for `key` at `now`. Returns zero if allowed, else how long
  // until a call would be.
  absl::Duration Acquire(const std::string& key, absl::Time now);

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };
  const double per_second_;
  const double burst_;
  absl::Mutex mu_;
  std::map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace osan

#endif  // OSAN_COMMON_RATE_LIMITER_H_
