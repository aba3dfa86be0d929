#include "services/enrollment/client/enrollment_client.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace osan::enrollment {

absl::StatusOr<v1::Roster> EnrollmentClient::Roster(const std::string& section,
                                                    const std::string& caller_token,
                                                    absl::Time deadline) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", caller_token));
  context.set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + timeout_)));
  v1::ListRosterRequest request;
  request.set_section(section);
  v1::Roster roster;
  const grpc::Status status = stub_->ListRoster(&context, request, &roster);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return roster;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE:
      return absl::UnavailableError("the enrollment service is unavailable; retry later");
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::UNAUTHENTICATED:
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    default:
      return absl::InternalError(absl::StrCat("enrollment call failed: ", status.error_message()));
  }
}

}  // namespace osan::enrollment
