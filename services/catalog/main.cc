// catalog-server: institutions, terms, courses, sections and the public listing.
#include "services/catalog/api/catalog_service.h"

int main(int argc, char** argv) {
  return osan::ServiceMain(argc, argv, osan::catalog::CatalogDefinition());
}
