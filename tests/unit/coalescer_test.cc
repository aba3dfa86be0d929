// Coalescer (common/coalescer.h): every request is processed exactly once,
// batches never exceed their maximum nor run concurrently for one key, and
// the counters add up to what ran.
#include "common/coalescer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"

namespace osan {
namespace {

struct Request {
  int value = 0;
  int processed = 0;  // times a batch processed it
};

TEST(CoalescerTest, ConcurrentRequestsAreEachProcessedOnceInBoundedBatches) {
  constexpr int kThreads = 32;
  constexpr int kMaxBatch = 4;
  std::atomic<int> running{0};
  std::atomic<int> overlapping{0};
  std::atomic<int> largest{0};
  // The first batch waits until every thread has queued, so that later
  // batches must coalesce.
  absl::Notification all_queued;
  std::atomic<int> queued{0};
  Coalescer<Request> coalescer(kMaxBatch,
                               [&](const std::string& key, const std::vector<Request*>& batch) {
                                 EXPECT_EQ(key, "section");
                                 if (running.fetch_add(1) != 0) {
                                   ++overlapping;
                                 }
                                 all_queued.WaitForNotification();
                                 largest = std::max(largest.load(), static_cast<int>(batch.size()));
                                 for (Request* request : batch) {
                                   ++request->processed;
                                 }
                                 running.fetch_sub(1);
                               });
  std::vector<Request> requests(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    requests[i].value = i;
    threads.emplace_back([&, i] {
      if (++queued == kThreads) {
        all_queued.Notify();
      }
      coalescer.Submit("section", &requests[i]);
      EXPECT_EQ(requests[i].processed, 1) << "returned before its batch ran";
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const Request& request : requests) {
    EXPECT_EQ(request.processed, 1) << request.value;
  }
  EXPECT_EQ(overlapping, 0);
  EXPECT_LE(largest, kMaxBatch);
  EXPECT_EQ(coalescer.requests(), kThreads);
  EXPECT_GE(coalescer.batches(), kThreads / kMaxBatch);
  EXPECT_LE(coalescer.batches(), kThreads);
}

TEST(CoalescerTest, AMaximumOfOneRunsEveryRequestAlone) {
  int batches_seen = 0;
  Coalescer<Request> coalescer(0, [&](const std::string&, const std::vector<Request*>& batch) {
    EXPECT_EQ(batch.size(), 1u);
    ++batches_seen;
    ++batch.front()->processed;
  });
  Request first, second;
  coalescer.Submit("a", &first);
  coalescer.Submit("b", &second);
  EXPECT_EQ(first.processed, 1);
  EXPECT_EQ(second.processed, 1);
  EXPECT_EQ(batches_seen, 2);
  EXPECT_EQ(coalescer.batches(), 2);
  EXPECT_EQ(coalescer.requests(), 2);
}

}  // namespace
}  // namespace osan
