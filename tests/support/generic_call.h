// Calls any method of a gRPC service by its protobuf descriptor, without a
// generated stub: the request is any message of the method's input type and
// the responses come back serialized. Unary, server-streaming and
// bidirectional methods alike, through grpc::GenericStub.
#ifndef OSAN_TESTS_SUPPORT_GENERIC_CALL_H_
#define OSAN_TESTS_SUPPORT_GENERIC_CALL_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace osan::testing {

struct GenericCallOptions {
  // Sent as `authorization: Bearer <token>` unless empty.
  std::string token;
  // Streaming methods: stop reading (and cancel the call) after this many
  // responses; the call then counts as OK. 0 reads until the server ends the
  // stream.
  int max_responses = 0;
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

struct GenericCallResult {
  grpc::Status status;
  // Every response received, serialized, in order.
  std::vector<std::string> responses;
};

// The gRPC path of `method`: "/package.Service/Method".
std::string MethodPath(const google::protobuf::MethodDescriptor& method);

// Calls `method` on `channel` with `request` (which should be of the method's
// input type; it is sent as it is). A streaming call sends the one request,
// half-closes, and reads until the stream ends or `max_responses`.
GenericCallResult CallMethod(const std::shared_ptr<grpc::Channel>& channel,
                             const google::protobuf::MethodDescriptor& method,
                             const google::protobuf::Message& request,
                             const GenericCallOptions& options = {});

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_GENERIC_CALL_H_
