// Public seat counts (PublicSeatsService): how full each section of a term
// is, for the city's listing page. Needs no token and carries no personal
// data: counts per section only.
//
// Counts are read from enrollment's database (the seat counters and the
// waitlisted applications) and kept per term for `ttl` (default 2 s): a
// page may show seats left up to that old, while a flood of page views costs
// the database one query per term every `ttl`.
#ifndef OSAN_SERVICES_ENROLLMENT_API_PUBLIC_SEATS_H_
#define OSAN_SERVICES_ENROLLMENT_API_PUBLIC_SEATS_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/server.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment {

class PublicSeats {
 public:
  PublicSeats(store::Store* store, absl::Duration ttl) : store_(store), ttl_(ttl) {}

  // INVALID_ARGUMENT unless `term` is `terms/{year}-{semester}`. `read_time`
  // says when the counts were read.
  absl::StatusOr<v1::ListSeatCountsResponse> ListSeatCounts(
      const server::CallContext& call, const v1::ListSeatCountsRequest& request);

 private:
  store::Store* const store_;
  const absl::Duration ttl_;
  absl::Mutex mu_;
  // By term name; an entry is used while younger than ttl_.
  std::map<std::string, v1::ListSeatCountsResponse> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_PUBLIC_SEATS_H_
