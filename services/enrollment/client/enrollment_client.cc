#include "services/enrollment/client/enrollment_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/status.h"

namespace osan::enrollment {

template <class Request, class Response>
absl::StatusOr<Response> EnrollmentClient::Call(
    grpc::Status (v1::EnrollmentService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
    const Request& request, const std::string& caller_token, absl::Time deadline) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", caller_token));
  context.set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + timeout_)));
  Response response;
  const grpc::Status status = (stub_.get()->*method)(&context, request, &response);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return response;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE:
      return absl::UnavailableError("the enrollment service is unavailable; retry later");
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::UNAUTHENTICATED:
      return FromGrpcStatus(status);
    default:
      return absl::InternalError(absl::StrCat("enrollment call failed: ", status.error_message()));
  }
}

absl::StatusOr<v1::Roster> EnrollmentClient::Roster(const std::string& section,
                                                    const std::string& caller_token,
                                                    absl::Time deadline) {
  v1::ListRosterRequest request;
  request.set_section(section);
  request.set_page_size(200);
  v1::Roster roster;
  do {
    OSAN_ASSIGN_OR_RETURN(v1::Roster page, Call(&v1::EnrollmentService::Stub::ListRoster, request,
                                                caller_token, deadline));
    request.set_page_token(page.next_page_token());
    // The entries of every page, with the latest page's capacity and count.
    roster.set_section(page.section());
    roster.set_capacity(page.capacity());
    roster.set_enrolled(page.enrolled());
    for (v1::RosterEntry& entry : *page.mutable_entries()) {
      *roster.add_entries() = std::move(entry);
    }
  } while (!request.page_token().empty());
  return roster;
}

absl::StatusOr<v1::CountApplicationsResponse> EnrollmentClient::CountApplications(
    const std::string& term, const std::string& caller_token, absl::Time deadline) {
  v1::CountApplicationsRequest request;
  request.set_term(term);
  request.set_page_size(200);
  v1::CountApplicationsResponse counts;
  do {
    OSAN_ASSIGN_OR_RETURN(
        v1::CountApplicationsResponse page,
        Call(&v1::EnrollmentService::Stub::CountApplications, request, caller_token, deadline));
    request.set_page_token(page.next_page_token());
    counts.set_term(page.term());
    for (v1::ApplicationCount& count : *page.mutable_counts()) {
      *counts.add_counts() = std::move(count);
    }
  } while (!request.page_token().empty());
  return counts;
}

}  // namespace osan::enrollment
