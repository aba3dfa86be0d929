#include "services/catalog/api/catalog_service.h"

#include "common/status.h"
#include "services/catalog/store/catalog_store.h"

namespace osan {
// Generated from services/catalog/store/migrations.
const std::vector<db::Migration>& catalog_migrations();
}  // namespace osan

namespace osan::catalog {
namespace {

// `bytes` as a message body, without copying them: the buffer keeps them
// alive until gRPC has sent them.
grpc::ByteBuffer SharedBytes(std::shared_ptr<const std::string> bytes) {
  auto* owner = new std::shared_ptr<const std::string>(std::move(bytes));
  grpc::Slice slice(
      const_cast<char*>((*owner)->data()), (*owner)->size(),
      [](void* held) { delete static_cast<std::shared_ptr<const std::string>*>(held); }, owner);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

grpc::ServerUnaryReactor* PublicListingService::ListPublicSections(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return dispatcher_->Dispatch(
      context, "PublicListingService.ListPublicSections", server::Access::kPublic,
      [this, request, response](const server::CallContext& call) -> absl::Status {
        grpc::ByteBuffer body = *request;
        v1::ListPublicSectionsRequest parsed;
        if (!grpc::SerializationTraits<v1::ListPublicSectionsRequest>::Deserialize(&body, &parsed)
                 .ok()) {
          return absl::InvalidArgumentError("the request is not a ListPublicSectionsRequest");
        }
        OSAN_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> answer,
                              listing_->ListPublicSections(call, parsed));
        *response = SharedBytes(std::move(answer));
        return absl::OkStatus();
      },
      WhereToRun());
}

ServiceDefinition CatalogDefinition(CatalogOptions options) {
  ServiceDefinition definition;
  definition.name = "catalog";
  definition.default_port = 50051;
  definition.migrations = &catalog_migrations();
  definition.statements = &store::Statements();
  definition.make_parts = [options](const ServiceConfig&, db::Pool* pool,
                                    server::Dispatcher* dispatcher,
                                    PageTokens page_tokens) -> absl::StatusOr<ServiceParts> {
    struct State {
      std::unique_ptr<store::PgStore> store;
      std::unique_ptr<PublicListing> listing;
      std::unique_ptr<Catalog> catalog;
    };
    auto state = std::make_shared<State>();
    state->store = std::make_unique<store::PgStore>(pool);
    OSAN_ASSIGN_OR_RETURN(state->listing,
                          PublicListing::Start(state->store.get(), page_tokens, options.listing));
    state->catalog =
        std::make_unique<Catalog>(state->store.get(), std::move(page_tokens), state->listing.get());
    OSAN_RETURN_IF_ERROR(state->catalog->AddRootInstitutions());
    dispatcher->SetAdmission([state](const auth::Principal& principal, absl::Time) {
      return state->catalog->Admit(principal);
    });
    ServiceParts parts;
    parts.services.push_back(std::make_unique<CatalogService>(state->catalog.get(), dispatcher));
    parts.services.push_back(
        std::make_unique<PublicListingService>(state->listing.get(), dispatcher));
    parts.names = {v1::CatalogService::service_full_name(),
                   v1::PublicListingService::service_full_name()};
    parts.state = std::move(state);
    return parts;
  };
  return definition;
}

}  // namespace osan::catalog
