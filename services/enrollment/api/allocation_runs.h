// Allocation runs as long-running operations (AIP-151).
//
// RunAllocation records an operation and answers at once; a thread of the
// run's own then reads the term's closed sections from catalog and allocates
// them in ONE transaction: it holds the operation and the term (one run of a
// term at a time: another is FAILED_PRECONDITION), locks the candidates and
// the seats of those sections, allocates in memory (domain/allocation.h),
// writes every decision, state change and change event in batches, stores
// the run's summary and marks the operation done. So a run commits whole or
// changes nothing, and a replayed request_id returns the same operation (even
// while no new run may start).
//
// Progress is written to the operation between stages by short transactions
// of their own. If the process dies mid-run its transaction rolls back; the
// operation, no longer held, is reported failed (ABORTED: nothing changed) to
// the first reader after it has been quiet for `grace`.
#ifndef OSAN_SERVICES_ENROLLMENT_API_ALLOCATION_RUNS_H_
#define OSAN_SERVICES_ENROLLMENT_API_ALLOCATION_RUNS_H_

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit.h"
#include "common/names.h"
#include "common/paging.h"
#include "common/server.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/api/catalog_sections.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment {

struct AllocationRunOptions {
  // Most runs in progress in one process; more are RESOURCE_EXHAUSTED.
  int max_running = 4;
  // How long an operation no run holds may stay quiet (not done, not
  // updated) before a reader reports it interrupted.
  absl::Duration grace = absl::Seconds(60);
  // The longest a run waits for catalog's answer about its sections.
  absl::Duration catalog_timeout = absl::Seconds(10);
};

class AllocationRuns {
 public:
  using Call = server::CallContext;

  // A student holds at most `max_sections_per_student` seats of a term, the
  // seats held before a run included.
  AllocationRuns(store::Store* store, const PageTokens* page_tokens, CatalogSections* catalog,
                 int max_sections_per_student, AllocationRunOptions options = {});
  // Waits for the runs in progress to finish.
  ~AllocationRuns();
  AllocationRuns(const AllocationRuns&) = delete;
  AllocationRuns& operator=(const AllocationRuns&) = delete;

  // CITY or EDU_OFFICE, for every method.
  absl::StatusOr<v1::AllocationOperation> Start(const Call& call,
                                                const v1::RunAllocationRequest& request);
  absl::StatusOr<v1::AllocationOperation> GetOperation(
      const Call& call, const v1::GetAllocationOperationRequest& request);
  absl::StatusOr<v1::AllocationRun> GetRun(const Call& call,
                                           const v1::GetAllocationRunRequest& request);
  // Names the students on the page for the audit trail.
  absl::StatusOr<v1::ListAllocationDecisionsResponse> ListDecisions(
      const Call& call, const v1::ListAllocationDecisionsRequest& request);

 private:
  // One run, as its thread carries it out.
  struct Job {
    std::string id;  // of the operation and of the run
    TermId term;
    uint64_t seed = 0;
    std::string run_by;  // institution code
    audit::Caller caller;
    v1::AllocationOperation operation;  // as last written
  };

  // The thread of one run: the transaction, then its outcome recorded.
  void Execute(Job job);
  // The run's transaction body, over `sections` (AllocatedSections).
  absl::StatusOr<v1::AllocationRun> Allocate(
      Job& job, const std::map<std::string, catalog::v1::Section>& sections,
      audit::CallRecord& audit, store::Records& records);
  // The term's sections allocated now, by id: policy other than FIRST_COME,
  // enrolment closed.
  absl::StatusOr<std::map<std::string, catalog::v1::Section>> AllocatedSections(const Job& job);
  // Writes the operation's stage (best effort: progress is advisory).
  void Report(Job& job, const std::string& stage, int percent);

  store::Store* const store_;
  const PageTokens* const page_tokens_;
  CatalogSections* const catalog_;
  const int max_sections_per_student_;
  const AllocationRunOptions options_;

  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_ALLOCATION_RUNS_H_
