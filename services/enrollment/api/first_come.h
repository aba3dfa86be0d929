// The first-come rush: approved submissions to a FIRST_COME section are
// coalesced per section (common/coalescer.h) and a whole batch is decided in
// one transaction with a fixed number of set-wise statements, whatever its
// size: lock the seat row, claim the request ids, lock and read the students
// and their live applications, decide every submission in arrival order in
// memory (checks, then the placement rule of domain/placement.h), then
// insert all applications with their events, seat any waitlisted host
// students the batch's other students made room for, and store all
// responses. The seat-row lock is thus held for a few round
// trips per batch instead of per claim, which is what lets a popular
// section's rush go several times faster than one transaction per claim
// (tests/bench/seat_claim_bench.cc). A refused submission writes nothing; a
// batch that fails as a whole fails every submission in it.
#ifndef OSAN_SERVICES_ENROLLMENT_API_FIRST_COME_H_
#define OSAN_SERVICES_ENROLLMENT_API_FIRST_COME_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit.h"
#include "common/coalescer.h"
#include "common/request_log.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/enrollment/domain/placement.h"
#include "services/enrollment/domain/rules.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment {

// Views of stored applications for CheckAgainstLiveApplications; they point
// into `records`, which must outlive them.
std::vector<LiveApplication> LiveViews(const std::vector<store::ApplicationRecord>& records);

// The section's seats and who holds them, read under its seat lock `seats`.
absl::StatusOr<SeatedClass> ReadSeatedClass(store::Records& records, const std::string& section_id,
                                            const store::Seats& seats);

// Seats the waitlisted students of the section (`section` its catalog entry)
// that the placement rule now admits (Promote), each ENROLLED with `reason`;
// `seated` counts them, and the caller stores seated.enrolled. Returns their
// student names.
absl::StatusOr<std::vector<std::string>> PromoteWaitlist(store::Records& records,
                                                         const catalog::v1::Section& section,
                                                         const std::string& section_id,
                                                         SeatedClass& seated, int max_seats,
                                                         const std::string& reason);

class FirstComeSubmissions {
 public:
  FirstComeSubmissions(store::Store* store, StudentLimits limits, int max_batch);

  struct Submission {
    db::RequestKey key;
    // The new application: ids, section snapshot, credits, rank, host,
    // decided_by set; state and reason are decided here.
    store::ApplicationRecord record;
    int capacity = 0;
    absl::StatusOr<v1::Application> result = absl::InternalError("not run");
    // The submitting thread's audited calls (audit::StandingCalls).
    std::vector<audit::CallRecord*> audited_calls = audit::TransactionScope::Current();
  };

  // Decides `submission` in its section's next batch; returns the stored
  // application (ENROLLED, WAITLISTED or NOT_PLACED) or why it was refused.
  absl::StatusOr<v1::Application> Submit(Submission submission);

  // Batches decided so far, and the submissions they carried.
  int64_t batches() const { return coalescer_.batches(); }
  int64_t submissions() const { return coalescer_.requests(); }
  // Submissions queued so far, decided or waiting for their batch.
  int64_t queued() const { return coalescer_.submitted(); }

 private:
  void RunBatch(const std::string& section_id, const std::vector<Submission*>& batch);
  absl::Status Decide(store::Records& records, const std::vector<Submission*>& batch,
                      std::vector<absl::StatusOr<v1::Application>>& results);

  store::Store* const store_;
  const StudentLimits limits_;
  Coalescer<Submission> coalescer_;
};

}  // namespace osan::enrollment

#endif  // OSAN_SERVICES_ENROLLMENT_API_FIRST_COME_H_
