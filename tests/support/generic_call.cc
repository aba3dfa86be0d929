#include "tests/support/generic_call.h"

#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"

namespace osan::testing {
namespace {

// Waits for the one operation in flight on `queue`; its success.
bool Wait(grpc::CompletionQueue& queue) {
  void* tag = nullptr;
  bool ok = false;
  return queue.Next(&tag, &ok) && ok;
}

grpc::ByteBuffer ToBuffer(const google::protobuf::Message& message) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (buffer.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  return bytes;
}

// Shuts the queue down and drains what is left in it.
void Drain(grpc::CompletionQueue& queue) {
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
}

}  // namespace

std::string MethodPath(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

GenericCallResult CallMethod(const std::shared_ptr<grpc::Channel>& channel,
                             const google::protobuf::MethodDescriptor& method,
                             const google::protobuf::Message& request,
                             const GenericCallOptions& options) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  if (!options.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options.token));
  }
  context.set_deadline(std::chrono::system_clock::now() + options.timeout);
  grpc::CompletionQueue queue;
  GenericCallResult result;
  int tag = 0;

  if (!method.client_streaming() && !method.server_streaming()) {
    auto call = stub.PrepareUnaryCall(&context, MethodPath(method), ToBuffer(request), &queue);
    call->StartCall();
    grpc::ByteBuffer response;
    call->Finish(&response, &result.status, &tag);
    Wait(queue);
    if (result.status.ok()) {
      result.responses.push_back(FromBuffer(response));
    }
    Drain(queue);
    return result;
  }

  auto call = stub.PrepareCall(&context, MethodPath(method), &queue);
  call->StartCall(&tag);
  bool open = Wait(queue);
  if (open) {
    // A refused stream may already be finished: then the write fails and
    // Finish below reports why.
    call->Write(ToBuffer(request), &tag);
    open = Wait(queue);
  }
  if (open) {
    call->WritesDone(&tag);
    open = Wait(queue);
  }
  bool stopped_early = false;
  while (open) {
    grpc::ByteBuffer response;
    call->Read(&response, &tag);
    if (!Wait(queue)) {
      break;
    }
    result.responses.push_back(FromBuffer(response));
    if (options.max_responses > 0 &&
        static_cast<int>(result.responses.size()) >= options.max_responses) {
      stopped_early = true;
      context.TryCancel();
      break;
    }
  }
  call->Finish(&result.status, &tag);
  Wait(queue);
  if (stopped_early) {
    result.status = grpc::Status::OK;  // the stream was open and delivering
  }
  Drain(queue);
  return result;
}

}  // namespace osan::testing
