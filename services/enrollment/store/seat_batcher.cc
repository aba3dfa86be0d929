#include "services/enrollment/store/seat_batcher.h"

#include <algorithm>

#include "common/status.h"

namespace osan::enrollment::store {

SeatBatcher::SeatBatcher(db::Pool* pool, int max_batch)
    : pool_(pool),
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
  const absl::Status status = pool_->Transact([&](pqxx::work& tx) -> absl::Status {
    results.clear();
    OSAN_ASSIGN_OR_RETURN(Seats seats, LockSeats(tx, section_id, capacity));
    const int enrolled_before = seats.enrolled;
    for (Change* change : batch) {
      Seats trial = seats;
      absl::StatusOr<v1::Application> result = absl::InternalError("not run");
      {
        pqxx::subtransaction savepoint(tx, "seat_change");
        try {
          result = change->work(savepoint, trial);
          if (result.ok()) {
            savepoint.commit();
          } else {
            savepoint.abort();
          }
        } catch (const pqxx::unique_violation&) {
          savepoint.abort();
          result = absl::AlreadyExistsError("the student already has a live application there");
        }
      }
      if (result.ok()) {
        seats = trial;
      }
      results.push_back(std::move(result));
    }
    audited.Set(audit::StandingCalls(batch, results));
    if (seats.enrolled != enrolled_before) {
      OSAN_RETURN_IF_ERROR(SetEnrolled(tx, section_id, seats.enrolled));
    }
    return absl::OkStatus();
  });
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->result =
        status.ok() ? std::move(results[i]) : absl::StatusOr<v1::Application>(status);
  }
}

}  // namespace osan::enrollment::store
