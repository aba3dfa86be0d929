#include "common/status.h"

#include "absl/strings/str_cat.h"

namespace osan {

absl::Status InvalidField(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

}  // namespace osan
