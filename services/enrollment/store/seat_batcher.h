// Coalesced seat changes: concurrent requests for one section are served
// together, in one transaction that locks the section's seat row once.
//
// Why: every seat change must lock the section's counter row (that lock is
// what makes overbooking impossible), so one transaction per request
// serialises a popular section's rush on that lock, a few hundred requests a
// second. Here the first request to arrive for a section leads: it takes every
// request queued for the section (up to `max_batch`) and runs them in order in
// one transaction; requests arriving meanwhile queue for the next batch. Each
// request runs in its own subtransaction (savepoint), so a refused request
// (bad input, student over a limit, duplicate) leaves the others' work intact.
// A batch that fails as a whole (database error) fails every request in it,
// and nothing of it is written; clients retry with their request ids.
#ifndef OSAN_SERVICES_ENROLLMENT_STORE_SEAT_BATCHER_H_
#define OSAN_SERVICES_ENROLLMENT_STORE_SEAT_BATCHER_H_

#include <deque>
#include <functional>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/db.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/store/enrollment_store.h"

namespace osan::enrollment::store {

class SeatBatcher {
 public:
  // One request's work inside a batch. `seats` is the section's locked seat
  // row as left by the requests before it in the batch; the work takes a seat
  // by incrementing `seats.enrolled` (never past capacity) or frees one by
  // decrementing it. Changes to `seats` by a work that fails are discarded.
  using Work = std::function<absl::StatusOr<v1::Application>(Tx& tx, Seats& seats)>;

  // `max_batch` = 1 gives one transaction per request (the naive path).
  SeatBatcher(db::Pool* pool, int max_batch) : pool_(pool), max_batch_(max_batch) {}

  // Runs `work` for the section `section_id` (whose catalog capacity is
  // `capacity`) in the next batch, and returns its result once committed.
  absl::StatusOr<v1::Application> Run(const std::string& section_id, int capacity, Work work);

 private:
  struct Request {
    Work work;
    int capacity = 0;
    absl::StatusOr<v1::Application> result = absl::InternalError("not run");
    bool done = false;
  };
  struct SectionQueue {
    std::deque<Request*> waiting;
    bool leader_active = false;
  };

  // Runs `batch` in one transaction and stores each request's result.
  void RunBatch(const std::string& section_id, const std::vector<Request*>& batch);

  db::Pool* const pool_;
  const int max_batch_;
  absl::Mutex mu_;
  std::map<std::string, SectionQueue> queues_ ABSL_GUARDED_BY(mu_);
};

}  // namespace osan::enrollment::store

#endif  // OSAN_SERVICES_ENROLLMENT_STORE_SEAT_BATCHER_H_
