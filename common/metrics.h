// Prometheus metrics of one service process, served in Prometheus' text
// format on an address of their own (prometheus-cpp's exposer, from Debian):
//
//   osan_rpc_calls_total{method, code}             calls answered
//   osan_rpc_duration_seconds{method}              their latency (histogram)
//   osan_rate_limit_refusals_total{limit}          calls refused by a limit
//   osan_http_requests_total{route, code}          HTTP requests (the listing page)
//   osan_http_request_duration_seconds{route}      their latency (histogram)
//   plus gauges and counters read at each scrape (Sample): the worker queue,
//   the database pool and its errors, the feeds (common/service_runtime.cc)
//   and a service's own (ServiceParts::sample_metrics).
//
// Every series carries the label service="<name>". Recording a call costs a
// reader lock and two atomic updates; the families are created on first use
// of a method.
#ifndef OSAN_COMMON_METRICS_H_
#define OSAN_COMMON_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace osan {

class Metrics {
 public:
  // Serves /metrics on `address` (host:port; port 0 picks a free one).
  static absl::StatusOr<std::unique_ptr<Metrics>> Serve(const std::string& address,
                                                        const std::string& service);
  ~Metrics();

  int port() const { return port_; }

  // A call of `method` ("CatalogService.GetTerm") answered with `code` after
  // `latency`.
  void Call(const char* method, absl::StatusCode code, absl::Duration latency);
  // A call refused by `limit` ("institution", "public_address",
  // "failed_authentication", "worker_queue").
  void Refused(const char* limit);
  // An HTTP request for `route` ("/sections/{id}") answered with `status`
  // after `latency`.
  void HttpRequest(const char* route, int status, absl::Duration latency);

  enum class Kind { kGauge, kCounter };
  // A series `name` read by `read` at every scrape (a counter kept
  // elsewhere, or a gauge). `read` must stay callable while this serves.
  void Sample(std::string name, std::string help, Kind kind, std::function<double()> read);

 private:
  class Sampled;
  struct MethodSeries {
    prometheus::Histogram* latency;
    // By absl::StatusCode, 0..16.
    std::vector<prometheus::Counter*> calls;
  };

  Metrics() = default;
  MethodSeries& SeriesOf(const char* method);

  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<Sampled> sampled_;
  prometheus::Family<prometheus::Counter>* calls_ = nullptr;
  prometheus::Family<prometheus::Histogram>* latency_ = nullptr;
  prometheus::Family<prometheus::Counter>* refusals_ = nullptr;
  // Created on the first HTTP request; guarded by mu_ until then.
  prometheus::Family<prometheus::Counter>* http_requests_ = nullptr;
  prometheus::Family<prometheus::Histogram>* http_latency_ = nullptr;
  absl::Mutex mu_;
  // Keyed by the method's name (a string literal of the adapter).
  absl::flat_hash_map<const char*, MethodSeries> methods_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<const char*, prometheus::Counter*> refused_ ABSL_GUARDED_BY(mu_);
  // Keyed by route and status.
  absl::flat_hash_map<std::pair<const char*, int>, prometheus::Counter*> http_calls_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<const char*, prometheus::Histogram*> http_latencies_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace osan

#endif  // OSAN_COMMON_METRICS_H_
