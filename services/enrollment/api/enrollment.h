// Enrollment's use cases. Each method checks the request, authorizes the
// caller against the objects it touches, and runs one transaction (seat
// changes through the SeatBatcher). gRPC-free apart from the catalog client.
#ifndef OSAN_SERVICES_ENROLLMENT_API_ENROLLMENT_H_
#define OSAN_SERVICES_ENROLLMENT_API_ENROLLMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/paging.h"
#include "common/server.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/api/allocation_runs.h"
#include "services/enrollment/api/catalog_sections.h"
#include "services/enrollment/api/first_come.h"
#include "services/enrollment/api/seat_batcher.h"
#include "services/enrollment/domain/rules.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment {

using catalog::SectionFacts;

struct EnrollmentOptions {
  StudentLimits limits;
  // Largest coalesced seat batch; 1 = one transaction per seat change.
  int max_seat_batch = 256;
  // How long section facts read from catalog are reused (see
  // catalog_client.h): also how long a section may still take applications
  // after its course went back under review or its enrolment closed.
  absl::Duration catalog_cache_ttl = absl::Seconds(5);
  // How long public seat counts of a term are reused (see public_seats.h).
  absl::Duration seat_counts_ttl = absl::Seconds(2);
};

class Enrollment {
 public:
  Enrollment(store::Store* store, PageTokens page_tokens, CatalogSections* catalog,
             EnrollmentOptions options);

  using Call = server::CallContext;

  absl::StatusOr<v1::Student> CreateStudent(const Call& call,
                                            const v1::CreateStudentRequest& request);
  absl::StatusOr<v1::Student> GetStudent(const Call& call, const v1::GetStudentRequest& request);
  absl::StatusOr<v1::ListStudentsResponse> ListStudents(const Call& call,
                                                        const v1::ListStudentsRequest& request);

  absl::StatusOr<v1::Application> SubmitApplication(const Call& call,
                                                    const v1::SubmitApplicationRequest& request);
  absl::StatusOr<v1::Application> ApproveApplication(const Call& call,
                                                     const v1::DecideApplicationRequest& request);
  absl::StatusOr<v1::Application> RejectApplication(const Call& call,
                                                    const v1::DecideApplicationRequest& request);
  absl::StatusOr<v1::Application> WithdrawApplication(const Call& call,
                                                      const v1::DecideApplicationRequest& request);
  absl::StatusOr<v1::Application> AcceptApplication(const Call& call,
                                                    const v1::DecideApplicationRequest& request);
  absl::StatusOr<v1::Application> DeclineApplication(const Call& call,
                                                     const v1::DecideApplicationRequest& request);
  absl::StatusOr<v1::Application> GetApplication(const Call& call,
                                                 const v1::GetApplicationRequest& request);
  absl::StatusOr<v1::ListApplicationsResponse> ListApplications(
      const Call& call, const v1::ListApplicationsRequest& request);

  // Allocation runs (allocation_runs.h).
  absl::StatusOr<v1::AllocationOperation> RunAllocation(const Call& call,
                                                        const v1::RunAllocationRequest& request);
  absl::StatusOr<v1::AllocationOperation> GetAllocationOperation(
      const Call& call, const v1::GetAllocationOperationRequest& request);
  absl::StatusOr<v1::AllocationRun> GetAllocationRun(const Call& call,
                                                     const v1::GetAllocationRunRequest& request);
  absl::StatusOr<v1::ListAllocationDecisionsResponse> ListAllocationDecisions(
      const Call& call, const v1::ListAllocationDecisionsRequest& request);

  absl::StatusOr<v1::Application> DropEnrollment(const Call& call,
                                                 const v1::DropEnrollmentRequest& request);
  absl::StatusOr<v1::CancelSectionResponse> CancelSection(const Call& call,
                                                          const v1::CancelSectionRequest& request);
  absl::StatusOr<v1::Roster> ListRoster(const Call& call, const v1::ListRosterRequest& request);
  absl::StatusOr<v1::CountApplicationsResponse> CountApplications(
      const Call& call, const v1::CountApplicationsRequest& request);

  // The events after `cursor` that the caller may see (at most `limit`);
  // names each event's student for the audit trail.
  absl::StatusOr<std::vector<v1::ChangeEvent>> ReadChanges(const Call& call,
                                                           const std::string& cursor,
                                                           int limit = 200);

  // Seat transactions run so far (batches of first-come submissions, and of
  // other seat changes: decisions, drops), and the changes they carried.
  int64_t seat_batches() const { return first_come_.batches() + seats_.batches(); }
  int64_t seat_changes() const { return first_come_.submissions() + seats_.changes(); }
  // First-come submissions queued for their section's batch so far, decided
  // or waiting.
  int64_t first_come_queued() const { return first_come_.queued(); }

 private:
  // Decisions that are one state change of one application.
  absl::StatusOr<v1::Application> Decide(const Call& call, const char* method,
                                         const v1::DecideApplicationRequest& request,
                                         Action action);
  // A change of application `current`'s state that takes or frees a seat of
  // its section: runs in the section's next seat batch (seat_batcher.h), once
  // per request id, with the application locked and `action` allowed from its
  // state; `change` sets its state and adjusts `seats`.
  using SeatChange = absl::FunctionRef<absl::StatusOr<v1::Application>(
      store::Records& records, const store::ApplicationRecord& record, store::Seats& seats)>;
  template <class Request>
  absl::StatusOr<v1::Application> ChangeSeats(const Call& call, const char* method,
                                              const Request& request,
                                              const store::ApplicationRecord& current, int capacity,
                                              Action action, SeatChange change);
  // Places an APPROVED application of a first-come section by the placement
  // rule (domain/placement.h); a seat taken may seat waitlisted host students.
  absl::StatusOr<v1::Application> PlaceFirstCome(const Call& call, store::Records& records,
                                                 const store::ApplicationRecord& record,
                                                 store::Seats& seats);
  // PromoteWaitlist (first_come.h), auditing the students it seats.
  absl::Status PromoteAndAudit(const Call& call, store::Records& records,
                               const catalog::v1::Section& section, const std::string& section_id,
                               SeatedClass& seated, const std::string& reason);

  store::Store* const store_;
  const PageTokens page_tokens_;
  CatalogSections* const catalog_;
  const EnrollmentOptions options_;
  SeatBatcher seats_;
  FirstComeSubmissions first_come_;
  // Last: destroyed first, waiting for runs in progress while the rest stands.
  AllocationRuns allocations_;
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_ENROLLMENT_H_
