// Partial updates with google.protobuf.FieldMask (AIP-134).
#ifndef OSAN_COMMON_FIELD_MASK_H_
#define OSAN_COMMON_FIELD_MASK_H_

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <set>
#include <string>

#include "absl/status/status.h"

namespace osan {

// Copies the fields named by `mask` from `patch` into `target`; repeated and
// message fields are replaced, not merged. The mask must be non-empty and name
// only fields in `updatable` (top-level field names), else INVALID_ARGUMENT
// naming the first offending path; `target` is then unchanged.
absl::Status ApplyFieldMask(const google::protobuf::Message& patch,
                            const google::protobuf::FieldMask& mask,
                            const std::set<std::string>& updatable,
                            google::protobuf::Message* target);

}  // namespace osan

#endif  // OSAN_COMMON_FIELD_MASK_H_
