#include "common/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace osan {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  const auto code = static_cast<grpc::StatusCode>(status.code());
  if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN) {
    return grpc::Status(code, "internal error; the request was not completed");
  }
  return grpc::Status(code, std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  return absl::Status(
      static_cast<absl::StatusCode>(status.error_code()),
      what.empty() ? status.error_message() : absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace osan
