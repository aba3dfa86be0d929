// A load generator for unary gRPC methods: keeps a fixed number of calls in
// flight over several channels (one TCP connection each, all from one
// client address) with the callback API, for a fixed time, and counts every
// answer by its status code, so that refusals never pass for throughput
// (h2load counts HTTP 200s, which gRPC errors are too).
#ifndef OSAN_TESTS_BENCH_GRPC_LOAD_H_
#define OSAN_TESTS_BENCH_GRPC_LOAD_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace osan::bench {

struct LoadOptions {
  // Separate connections, and calls kept in flight on each.
  int channels = 4;
  int calls_per_channel = 64;
  // Calls before `duration` starts are not counted (connections warm up).
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  // Each call's deadline.
  absl::Duration deadline = absl::Seconds(10);
  // Sent as `authorization: Bearer {token}` when not empty, so that methods
  // needing a caller can be driven too.
  std::string bearer_token;
};

struct LoadResult {
  absl::Duration measured;
  // Answers completed within the measured time, by status code.
  std::map<grpc::StatusCode, int64_t> codes;
  // Latency of each OK answer.
  std::vector<absl::Duration> latencies;

  int64_t ok() const;
  // RESOURCE_EXHAUSTED answers (rate limits, full queues).
  int64_t refused() const;
  // Other errors.
  int64_t failed() const;
  double ok_per_second() const;
  // The q-quantile (0..1) of latencies; zero if there are none.
  absl::Duration Quantile(double q) const;
  // Adds another run's counts and latencies (runs alternated to cancel drift).
  void Merge(const LoadResult& other);
};

// Channels to `address` over TLS trusting `ca_pem`, each on its own
// connection.
std::vector<std::shared_ptr<grpc::Channel>> TlsChannels(const std::string& address,
                                                        const std::string& ca_pem, int count);

// Calls `method` ("/package.Service/Method") with `request` on `channels`
// as LoadOptions say, and counts the answers.
LoadResult DriveUnary(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                      const std::string& method, const google::protobuf::Message& request,
                      const LoadOptions& options);

}  // namespace osan::bench

#endif  // OSAN_TESTS_BENCH_GRPC_LOAD_H_
