#include "tests/support/test_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/tls.h"

namespace osan::testing {
namespace {

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "test environment: %s\n", why.c_str());
  std::abort();
}

// `admin_url` naming `database` instead, its parameters kept (a multi-host URL's
// target_session_attrs, for instance).
std::string UrlWithDatabase(const std::string& admin_url, const std::string& database) {
  const size_t query = admin_url.find('?');
  const size_t slash = admin_url.rfind('/', query);
  return absl::StrCat(admin_url.substr(0, slash + 1), database,
                      query == std::string::npos ? "" : admin_url.substr(query));
}

}  // namespace

std::string TestDatabase::AdminUrl() {
  const char* file = std::getenv("OSAN_TEST_PG_URL_FILE");
  if (file == nullptr) {
    Fail("OSAN_TEST_PG_URL_FILE is not set; run integration tests through ctest");
  }
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    Fail(absl::StrCat("no PostgreSQL URL in ", file, "; did the postgres_start test run?"));
  }
  return url;
}

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  name_ = absl::StrCat("osan_test_", getpid(), "_", counter.fetch_add(1), "_",
                       absl::ToUnixMicros(absl::Now()) % 1000000);
  const std::string admin = AdminUrl();
  try {
    pqxx::connection connection(admin);
    pqxx::nontransaction tx(connection);
    tx.exec0(absl::StrCat("CREATE DATABASE ", name_, " TEMPLATE template0 ENCODING 'UTF8'"));
  } catch (const std::exception& e) {
    Fail(absl::StrCat("cannot create test database: ", e.what()));
  }
  url_ = UrlWithDatabase(admin, name_);
  // Through a multi-host URL (the fault stage's cluster), a standby listed
  // before the leader answers "does not exist" until it has replayed the
  // creation, and libpq then tries no other host: wait until it has.
  for (int attempt = 0;; ++attempt) {
    try {
      pqxx::connection connection(url_);
      break;
    } catch (const std::exception& e) {
      if (attempt == 100) {
        Fail(absl::StrCat("cannot connect to the new test database: ", e.what()));
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection connection(AdminUrl());
    pqxx::nontransaction tx(connection);
    tx.exec0(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: cannot drop %s: %s\n", name_.c_str(), e.what());
  }
}

TestKeys::Keys TestKeys::Generate() {
  auto pair = auth::GenerateKeyPair();
  if (!pair.ok()) {
    Fail("cannot generate a key pair");
  }
  auto signer = auth::TokenSigner::Create(pair->private_key_pem);
  if (!signer.ok()) {
    Fail("cannot create a token signer");
  }
  return Keys{*std::move(pair), std::make_unique<auth::TokenSigner>(*std::move(signer))};
}

TestKeys::TestKeys() : issuer_(Generate()) {
  for (const char* service : kServices) {
    services_.emplace(service, Generate());
  }
}

const TestKeys& TestKeys::Get() {
  static const TestKeys* keys = new TestKeys();
  return *keys;
}

const TestKeys::Keys& TestKeys::ServiceKeys(const std::string& service) const {
  const auto it = services_.find(service);
  if (it == services_.end()) {
    Fail(absl::StrCat("no test key for the service ", service));
  }
  return it->second;
}

const std::string& TestKeys::service_private_key_pem(const std::string& service) const {
  return ServiceKeys(service).pair.private_key_pem;
}

const auth::TokenSigner& TestKeys::service_signer(const std::string& service) const {
  return *ServiceKeys(service).signer;
}

auth::KeyRing TestKeys::ring() const {
  auth::KeyRing ring{{issuer_.pair.public_key_pem}, {}};
  for (const auto& [service, keys] : services_) {
    ring.service_pems.emplace_back(service, keys.pair.public_key_pem);
  }
  return ring;
}

const auth::TokenSigner& TestKeys::SignerFor(const std::string& institution,
                                             auth::Role role) const {
  const auto it = services_.find(institution);
  return role == auth::v1::SERVICE && it != services_.end() ? *it->second.signer : *issuer_.signer;
}

std::string TestKeys::Token(const std::string& institution, auth::Role role) const {
  const absl::Duration lifetime = std::min(absl::Hours(1), auth::TokenOptions().MaxLifetime(role));
  auto token =
      SignerFor(institution, role).Issue(auth::Principal{institution, role}, absl::Now(), lifetime);
  if (!token.ok()) {
    Fail("cannot issue a token");
  }
  return *token;
}

TestService::TestService(const ServiceDefinition& definition,
                         const std::function<void(ServiceConfig&)>& configure) {
  ServiceConfig config;
  config.server.listen_address = "127.0.0.1:0";
  config.database_url = database_.url();
  config.db_pool_size = 4;
  config.worker_threads = 4;
  config.rate_limit_per_second = 0;  // tests that want a limit set one
  config.failed_auth_rate_per_second = 0;
  config.plaintext = true;
  config.max_queued_calls = 256;
  config.token_keys = TestKeys::Get().ring();
  config.page_token_secret = "test page token secret, 32 bytes";
  config.shutdown_grace = absl::Seconds(5);
  if (configure) {
    configure(config);
  }
  auto runtime = ServiceRuntime::Start(definition, config);
  if (!runtime.ok()) {
    Fail(absl::StrCat("cannot start ", definition.name, ": ", runtime.status().message()));
  }
  runtime_ = *std::move(runtime);
  channel_ = OpenChannel(absl::StrCat("127.0.0.1:", runtime_->port()), config.peer_tls);
}

TestService::~TestService() = default;

std::string WriteSecretFile(const std::string& content) {
  char path[] = "/tmp/osan-secret-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0 || write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    Fail("cannot write a secret file");
  }
  fchmod(fd, 0600);
  close(fd);
  return path;
}

std::unique_ptr<grpc::ClientContext> ContextWithToken(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::string Trailer(const grpc::ClientContext& context, const std::string& key) {
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto it = trailers.find(key);
  return it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace osan::testing
