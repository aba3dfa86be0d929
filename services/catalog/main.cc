// catalog-server: institutions, terms, courses, sections and the public listing.
#include <algorithm>

#include "absl/flags/flag.h"
#include "services/catalog/api/catalog_service.h"

ABSL_FLAG(int, listing_refresh_ms, 250,
          "how often the public listing checks for changes made through other replicas");

int main(int argc, char** argv) {
  // The definition is built lazily so that it sees the parsed flags.
  osan::ServiceDefinition definition = osan::catalog::CatalogDefinition();
  definition.make_parts = [](const osan::ServiceConfig& config, osan::db::Pool* pool,
                             osan::server::Dispatcher* dispatcher, osan::PageTokens page_tokens) {
    osan::catalog::CatalogOptions options;
    options.listing.refresh_interval =
        absl::Milliseconds(std::max(10, absl::GetFlag(FLAGS_listing_refresh_ms)));
    return osan::catalog::CatalogDefinition(options).make_parts(config, pool, dispatcher,
                                                                std::move(page_tokens));
  };
  return osan::ServiceMain(argc, argv, definition);
}
