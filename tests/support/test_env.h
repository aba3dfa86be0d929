// Real parts for integration tests: a fresh database in the throwaway cluster
// that CTest starts (fixture "postgres"), token keys, and services running
// in-process on port 0 with the production wiring.
#ifndef OSAN_TESTS_SUPPORT_TEST_ENV_H_
#define OSAN_TESTS_SUPPORT_TEST_ENV_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/auth.h"
#include "common/service_runtime.h"

namespace osan::testing {

// A database created for one test and dropped afterwards.
class TestDatabase {
 public:
  // Creates a uniquely named database in the cluster whose admin URL is in
  // the file named by $OSAN_TEST_PG_URL_FILE. Aborts the test binary with a
  // clear message when that is not set (run the suite through ctest).
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  // The cluster's admin URL (database "postgres").
  static std::string AdminUrl();

 private:
  std::string name_;
  std::string url_;
};

// Ed25519 key pairs per test binary, scoped as in production
// (auth::KeyRing): the issuer's, which signs institutions' tokens, and one
// for each service of the suite that calls others (kServices), which signs
// only that service's SERVICE tokens.
class TestKeys {
 public:
  static constexpr const char* kServices[] = {"SVC-ENROLLMENT", "SVC-CREDIT", "SVC-LISTING"};

  static const TestKeys& Get();
  // The issuer's key pair and signer.
  const std::string& public_key_pem() const { return issuer_.pair.public_key_pem; }
  const std::string& private_key_pem() const { return issuer_.pair.private_key_pem; }
  const auth::TokenSigner& signer() const { return *issuer_.signer; }
  // `service`'s own key pair and signer (one of kServices).
  const std::string& service_private_key_pem(const std::string& service) const;
  const auth::TokenSigner& service_signer(const std::string& service) const;
  // The ring that verifies every token signed here, each key in its scope.
  auth::KeyRing ring() const;
  // The signer that rightly signs tokens of `institution` acting as `role`:
  // the service's own for SERVICE tokens of kServices, else the issuer's.
  const auth::TokenSigner& SignerFor(const std::string& institution, auth::Role role) const;
  // A valid token for `institution` acting as `role`, for one hour (SERVICE
  // tokens: their maximum lifetime), signed by SignerFor.
  std::string Token(const std::string& institution, auth::Role role) const;

 private:
  struct Keys {
    auth::KeyPair pair;
    std::unique_ptr<auth::TokenSigner> signer;
  };
  TestKeys();
  static Keys Generate();
  const Keys& ServiceKeys(const std::string& service) const;
  Keys issuer_;
  std::map<std::string, Keys> services_;
};

// A service started in-process on 127.0.0.1:0 over a fresh database.
class TestService {
 public:
  // `configure` may adjust the configuration (which starts with 4
  // connections, as many workers, a 256-call queue, no rate limit and
  // plaintext). channel() speaks TLS with `peer_tls` if the service does.
  explicit TestService(const ServiceDefinition& definition,
                       const std::function<void(ServiceConfig&)>& configure = nullptr);
  ~TestService();

  int port() const { return runtime_->port(); }
  // 0 unless `configure` set metrics_address.
  int metrics_port() const { return runtime_->metrics_port(); }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  const TestDatabase& database() const { return database_; }
  void Shutdown() { runtime_->Shutdown(); }

 private:
  TestDatabase database_;
  std::unique_ptr<ServiceRuntime> runtime_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Writes `content` to a fresh file with mode 0600 and returns its path.
std::string WriteSecretFile(const std::string& content);

// A client context carrying `token` (if not empty) and a 10 s deadline.
std::unique_ptr<grpc::ClientContext> ContextWithToken(const std::string& token);

// The value of the server's trailing metadata `key` on a finished call; empty
// if absent.
std::string Trailer(const grpc::ClientContext& context, const std::string& key);

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_TEST_ENV_H_
