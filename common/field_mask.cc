#include "common/field_mask.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"

namespace osan {

absl::Status ApplyFieldMask(const google::protobuf::Message& patch,
                            const google::protobuf::FieldMask& mask,
                            const std::set<std::string>& updatable,
                            google::protobuf::Message* target) {
  if (mask.paths().empty()) {
    return InvalidField("update_mask", absl::StrCat("is required; updatable fields: ",
                                                    absl::StrJoin(updatable, ", ")));
  }
  for (const std::string& path : mask.paths()) {
    if (updatable.count(path) == 0) {
      return InvalidField("update_mask",
                          absl::StrCat("'", path, "' cannot be updated; updatable fields: ",
                                       absl::StrJoin(updatable, ", ")));
    }
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, options, target);
  return absl::OkStatus();
}

}  // namespace osan
