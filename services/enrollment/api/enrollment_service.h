// gRPC adapters of enrollment: each method hands its call to Enrollment
// through the shared dispatcher; the change feed streams through FeedReactor.
#ifndef OSAN_SERVICES_ENROLLMENT_API_ENROLLMENT_SERVICE_H_
#define OSAN_SERVICES_ENROLLMENT_API_ENROLLMENT_SERVICE_H_

#include "common/feed.h"
#include "common/server.h"
#include "common/service_runtime.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "services/enrollment/api/enrollment.h"
#include "services/enrollment/api/public_seats.h"

namespace osan::enrollment {

class EnrollmentService final : public v1::EnrollmentService::CallbackService {
 public:
  EnrollmentService(Enrollment* enrollment, server::Dispatcher* dispatcher)
      : enrollment_(enrollment), dispatcher_(dispatcher) {}

#define OSAN_ENROLLMENT_METHOD(Method, Request, Response)                                         \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                          \
                                   const v1::Request* request, v1::Response* response) override { \
    return server::ServeUnary(*dispatcher_, context, "EnrollmentService." #Method,                \
                              server::Access::kAuthenticated, enrollment_, &Enrollment::Method,   \
                              request, response);                                                 \
  }
  OSAN_ENROLLMENT_METHOD(CreateStudent, CreateStudentRequest, Student)
  OSAN_ENROLLMENT_METHOD(GetStudent, GetStudentRequest, Student)
  OSAN_ENROLLMENT_METHOD(ListStudents, ListStudentsRequest, ListStudentsResponse)
  OSAN_ENROLLMENT_METHOD(SubmitApplication, SubmitApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(ApproveApplication, DecideApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(RejectApplication, DecideApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(WithdrawApplication, DecideApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(AcceptApplication, DecideApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(DeclineApplication, DecideApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(GetApplication, GetApplicationRequest, Application)
  OSAN_ENROLLMENT_METHOD(ListApplications, ListApplicationsRequest, ListApplicationsResponse)
  OSAN_ENROLLMENT_METHOD(RunAllocation, RunAllocationRequest, AllocationOperation)
  OSAN_ENROLLMENT_METHOD(GetAllocationOperation, GetAllocationOperationRequest, AllocationOperation)
  OSAN_ENROLLMENT_METHOD(GetAllocationRun, GetAllocationRunRequest, AllocationRun)
  OSAN_ENROLLMENT_METHOD(ListAllocationDecisions, ListAllocationDecisionsRequest,
                         ListAllocationDecisionsResponse)
  OSAN_ENROLLMENT_METHOD(DropEnrollment, DropEnrollmentRequest, Application)
  OSAN_ENROLLMENT_METHOD(CancelSection, CancelSectionRequest, CancelSectionResponse)
  OSAN_ENROLLMENT_METHOD(ListRoster, ListRosterRequest, Roster)
  OSAN_ENROLLMENT_METHOD(CountApplications, CountApplicationsRequest, CountApplicationsResponse)
#undef OSAN_ENROLLMENT_METHOD

  grpc::ServerWriteReactor<v1::ChangeEvent>* WatchChanges(
      grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override;
  grpc::ServerWriteReactor<v1::ChangeEventBatch>* WatchChangeBatches(
      grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override;

 private:
  Enrollment* const enrollment_;
  server::Dispatcher* const dispatcher_;
};

// Needs no token: how full each section is, counts only.
class PublicSeatsService final : public v1::PublicSeatsService::CallbackService {
 public:
  PublicSeatsService(PublicSeats* seats, server::Dispatcher* dispatcher)
      : seats_(seats), dispatcher_(dispatcher) {}

  grpc::ServerUnaryReactor* ListSeatCounts(grpc::CallbackServerContext* context,
                                           const v1::ListSeatCountsRequest* request,
                                           v1::ListSeatCountsResponse* response) override {
    return server::ServeUnary(*dispatcher_, context, "PublicSeatsService.ListSeatCounts",
                              server::Access::kPublic, seats_, &PublicSeats::ListSeatCounts,
                              request, response);
  }

 private:
  PublicSeats* const seats_;
  server::Dispatcher* const dispatcher_;
};

// The enrollment service as the runtime starts it.
ServiceDefinition EnrollmentDefinition(EnrollmentOptions options = {});

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_ENROLLMENT_SERVICE_H_
