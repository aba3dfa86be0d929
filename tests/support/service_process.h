// A service binary run as its own process for end-to-end tests: started on
// 127.0.0.1:0 over a fresh database, its port read from its "serving" log
// line, stopped with SIGTERM (and waited for) on destruction. Fault tests kill
// it (SIGKILL) and start it again on the same port and database.
#ifndef OSAN_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define OSAN_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_env.h"

namespace osan::testing {

class ServiceProcess {
 public:
  // Runs `binary` with OSAN_* environment variables from `environment` plus
  // the database, listening address and test token key. Aborts the test
  // binary if the service does not report serving within 20 s.
  ServiceProcess(const std::string& binary, const std::map<std::string, std::string>& environment);
  ~ServiceProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // The database it was started on.
  const std::string& database_url() const { return database_.url(); }
  // Sends SIGTERM and waits; returns the exit status.
  int Stop();
  // Sends SIGKILL and waits: a crash.
  void Kill();
  // Starts it again, stopped or killed, on the same port and database; aborts
  // the test binary if it does not report serving within 20 s.
  void Restart();

 private:
  // Spawns binary_ with environment_ and waits for its "serving" line.
  void Start();

  TestDatabase database_;
  std::string binary_;
  std::vector<std::string> environment_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_SERVICE_PROCESS_H_
