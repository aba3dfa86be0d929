#include "common/service_runtime.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status.h"

namespace osan {

absl::StatusOr<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Start(
    const ServiceDefinition& definition, const ServiceConfig& config) {
  std::unique_ptr<ServiceRuntime> runtime(new ServiceRuntime());
  runtime->grace_ = config.shutdown_grace;
  OSAN_ASSIGN_OR_RETURN(auto verifier,
                        auth::TokenVerifier::Create(config.token_keys, config.token_options));
  runtime->verifier_ = std::make_unique<auth::TokenVerifier>(std::move(verifier));
  if (!config.token_revocations_file.empty()) {
    runtime->WatchRevocations(config.token_revocations_file);
  }

  OSAN_ASSIGN_OR_RETURN(const int applied,
                        db::ApplyMigrations(config.database_url, *definition.migrations));
  log::Info("database ready",
            {{"service", definition.name}, {"migrations_applied", absl::StrCat(applied)}});

  db::PoolOptions pool_options;
  pool_options.url = config.database_url;
  pool_options.size = config.db_pool_size;
  pool_options.statements = *definition.statements;
  OSAN_ASSIGN_OR_RETURN(runtime->pool_, db::Pool::Open(std::move(pool_options)));
  if (definition.audits_student_data) {
    // Before anything else uses the pool: the log observes its commits.
    runtime->audit_log_ =
        std::make_unique<audit::AuditLog>(runtime->pool_.get(), config.audit_retention);
  }

  runtime->workers_ = std::make_unique<server::WorkerPool>(
      std::max(config.worker_threads, config.db_pool_size), config.max_queued_calls);
  server::Dispatcher::Options dispatch;
  dispatch.rate_per_second = config.rate_limit_per_second;
  dispatch.rate_burst = config.rate_limit_burst;
  dispatch.public_rate_per_second = config.public_rate_limit_per_second;
  dispatch.public_rate_burst = config.public_rate_limit_burst;
  dispatch.failed_auth_rate_per_second = config.failed_auth_rate_per_second;
  dispatch.failed_auth_burst = config.failed_auth_burst;
  dispatch.max_call_duration = config.max_call_duration;
  dispatch.stream_recheck_period = config.stream_recheck_period;
  dispatch.max_streams_per_institution = config.max_streams_per_institution;
  dispatch.clock = config.clock;
  runtime->dispatcher_ = std::make_unique<server::Dispatcher>(runtime->workers_.get(),
                                                              runtime->verifier_.get(), dispatch);
  if (!config.metrics_address.empty()) {
    OSAN_ASSIGN_OR_RETURN(runtime->metrics_,
                          Metrics::Serve(config.metrics_address, definition.name));
    runtime->SampleFoundation();
    runtime->dispatcher_->SetMetrics(runtime->metrics_.get());
  }
  OSAN_ASSIGN_OR_RETURN(
      runtime->parts_,
      definition.make_parts(config, runtime->pool_.get(), runtime->dispatcher_.get(),
                            PageTokens(config.page_token_secret)));
  if (runtime->metrics_ != nullptr && runtime->parts_.sample_metrics) {
    runtime->parts_.sample_metrics(*runtime->metrics_);
  }
  if (definition.audits_student_data) {
    runtime->audit_queries_ = std::make_unique<audit::AuditQueries>(
        runtime->audit_log_.get(), PageTokens(config.page_token_secret));
    runtime->dispatcher_->SetAuditLog(runtime->audit_log_.get());
    runtime->parts_.services.push_back(std::make_unique<audit::AuditService>(
        runtime->audit_queries_.get(), runtime->dispatcher_.get()));
    runtime->parts_.names.push_back(audit::v1::AuditService::service_full_name());
    audit::AuditLog* log = runtime->audit_log_.get();
    runtime->Every(absl::Seconds(1), [log] {
      if (const auto sealed = log->Seal(); !sealed.ok()) {
        log::Error("audit sealing failed", {{"error", std::string(sealed.status().message())}});
      }
    });
  }
  std::vector<grpc::Service*> services;
  for (const auto& service : runtime->parts_.services) {
    services.push_back(service.get());
  }
  OSAN_ASSIGN_OR_RETURN(runtime->server_,
                        server::Server::Start(config.server, services, runtime->parts_.names));
  runtime->WatchDatabase(config.database_url);
  return runtime;
}

namespace {

// The revocation file's modification time, or nullopt if it cannot be read.
std::optional<int64_t> ModificationTime(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return std::nullopt;
  }
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

}  // namespace

void ServiceRuntime::SampleFoundation() {
  server::WorkerPool* workers = workers_.get();
  db::Pool* pool = pool_.get();
  const auto stat = [pool](auto field) {
    return [pool, field] { return static_cast<double>(pool->stats().*field); };
  };
  using Kind = Metrics::Kind;
  using Stats = db::Pool::Stats;
  metrics_->Sample("osan_worker_queue_depth", "Calls waiting for a worker thread.", Kind::kGauge,
                   [workers] { return static_cast<double>(workers->queued()); });
  metrics_->Sample("osan_db_pool_size", "The most database connections the pool opens.",
                   Kind::kGauge, [pool] { return static_cast<double>(pool->size()); });
  metrics_->Sample("osan_db_pool_open_connections", "Database connections open now.", Kind::kGauge,
                   stat(&Stats::open));
  metrics_->Sample("osan_db_pool_idle_connections", "Open database connections not in use.",
                   Kind::kGauge, stat(&Stats::idle));
  metrics_->Sample("osan_db_broken_connections_total",
                   "Database connections found broken or closed by the server, and replaced.",
                   Kind::kCounter, stat(&Stats::broken_connections));
  metrics_->Sample("osan_db_conflicts_total",
                   "Transactions retried after a serialization failure or deadlock.",
                   Kind::kCounter, stat(&Stats::conflicts));
  metrics_->Sample("osan_db_pool_exhausted_total",
                   "Calls refused because no database connection came free in time.",
                   Kind::kCounter, stat(&Stats::busy));
  metrics_->Sample("osan_db_errors_total", "Transactions failed by an unexpected database error.",
                   Kind::kCounter, stat(&Stats::errors));
  server::FeedStats* feeds = dispatcher_->feeds();
  metrics_->Sample("osan_feed_streams_open", "Feed streams open now.", Kind::kGauge,
                   [feeds] { return static_cast<double>(feeds->open()); });
  metrics_->Sample("osan_feed_messages_sent_total",
                   "Feed messages sent (events, or batches of them).", Kind::kCounter,
                   [feeds] { return static_cast<double>(feeds->sent()); });
  metrics_->Sample("osan_feed_lag_seconds",
                   "How long the feed stream furthest behind has been reading without catching "
                   "up; 0 when every stream is caught up.",
                   Kind::kGauge,
                   [feeds] { return absl::ToDoubleSeconds(feeds->Lag(absl::Now())); });
  metrics_->Sample("osan_database_up", "1 while the database answers (health: SERVING), else 0.",
                   Kind::kGauge, [this] { return database_up_ ? 1.0 : 0.0; });
}

void ServiceRuntime::Every(absl::Duration period, std::function<void()> step) {
  background_.emplace_back([this, period, step = std::move(step)] {
    do {
      step();
    } while (!stop_background_.WaitForNotificationWithTimeout(period));
  });
}

void ServiceRuntime::WatchRevocations(const std::string& path) {
  auto loaded = std::make_shared<std::optional<int64_t>>();
  Every(absl::Seconds(2), [this, path, loaded] {
    const std::optional<int64_t> modified = ModificationTime(path);
    if (modified == *loaded) {
      return;
    }
    auto text = server::ReadFile(path);
    auto parsed = text.ok() ? auth::Revocations::Parse(*text)
                            : absl::StatusOr<auth::Revocations>(text.status());
    if (parsed.ok()) {
      verifier_->SetRevocations(*std::move(parsed));
      log::Info("token revocations loaded", {{"file", path}});
    } else {
      log::Error("token revocations not reloaded; the previous list stays",
                 {{"file", path}, {"error", std::string(parsed.status().message())}});
    }
    *loaded = modified;
  });
}

namespace {

// `url` (a libpq URI or key=value string) giving up on connecting after
// `seconds`.
std::string WithConnectTimeout(const std::string& url, int seconds) {
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                        "connect_timeout=", seconds);
  }
  return absl::StrCat(url, " connect_timeout=", seconds);
}

}  // namespace

void ServiceRuntime::WatchDatabase(const std::string& url) {
  auto connection = std::make_shared<std::unique_ptr<pqxx::connection>>();
  Every(absl::Seconds(1), [this, url = WithConnectTimeout(url, 2), connection] {
    bool reachable = false;
    std::string error;
    try {
      if (*connection == nullptr) {
        *connection = std::make_unique<pqxx::connection>(url);
      }
      pqxx::nontransaction check(**connection);
      check.exec("SELECT 1");
      reachable = true;
    } catch (const std::exception& e) {
      connection->reset();
      error = e.what();
    }
    if (reachable == database_up_) {
      return;
    }
    database_up_ = reachable;
    server_->SetServing(reachable);
    if (reachable) {
      log::Info("database reachable again: serving");
    } else {
      log::Error("database unreachable: health reports NOT_SERVING", {{"error", error}});
    }
  });
}

void ServiceRuntime::Shutdown() {
  dispatcher_->Drain(absl::Now() + grace_);
  server_->Shutdown(absl::ZeroDuration());
}

void ServiceRuntime::RunUntilSignal() {
  server::WaitForShutdownSignal();
  Shutdown();
}

ServiceRuntime::~ServiceRuntime() {
  if (server_ != nullptr) {
    Shutdown();
  }
  stop_background_.Notify();
  for (std::thread& thread : background_) {
    thread.join();
  }
  // The parts go first, while the audit log and the pool they commit through
  // stand: a part may still be finishing work of its own (an allocation run).
  server_.reset();
  parts_ = ServiceParts();
}

int ServiceMain(int argc, char** argv, const ServiceDefinition& definition) {
  server::BlockShutdownSignals();
  // Abseil's lock-order graph (kept when the library is built without NDEBUG,
  // as Debian's is) costs every lock of every call; the sanitizer builds of
  // the tests check lock order instead.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto config = LoadServiceConfig(argc, argv, definition.default_port);
  if (!config.ok()) {
    std::fprintf(stderr, "%s: %s\n", definition.name.c_str(),
                 std::string(config.status().message()).c_str());
    return 2;
  }
  auto runtime = ServiceRuntime::Start(definition, *config);
  if (!runtime.ok()) {
    std::fprintf(stderr, "%s: cannot start: %s\n", definition.name.c_str(),
                 std::string(runtime.status().message()).c_str());
    return 1;
  }
  log::Info("serving", {{"service", definition.name},
                        {"address", config->server.listen_address},
                        {"port", absl::StrCat((*runtime)->port())},
                        {"tls", config->server.tls_cert_file.empty() ? "off" : "on"}});
  (*runtime)->RunUntilSignal();
  log::Info("stopped", {{"service", definition.name}});
  return 0;
}

}  // namespace osan
