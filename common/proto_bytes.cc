#include "common/proto_bytes.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <memory>

namespace osan {

std::string BytesWithout(const google::protobuf::Message& message,
                         std::initializer_list<const char*> cleared_fields) {
  std::unique_ptr<google::protobuf::Message> copy(message.New());
  copy->CopyFrom(message);
  for (const char* name : cleared_fields) {
    if (const auto* field = copy->GetDescriptor()->FindFieldByName(name)) {
      copy->GetReflection()->ClearField(copy.get(), field);
    }
  }
  return DeterministicBytes(*copy);
}

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

}  // namespace osan
