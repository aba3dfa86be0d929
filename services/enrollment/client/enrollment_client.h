// Other services' view of enrollment: who is enrolled in a section, and the
// counts of a term's applications for reports.
//
// Calls are made with the *original caller's* token, not the calling
// service's: enrollment then authorizes the caller itself (only a section's
// host reads its roster), so no one can use another service to reach what
// they could not reach directly.
#ifndef OSAN_SERVICES_ENROLLMENT_CLIENT_ENROLLMENT_CLIENT_H_
#define OSAN_SERVICES_ENROLLMENT_CLIENT_ENROLLMENT_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"

namespace osan::enrollment {

class EnrollmentClient {
 public:
  explicit EnrollmentClient(std::shared_ptr<grpc::Channel> channel,
                            absl::Duration timeout = absl::Seconds(2))
      : stub_(v1::EnrollmentService::NewStub(std::move(channel))), timeout_(timeout) {}

  // The whole roster of `section` (every page) as `caller_token`'s
  // institution may read it:
  // PERMISSION_DENIED unless it hosts the section; UNAVAILABLE quickly if
  // enrollment cannot be reached; never waits past `deadline`.
  absl::StatusOr<v1::Roster> Roster(const std::string& section, const std::string& caller_token,
                                    absl::Time deadline);

  // The application counts of `term` (CountApplications, every page) as
  // `caller_token`'s institution may read them: PERMISSION_DENIED unless CITY
  // or EDU_OFFICE.
  absl::StatusOr<v1::CountApplicationsResponse> CountApplications(const std::string& term,
                                                                  const std::string& caller_token,
                                                                  absl::Time deadline);

 private:
  template <class Request, class Response>
  absl::StatusOr<Response> Call(grpc::Status (v1::EnrollmentService::Stub::*method)(
                                    grpc::ClientContext*, const Request&, Response*),
                                const Request& request, const std::string& caller_token,
                                absl::Time deadline);

  std::unique_ptr<v1::EnrollmentService::Stub> stub_;
  const absl::Duration timeout_;
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_CLIENT_ENROLLMENT_CLIENT_H_
