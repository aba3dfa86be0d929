// The one mapping between the suite's statuses and gRPC's, both ways.
#ifndef OSAN_COMMON_GRPC_STATUS_H_
#define OSAN_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace osan {

// Maps a domain/store status to the status a client sees. Codes map one to one;
// the message is passed through unchanged, so callers must never put SQL,
// SQLSTATEs or other internals in a status message (the store layer guarantees
// this for database errors). INTERNAL and UNKNOWN messages are replaced by a
// generic text, since they describe bugs, not requests.
grpc::Status ToGrpcStatus(const absl::Status& status);

// What a call to another service answered, as a status of the caller's own:
// the same code, the message prefixed with `what` ("catalog GetSection: ...")
// when `what` is not empty.
absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what = "");

}  // namespace osan

#endif  // OSAN_COMMON_GRPC_STATUS_H_
