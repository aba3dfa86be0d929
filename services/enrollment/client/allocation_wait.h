// Waiting for an allocation run (RunAllocation answers with a long-running
// operation) to finish, whatever transport the caller uses.
#ifndef OSAN_SERVICES_ENROLLMENT_CLIENT_ALLOCATION_WAIT_H_
#define OSAN_SERVICES_ENROLLMENT_CLIENT_ALLOCATION_WAIT_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::enrollment {

// Polls `get(name)` (GetAllocationOperation, returning
// absl::StatusOr<v1::AllocationOperation>) every `interval` until `operation`
// is done, calling `progress(operation)` after each poll. Returns the run, the
// operation's error as a status, the first failed poll's status, or
// DEADLINE_EXCEEDED (the run goes on) if it is not done by `deadline`.
template <class Get, class Progress>
absl::StatusOr<v1::AllocationRun> AwaitAllocation(
    v1::AllocationOperation operation, Get&& get, absl::Time deadline, Progress&& progress,
    absl::Duration interval = absl::Milliseconds(200)) {
  while (!operation.done()) {
    if (absl::Now() + interval > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(operation.name(), " is still running (",
                                                      operation.stage(), ", ", operation.percent(),
                                                      "%); ask again with GetAllocationOperation"));
    }
    absl::SleepFor(interval);
    absl::StatusOr<v1::AllocationOperation> polled = get(operation.name());
    if (!polled.ok()) {
      return polled.status();
    }
    operation = *std::move(polled);
    progress(operation);
  }
  if (operation.has_error()) {
    return absl::Status(static_cast<absl::StatusCode>(operation.error().code()),
                        operation.error().message());
  }
  return operation.run();
}

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_CLIENT_ALLOCATION_WAIT_H_
