#include "services/credit/api/credit_service.h"

#include "services/credit/store/credit_store.h"

namespace osan {
// Generated from services/credit/store/migrations.
const std::vector<db::Migration>& credit_migrations();
}  // namespace osan

namespace osan::credit {

grpc::ServerWriteReactor<v1::ResultEvent>* CreditService::WatchResults(
    grpc::CallbackServerContext* context, const v1::WatchResultsRequest* request) {
  Credit* credit = credit_;
  return server::ServeFeed<v1::ResultEvent>(
      dispatcher_, context, "CreditService.WatchResults", request->cursor(), request->follow(),
      [credit](const server::CallContext& call, const std::string& cursor) {
        return credit->ReadResults(call, cursor);
      });
}

grpc::ServerWriteReactor<v1::ResultEventBatch>* CreditService::WatchResultBatches(
    grpc::CallbackServerContext* context, const v1::WatchResultsRequest* request) {
  Credit* credit = credit_;
  return server::ServeFeedInBatches<v1::ResultEventBatch, v1::ResultEvent>(
      dispatcher_, context, "CreditService.WatchResultBatches", request->cursor(),
      request->follow(),
      [credit](const server::CallContext& call, const std::string& cursor, int page_size) {
        return credit->ReadResults(call, cursor, page_size);
      });
}

ServiceDefinition CreditDefinition() {
  ServiceDefinition definition;
  definition.name = "credit-record";
  definition.default_port = 50053;
  definition.audits_student_data = true;
  definition.migrations = &credit_migrations();
  definition.statements = &store::Statements();
  definition.make_parts = [](const ServiceConfig& config, db::Pool* pool,
                             server::Dispatcher* dispatcher,
                             PageTokens page_tokens) -> absl::StatusOr<ServiceParts> {
    if (config.service_signing_key_pem.empty()) {
      return absl::InvalidArgumentError(
          "--service_signing_key is required: credit-record calls catalog with its own token");
    }
    OSAN_ASSIGN_OR_RETURN(auto signer, auth::TokenSigner::Create(config.service_signing_key_pem));
    struct State {
      std::unique_ptr<catalog::CatalogClient> catalog;
      std::unique_ptr<enrollment::EnrollmentClient> enrollment;
      std::unique_ptr<GrpcPeers> peers;
      std::unique_ptr<store::PgStore> store;
      std::unique_ptr<Credit> credit;
      std::unique_ptr<Reports> reports;
    };
    auto state = std::make_shared<State>();
    state->catalog = std::make_unique<catalog::CatalogClient>(
        OpenChannel(config.catalog_address, config.peer_tls), std::move(signer), "SVC-CREDIT");
    state->enrollment = std::make_unique<enrollment::EnrollmentClient>(
        OpenChannel(config.enrollment_address, config.peer_tls));
    state->peers = std::make_unique<GrpcPeers>(state->catalog.get(), state->enrollment.get());
    state->store = std::make_unique<store::PgStore>(pool);
    state->credit =
        std::make_unique<Credit>(state->store.get(), std::move(page_tokens), state->peers.get());
    state->reports = std::make_unique<Reports>(state->store.get(), state->peers.get());
    dispatcher->SetAdmission([state](const auth::Principal& principal, absl::Time deadline) {
      return state->catalog->Admit(principal, deadline);
    });
    ServiceParts parts;
    parts.services.push_back(std::make_unique<CreditService>(state->credit.get(), dispatcher));
    parts.services.push_back(std::make_unique<ReportService>(state->reports.get(), dispatcher));
    parts.names = {v1::CreditService::service_full_name(), v1::ReportService::service_full_name()};
    parts.state = std::move(state);
    return parts;
  };
  return definition;
}

}  // namespace osan::credit
