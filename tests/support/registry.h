// Institutions registered for tests that talk to a catalog directly: every
// service admits tokens only for institutions of the catalog's registry
// (catalog/domain/registry.h).
#ifndef OSAN_TESTS_SUPPORT_REGISTRY_H_
#define OSAN_TESTS_SUPPORT_REGISTRY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace osan::testing {

// Registers the high schools `codes` (`J10-7531001` form) in the catalog
// behind `channel`, as the city; a failure fails the test.
void RegisterSchools(const std::shared_ptr<grpc::Channel>& channel,
                     const std::vector<std::string>& codes);

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_REGISTRY_H_
