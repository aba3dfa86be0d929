// The in-memory twin of enrollment's store (records.h): the same reads and
// writes, in the same orders and with the same page positions, on maps, for
// unit tests of the use cases. Where PostgreSQL's constraints refuse a write
// (unique indexes, foreign keys, CHECKs), the twin refuses it with the status
// PgUnitOfWork and PgRecords::Savepoint map the violation to. The SQL itself
// is tested against PostgreSQL by the integration tests.
#ifndef OSAN_SERVICES_ENROLLMENT_STORE_MEMORY_RECORDS_H_
#define OSAN_SERVICES_ENROLLMENT_STORE_MEMORY_RECORDS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/request_log.h"
#include "common/unit_of_work.h"
#include "services/enrollment/store/records.h"

namespace osan::enrollment::store {

class MemoryRecords final : public db::MemoryRecordsBase<Records> {
 public:
  // Times (create and update times, events' commit times, TransactionMicros)
  // come from `clock`, read once per transaction, so that all of one
  // transaction's times agree as they do under PostgreSQL's now() (which is
  // the transaction's start; the twin reads its clock when the transaction
  // first needs a time). A copy of the records begins the
  // next transaction and reads it again (MemoryUnitOfWork runs each
  // transaction on a copy; a Savepoint's copy continues its transaction), so
  // records used directly, without copies, keep their first time.
  explicit MemoryRecords(std::function<absl::Time()> clock = absl::Now)
      : clock_(std::move(clock)) {}

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
  // No other transaction runs meanwhile, so no run holds the operation: only
  // its state and age decide.
  absl::StatusOr<bool> AbandonAllocationOperation(const std::string& id,
                                                  const v1::AllocationOperation& failed,
                                                  absl::Duration grace) override;

  // Every event is visible, the running transaction's own included (the
  // store's reader sees a transaction's events once it has ended).
  absl::StatusOr<std::vector<v1::ChangeEvent>> ReadEvents(const FeedCursor& after,
                                                          const FeedFilter& filter,
                                                          int limit) override;

  // Runs `body` on a copy of the records, kept only if it returns OK.
  absl::Status Savepoint(absl::FunctionRef<absl::Status(Records&)> body) override;

  // For tests that check what a call left, without locking or changing it:
  // the section's seat counter (none before its first LockSeats), and how
  // many change events have been appended.
  std::optional<Seats> SeatCounter(const std::string& section_id) const;
  int EventCount() const { return static_cast<int>(events_.size()); }

 private:
  struct StudentRow {
    int entry_year = 0;
    std::string display_name;
    int64_t create_micros = 0;
  };
  // An application's columns (001_enrollment.sql).
  struct ApplicationRow {
    std::string school_code;
    std::string student_key;
    std::string term_id;
    std::string section_id;
    std::string section_name;
    std::string host_code;
    int credits = 0;
    catalog::v1::Section section;
    int preference_rank = 0;
    v1::ApplicationState state = v1::APPLICATION_STATE_UNSPECIFIED;
    int64_t waitlist_order = 0;  // 0 unless WAITLISTED (PostgreSQL's NULL)
    std::string reason;
    std::string decided_by;
    int64_t version = 1;
    int64_t create_micros = 0;
    int64_t update_micros = 0;
  };
  struct Event {
    uint64_t txid = 0;
    int64_t seq = 0;
    std::string school_code;
    std::string host_code;
    v1::Application application;
    int64_t commit_micros = 0;
  };
  struct Operation {
    v1::AllocationOperation operation;
    bool done = false;
    int64_t update_micros = 0;
  };
  // The running transaction's own: its time and its number (its events'
  // txid).
  struct Transaction {
    int64_t micros = 0;
    uint64_t txid = 0;
  };
  // The running transaction once it has begun. A copy of the records has
  // none (it is the next transaction's); a move keeps it.
  struct Running {
    Running() = default;
    Running(const Running&) {}
    Running& operator=(const Running&) {
      transaction.reset();
      return *this;
    }
    Running(Running&&) = default;
    Running& operator=(Running&&) = default;
    std::optional<Transaction> transaction;
  };

  static v1::Student StudentOf(const StudentRef& ref, const StudentRow& row);
  // The row InsertApplications stores for `record`: its own columns, and
  // those of its section from `shared` (the batch's first record).
  static ApplicationRow RowOf(const ApplicationRecord& record, const ApplicationRecord& shared);

  // The running transaction, begun (its time read, its number taken) if it
  // had not been.
  const Transaction& Current();
  // `row` as PgRecords reads it back, with its waitlist position.
  ApplicationRecord RecordOf(const std::string& id, const ApplicationRow& row) const;
  // 1-based among its section's WAITLISTED applications by waitlist order;
  // 0 unless WAITLISTED.
  int WaitlistPosition(const ApplicationRow& row) const;
  // What the tables' constraints refuse of `row` stored as application `id`:
  // its preference rank out of range, its student missing, a second live
  // application of the student for its section or preference rank.
  absl::Status CheckApplication(const std::string& id, const ApplicationRow& row) const;
  // Stores `row` as application `id` (new), checked; WAITLISTED joins the
  // waitlist.
  absl::Status Insert(const std::string& id, ApplicationRow row);
  void AppendEvent(const std::string& school_code, const std::string& host_code,
                   const v1::Application& application);
  // The applications whose rows `keep` selects, by id.
  template <class Keep>
  std::vector<ApplicationRecord> RecordsWhere(const Keep& keep) const;
  // Not done, and not updated for longer than `grace` before the
  // transaction's time.
  bool Quiet(const Operation& operation, absl::Duration grace);

  std::function<absl::Time()> clock_;
  Running running_;
  uint64_t transactions_ = 0;  // begun and kept: the last txid
  std::map<StudentRef, StudentRow> students_;
  std::map<std::string, ApplicationRow> applications_;  // by id
  int64_t waitlist_order_ = 0;                          // the sequence's last value
  std::map<std::string, Seats> seats_;                  // by section id
  std::vector<Event> events_;                           // in (txid, seq) order
  int64_t event_seq_ = 0;
  std::map<std::string, v1::AllocationRun> runs_;                        // by id
  std::map<std::string, std::vector<AllocationDecisionRow>> decisions_;  // by run id, ordinal - 1
  std::map<std::string, Operation> operations_;                          // by id
};

using MemoryStore = MemoryUnitOfWork<Records, MemoryRecords>;

}  // namespace osan::enrollment::store

#endif  // OSAN_SERVICES_ENROLLMENT_STORE_MEMORY_RECORDS_H_
