// Unit tests of common/config.h: a service's flags read into its
// configuration, and each inconsistent set refused with the flag named.
// Every test passes the same complete set of flags (absl keeps a flag's
// value for the rest of the process), changing only what it tests.
#include "common/config.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace osan {
namespace {

using ::testing::HasSubstr;

// A readable key file (LoadServiceConfig reads it; the server parses it).
std::string KeyFile() {
  const std::string path = ::testing::TempDir() + "/config_test_key.pem";
  std::ofstream(path) << "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n";
  return path;
}

// Forgets every OSAN_* variable of the environment, which flags read.
void ClearEnvironment() {
  std::vector<std::string> names;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    if (variable.rfind("OSAN_", 0) == 0) {
      names.push_back(variable.substr(0, variable.find('=')));
    }
  }
  for (const std::string& name : names) {
    unsetenv(name.c_str());
  }
}

absl::StatusOr<ServiceConfig> Load(const std::vector<std::string>& changes) {
  ClearEnvironment();
  std::vector<std::string> args = {"service",
                                   "--database_url=postgresql://postgres@127.0.0.1/osan_test",
                                   "--token_public_key=" + KeyFile(),
                                   "--plaintext=true",
                                   "--listen=",
                                   "--db_pool_size=4",
                                   "--worker_threads=2",
                                   "--rate_limit_per_second=0",
                                   "--rate_limit_burst=0",
                                   "--max_call_seconds=30",
                                   "--audit_retention_days=365"};
  args.insert(args.end(), changes.begin(), changes.end());
  std::vector<char*> argv;
  for (std::string& arg : args) {
    argv.push_back(arg.data());
  }
  return LoadServiceConfig(static_cast<int>(argv.size()), argv.data(), 50051);
}

TEST(LoadServiceConfigTest, ReadsTheFlagsWithTheirDefaults) {
  const auto config = Load({});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server.listen_address, "127.0.0.1:50051");
  EXPECT_EQ(config->database_url, "postgresql://postgres@127.0.0.1/osan_test");
  EXPECT_EQ(config->db_pool_size, 4);
  EXPECT_EQ(config->worker_threads, 4);              // never fewer than the pool's connections
  EXPECT_EQ(config->page_token_secret.size(), 32u);  // random when no file names one
  EXPECT_EQ(config->max_call_duration, absl::Seconds(30));
  EXPECT_EQ(config->audit_retention, absl::Hours(24 * 365));
  EXPECT_THAT(config->token_keys.issuer_pems, ::testing::SizeIs(1));
}

TEST(LoadServiceConfigTest, RefusesEachInconsistentSetNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--database_url="}, "--database_url"},
      {{"--db_pool_size=0"}, "--db_pool_size must be between 1 and 256"},
      {{"--token_public_key="}, "--token_public_key"},
      {{"--listen=0.0.0.0:50051"}, "--plaintext serves only on loopback, not 0.0.0.0:50051"},
      {{"--plaintext=false"}, "serve TLS (--tls_cert and --tls_key)"},
      {{"--rate_limit_per_second=5"}, "--rate_limit_burst must be at least 1"},
      {{"--max_call_seconds=0"}, "--max_call_seconds must be at least 1"},
      {{"--audit_retention_days=30"}, "--audit_retention_days must be at least 365"},
  };
  for (const auto& [changes, message] : cases) {
    SCOPED_TRACE(changes.front());
    const auto config = Load(changes);
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(message));
  }
}

}  // namespace
}  // namespace osan
