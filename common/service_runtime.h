// Start-up and shutdown of one service process: migrations, connection pool,
// worker pool, gRPC server. main() and the integration tests share it, so the
// tests exercise the same wiring that production runs.
#ifndef OSAN_COMMON_SERVICE_RUNTIME_H_
#define OSAN_COMMON_SERVICE_RUNTIME_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "common/audit_service.h"
#include "common/auth.h"
#include "common/config.h"
#include "common/db.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/paging.h"
#include "common/server.h"

namespace osan {

// What a service contributes: its gRPC services (and whatever they use, kept
// alive in `state`), their full names for health checking, and optionally
// series of its own for its metrics (called once, when metrics are served;
// what they read must live in `state`).
struct ServiceParts {
  std::shared_ptr<void> state;
  std::vector<std::unique_ptr<grpc::Service>> services;
  std::vector<std::string> names;
  std::function<void(Metrics&)> sample_metrics;
};

struct ServiceDefinition {
  std::string name;  // "catalog"
  int default_port = 0;
  const std::vector<db::Migration>* migrations = nullptr;
  const std::vector<db::Statement>* statements = nullptr;
  // Whether the service holds student data: it then keeps the audit trail
  // and serves osan.audit.v1.AuditService.
  bool audits_student_data = false;
  std::function<absl::StatusOr<ServiceParts>(const ServiceConfig& config, db::Pool* pool,
                                             server::Dispatcher* dispatcher,
                                             PageTokens page_tokens)>
      make_parts;
};

class ServiceRuntime {
 public:
  // Applies migrations, opens the pool and starts serving. Errors say which
  // step failed and why.
  static absl::StatusOr<std::unique_ptr<ServiceRuntime>> Start(const ServiceDefinition& definition,
                                                               const ServiceConfig& config);
  ~ServiceRuntime();

  int port() const { return server_->port(); }
  // The port serving /metrics, 0 when none is served.
  int metrics_port() const { return metrics_ == nullptr ? 0 : metrics_->port(); }

  // Graceful: reports NOT_SERVING, refuses new calls with UNAVAILABLE, lets
  // the calls taken finish (for up to the configured grace), then stops.
  // Idempotent.
  void Shutdown();
  // Blocks until SIGINT or SIGTERM, then shuts down.
  void RunUntilSignal();

 private:
  ServiceRuntime() = default;
  void WatchRevocations(const std::string& path);
  // Reports the services NOT_SERVING while their database cannot be reached
  // (asked every second on a connection of its own, so that a busy pool does
  // not count as down) and SERVING again once it can, without a restart.
  void WatchDatabase(const std::string& url);
  // The worker queue's, the database pool's and the feeds' series in
  // metrics_.
  void SampleFoundation();
  // Runs `step` every `period` until the runtime stops.
  void Every(absl::Duration period, std::function<void()> step);
  // Destroyed in reverse: server, parts, dispatcher, workers, pool.
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<server::WorkerPool> workers_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<server::Dispatcher> dispatcher_;
  ServiceParts parts_;
  std::unique_ptr<server::Server> server_;
  absl::Duration grace_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<audit::AuditQueries> audit_queries_;
  // Background work (rereading revocations, sealing the audit chain) until
  // stopped.
  absl::Notification stop_background_;
  std::vector<std::thread> background_;
  std::atomic<bool> database_up_{true};
  // Declared last, so destroyed first: it reads the pool and the workers.
  std::unique_ptr<Metrics> metrics_;
};

// The whole of a service's main(): configuration, start, serve until SIGTERM
// or SIGINT, graceful stop. Returns the process exit code.
int ServiceMain(int argc, char** argv, const ServiceDefinition& definition);

}  // namespace osan

#endif  // OSAN_COMMON_SERVICE_RUNTIME_H_
