#include "tests/support/reflection_client.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"

namespace osan::testing {
namespace {

using google::protobuf::Message;

// Runs one step of the async call and waits for it.
bool Step(grpc::CompletionQueue& queue, void* tag) {
  void* got = nullptr;
  bool ok = false;
  return queue.Next(&got, &ok) && got == tag && ok;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    std::shared_ptr<grpc::Channel> channel) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* request_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionRequest");
  const auto* response_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionResponse");
  if (request_type == nullptr || response_type == nullptr) {
    return absl::InternalError("reflection descriptors are not linked in");
  }
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<Message> request(factory.GetPrototype(request_type)->New());
  request->GetReflection()->SetString(request.get(), request_type->FindFieldByName("list_services"),
                                      "");
  std::string request_bytes;
  request->SerializeToString(&request_bytes);

  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  int tag = 0;
  call->StartCall(&tag);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer outgoing(&slice, 1);
  grpc::ByteBuffer incoming;
  grpc::Status status;
  if (!Step(queue, &tag)) {
    return absl::UnavailableError("reflection call did not start");
  }
  call->Write(outgoing, &tag);
  if (!Step(queue, &tag)) {
    return absl::UnavailableError("reflection request not sent");
  }
  call->Read(&incoming, &tag);
  if (!Step(queue, &tag)) {
    return absl::UnavailableError("no reflection response");
  }
  call->WritesDone(&tag);
  Step(queue, &tag);
  call->Finish(&status, &tag);
  Step(queue, &tag);

  std::vector<grpc::Slice> slices;
  if (!incoming.Dump(&slices).ok()) {
    return absl::InternalError("unreadable reflection response");
  }
  std::string response_bytes;
  for (const auto& part : slices) {
    response_bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  std::unique_ptr<Message> response(factory.GetPrototype(response_type)->New());
  if (!response->ParseFromString(response_bytes)) {
    return absl::InternalError("unparsable reflection response");
  }
  const Message& list = response->GetReflection()->GetMessage(
      *response, response_type->FindFieldByName("list_services_response"));
  const auto* service_field = list.GetDescriptor()->FindFieldByName("service");
  std::vector<std::string> names;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const Message& service = list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    names.push_back(service.GetReflection()->GetString(
        service, service.GetDescriptor()->FindFieldByName("name")));
  }
  return names;
}

}  // namespace osan::testing
