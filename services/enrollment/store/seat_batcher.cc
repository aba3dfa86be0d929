#include "services/enrollment/store/seat_batcher.h"

#include <algorithm>

#include "common/log.h"
#include "common/status.h"

namespace osan::enrollment::store {

absl::StatusOr<v1::Application> SeatBatcher::Run(const std::string& section_id, int capacity,
                                                 Work work) {
  Request me{std::move(work), capacity};
  absl::MutexLock lock(&mu_);
  SectionQueue& queue = queues_[section_id];
  queue.waiting.push_back(&me);
  for (;;) {
    const auto can_lead_or_done = [&queue, &me]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return me.done || !queue.leader_active;
    };
    mu_.Await(absl::Condition(&can_lead_or_done));
    if (me.done) {
      break;
    }
    // Lead the next batch: the oldest requests first, `me` among them or not.
    queue.leader_active = true;
    std::vector<Request*> batch;
    while (!queue.waiting.empty() && static_cast<int>(batch.size()) < max_batch_) {
      batch.push_back(queue.waiting.front());
      queue.waiting.pop_front();
    }
    mu_.Unlock();
    RunBatch(section_id, batch);
    mu_.Lock();
    for (Request* request : batch) {
      request->done = true;
    }
    queue.leader_active = false;
    if (queue.waiting.empty()) {
      // Nobody refers to the queue any more: every request it held is done,
      // and a done request's thread never reads its queue again.
      queues_.erase(section_id);
    }
  }
  return std::move(me.result);
}

void SeatBatcher::RunBatch(const std::string& section_id, const std::vector<Request*>& batch) {
  int capacity = 0;
  for (const Request* request : batch) {
    capacity = std::max(capacity, request->capacity);
  }
  std::vector<absl::StatusOr<v1::Application>> results;
  const absl::Status status = pool_->Transact([&](pqxx::work& tx) -> absl::Status {
    results.clear();
    OSAN_ASSIGN_OR_RETURN(Seats seats, LockSeats(tx, section_id, capacity));
    const int enrolled_before = seats.enrolled;
    for (Request* request : batch) {
      Seats trial = seats;
      absl::StatusOr<v1::Application> result = absl::InternalError("not run");
      {
        pqxx::subtransaction savepoint(tx, "seat_request");
        try {
          result = request->work(savepoint, trial);
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
