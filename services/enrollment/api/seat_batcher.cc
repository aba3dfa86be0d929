#include "services/enrollment/api/seat_batcher.h"

#include <algorithm>

#include "common/status.h"

namespace osan::enrollment {

SeatBatcher::SeatBatcher(store::Store* store, int max_batch)
    : store_(store),
      coalescer_(max_batch,
                 [this](const std::string& section_id, const std::vector<Change*>& batch) {
                   RunBatch(section_id, batch);
                 }) {}

absl::StatusOr<v1::Application> SeatBatcher::Run(const std::string& section_id, int capacity,
                                                 Work work) {
  Change change{std::move(work), capacity};
  coalescer_.Submit(section_id, &change);
  return std::move(change.result);
}

void SeatBatcher::RunBatch(const std::string& section_id, const std::vector<Change*>& batch) {
  int capacity = 0;
  for (const Change* change : batch) {
    capacity = std::max(capacity, change->capacity);
  }
  std::vector<absl::StatusOr<v1::Application>> results;
  // The batch's commit records the students of the changes that stand, and
  // only theirs (not those of this thread's own call, unless its change stands).
  audit::TransactionScope audited({});
  const absl::Status status = store_->Transact([&](store::Records& records) -> absl::Status {
    results.clear();
    OSAN_ASSIGN_OR_RETURN(store::Seats seats, records.LockSeats(section_id, capacity));
    const int enrolled_before = seats.enrolled;
    for (Change* change : batch) {
      store::Seats trial = seats;
      absl::StatusOr<v1::Application> result = absl::InternalError("not run");
      const absl::Status saved = records.Savepoint([&](store::Records& savepoint) {
        result = change->work(savepoint, trial);
        return result.status();
      });
      if (saved.ok()) {
        seats = trial;
      } else {
        result = saved;  // the work's refusal, or its write's
      }
      results.push_back(std::move(result));
    }
    audited.Set(audit::StandingCalls(batch, results));
    if (seats.enrolled != enrolled_before) {
      OSAN_RETURN_IF_ERROR(records.SetEnrolled(section_id, seats.enrolled));
    }
    return absl::OkStatus();
  });
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->result =
        status.ok() ? std::move(results[i]) : absl::StatusOr<v1::Application>(status);
  }
}

}  // namespace osan::enrollment
