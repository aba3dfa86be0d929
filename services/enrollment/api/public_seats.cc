#include "services/enrollment/api/public_seats.h"

#include <google/protobuf/util/time_util.h>

#include "common/names.h"
#include "common/status.h"

namespace osan::enrollment {

using google::protobuf::util::TimeUtil;

absl::StatusOr<v1::ListSeatCountsResponse> PublicSeats::ListSeatCounts(
    const server::CallContext& call, const v1::ListSeatCountsRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const TermId term, ParseTermName("term", request.term()));
  const std::string name = term.name();
  {
    absl::MutexLock lock(&mu_);
    const auto cached = cache_.find(name);
    if (cached != cache_.end() && call.now - absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(
                                                 cached->second.read_time())) <
                                      ttl_) {
      return cached->second;
    }
  }
  v1::ListSeatCountsResponse response;
  response.set_term(name);
  *response.mutable_read_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(call.now));
  OSAN_ASSIGN_OR_RETURN(auto counts, store_->Transact([&](store::Records& records) {
    return records.SeatCounts(term.id());
  }));
  for (v1::SeatCount& count : counts) {
    *response.add_seats() = std::move(count);
  }
  absl::MutexLock lock(&mu_);
  cache_[name] = response;
  return response;
}

}  // namespace osan::enrollment
