// The whole suite in-process: the catalog and enrollment of Exchange plus a
// credit-record service wired to both (its own database, its own service
// token), and demo::Clients over the three, so that tests can run the
// semester walk (tools/demo/semester_walk.h) without separate processes.
#ifndef OSAN_TESTS_SUPPORT_CREDIT_EXCHANGE_H_
#define OSAN_TESTS_SUPPORT_CREDIT_EXCHANGE_H_

#include <functional>
#include <memory>

#include "osan/credit/v1/credit.grpc.pb.h"
#include "tests/support/exchange_fixture.h"
#include "tests/support/test_env.h"
#include "tools/demo/semester_walk.h"

namespace osan::testing {

class CreditExchange {
 public:
  // `configure` adjusts credit-record's configuration (e.g. its stream limit).
  explicit CreditExchange(std::function<void(ServiceConfig&)> configure = nullptr);

  // Catalog and enrollment, with their setup helpers.
  Exchange& exchange() { return exchange_; }
  TestService& credit_service() { return *credit_service_; }
  credit::v1::CreditService::Stub& credit() { return clients_->credit(); }
  // The three services as any institution, with the test key's tokens.
  demo::Clients& clients() { return *clients_; }

 private:
  Exchange exchange_;
  std::unique_ptr<TestService> credit_service_;
  std::unique_ptr<demo::Clients> clients_;
};

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_CREDIT_EXCHANGE_H_
