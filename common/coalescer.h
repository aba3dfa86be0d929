// Coalescing of concurrent work that shares a key (e.g. one section's seat
// changes): the first request to arrive for a key leads; it takes every
// request queued for that key (up to a maximum, oldest first) and runs them as
// one batch, while requests arriving meanwhile queue for the next batch. Each
// waiting thread returns once its request has been processed.
#ifndef OSAN_COMMON_COALESCER_H_
#define OSAN_COMMON_COALESCER_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace osan {

template <class Request>
class Coalescer {
 public:
  // Processes `batch` (requests in arrival order, all for `key`), filling in
  // each request's result. Called on one of the waiting threads, never
  // concurrently for the same key.
  using RunBatch = std::function<void(const std::string& key, const std::vector<Request*>& batch)>;

  // `max_batch` >= 1; 1 means every request runs alone.
  Coalescer(int max_batch, RunBatch run_batch)
      : max_batch_(max_batch < 1 ? 1 : max_batch), run_batch_(std::move(run_batch)) {}

  // Batches run so far, and the requests they carried (their ratio is the
  // mean batch size).
  int64_t batches() const { return batches_.load(std::memory_order_relaxed); }
  int64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  // Requests queued so far, run or not: less requests(), those waiting for a
  // batch.
  int64_t submitted() const { return submitted_.load(std::memory_order_relaxed); }

  // Queues `request` under `key` and returns once a batch has processed it.
  void Submit(const std::string& key, Request* request) {
    Waiter me{request};
    absl::MutexLock lock(&mu_);
    Queue& queue = queues_[key];
    queue.waiting.push_back(&me);
    submitted_.fetch_add(1, std::memory_order_relaxed);
    for (;;) {
      const auto done_or_may_lead = [&queue, &me]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        // `me.done` first: once done, `queue` may have been erased.
        return me.done || !queue.leader_active;
      };
      mu_.Await(absl::Condition(&done_or_may_lead));
      if (me.done) {
        return;
      }
      queue.leader_active = true;
      std::vector<Waiter*> taken;
      std::vector<Request*> batch;
      while (!queue.waiting.empty() && static_cast<int>(batch.size()) < max_batch_) {
        taken.push_back(queue.waiting.front());
        batch.push_back(queue.waiting.front()->request);
        queue.waiting.pop_front();
      }
      mu_.Unlock();
      batches_.fetch_add(1, std::memory_order_relaxed);
      requests_.fetch_add(static_cast<int64_t>(batch.size()), std::memory_order_relaxed);
      run_batch_(key, batch);
      mu_.Lock();
      for (Waiter* waiter : taken) {
        waiter->done = true;
      }
      queue.leader_active = false;
      if (queue.waiting.empty()) {
        // Every request this queue held is done, and a done request's thread
        // never reads its queue again.
        queues_.erase(key);
      }
    }
  }

 private:
  struct Waiter {
    Request* request;
    bool done = false;
  };
  struct Queue {
    std::deque<Waiter*> waiting;
    bool leader_active = false;
  };

  const int max_batch_;
  const RunBatch run_batch_;
  absl::Mutex mu_;
  std::map<std::string, Queue> queues_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> batches_{0};
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> submitted_{0};
};

}  // namespace osan

#endif  // OSAN_COMMON_COALESCER_H_
