// Coalesced seat changes: concurrent changes for one section are served
// together, in one transaction that locks the section's seat row once.
//
// Every seat change must lock the section's counter row (that lock is what
// makes overbooking impossible), so one transaction per change serialises a
// popular section on that lock. Here changes queued for a section run in one
// transaction (see common/coalescer.h), each in its own subtransaction
// (savepoint), so a refused change (a state that no longer allows it, a
// duplicate) leaves the others' work intact. A batch that fails as a whole
// (database error) fails every change in it, and nothing of it is written;
// clients retry with their request ids.
#ifndef OSAN_SERVICES_ENROLLMENT_API_SEAT_BATCHER_H_
#define OSAN_SERVICES_ENROLLMENT_API_SEAT_BATCHER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit.h"
#include "common/coalescer.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment {

class SeatBatcher {
 public:
  // One change's work inside a batch. `seats` is the section's locked seat
  // row as left by the changes before it in the batch; the work takes a seat
  // by incrementing `seats.enrolled` (never past capacity) or frees one by
  // decrementing it. Changes to `seats` by a work that fails are discarded.
  using Work =
      std::function<absl::StatusOr<v1::Application>(store::Records& records, store::Seats& seats)>;

  // `max_batch` = 1 gives one transaction per change (the naive path).
  SeatBatcher(store::Store* store, int max_batch);

  // Runs `work` for the section `section_id` (whose catalog capacity is
  // `capacity`) in the next batch, and returns its result once committed.
  absl::StatusOr<v1::Application> Run(const std::string& section_id, int capacity, Work work);

  // Batches run so far, and the changes they carried.
  int64_t batches() const { return coalescer_.batches(); }
  int64_t changes() const { return coalescer_.requests(); }

 private:
  struct Change {
    Work work;
    int capacity = 0;
    absl::StatusOr<v1::Application> result = absl::InternalError("not run");
    // The submitting thread's audited calls (audit::StandingCalls).
    std::vector<audit::CallRecord*> audited_calls = audit::TransactionScope::Current();
  };
  void RunBatch(const std::string& section_id, const std::vector<Change*>& batch);

  store::Store* const store_;
  Coalescer<Change> coalescer_;
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_SEAT_BATCHER_H_
