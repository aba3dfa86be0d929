// What enrollment's use cases read and write in one transaction, apart from
// the database: PgRecords (enrollment_store.h) over PostgreSQL, MemoryRecords
// (memory_records.h) its in-memory twin for unit tests of the use cases.
//
// Every change of an application's state appends its change event in the
// same transaction. Reads return NOT_FOUND naming the resource.
#ifndef OSAN_SERVICES_ENROLLMENT_STORE_RECORDS_H_
#define OSAN_SERVICES_ENROLLMENT_STORE_RECORDS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/paging.h"
#include "common/request_log.h"
#include "common/unit_of_work.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::enrollment::store {

// Whether a read locks what it reads until the transaction ends: concurrent
// requests for one student or application serialise on it.
enum class Lock { kNone, kForUpdate };

// A student as (school code, student key).
using StudentRef = std::pair<std::string, std::string>;

// `students` in key order, each once: the order in which transactions lock
// students, so that they never deadlock each other.
std::vector<StudentRef> InLockOrder(std::vector<StudentRef> students);

// Pseudonymous students, by school and key. Students carry no grade: callers
// derive it for the school year they ask about (rules.h: WithGradeAt).
class Students {
 public:
  virtual ~Students() = default;
  // ALREADY_EXISTS if the school has the key already.
  virtual absl::Status InsertStudent(const std::string& school, const v1::Student& student) = 0;
  virtual absl::StatusOr<v1::Student> GetStudent(const std::string& school, const std::string& key,
                                                 Lock lock = Lock::kNone) = 0;
  // The school's students by key.
  virtual absl::StatusOr<Page<v1::Student>> ListStudents(const std::string& school,
                                                         const std::string& after, int limit) = 0;
  // Locks the students (in key order, so batches never deadlock each other)
  // and returns those that exist.
  virtual absl::StatusOr<std::map<StudentRef, v1::Student>> LockStudents(
      const std::vector<StudentRef>& students) = 0;
};

// An application with what the service needs beside its API form.
struct ApplicationRecord {
  std::string id;
  std::string school_code;
  std::string student_key;
  std::string term_id;
  std::string section_id;
  int credits = 0;
  int64_t version = 0;           // of the stored row; the etag says it as text
  catalog::v1::Section section;  // snapshot taken when applied for
  v1::Application application;   // the API form, output fields filled
};

// ALREADY_EXISTS: a write would give a student a second live application to
// one section, or for one preference rank of a term.
absl::Status LiveApplicationExists();

// Applications, by id. A live application (SUBMITTED, APPROVED,
// HOST_ACCEPTED, ENROLLED or WAITLISTED) is unique per student and section,
// and per student, term and preference rank: a write that would break either
// is ALREADY_EXISTS. Waitlisted applications keep the order they joined in.
class Applications {
 public:
  virtual ~Applications() = default;
  // Stores `record` as version 1 (state, reason, decided_by from its
  // application; WAITLISTED joins the section's waitlist) with its event.
  virtual absl::Status InsertApplication(const ApplicationRecord& record) = 0;
  // Inserts new applications of one section with their events, in order
  // (waitlisted ones join the waitlist in that order). `records` carry their
  // complete API form, which the events carry as given.
  virtual absl::Status InsertApplications(const std::vector<ApplicationRecord>& records) = 0;
  virtual absl::StatusOr<ApplicationRecord> GetApplication(const std::string& id,
                                                           Lock lock = Lock::kNone) = 0;
  // Sets state, reason and decider (a WAITLISTED application joins the end
  // of its section's waitlist), bumps the version, appends the change event,
  // and returns the application as now stored.
  virtual absl::StatusOr<v1::Application> SetState(const std::string& id,
                                                   v1::ApplicationState state,
                                                   const std::string& reason,
                                                   const std::string& decided_by) = 0;
  // By id. Exactly one of `school_code` / `section_id` is given; `state`
  // unspecified matches all.
  virtual absl::StatusOr<Page<v1::Application>> ListApplications(const std::string& school_code,
                                                                 const std::string& section_id,
                                                                 v1::ApplicationState state,
                                                                 const std::string& after,
                                                                 int limit) = 0;

  // The student's live applications in the term.
  virtual absl::StatusOr<std::vector<ApplicationRecord>> LiveApplications(
      const std::string& school, const std::string& key, const std::string& term_id) = 0;
  // The students' live applications in the term (absent: none).
  virtual absl::StatusOr<std::map<StudentRef, std::vector<ApplicationRecord>>> LiveApplicationsOf(
      const std::string& term_id, const std::vector<StudentRef>& students) = 0;
  // The section's live applications, locked.
  virtual absl::StatusOr<std::vector<ApplicationRecord>> LiveApplicationsOfSection(
      const std::string& section_id) = 0;
  // Seats the student holds in the term (ENROLLED applications).
  virtual absl::StatusOr<int> EnrolledCount(const std::string& school, const std::string& key,
                                            const std::string& term_id) = 0;
  // The same for each student (absent = 0).
  virtual absl::StatusOr<std::map<StudentRef, int>> EnrolledCounts(
      const std::string& term_id, const std::vector<StudentRef>& students) = 0;
  // The section's ENROLLED applications by home school.
  virtual absl::StatusOr<std::map<std::string, int>> EnrolledBySchool(
      const std::string& section_id) = 0;
  // The section's WAITLISTED applications in waitlist order, locked: one that
  // is withdrawn concurrently is either not returned or waits for us.
  virtual absl::StatusOr<std::vector<ApplicationRecord>> Waitlist(
      const std::string& section_id) = 0;
  // How many of the section's applications are WAITLISTED.
  virtual absl::StatusOr<int> WaitlistLength(const std::string& section_id) = 0;

  // A page of the section's enrolled students, then its waitlist in order,
  // with the students' names and entry years (grade_level is left to the
  // caller, who knows the term): enrolled by display name and application
  // id, then by waitlist order; after `after` (a position from an earlier
  // page; empty: the first), at most `limit`.
  virtual absl::StatusOr<Page<v1::RosterEntry>> Roster(const std::string& section_id,
                                                       const std::string& after, int limit) = 0;
  // How many of the section's applications are ENROLLED.
  virtual absl::StatusOr<int> RosterEnrolled(const std::string& section_id) = 0;
  // How many of the term's applications each (section, home school, state)
  // holds, ordered by section id, school code and state; counts above zero;
  // one page after position `after` (empty: from the first).
  virtual absl::StatusOr<Page<v1::ApplicationCount>> CountApplications(const std::string& term_id,
                                                                       const std::string& after,
                                                                       int limit) = 0;
};

// A section's seat counter: what every seat change locks.
struct Seats {
  int capacity = 0;
  int enrolled = 0;
  int free() const { return capacity - enrolled; }
};

class SeatCounters {
 public:
  virtual ~SeatCounters() = default;
  // Locks the section's counter, creating it on first use; raises the stored
  // capacity to `capacity` (catalog only lets capacity grow once enrolment is
  // open, so the larger value is the current one).
  virtual absl::StatusOr<Seats> LockSeats(const std::string& section_id, int capacity) = 0;
  // The same for several sections (section id -> catalog capacity), in
  // section id order.
  virtual absl::StatusOr<std::map<std::string, Seats>> LockSeatsOf(
      const std::map<std::string, int>& capacity) = 0;
  // Writes the enrolled count. One negative or above the capacity fails the
  // transaction with INVALID_ARGUMENT: the store refuses to overbook whatever
  // its caller says.
  virtual absl::Status SetEnrolled(const std::string& section_id, int enrolled) = 0;
  // The same for several sections (section id -> count).
  virtual absl::Status SetEnrolledOf(const std::map<std::string, int>& enrolled) = 0;
  // How full each section of the term with at least one application is, by
  // section name: capacity and enrolled from its counter (0 and 0 before its
  // first seat change), and its WAITLISTED applications. Counts only.
  virtual absl::StatusOr<std::vector<v1::SeatCount>> SeatCounts(const std::string& term_id) = 0;
};

// An application waiting for allocation (APPROVED or HOST_ACCEPTED), locked,
// with its student's cohort.
struct Candidate {
  ApplicationRecord record;
  int entry_year = 0;
};

struct AllocationDecisionRow {
  std::string application_id;
  std::string school_code;
  std::string student_key;
  std::string section_name;  // terms/{term}/sections/{id}
  v1::ApplicationState outcome = v1::NOT_PLACED;
  int waitlist_position = 0;  // on the section's whole waitlist
  int lottery_number = 0;
  std::string reason;
};

struct StoredOperation {
  v1::AllocationOperation operation;
  // Not done, and not updated for longer than the grace asked about.
  bool quiet = false;
};

// Allocation runs and their operations (api/allocation_runs.h). A run in
// progress holds its operation for its whole transaction
// (HoldAllocationOperation); progress updates from other transactions do not
// conflict with it, and an operation neither held nor done nor updated for a
// while belongs to a run whose process is gone.
class Allocations {
 public:
  virtual ~Allocations() = default;
  // Whether this transaction is the term's only allocation; holds the term
  // until it ends if so.
  virtual absl::StatusOr<bool> LockTermForAllocation(const std::string& term_id) = 0;
  // The candidates of the term's sections `section_ids`, by application id.
  virtual absl::StatusOr<std::vector<Candidate>> LockAllocationCandidates(
      const std::string& term_id, const std::vector<std::string>& section_ids) = 0;
  // Per section id: enrolled students by home school, and the waitlist length.
  virtual absl::StatusOr<std::map<std::string, std::map<std::string, int>>> EnrolledBySchoolOf(
      const std::vector<std::string>& section_ids) = 0;
  virtual absl::StatusOr<std::map<std::string, int>> WaitlistLengths(
      const std::vector<std::string>& section_ids) = 0;
  // Records `decisions` of run `run_id` in their order, sets each
  // application's state (reason "allocation {run_id}: {reason}", decided by
  // `decided_by`; waitlisted ones join their section's waitlist in the order
  // given) and appends one change event per decision carrying `after[i]`, the
  // application as the decision leaves it.
  virtual absl::Status ApplyAllocation(const std::string& run_id, const std::string& decided_by,
                                       const std::vector<AllocationDecisionRow>& decisions,
                                       const std::vector<v1::Application>& after) = 0;
  // Decisions of a run in its order after ordinal `after` (empty: from the
  // first); empty filters match all.
  virtual absl::StatusOr<Page<v1::AllocationDecision>> ListAllocationDecisions(
      const std::string& run_id, const std::string& section_name, const std::string& school_code,
      const std::string& after, int limit) = 0;
  virtual absl::Status InsertAllocationRun(const std::string& id, const std::string& term_id,
                                           const v1::AllocationRun& run) = 0;
  virtual absl::StatusOr<v1::AllocationRun> GetAllocationRun(const std::string& id) = 0;

  virtual absl::Status InsertAllocationOperation(const std::string& id, const std::string& term_id,
                                                 const v1::AllocationOperation& operation) = 0;
  virtual absl::StatusOr<StoredOperation> GetAllocationOperation(const std::string& id,
                                                                 absl::Duration grace) = 0;
  // Holds the operation for the transaction; FAILED_PRECONDITION if it is
  // already done (e.g. given up as interrupted).
  virtual absl::Status HoldAllocationOperation(const std::string& id) = 0;
  // Rewrites a not-done operation (done when `operation.done()`); false if it
  // was done already.
  virtual absl::StatusOr<bool> UpdateAllocationOperation(
      const std::string& id, const v1::AllocationOperation& operation) = 0;
  // Rewrites the operation as `failed` only if no run holds it, it is not
  // done and it has not been updated for `grace`; true if it did.
  virtual absl::StatusOr<bool> AbandonAllocationOperation(const std::string& id,
                                                          const v1::AllocationOperation& failed,
                                                          absl::Duration grace) = 0;
};

// A position in the change feed: after the event `seq` of transaction `txid`.
struct FeedCursor {
  std::string txid = "0";  // decimal
  int64_t seq = 0;
  std::string Encode() const;
  // The start for empty text; INVALID_ARGUMENT for a malformed cursor.
  static absl::StatusOr<FeedCursor> Decode(absl::string_view text);
};

struct FeedFilter {
  // Empty = every school / host. A principal that is both sees either.
  std::string school_code;
  std::string host_code;
  bool everything = false;
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // Up to `limit` events after `after` that `filter` selects, of
  // transactions that have finished (older than the oldest still running),
  // in (txid, seq) order: an event that commits late never appears behind a
  // cursor already handed out.
  virtual absl::StatusOr<std::vector<v1::ChangeEvent>> ReadEvents(const FeedCursor& after,
                                                                  const FeedFilter& filter,
                                                                  int limit) = 0;
};

// Everything one transaction of enrollment reads and writes, with the
// responses of the mutations it ran.
class Records : public Students,
                public Applications,
                public SeatCounters,
                public Allocations,
                public ChangeFeed,
                public db::RequestLog {
 public:
  // The transaction's time, in microseconds since the epoch: the create and
  // update time of everything the transaction writes.
  virtual absl::StatusOr<int64_t> TransactionMicros() = 0;
  // Runs `body` on the same transaction's records so that, if it fails, what
  // it wrote is undone and the rest of the transaction stands (a savepoint).
  // Returns the body's status; a write of the body that breaks a uniqueness
  // rule of the records is ALREADY_EXISTS. Other refusals of the store
  // (SetEnrolled's) fail the whole transaction, as outside a savepoint.
  virtual absl::Status Savepoint(absl::FunctionRef<absl::Status(Records&)> body) = 0;
};

using Store = UnitOfWork<Records>;

}  // namespace osan::enrollment::store

#endif  // OSAN_SERVICES_ENROLLMENT_STORE_RECORDS_H_
