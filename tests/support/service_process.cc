#include "tests/support/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

extern char** environ;

namespace osan::testing {
namespace {

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "service process: %s\n", why.c_str());
  std::abort();
}

bool IsServingLine(const std::string& line) {
  return line.find("\"msg\":\"serving\"") != std::string::npos;
}

// How many times the log says the service started serving.
int CountServingLines(const std::string& path) {
  std::ifstream in(path);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    count += IsServingLine(line) ? 1 : 0;
  }
  return count;
}

// The port in a log line like {"msg":"serving",...,"port":"41234",...}: the
// first such line's (a restarted service keeps its port).
int PortFromLog(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!IsServingLine(line)) {
      continue;
    }
    const size_t at = line.find("\"port\":\"");
    int port = 0;
    if (at != std::string::npos &&
        absl::SimpleAtoi(line.substr(at + 8, line.find('"', at + 8) - at - 8), &port)) {
      return port;
    }
  }
  return 0;
}

}  // namespace

ServiceProcess::ServiceProcess(const std::string& binary,
                               const std::map<std::string, std::string>& environment) {
  static int counter = 0;
  log_path_ = absl::StrCat("/tmp/osan-e2e-", getpid(), "-", counter++, ".log");
  binary_ = binary;
  std::map<std::string, std::string> variables = environment;
  variables["OSAN_DATABASE_URL"] = database_.url();
  variables["OSAN_LISTEN"] = "127.0.0.1:0";
  const auth::KeyRing ring = TestKeys::Get().ring();
  variables["OSAN_TOKEN_PUBLIC_KEY"] = WriteSecretFile(ring.issuer_pems.front());
  std::vector<std::string> service_keys;
  for (const auto& [service, pem] : ring.service_pems) {
    service_keys.push_back(absl::StrCat(service, "=", WriteSecretFile(pem)));
  }
  variables["OSAN_SERVICE_TOKEN_KEYS"] = absl::StrJoin(service_keys, ",");
  variables["OSAN_DB_POOL_SIZE"] = "4";
  variables.emplace("OSAN_PLAINTEXT", "true");
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("OSAN_", 0) != 0) {
      environment_.emplace_back(*e);
    }
  }
  for (const auto& [name, value] : variables) {
    environment_.push_back(absl::StrCat(name, "=", value));
  }
  Start();
}

void ServiceProcess::Start() {
  std::vector<char*> envp;
  for (auto& s : environment_) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // Appended to, so that a restart keeps the log of the run before it.
  posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  std::string program = binary_;
  char* argv[] = {program.data(), nullptr};
  if (posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv, envp.data()) != 0) {
    Fail(absl::StrCat("cannot start ", binary_));
  }
  posix_spawn_file_actions_destroy(&actions);
  const int earlier = CountServingLines(log_path_);
  for (int i = 0; i < 400; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    if (CountServingLines(log_path_) > earlier) {
      port_ = PortFromLog(log_path_);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      std::ifstream log(log_path_);
      std::stringstream content;
      content << log.rdbuf();
      Fail(absl::StrCat(binary_, " exited at start:\n", content.str()));
    }
  }
  Fail(absl::StrCat(binary_, " did not start serving; see ", log_path_));
}

void ServiceProcess::Kill() {
  if (pid_ <= 0) {
    return;
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ServiceProcess::Restart() {
  Kill();
  // The same port: callers and the other services keep their address.
  const std::string listen = absl::StrCat("OSAN_LISTEN=127.0.0.1:", port_);
  std::replace_if(
      environment_.begin(), environment_.end(),
      [](const std::string& variable) { return variable.rfind("OSAN_LISTEN=", 0) == 0; }, listen);
  Start();
}

int ServiceProcess::Stop() {
  if (pid_ <= 0) {
    return 0;
  }
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

ServiceProcess::~ServiceProcess() { Stop(); }

}  // namespace osan::testing
