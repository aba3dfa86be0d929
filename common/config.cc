#include "common/config.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>

#include "absl/base/call_once.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/log.h"
#include "common/status.h"

ABSL_FLAG(std::string, listen, "", "host:port to serve on (default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port serving Prometheus metrics at /metrics (default: none)");
ABSL_FLAG(std::string, database_url, "", "PostgreSQL URI of the service's own database");
ABSL_FLAG(int, db_pool_size, 8, "database connections and worker threads, 1..256");
ABSL_FLAG(int, max_queued_calls, 256, "calls waiting for a worker before RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, token_public_key, "",
          "PEM file(s) of the Ed25519 token verification keys, comma-separated (old,new during "
          "a key rotation); they sign institutions' tokens, never SERVICE ones");
ABSL_FLAG(std::string, service_token_keys, "",
          "the public keys of the suite's services, comma-separated NAME=FILE pairs "
          "(SVC-ENROLLMENT=enrollment-verify.pem); each verifies only its own SERVICE tokens");
ABSL_FLAG(std::string, token_revocations, "",
          "file of revoked tokens: lines 'INSTITUTION_CODE UNIX_SECONDS' (the institution's "
          "tokens issued before) or 'jti TOKEN_ID' (one token)");
ABSL_FLAG(int, token_clock_skew_seconds, 60,
          "tolerated difference between the token issuer's clock and this service's");
ABSL_FLAG(int, token_max_lifetime_hours, 24,
          "longest lifetime (exp - iat) of an accepted token; SERVICE tokens: 5 minutes");
ABSL_FLAG(int, stream_recheck_seconds, 30,
          "how often an open stream verifies its caller's token again (1..30)");
ABSL_FLAG(int, max_streams_per_institution, 8,
          "streams one institution may have open at once; 0: no limit");
ABSL_FLAG(std::string, page_token_secret_file, "",
          "file holding the page-token HMAC secret (default: random per process)");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain: serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "", "PEM CA bundle: require client certificates (mTLS)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA bundle other services' certificates chain to (calls to them use TLS)");
ABSL_FLAG(bool, plaintext, false, "serve without TLS (only on a loopback address)");
ABSL_FLAG(int, shutdown_grace_seconds, 10, "how long calls in flight may finish on SIGTERM");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");
ABSL_FLAG(int, worker_threads, 16, "threads running calls (at least --db_pool_size)");
ABSL_FLAG(double, rate_limit_per_second, 200,
          "calls a second each institution (or unauthenticated peer) may make; 0: no limit");
ABSL_FLAG(double, rate_limit_burst, 400, "calls each institution may make at once");
ABSL_FLAG(double, public_rate_limit_per_second, 0,
          "calls a second each address may make to methods needing no token (the public "
          "listing, public seat counts); 0: no limit beyond what the transport serves");
ABSL_FLAG(double, public_rate_limit_burst, 1000, "public calls each address may make at once");
ABSL_FLAG(double, failed_auth_rate_per_second, 1,
          "calls with a missing or invalid token each address may make a second, on average; "
          "beyond them: RESOURCE_EXHAUSTED with a retry hint; 0: no limit");
ABSL_FLAG(double, failed_auth_burst, 30,
          "calls with a missing or invalid token each address may make at once");
ABSL_FLAG(int, max_call_seconds, 30, "the longest any call may run, whatever its deadline");
ABSL_FLAG(int, audit_retention_days, 730, "days audit records are kept (at least 365)");
ABSL_FLAG(std::string, catalog_address, "127.0.0.1:50051", "the catalog service, for its callers");
ABSL_FLAG(std::string, enrollment_address, "127.0.0.1:50052",
          "the enrollment service, for its callers");
ABSL_FLAG(std::string, service_signing_key, "",
          "PEM file of the Ed25519 key signing this service's own tokens to other services");

namespace osan {
namespace {

constexpr const char* kFlagNames[] = {"listen",
                                      "metrics_listen",
                                      "database_url",
                                      "db_pool_size",
                                      "max_queued_calls",
                                      "token_public_key",
                                      "service_token_keys",
                                      "token_clock_skew_seconds",
                                      "token_max_lifetime_hours",
                                      "stream_recheck_seconds",
                                      "max_streams_per_institution",
                                      "page_token_secret_file",
                                      "tls_cert",
                                      "tls_key",
                                      "tls_client_ca",
                                      "tls_ca",
                                      "plaintext",
                                      "shutdown_grace_seconds",
                                      "log_level",
                                      "worker_threads",
                                      "rate_limit_per_second",
                                      "rate_limit_burst",
                                      "failed_auth_rate_per_second",
                                      "failed_auth_burst",
                                      "public_rate_limit_per_second",
                                      "public_rate_limit_burst",
                                      "max_call_seconds",
                                      "token_revocations",
                                      "audit_retention_days",
                                      "catalog_address",
                                      "enrollment_address",
                                      "service_signing_key"};

absl::Status ApplyEnvironment() {
  for (const char* name : kFlagNames) {
    const std::string variable = absl::AsciiStrToUpper(absl::StrCat("OSAN_", name));
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) {
      continue;
    }
    std::string error;
    if (!absl::FindCommandLineFlag(name)->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(variable, ": ", error));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& flag, const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot read ", path));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", path, " is readable by others; chmod 600 it"));
  }
  return server::ReadFile(path);
}

// How this process calls the other services: their addresses, TLS (with
// its own certificate, when it has one, as client certificate) and the key
// of its own SERVICE tokens.
absl::Status LoadPeers(ServiceConfig& config) {
  if (!config.server.tls_key_file.empty()) {
    OSAN_ASSIGN_OR_RETURN(config.peer_tls.key_pem,
                          ReadSecretFile("tls_key", config.server.tls_key_file));
    OSAN_ASSIGN_OR_RETURN(config.peer_tls.cert_pem, server::ReadFile(config.server.tls_cert_file));
  }
  if (const std::string ca = absl::GetFlag(FLAGS_tls_ca); !ca.empty()) {
    auto pem = server::ReadFile(ca);
    if (!pem.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--tls_ca: ", pem.status().message()));
    }
    config.peer_tls.ca_pem = *std::move(pem);
  }
  config.catalog_address = absl::GetFlag(FLAGS_catalog_address);
  config.enrollment_address = absl::GetFlag(FLAGS_enrollment_address);
  if (const std::string file = absl::GetFlag(FLAGS_service_signing_key); !file.empty()) {
    OSAN_ASSIGN_OR_RETURN(config.service_signing_key_pem,
                          ReadSecretFile("service_signing_key", file));
  }

  return absl::OkStatus();
}

// The key ring (auth::KeyRing) from --token_public_key and
// --service_token_keys.
absl::Status LoadTokenKeys(ServiceConfig& config) {
  const std::string issuer_files = absl::GetFlag(FLAGS_token_public_key);
  if (issuer_files.empty()) {
    return absl::InvalidArgumentError(
        "--token_public_key (or OSAN_TOKEN_PUBLIC_KEY) is required: the PEM file of the "
        "Ed25519 key that verifies bearer tokens");
  }
  for (absl::string_view file : absl::StrSplit(issuer_files, ',', absl::SkipWhitespace())) {
    auto key = server::ReadFile(std::string(absl::StripAsciiWhitespace(file)));
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_public_key: ", key.status().message()));
    }
    config.token_keys.issuer_pems.push_back(*std::move(key));
  }
  for (absl::string_view entry :
       absl::StrSplit(absl::GetFlag(FLAGS_service_token_keys), ',', absl::SkipWhitespace())) {
    const std::pair<absl::string_view, absl::string_view> name_file =
        absl::StrSplit(absl::StripAsciiWhitespace(entry), absl::MaxSplits('=', 1));
    if (name_file.first.empty() || name_file.second.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--service_token_keys: \"", entry, "\" is not NAME=FILE (SVC-ENROLLMENT=key.pem)"));
    }
    auto key = server::ReadFile(std::string(name_file.second));
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--service_token_keys: ", key.status().message()));
    }
    config.token_keys.service_pems.emplace_back(std::string(name_file.first), *std::move(key));
  }
  return absl::OkStatus();
}

// Which tokens are accepted and how streams hold them (docs/security.md).
absl::Status LoadTokenPolicy(ServiceConfig& config) {
  const int skew = absl::GetFlag(FLAGS_token_clock_skew_seconds);
  if (skew < 0 || skew > 300) {
    return absl::InvalidArgumentError("--token_clock_skew_seconds must be between 0 and 300");
  }
  config.token_options.clock_skew = absl::Seconds(skew);
  const int max_hours = absl::GetFlag(FLAGS_token_max_lifetime_hours);
  if (max_hours < 1 || max_hours > 24 * 7) {
    return absl::InvalidArgumentError("--token_max_lifetime_hours must be between 1 and 168");
  }
  config.token_options.max_lifetime = absl::Hours(max_hours);
  const int recheck = absl::GetFlag(FLAGS_stream_recheck_seconds);
  if (recheck < 1 || recheck > 30) {
    return absl::InvalidArgumentError("--stream_recheck_seconds must be between 1 and 30");
  }
  config.stream_recheck_period = absl::Seconds(recheck);
  config.max_streams_per_institution = absl::GetFlag(FLAGS_max_streams_per_institution);
  if (config.max_streams_per_institution < 0) {
    return absl::InvalidArgumentError("--max_streams_per_institution must not be negative");
  }
  return absl::OkStatus();
}

absl::Status ApplyLogLevel() {
  const std::string level = absl::GetFlag(FLAGS_log_level);
  if (level == "debug") {
    log::SetMinLevel(log::Level::kDebug);
  } else if (level == "info") {
    log::SetMinLevel(log::Level::kInfo);
  } else if (level == "warning") {
    log::SetMinLevel(log::Level::kWarning);
  } else if (level == "error") {
    log::SetMinLevel(log::Level::kError);
  } else {
    return absl::InvalidArgumentError("--log_level must be debug, info, warning or error");
  }
  return absl::OkStatus();
}

// `message` heads --help, which lists the flags of the suite's own files
// (not those of its libraries). Once per process (absl refuses a second
// message), whichever loader runs first.
void SetUsage(const char* message) {
  static absl::once_flag once;
  absl::call_once(once, [message] {
    absl::SetProgramUsageMessage(message);
    absl::FlagsUsageConfig usage;
    usage.contains_help_flags = [](absl::string_view file) {
      return absl::StrContains(file, "common/") || absl::StrContains(file, "services/");
    };
    usage.contains_helpshort_flags = usage.contains_help_flags;
    absl::SetFlagsUsageConfig(usage);
  });
}

// --database_url, --db_pool_size and the worker queue.
absl::Status LoadDatabase(ServiceConfig& config) {
  config.database_url = absl::GetFlag(FLAGS_database_url);
  if (config.database_url.empty()) {
    return absl::InvalidArgumentError(
        "--database_url (or OSAN_DATABASE_URL) is required, e.g. "
        "postgresql://postgres@127.0.0.1:5432/osan_catalog");
  }
  config.db_pool_size = absl::GetFlag(FLAGS_db_pool_size);
  if (config.db_pool_size < 1 || config.db_pool_size > 256) {
    return absl::InvalidArgumentError("--db_pool_size must be between 1 and 256");
  }
  config.max_queued_calls = absl::GetFlag(FLAGS_max_queued_calls);
  if (config.max_queued_calls < 1) {
    return absl::InvalidArgumentError("--max_queued_calls must be at least 1");
  }
  config.worker_threads = std::max(absl::GetFlag(FLAGS_worker_threads), config.db_pool_size);
  return absl::OkStatus();
}

// --token_revocations (checked now, read again by the server) and the page
// tokens' secret (random when no file names one).
absl::Status LoadSecrets(ServiceConfig& config) {
  config.token_revocations_file = absl::GetFlag(FLAGS_token_revocations);
  if (!config.token_revocations_file.empty()) {
    OSAN_ASSIGN_OR_RETURN(const std::string text, server::ReadFile(config.token_revocations_file));
    const auto parsed = auth::Revocations::Parse(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_revocations: ", parsed.status().message()));
    }
  }
  const std::string secret_file = absl::GetFlag(FLAGS_page_token_secret_file);
  if (secret_file.empty()) {
    config.page_token_secret.resize(32);
    RAND_bytes(reinterpret_cast<unsigned char*>(config.page_token_secret.data()), 32);
    return absl::OkStatus();
  }
  OSAN_ASSIGN_OR_RETURN(config.page_token_secret,
                        ReadSecretFile("page_token_secret_file", secret_file));
  if (config.page_token_secret.size() < 16) {
    return absl::InvalidArgumentError("--page_token_secret_file: needs at least 16 bytes");
  }
  return absl::OkStatus();
}

// Where and how the service listens: TLS, or plaintext on loopback only.
absl::Status LoadListening(ServiceConfig& config, int default_port) {
  config.server.listen_address = absl::GetFlag(FLAGS_listen);
  if (config.server.listen_address.empty()) {
    config.server.listen_address = absl::StrCat("127.0.0.1:", default_port);
  }
  config.metrics_address = absl::GetFlag(FLAGS_metrics_listen);
  config.server.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  config.server.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  config.server.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  if (config.server.tls_cert_file.empty() != config.server.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (!config.server.tls_client_ca_file.empty() && config.server.tls_cert_file.empty()) {
    return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
  }
  config.plaintext = absl::GetFlag(FLAGS_plaintext);
  if (config.server.tls_cert_file.empty() && !config.plaintext) {
    return absl::InvalidArgumentError(
        "serve TLS (--tls_cert and --tls_key), or pass --plaintext to serve without it on a "
        "loopback address");
  }
  if (config.plaintext && !config.server.tls_cert_file.empty()) {
    return absl::InvalidArgumentError("--plaintext contradicts --tls_cert");
  }
  if (config.plaintext && !IsLoopback(config.server.listen_address)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plaintext serves only on loopback, not ", config.server.listen_address));
  }
  const int grace = absl::GetFlag(FLAGS_shutdown_grace_seconds);
  if (grace < 0) {
    return absl::InvalidArgumentError("--shutdown_grace_seconds must not be negative");
  }
  config.shutdown_grace = absl::Seconds(grace);
  return absl::OkStatus();
}

// A rate of `per_second` needs a burst of at least one call (`burst_flag`
// names it in the error).
absl::Status CheckRate(double per_second, double burst, absl::string_view burst_flag) {
  if (per_second > 0 && burst < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--", burst_flag, " must be at least 1"));
  }
  return absl::OkStatus();
}

// The rate limits, the longest call and how long the audit trail is kept.
absl::Status LoadLimits(ServiceConfig& config) {
  config.rate_limit_per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  config.rate_limit_burst = absl::GetFlag(FLAGS_rate_limit_burst);
  OSAN_RETURN_IF_ERROR(
      CheckRate(config.rate_limit_per_second, config.rate_limit_burst, "rate_limit_burst"));
  config.public_rate_limit_per_second = absl::GetFlag(FLAGS_public_rate_limit_per_second);
  config.public_rate_limit_burst = absl::GetFlag(FLAGS_public_rate_limit_burst);
  OSAN_RETURN_IF_ERROR(CheckRate(config.public_rate_limit_per_second,
                                 config.public_rate_limit_burst, "public_rate_limit_burst"));
  config.failed_auth_rate_per_second = absl::GetFlag(FLAGS_failed_auth_rate_per_second);
  config.failed_auth_burst = absl::GetFlag(FLAGS_failed_auth_burst);
  OSAN_RETURN_IF_ERROR(
      CheckRate(config.failed_auth_rate_per_second, config.failed_auth_burst, "failed_auth_burst"));
  const int max_call_seconds = absl::GetFlag(FLAGS_max_call_seconds);
  if (max_call_seconds < 1) {
    return absl::InvalidArgumentError("--max_call_seconds must be at least 1");
  }
  config.max_call_duration = absl::Seconds(max_call_seconds);
  const int retention_days = absl::GetFlag(FLAGS_audit_retention_days);
  if (retention_days < 365) {
    return absl::InvalidArgumentError(
        "--audit_retention_days must be at least 365 (PIPA keeps access records a year)");
  }
  config.audit_retention = absl::Hours(24 * retention_days);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServiceConfig> LoadServiceConfig(int argc, char** argv, int default_port) {
  SetUsage("Serves one Osan credit exchange service. Flags also read OSAN_<FLAG>.");
  OSAN_RETURN_IF_ERROR(ApplyEnvironment());
  absl::ParseCommandLine(argc, argv);

  ServiceConfig config;
  OSAN_RETURN_IF_ERROR(LoadDatabase(config));
  OSAN_RETURN_IF_ERROR(LoadTokenKeys(config));
  OSAN_RETURN_IF_ERROR(LoadTokenPolicy(config));
  OSAN_RETURN_IF_ERROR(LoadSecrets(config));
  OSAN_RETURN_IF_ERROR(LoadListening(config, default_port));
  OSAN_RETURN_IF_ERROR(LoadPeers(config));
  OSAN_RETURN_IF_ERROR(LoadLimits(config));
  OSAN_RETURN_IF_ERROR(ApplyLogLevel());
  return config;
}

absl::StatusOr<ServiceConfig> LoadClientConfig(int argc, char** argv,
                                               const std::string& default_listen) {
  SetUsage(
      "Serves the public listing page of the Osan credit exchange. Flags also read "
      "OSAN_<FLAG>.");
  OSAN_RETURN_IF_ERROR(ApplyEnvironment());
  absl::ParseCommandLine(argc, argv);
  ServiceConfig config;
  config.server.listen_address = absl::GetFlag(FLAGS_listen);
  if (config.server.listen_address.empty()) {
    config.server.listen_address = default_listen;
  }
  config.server.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  config.server.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  if (config.server.tls_cert_file.empty() != config.server.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  config.metrics_address = absl::GetFlag(FLAGS_metrics_listen);
  OSAN_RETURN_IF_ERROR(LoadPeers(config));
  OSAN_RETURN_IF_ERROR(ApplyLogLevel());
  return config;
}

}  // namespace osan
