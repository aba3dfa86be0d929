// PostgreSQL storage of enrollment. Every function runs inside the caller's
// transaction (or subtransaction) and never commits. Every change of an
// application's state appends its change event in the same transaction.
#ifndef OSAN_SERVICES_ENROLLMENT_STORE_ENROLLMENT_STORE_H_
#define OSAN_SERVICES_ENROLLMENT_STORE_ENROLLMENT_STORE_H_

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/paging.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::enrollment::store {

using Tx = pqxx::transaction_base;

const std::vector<db::Statement>& Statements();

// ----- Students -------------------------------------------------------------
absl::Status InsertStudent(Tx& tx, const std::string& school, const v1::Student& student);
// `for_update` locks the student's row: concurrent requests for one student
// (applications, seat claims) serialise on it.
absl::StatusOr<v1::Student> GetStudent(Tx& tx, const std::string& school, const std::string& key,
                                       bool for_update = false);
absl::StatusOr<Page<v1::Student>> ListStudents(Tx& tx, const std::string& school,
                                               const std::string& after, int limit);

// ----- Applications ---------------------------------------------------------

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

absl::Status InsertApplication(Tx& tx, const ApplicationRecord& record);
absl::StatusOr<ApplicationRecord> GetApplication(Tx& tx, const std::string& id,
                                                 bool for_update = false);
// The student's live applications in the term.
absl::StatusOr<std::vector<ApplicationRecord>> LiveApplications(Tx& tx, const std::string& school,
                                                                const std::string& key,
                                                                const std::string& term_id);
// Sets state, reason and decider (and the waitlist order when WAITLISTED),
// appends the change event, and returns the application as now stored.
absl::StatusOr<v1::Application> SetState(Tx& tx, const std::string& id, v1::ApplicationState state,
                                         const std::string& reason, const std::string& decided_by);

// Filters: exactly one of school_code / section_id; state unspecified = all.
absl::StatusOr<Page<v1::Application>> ListApplications(Tx& tx, const std::string& school_code,
                                                       const std::string& section_id,
                                                       v1::ApplicationState state,
                                                       const std::string& after, int limit);
// Live applications of a section, locked.
absl::StatusOr<std::vector<ApplicationRecord>> LiveApplicationsOfSection(
    Tx& tx, const std::string& section_id);
// Seats the student holds in the term.
absl::StatusOr<int> EnrolledCount(Tx& tx, const std::string& school, const std::string& key,
                                  const std::string& term_id);
// The section's WAITLISTED applications in waitlist order, locked: one that
// is withdrawn concurrently is either not returned or waits for us.
absl::StatusOr<std::vector<ApplicationRecord>> Waitlist(Tx& tx, const std::string& section_id);

// ----- Batches (the first-come rush; see api/first_come.h) -----------------

// A student as (school code, student key).
using StudentRef = std::pair<std::string, std::string>;

// Locks the students' rows (in key order, so batches never deadlock each
// other) and returns those that exist.
absl::StatusOr<std::map<StudentRef, v1::Student>> LockStudents(
    Tx& tx, const std::vector<StudentRef>& students);
// The students' live applications in the term.
absl::StatusOr<std::map<StudentRef, std::vector<ApplicationRecord>>> LiveApplicationsOf(
    Tx& tx, const std::string& term_id, const std::vector<StudentRef>& students);
// Seats each student holds in the term (absent = 0).
absl::StatusOr<std::map<StudentRef, int>> EnrolledCounts(Tx& tx, const std::string& term_id,
                                                         const std::vector<StudentRef>& students);
// ENROLLED applications of the section by home school.
absl::StatusOr<std::map<std::string, int>> EnrolledBySchool(Tx& tx, const std::string& section_id);
// WAITLISTED applications of the section.
absl::StatusOr<int> WaitlistLength(Tx& tx, const std::string& section_id);
// Inserts new applications of one section with their change events, in
// order (waitlisted ones join the waitlist in that order), with two
// statements. `records` carry their complete API form.
absl::Status InsertApplications(Tx& tx, const std::vector<ApplicationRecord>& records);

// Enrolled then waitlisted applications of the section with the students'
// names and cohorts (grade_level is left to the caller, who knows the term),
// enrolled first, then in waitlist order.
// A page of the section's enrolled students, then its waitlist in order
// (by waitlist order, display name, application id), after `after` (a
// position from an earlier page; empty: the first), at most `limit`.
absl::StatusOr<Page<v1::RosterEntry>> Roster(Tx& tx, const std::string& section_id,
                                             const std::string& after, int limit);
// How many of the section's applications are ENROLLED.
int RosterEnrolled(Tx& tx, const std::string& section_id);
// How many of the term's applications each (section, home school, state)
// holds, ordered by section id, school code and state; counts above zero;
// one page after position `after` (empty: from the first).
absl::StatusOr<Page<v1::ApplicationCount>> CountApplications(Tx& tx, const std::string& term_id,
                                                             const std::string& after, int limit);

// ----- Seats ----------------------------------------------------------------

struct Seats {
  int capacity = 0;
  int enrolled = 0;
  int free() const { return capacity - enrolled; }
};

// Locks the section's seat row, creating it on first use; raises the stored
// capacity to `capacity` (catalog only lets capacity grow once enrolment is
// open, so the larger value is the current one).
absl::StatusOr<Seats> LockSeats(Tx& tx, const std::string& section_id, int capacity);
// Writes the enrolled count; the row's CHECK refuses more than capacity.
absl::Status SetEnrolled(Tx& tx, const std::string& section_id, int enrolled);
// Recounts ENROLLED applications (for verification).
absl::StatusOr<int> CountEnrolled(Tx& tx, const std::string& section_id);
// How full each section of the term with at least one application is, by
// section name: capacity and enrolled from its seat row (0 and 0 before its
// first seat change), and its WAITLISTED applications. Counts only.
absl::StatusOr<std::vector<v1::SeatCount>> SeatCounts(Tx& tx, const std::string& term_id);

// ----- Allocation runs ------------------------------------------------------
//
// A run's data in one transaction: its candidates locked, the seats of its
// sections locked, its decisions written with COPY and applied by one UPDATE,
// and their change events written with COPY (batched: tens of thousands of
// decisions at a region's scale).

// An application waiting for allocation (APPROVED or HOST_ACCEPTED), locked,
// with its student's cohort.
struct Candidate {
  ApplicationRecord record;
  int entry_year = 0;
};
// Whether this transaction is the term's only allocation; holds the term
// until it ends if so.
absl::StatusOr<bool> LockTermForAllocation(Tx& tx, const std::string& term_id);
// The candidates of the term's sections `section_ids`.
absl::StatusOr<std::vector<Candidate>> LockAllocationCandidates(
    Tx& tx, const std::string& term_id, const std::vector<std::string>& section_ids);

// Locks the seat rows of the sections (section id -> catalog capacity), in
// section id order, creating missing ones and raising capacities to the
// catalog's; returns each section's seats.
absl::StatusOr<std::map<std::string, Seats>> LockSeatsOf(
    Tx& tx, const std::map<std::string, int>& capacity);
// Per section id: enrolled students by home school, and the waitlist length.
absl::StatusOr<std::map<std::string, std::map<std::string, int>>> EnrolledBySchoolOf(
    Tx& tx, const std::vector<std::string>& section_ids);
absl::StatusOr<std::map<std::string, int>> WaitlistLengths(
    Tx& tx, const std::vector<std::string>& section_ids);
// Sets each section's enrolled count (section id -> count).
absl::Status SetEnrolledOf(Tx& tx, const std::map<std::string, int>& enrolled);

// The transaction's timestamp (what now() stores), in microseconds since the
// epoch: the update time of everything the transaction changes.
absl::StatusOr<int64_t> TransactionMicros(Tx& tx);

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
// Records `decisions` of run `run_id` in their order, sets each application's
// state (reason "allocation {run_id}: {reason}", decided by `decided_by`;
// waitlisted ones join their section's waitlist in the order given) and
// appends one change event per decision carrying `after[i]`, the application
// as the decision leaves it.
absl::Status ApplyAllocation(Tx& tx, const std::string& run_id, const std::string& decided_by,
                             const std::vector<AllocationDecisionRow>& decisions,
                             const std::vector<v1::Application>& after);
// Decisions of a run in its order after ordinal `after` (empty: from the
// first); filters may be empty.
absl::StatusOr<Page<v1::AllocationDecision>> ListAllocationDecisions(
    Tx& tx, const std::string& run_id, const std::string& section_name,
    const std::string& school_code, const std::string& after, int limit);

absl::Status InsertAllocationRun(Tx& tx, const std::string& id, const std::string& term_id,
                                 const v1::AllocationRun& run);
absl::StatusOr<v1::AllocationRun> GetAllocationRun(Tx& tx, const std::string& id);

// ----- Allocation operations ------------------------------------------------
//
// A run in progress holds a KEY SHARE lock on its operation's row for its
// whole transaction (HoldAllocationOperation); progress updates from other
// transactions do not conflict with it, and a row neither locked nor done
// nor updated for a while belongs to a run whose process is gone.

absl::Status InsertAllocationOperation(Tx& tx, const std::string& id, const std::string& term_id,
                                       const v1::AllocationOperation& operation);
struct StoredOperation {
  v1::AllocationOperation operation;
  // Not done, and not updated for longer than the grace asked about.
  bool quiet = false;
};
absl::StatusOr<StoredOperation> GetAllocationOperation(Tx& tx, const std::string& id,
                                                       absl::Duration grace);
// Locks the row for the transaction (KEY SHARE); FAILED_PRECONDITION if the
// operation is already done (e.g. given up as interrupted).
absl::Status HoldAllocationOperation(Tx& tx, const std::string& id);
// Rewrites a not-done operation (done when `operation.done()`); false if it
// was done already.
absl::StatusOr<bool> UpdateAllocationOperation(Tx& tx, const std::string& id,
                                               const v1::AllocationOperation& operation);
// Rewrites the operation as `failed` only if no run holds it, it is not done
// and it has not been updated for `grace`; true if it did.
absl::StatusOr<bool> AbandonAllocationOperation(Tx& tx, const std::string& id,
                                                const v1::AllocationOperation& failed,
                                                absl::Duration grace);

// ----- Change feed ----------------------------------------------------------

struct FeedCursor {
  std::string txid = "0";  // xid8 as decimal text
  int64_t seq = 0;
  std::string Encode() const;
  // INVALID_ARGUMENT for a malformed cursor.
  static absl::StatusOr<FeedCursor> Decode(absl::string_view text);
};

struct FeedFilter {
  // Empty = every school / host. A principal that is both sees either.
  std::string school_code;
  std::string host_code;
  bool everything = false;
};

// Up to `limit` events after `after`, of transactions that have finished
// (older than the oldest still running), in (txid, seq) order.
absl::StatusOr<std::vector<v1::ChangeEvent>> ReadEvents(Tx& tx, const FeedCursor& after,
                                                        const FeedFilter& filter, int limit);

}  // namespace osan::enrollment::store

#endif  // OSAN_SERVICES_ENROLLMENT_STORE_ENROLLMENT_STORE_H_
