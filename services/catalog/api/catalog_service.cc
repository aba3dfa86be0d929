#include "services/catalog/api/catalog_service.h"

#include "services/catalog/store/catalog_store.h"

namespace osan {
// Generated from services/catalog/store/migrations.
const std::vector<db::Migration>& catalog_migrations();
}  // namespace osan

namespace osan::catalog {

ServiceDefinition CatalogDefinition() {
  ServiceDefinition definition;
  definition.name = "catalog";
  definition.default_port = 50051;
  definition.migrations = &catalog_migrations();
  definition.statements = &store::Statements();
  definition.make_parts = [](const ServiceConfig&, db::Pool* pool, server::Dispatcher* dispatcher,
                             PageTokens page_tokens) -> absl::StatusOr<ServiceParts> {
    auto catalog = std::make_shared<Catalog>(pool, std::move(page_tokens));
    ServiceParts parts;
    parts.services.push_back(std::make_unique<CatalogService>(catalog.get(), dispatcher));
    parts.services.push_back(std::make_unique<PublicListingService>(catalog.get(), dispatcher));
    parts.names = {v1::CatalogService::service_full_name(),
                   v1::PublicListingService::service_full_name()};
    parts.state = std::move(catalog);
    return parts;
  };
  return definition;
}

}  // namespace osan::catalog
