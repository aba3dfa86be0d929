#include "common/metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"

namespace osan {

// The series read at scrape time.
class Metrics::Sampled : public prometheus::Collectable {
 public:
  explicit Sampled(std::string service) : service_(std::move(service)) {}

  void Add(std::string name, std::string help, Kind kind, std::function<double()> read) {
    absl::MutexLock lock(&mu_);
    series_.push_back({std::move(name), std::move(help), kind, std::move(read)});
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> families;
    for (const Series& series : series_) {
      prometheus::MetricFamily family;
      family.name = series.name;
      family.help = series.help;
      prometheus::ClientMetric metric;
      metric.label.push_back({"service", service_});
      if (series.kind == Kind::kCounter) {
        family.type = prometheus::MetricType::Counter;
        metric.counter.value = series.read();
      } else {
        family.type = prometheus::MetricType::Gauge;
        metric.gauge.value = series.read();
      }
      family.metric.push_back(std::move(metric));
      families.push_back(std::move(family));
    }
    return families;
  }

 private:
  struct Series {
    std::string name;
    std::string help;
    Kind kind;
    std::function<double()> read;
  };
  const std::string service_;
  mutable absl::Mutex mu_;
  std::vector<Series> series_ ABSL_GUARDED_BY(mu_);
};

namespace {

// Latency histograms' buckets, in seconds: from half a millisecond to the
// longest call.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return kBuckets;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Serve(const std::string& address,
                                                        const std::string& service) {
  std::unique_ptr<Metrics> metrics(new Metrics());
  metrics->service_ = service;
  metrics->registry_ = std::make_shared<prometheus::Registry>();
  metrics->sampled_ = std::make_shared<Sampled>(service);
  const prometheus::Labels labels = {{"service", service}};
  metrics->calls_ = &prometheus::BuildCounter()
                         .Name("osan_rpc_calls_total")
                         .Help("Calls answered, by method and gRPC status code.")
                         .Labels(labels)
                         .Register(*metrics->registry_);
  metrics->latency_ = &prometheus::BuildHistogram()
                           .Name("osan_rpc_duration_seconds")
                           .Help("Time from receiving a call to answering it, by method.")
                           .Labels(labels)
                           .Register(*metrics->registry_);
  metrics->refusals_ = &prometheus::BuildCounter()
                            .Name("osan_rate_limit_refusals_total")
                            .Help(
                                "Calls refused with RESOURCE_EXHAUSTED, by the limit that "
                                "refused them.")
                            .Labels(labels)
                            .Register(*metrics->registry_);
  try {
    metrics->exposer_ = std::make_unique<prometheus::Exposer>(address, 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
  metrics->exposer_->RegisterCollectable(metrics->registry_);
  metrics->exposer_->RegisterCollectable(metrics->sampled_);
  const std::vector<int> ports = metrics->exposer_->GetListeningPorts();
  metrics->port_ = ports.empty() ? 0 : ports.front();
  return metrics;
}

Metrics::~Metrics() {
  // Stop serving before the series go.
  exposer_.reset();
}

Metrics::MethodSeries& Metrics::SeriesOf(const char* method) {
  {
    absl::ReaderMutexLock lock(&mu_);
    const auto found = methods_.find(method);
    if (found != methods_.end()) {
      return found->second;
    }
  }
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = methods_.try_emplace(method);
  if (inserted) {
    it->second.latency = &latency_->Add({{"method", method}}, LatencyBuckets());
    for (int code = 0; code <= static_cast<int>(absl::StatusCode::kUnauthenticated); ++code) {
      it->second.calls.push_back(
          &calls_->Add({{"method", method},
                        {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))}}));
    }
  }
  return it->second;
}

void Metrics::Call(const char* method, absl::StatusCode code, absl::Duration latency) {
  MethodSeries& series = SeriesOf(method);
  const size_t index = static_cast<size_t>(code);
  if (index < series.calls.size()) {
    series.calls[index]->Increment();
  }
  series.latency->Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::Refused(const char* limit) {
  prometheus::Counter* counter = nullptr;
  {
    absl::ReaderMutexLock lock(&mu_);
    const auto found = refused_.find(limit);
    if (found != refused_.end()) {
      counter = found->second;
    }
  }
  if (counter == nullptr) {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = refused_.try_emplace(limit, nullptr);
    if (inserted) {
      it->second = &refusals_->Add({{"limit", limit}});
    }
    counter = it->second;
  }
  counter->Increment();
}

void Metrics::HttpRequest(const char* route, int status, absl::Duration latency) {
  prometheus::Counter* counter = nullptr;
  prometheus::Histogram* histogram = nullptr;
  {
    absl::ReaderMutexLock lock(&mu_);
    const auto calls = http_calls_.find(std::make_pair(route, status));
    const auto latencies = http_latencies_.find(route);
    if (calls != http_calls_.end() && latencies != http_latencies_.end()) {
      counter = calls->second;
      histogram = latencies->second;
    }
  }
  if (counter == nullptr) {
    absl::MutexLock lock(&mu_);
    if (http_requests_ == nullptr) {
      const prometheus::Labels labels = {{"service", service_}};
      http_requests_ = &prometheus::BuildCounter()
                            .Name("osan_http_requests_total")
                            .Help("HTTP requests answered, by route and status code.")
                            .Labels(labels)
                            .Register(*registry_);
      http_latency_ = &prometheus::BuildHistogram()
                           .Name("osan_http_request_duration_seconds")
                           .Help("Time from reading a request to having its answer, by route.")
                           .Labels(labels)
                           .Register(*registry_);
    }
    prometheus::Counter*& calls = http_calls_[std::make_pair(route, status)];
    if (calls == nullptr) {
      calls = &http_requests_->Add({{"route", route}, {"code", std::to_string(status)}});
    }
    prometheus::Histogram*& latencies = http_latencies_[route];
    if (latencies == nullptr) {
      latencies = &http_latency_->Add({{"route", route}}, LatencyBuckets());
    }
    counter = calls;
    histogram = latencies;
  }
  counter->Increment();
  histogram->Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::Sample(std::string name, std::string help, Kind kind, std::function<double()> read) {
  sampled_->Add(std::move(name), std::move(help), kind, std::move(read));
}

}  // namespace osan
