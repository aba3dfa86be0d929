// Runs a command-line program of the suite (osanctl) as a user would, for
// tests of the tools against real servers.
#ifndef OSAN_TESTS_SUPPORT_CLI_RUNNER_H_
#define OSAN_TESTS_SUPPORT_CLI_RUNNER_H_

#include <string>
#include <vector>

namespace osan::testing {

struct CliRun {
  // The exit status; -1 if the program did not start or did not exit.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program` with `args` and waits for it, capturing its standard output
// and error. The environment is this process's without OSAN_TLS_CA and
// OSAN_TOKEN (test servers are plaintext; tests pass tokens explicitly).
CliRun RunProgram(const std::string& program, const std::vector<std::string>& args);

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_CLI_RUNNER_H_
