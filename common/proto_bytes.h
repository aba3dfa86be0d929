// Deterministic bytes of protobuf messages, for hashing and comparison.
#ifndef OSAN_COMMON_PROTO_BYTES_H_
#define OSAN_COMMON_PROTO_BYTES_H_

#include <google/protobuf/message.h>

#include <initializer_list>
#include <string>

namespace osan {

// The deterministic serialization of `message` with the named top-level
// fields cleared (names that the message lacks are ignored). Equal messages
// give equal bytes within one build.
std::string BytesWithout(const google::protobuf::Message& message,
                         std::initializer_list<const char*> cleared_fields);
// The deterministic serialization of `message`.
std::string DeterministicBytes(const google::protobuf::Message& message);

}  // namespace osan

#endif  // OSAN_COMMON_PROTO_BYTES_H_
