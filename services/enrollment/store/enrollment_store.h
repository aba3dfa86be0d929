// PostgreSQL storage of enrollment (records.h): every call runs inside the
// transaction (or subtransaction) the PgRecords was made with and never
// commits. Statements are named and prepared once per connection (register
// `Statements()` with the pool).
#ifndef OSAN_SERVICES_ENROLLMENT_STORE_ENROLLMENT_STORE_H_
#define OSAN_SERVICES_ENROLLMENT_STORE_ENROLLMENT_STORE_H_

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/idempotency.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment::store {

const std::vector<db::Statement>& Statements();

class PgRecords final : public db::PgRecordsBase<Records> {
 public:
  explicit PgRecords(pqxx::dbtransaction& tx) : PgRecordsBase(tx), transaction_(tx) {}

  absl::Status InsertStudent(const std::string& school, const v1::Student& student) override;
  absl::StatusOr<v1::Student> GetStudent(const std::string& school, const std::string& key,
                                         Lock lock) override;
  absl::StatusOr<Page<v1::Student>> ListStudents(const std::string& school,
                                                 const std::string& after, int limit) override;
  absl::StatusOr<std::map<StudentRef, v1::Student>> LockStudents(
      const std::vector<StudentRef>& students) override;
  absl::Status InsertApplication(const ApplicationRecord& record) override;
  absl::Status InsertApplications(const std::vector<ApplicationRecord>& records) override;
  absl::StatusOr<ApplicationRecord> GetApplication(const std::string& id, Lock lock) override;
  absl::StatusOr<v1::Application> SetState(const std::string& id, v1::ApplicationState state,
                                           const std::string& reason,
                                           const std::string& decided_by) override;
  absl::StatusOr<Page<v1::Application>> ListApplications(const std::string& school_code,
                                                         const std::string& section_id,
                                                         v1::ApplicationState state,
                                                         const std::string& after,
                                                         int limit) override;
  absl::StatusOr<std::vector<ApplicationRecord>> LiveApplications(
      const std::string& school, const std::string& key, const std::string& term_id) override;
  absl::StatusOr<std::map<StudentRef, std::vector<ApplicationRecord>>> LiveApplicationsOf(
      const std::string& term_id, const std::vector<StudentRef>& students) override;
  absl::StatusOr<std::vector<ApplicationRecord>> LiveApplicationsOfSection(
      const std::string& section_id) override;
  absl::StatusOr<int> EnrolledCount(const std::string& school, const std::string& key,
                                    const std::string& term_id) override;
  absl::StatusOr<std::map<StudentRef, int>> EnrolledCounts(
      const std::string& term_id, const std::vector<StudentRef>& students) override;
  absl::StatusOr<std::map<std::string, int>> EnrolledBySchool(
      const std::string& section_id) override;
  absl::StatusOr<std::vector<ApplicationRecord>> Waitlist(const std::string& section_id) override;
  absl::StatusOr<int> WaitlistLength(const std::string& section_id) override;
  absl::StatusOr<Page<v1::RosterEntry>> Roster(const std::string& section_id,
                                               const std::string& after, int limit) override;
  absl::StatusOr<int> RosterEnrolled(const std::string& section_id) override;
  absl::StatusOr<Page<v1::ApplicationCount>> CountApplications(const std::string& term_id,
                                                               const std::string& after,
                                                               int limit) override;
  absl::StatusOr<Seats> LockSeats(const std::string& section_id, int capacity) override;
  absl::StatusOr<std::map<std::string, Seats>> LockSeatsOf(
      const std::map<std::string, int>& capacity) override;
  absl::Status SetEnrolled(const std::string& section_id, int enrolled) override;
  absl::Status SetEnrolledOf(const std::map<std::string, int>& enrolled) override;
  absl::StatusOr<std::vector<v1::SeatCount>> SeatCounts(const std::string& term_id) override;
  absl::StatusOr<bool> LockTermForAllocation(const std::string& term_id) override;
  absl::StatusOr<std::vector<Candidate>> LockAllocationCandidates(
      const std::string& term_id, const std::vector<std::string>& section_ids) override;
  absl::StatusOr<std::map<std::string, std::map<std::string, int>>> EnrolledBySchoolOf(
      const std::vector<std::string>& section_ids) override;
  absl::StatusOr<std::map<std::string, int>> WaitlistLengths(
      const std::vector<std::string>& section_ids) override;
  absl::StatusOr<int64_t> TransactionMicros() override;
  absl::Status ApplyAllocation(const std::string& run_id, const std::string& decided_by,
                               const std::vector<AllocationDecisionRow>& decisions,
                               const std::vector<v1::Application>& after) override;
  absl::StatusOr<Page<v1::AllocationDecision>> ListAllocationDecisions(
      const std::string& run_id, const std::string& section_name, const std::string& school_code,
      const std::string& after, int limit) override;
  absl::Status InsertAllocationRun(const std::string& id, const std::string& term_id,
                                   const v1::AllocationRun& run) override;
  absl::StatusOr<v1::AllocationRun> GetAllocationRun(const std::string& id) override;
  absl::Status InsertAllocationOperation(const std::string& id, const std::string& term_id,
                                         const v1::AllocationOperation& operation) override;
  absl::StatusOr<StoredOperation> GetAllocationOperation(const std::string& id,
                                                         absl::Duration grace) override;
  absl::Status HoldAllocationOperation(const std::string& id) override;
  absl::StatusOr<bool> UpdateAllocationOperation(const std::string& id,
                                                 const v1::AllocationOperation& operation) override;
  absl::StatusOr<bool> AbandonAllocationOperation(const std::string& id,
                                                  const v1::AllocationOperation& failed,
                                                  absl::Duration grace) override;
  absl::StatusOr<std::vector<v1::ChangeEvent>> ReadEvents(const FeedCursor& after,
                                                          const FeedFilter& filter,
                                                          int limit) override;
  // A subtransaction; a unique violation in `body` is ALREADY_EXISTS.
  absl::Status Savepoint(absl::FunctionRef<absl::Status(Records&)> body) override;

 private:
  pqxx::dbtransaction& transaction_;  // tx_, as what savepoints nest in
};

// Enrollment's store in PostgreSQL.
using PgStore = db::PgUnitOfWork<Records, PgRecords>;

}  // namespace osan::enrollment::store

#endif  // OSAN_SERVICES_ENROLLMENT_STORE_ENROLLMENT_STORE_H_
