#include "tests/support/credit_exchange.h"

#include "absl/strings/str_cat.h"
#include "services/credit/api/credit_service.h"

namespace osan::testing {

CreditExchange::CreditExchange(std::function<void(ServiceConfig&)> configure) {
  const int catalog_port = exchange_.catalog_service().port();
  const int enrollment_port = exchange_.enrollment_service().port();
  credit_service_ =
      std::make_unique<TestService>(credit::CreditDefinition(), [&](ServiceConfig& config) {
        config.catalog_address = absl::StrCat("127.0.0.1:", catalog_port);
        config.enrollment_address = absl::StrCat("127.0.0.1:", enrollment_port);
        config.service_signing_key_pem = TestKeys::Get().service_private_key_pem("SVC-CREDIT");
        if (configure) {
          configure(config);
        }
      });
  clients_ = std::make_unique<demo::Clients>(
      TestKeys::Get().signer(), exchange_.catalog_service().channel(),
      exchange_.enrollment_service().channel(), credit_service_->channel());
}

}  // namespace osan::testing
