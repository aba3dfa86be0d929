// A minimal gRPC server-reflection client (v1alpha), enough to list services.
// It uses the reflection messages' descriptors that libgrpc++_reflection
// already registers, through a generic stub.
#ifndef OSAN_TESTS_SUPPORT_REFLECTION_CLIENT_H_
#define OSAN_TESTS_SUPPORT_REFLECTION_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace osan::testing {

// The full names of the services the server at `channel` reports.
absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    std::shared_ptr<grpc::Channel> channel);

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_REFLECTION_CLIENT_H_
