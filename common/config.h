// Service configuration from command-line flags and environment variables.
//
// Every flag --name may also be set as the environment variable OSAN_NAME
// (upper case); a flag given on the command line wins over the environment.
#ifndef OSAN_COMMON_CONFIG_H_
#define OSAN_COMMON_CONFIG_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/server.h"
#include "common/tls.h"

namespace osan {

struct ServiceConfig {
  server::ServerOptions server;
  // host:port serving Prometheus metrics (common/metrics.h); empty: none.
  std::string metrics_address;
  std::string database_url;
  // Database connections, and so worker threads (blocking database work runs
  // on them).
  int db_pool_size = 8;
  // Calls queued for a worker before new ones get RESOURCE_EXHAUSTED.
  int max_queued_calls = 256;
  // The keys that verify bearer tokens, each with what it may sign.
  auth::KeyRing token_keys;
  // File of revoked tokens, by institution and issue time or by token id
  // (see auth::Revocations), reread when it changes; empty: none.
  std::string token_revocations_file;
  // Clock skew and longest lifetimes of the tokens accepted.
  auth::TokenOptions token_options;
  // How often open streams verify their caller's token again, and how many
  // one institution may have open (see server::Dispatcher::Options).
  absl::Duration stream_recheck_period = absl::Seconds(30);
  int max_streams_per_institution = 8;
  // HMAC secret of page tokens (see common/paging.h).
  std::string page_token_secret;
  absl::Duration shutdown_grace = absl::Seconds(10);
  // Threads running calls. Calls waiting for a coalesced seat batch hold a
  // thread but no connection, so this may exceed db_pool_size.
  int worker_threads = 16;
  // Per-institution call rate and burst; 0 disables. The longest any call
  // may run.
  double rate_limit_per_second = 200;
  double rate_limit_burst = 400;
  // Per-address rate and burst of calls needing no token (answered from
  // memory or a short cache); 0 disables: by default a public caller gets
  // what the transport serves (see docs/performance.md).
  double public_rate_limit_per_second = 0;
  double public_rate_limit_burst = 1000;
  // Per-address rate and burst of calls refused as UNAUTHENTICATED (missing,
  // forged, expired or revoked tokens); beyond them such calls get
  // RESOURCE_EXHAUSTED with a retry hint. 0 disables.
  double failed_auth_rate_per_second = 1;
  double failed_auth_burst = 30;
  absl::Duration max_call_duration = absl::Seconds(30);
  // Other services of the suite, for services that call them.
  std::string catalog_address = "127.0.0.1:50051";
  std::string enrollment_address = "127.0.0.1:50052";
  // How long audit records are kept (PIPA asks at least one year).
  absl::Duration audit_retention = absl::Hours(24 * 730);
  // Serve without TLS: only with this set, and only on loopback.
  bool plaintext = false;
  // How this service calls others: TLS against this CA (with its own
  // certificate as client certificate for mTLS) when set.
  ClientTls peer_tls;
  // PEM of the Ed25519 key this service signs its own SERVICE tokens with,
  // for calls to other services; empty if it makes none.
  std::string service_signing_key_pem;
  // What time it is for the server's decisions (server::Dispatcher::Options);
  // tests may give a clock of their own.
  std::function<absl::Time()> clock = absl::Now;
};

// Parses argv and the environment. `default_port` is the service's default
// listening port on 127.0.0.1. Errors name the flag and what is wrong with it.
absl::StatusOr<ServiceConfig> LoadServiceConfig(int argc, char** argv, int default_port);

// For a process of the suite that serves no gRPC but calls the services
// (the listing page): the same flags and environment, reading only --listen
// (default `default_listen`), --metrics_listen, --tls_cert and --tls_key
// (its client certificate), --tls_ca, --catalog_address,
// --enrollment_address, --service_signing_key and --log_level.
absl::StatusOr<ServiceConfig> LoadClientConfig(int argc, char** argv,
                                               const std::string& default_listen);

}  // namespace osan

#endif  // OSAN_COMMON_CONFIG_H_
