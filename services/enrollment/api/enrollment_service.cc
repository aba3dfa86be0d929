#include "services/enrollment/api/enrollment_service.h"

#include "services/enrollment/store/enrollment_store.h"

namespace osan {
// Generated from services/enrollment/store/migrations.
const std::vector<db::Migration>& enrollment_migrations();
}  // namespace osan

namespace osan::enrollment {

grpc::ServerWriteReactor<v1::ChangeEvent>* EnrollmentService::WatchChanges(
    grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) {
  Enrollment* enrollment = enrollment_;
  return server::ServeFeed<v1::ChangeEvent>(
      dispatcher_, context, "EnrollmentService.WatchChanges", request->cursor(), request->follow(),
      [enrollment](const server::CallContext& call, const std::string& cursor) {
        return enrollment->ReadChanges(call, cursor);
      });
}

grpc::ServerWriteReactor<v1::ChangeEventBatch>* EnrollmentService::WatchChangeBatches(
    grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) {
  Enrollment* enrollment = enrollment_;
  return server::ServeFeedInBatches<v1::ChangeEventBatch, v1::ChangeEvent>(
      dispatcher_, context, "EnrollmentService.WatchChangeBatches", request->cursor(),
      request->follow(),
      [enrollment](const server::CallContext& call, const std::string& cursor, int page_size) {
        return enrollment->ReadChanges(call, cursor, page_size);
      });
}

ServiceDefinition EnrollmentDefinition(EnrollmentOptions options) {
  ServiceDefinition definition;
  definition.name = "enrollment";
  definition.default_port = 50052;
  definition.audits_student_data = true;
  definition.migrations = &enrollment_migrations();
  definition.statements = &store::Statements();
  definition.make_parts = [options](const ServiceConfig& config, db::Pool* pool,
                                    server::Dispatcher* dispatcher,
                                    PageTokens page_tokens) -> absl::StatusOr<ServiceParts> {
    if (config.service_signing_key_pem.empty()) {
      return absl::InvalidArgumentError(
          "--service_signing_key is required: enrollment calls catalog with its own token");
    }
    OSAN_ASSIGN_OR_RETURN(auto signer, auth::TokenSigner::Create(config.service_signing_key_pem));
    struct State {
      std::unique_ptr<catalog::CatalogClient> catalog;
      std::unique_ptr<GrpcCatalogSections> sections;
      std::unique_ptr<store::PgStore> store;
      std::unique_ptr<Enrollment> enrollment;
      std::unique_ptr<PublicSeats> seats;
    };
    auto state = std::make_shared<State>();
    state->catalog = std::make_unique<catalog::CatalogClient>(
        OpenChannel(config.catalog_address, config.peer_tls), std::move(signer), "SVC-ENROLLMENT",
        options.catalog_cache_ttl);
    state->sections = std::make_unique<GrpcCatalogSections>(state->catalog.get());
    state->store = std::make_unique<store::PgStore>(pool);
    state->enrollment = std::make_unique<Enrollment>(state->store.get(), std::move(page_tokens),
                                                     state->sections.get(), options);
    state->seats = std::make_unique<PublicSeats>(state->store.get(), options.seat_counts_ttl);
    // Weak: the runtime destroys the parts (and so waits for allocation runs
    // in progress) before the dispatcher.
    dispatcher->SetAdmission([weak = std::weak_ptr<State>(state)](const auth::Principal& principal,
                                                                  absl::Time deadline) {
      const std::shared_ptr<State> held = weak.lock();
      return held == nullptr ? absl::UnavailableError("enrollment is shutting down")
                             : held->catalog->Admit(principal, deadline);
    });
    ServiceParts parts;
    parts.services.push_back(
        std::make_unique<EnrollmentService>(state->enrollment.get(), dispatcher));
    parts.services.push_back(std::make_unique<PublicSeatsService>(state->seats.get(), dispatcher));
    parts.names = {v1::EnrollmentService::service_full_name(),
                   v1::PublicSeatsService::service_full_name()};
    parts.sample_metrics = [enrollment = state->enrollment.get()](Metrics& metrics) {
      metrics.Sample("osan_seat_batches_total",
                     "Transactions that changed one section's seats, each for a batch of "
                     "coalesced changes.",
                     Metrics::Kind::kCounter,
                     [enrollment] { return static_cast<double>(enrollment->seat_batches()); });
      metrics.Sample("osan_seat_batch_changes_total",
                     "Seat changes run in those transactions (over the batches: the mean batch "
                     "size).",
                     Metrics::Kind::kCounter,
                     [enrollment] { return static_cast<double>(enrollment->seat_changes()); });
    };
    parts.state = std::move(state);
    return parts;
  };
  return definition;
}

}  // namespace osan::enrollment
