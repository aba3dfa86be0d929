#include "tests/bench/grpc_load.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <algorithm>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace osan::bench {

int64_t LoadResult::ok() const {
  const auto it = codes.find(grpc::StatusCode::OK);
  return it == codes.end() ? 0 : it->second;
}

int64_t LoadResult::refused() const {
  const auto it = codes.find(grpc::StatusCode::RESOURCE_EXHAUSTED);
  return it == codes.end() ? 0 : it->second;
}

int64_t LoadResult::failed() const {
  int64_t total = 0;
  for (const auto& [code, count] : codes) {
    total += count;
  }
  return total - ok() - refused();
}

double LoadResult::ok_per_second() const {
  return measured > absl::ZeroDuration() ? ok() / absl::ToDoubleSeconds(measured) : 0;
}

absl::Duration LoadResult::Quantile(double q) const {
  if (latencies.empty()) {
    return absl::ZeroDuration();
  }
  std::vector<absl::Duration> sorted = latencies;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()));
  std::nth_element(sorted.begin(), sorted.begin() + index, sorted.end());
  return sorted[index];
}

void LoadResult::Merge(const LoadResult& other) {
  measured += other.measured;
  for (const auto& [code, count] : other.codes) {
    codes[code] += count;
  }
  latencies.insert(latencies.end(), other.latencies.begin(), other.latencies.end());
}

std::vector<std::shared_ptr<grpc::Channel>> TlsChannels(const std::string& address,
                                                        const std::string& ca_pem, int count) {
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ca_pem;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    // A subchannel pool of its own: its own connection, not a shared one.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(address, grpc::SslCredentials(tls), args));
  }
  return channels;
}

namespace {

// One call slot: starts a call, and when it completes, records it and starts
// the next, until the run ends. Its calls never overlap, so what it records
// needs no lock.
class Slot {
 public:
  Slot(grpc::GenericStub* stub, const std::string* method, const grpc::ByteBuffer* request,
       const LoadOptions* options, absl::Time measure_from, absl::Time end)
      : stub_(stub),
        method_(method),
        request_(request),
        options_(options),
        measure_from_(measure_from),
        end_(end) {}

  void Start() {
    const absl::Time now = absl::Now();
    if (now >= end_) {
      absl::MutexLock lock(&mu_);
      done_ = true;
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(absl::ToChronoTime(now + options_->deadline));
    if (!options_->bearer_token.empty()) {
      context_->AddMetadata("authorization", "Bearer " + options_->bearer_token);
    }
    response_.Clear();
    started_ = now;
    stub_->UnaryCall(context_.get(), *method_, grpc::StubOptions(), request_, &response_,
                     [this](grpc::Status status) { Completed(status); });
  }

  // Blocks until the slot's last call has completed.
  void Wait() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
  }

  const LoadResult& result() const { return result_; }

 private:
  void Completed(const grpc::Status& status) {
    const absl::Time now = absl::Now();
    if (started_ >= measure_from_ && now <= end_) {
      ++result_.codes[status.error_code()];
      if (status.ok()) {
        result_.latencies.push_back(now - started_);
      }
    }
    Start();
  }

  grpc::GenericStub* const stub_;
  const std::string* const method_;
  const grpc::ByteBuffer* const request_;
  const LoadOptions* const options_;
  const absl::Time measure_from_;
  const absl::Time end_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer response_;
  absl::Time started_;
  LoadResult result_;
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

LoadResult DriveUnary(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                      const std::string& method, const google::protobuf::Message& request,
                      const LoadOptions& options) {
  std::string bytes;
  request.SerializeToString(&bytes);
  grpc::Slice slice(bytes);
  const grpc::ByteBuffer buffer(&slice, 1);
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (const auto& channel : channels) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  }
  const absl::Time measure_from = absl::Now() + options.warmup;
  const absl::Time end = measure_from + options.duration;
  std::vector<std::unique_ptr<Slot>> slots;
  for (auto& stub : stubs) {
    for (int i = 0; i < options.calls_per_channel; ++i) {
      slots.push_back(
          std::make_unique<Slot>(stub.get(), &method, &buffer, &options, measure_from, end));
    }
  }
  for (auto& slot : slots) {
    slot->Start();
  }
  LoadResult total;
  for (auto& slot : slots) {
    slot->Wait();
    total.Merge(slot->result());
  }
  total.measured = options.duration;
  return total;
}

}  // namespace osan::bench
