// PostgreSQL storage of credit records. Every function runs inside the
// caller's transaction and never commits. Records are append-only: writes add
// versions; nothing is updated or deleted.
#ifndef OSAN_SERVICES_CREDIT_STORE_CREDIT_STORE_H_
#define OSAN_SERVICES_CREDIT_STORE_CREDIT_STORE_H_

#include <limits>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/paging.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/report.h"
#include "services/credit/domain/rules.h"

namespace osan::credit::store {

using Tx = pqxx::transaction_base;

const std::vector<db::Statement>& Statements();

// A student as (school code, student key).
using StudentRef = std::pair<std::string, std::string>;

// ----- The rules of the record (rows of 002_record_rules.sql) ---------------

// Every completion rule row, each checked with ValidateRule (INTERNAL if a
// row is malformed).
absl::StatusOr<std::vector<v1::CompletionRule>> LoadRules(Tx& tx);
absl::StatusOr<std::vector<RemarksLabel>> LoadRemarksLabels(Tx& tx);
absl::StatusOr<std::vector<SupportKind>> LoadSupportKinds(Tx& tx);

// ----- Attendance and assessment --------------------------------------------

// The latest version of each recorded session, by session number; with
// `history`, every version.
absl::StatusOr<std::vector<v1::SessionAttendance>> Attendance(Tx& tx, const std::string& section_id,
                                                              bool history);
// The same in pages: after `after` (a position from an earlier page; empty:
// the first), at most `limit`.
absl::StatusOr<Page<v1::SessionAttendance>> Attendance(Tx& tx, const std::string& section_id,
                                                       bool history, const std::string& after,
                                                       int limit);
// How many distinct sessions have been recorded.
int SessionsHeld(Tx& tx, const std::string& section_id);
// The latest version number of a session (0 if never recorded).
absl::StatusOr<int> AttendanceVersion(Tx& tx, const std::string& section_id, int session_number);
absl::Status InsertAttendance(Tx& tx, const std::string& section_id,
                              const v1::SessionAttendance& record);

absl::StatusOr<int> AssessmentVersion(Tx& tx, const std::string& section_id,
                                      const StudentRef& student);
absl::Status InsertAssessment(Tx& tx, const std::string& section_id, const StudentRef& student,
                              const v1::Assessment& assessment);
// The latest assessment of every assessed student of the section.
absl::StatusOr<std::map<StudentRef, v1::Assessment>> LatestAssessments(
    Tx& tx, const std::string& section_id);

// ----- Preventive instruction ------------------------------------------------

absl::Status InsertPreventive(Tx& tx, const std::string& section_id, const StudentRef& student,
                              const v1::SupportRecord& record);
// The section's preventive instruction records by student, oldest first.
absl::StatusOr<std::map<StudentRef, std::vector<v1::SupportRecord>>> PreventiveRecords(
    Tx& tx, const std::string& section_id);

// ----- Finalization and the ledger ------------------------------------------

// Locks the section's finalization row: true if it was finalized before.
// Every write to the ledger of a finalized section holds this lock first, so
// a section's results change one transaction at a time.
absl::StatusOr<bool> IsFinalized(Tx& tx, const std::string& section_id);
absl::Status MarkFinalized(Tx& tx, const std::string& section_id, const std::string& who);

struct EntryKey {
  std::string entry_id;
  StudentRef student;
  std::string section_id;
  std::string host_code;
};

// Appends `entry` (its version set by the caller) and its result event.
absl::Status AppendEntry(Tx& tx, const EntryKey& key, const v1::LedgerEntry& entry);
// The latest version of the entry (locked with `for_update`) and its key.
absl::StatusOr<std::pair<EntryKey, v1::LedgerEntry>> LatestEntry(Tx& tx,
                                                                 const std::string& entry_id,
                                                                 bool for_update);
// The versions of an entry, oldest first, after version `after` (empty:
// from the first), at most `limit`.
absl::StatusOr<Page<v1::LedgerEntry>> EntryHistory(Tx& tx, const std::string& entry_id,
                                                   const std::string& after, int limit);
// The latest version of every entry of the section, with its key.
absl::StatusOr<std::vector<std::pair<EntryKey, v1::LedgerEntry>>> SectionEntries(
    Tx& tx, const std::string& section_id);
// The latest version of every entry of the student.
absl::StatusOr<std::vector<v1::LedgerEntry>> StudentEntries(Tx& tx, const StudentRef& student);
// The latest version of every result of the sections (ids), for reports:
// section, home school, outcome and credits earned, never the student.
absl::StatusOr<std::vector<ResultFact>> LatestResultsOfSections(
    Tx& tx, const std::vector<std::string>& section_ids);
// A page size that reads every row (one less than the largest int: paged
// queries ask for one row more than the page).
inline constexpr int kEverything = std::numeric_limits<int>::max() - 1;

// The latest versions of `school_code`'s entries not yet acknowledged, by
// record time then entry id, from after `after` (a position from an earlier
// page; empty: the first), at most `limit` (kEverything: all).
absl::StatusOr<Page<v1::LedgerEntry>> PendingEntries(Tx& tx, const std::string& school_code,
                                                     const std::string& after, int limit);

// Records the acknowledgement (again: no change) and returns it.
absl::StatusOr<v1::Acknowledgement> Acknowledge(Tx& tx, const std::string& entry_id, int version,
                                                const std::string& who);

// ----- The result feed ------------------------------------------------------

// Events after `cursor` ("txid.seq", empty = start) of finished
// transactions, for `school_code` (empty = all), at most `limit`.
absl::StatusOr<std::vector<v1::ResultEvent>> ReadResultEvents(Tx& tx, const std::string& cursor,
                                                              const std::string& school_code,
                                                              int limit);

}  // namespace osan::credit::store

#endif  // OSAN_SERVICES_CREDIT_STORE_CREDIT_STORE_H_
