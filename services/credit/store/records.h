// What credit-record's use cases read and write in one transaction, apart
// from the database: PgRecords (credit_store.h) over PostgreSQL, MemoryRecords
// (memory_records.h) its in-memory twin for unit tests of the use cases.
// Records are append-only: writes add versions; nothing is updated or
// deleted.
#ifndef OSAN_SERVICES_CREDIT_STORE_RECORDS_H_
#define OSAN_SERVICES_CREDIT_STORE_RECORDS_H_

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/paging.h"
#include "common/request_log.h"
#include "common/unit_of_work.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/report.h"
#include "services/credit/domain/rules.h"

namespace osan::credit::store {

// A student as (school code, student key).
using StudentRef = std::pair<std::string, std::string>;

// Where an entry of the ledger belongs.
struct EntryKey {
  std::string entry_id;
  StudentRef student;
  std::string section_id;
  std::string host_code;
};

// A page size that reads every row (one less than the largest int: paged
// queries ask for one row more than the page).
inline constexpr int kEverything = std::numeric_limits<int>::max() - 1;

// The rules of the record (rows of 002_record_rules.sql).
class RuleBook {
 public:
  virtual ~RuleBook() = default;
  // Every completion rule, each checked with ValidateRule (INTERNAL if one
  // is malformed).
  virtual absl::StatusOr<std::vector<v1::CompletionRule>> LoadRules() = 0;
  virtual absl::StatusOr<std::vector<RemarksLabel>> LoadRemarksLabels() = 0;
  virtual absl::StatusOr<std::vector<SupportKind>> LoadSupportKinds() = 0;
};

// Attendance, assessment and preventive instruction during the term.
class TermRecords {
 public:
  virtual ~TermRecords() = default;
  // The latest version of each recorded session, by session number; with
  // `history`, every version; after `after` (a position from an earlier page;
  // empty: the first), at most `limit` (kEverything: all).
  virtual absl::StatusOr<Page<v1::SessionAttendance>> Attendance(const std::string& section_id,
                                                                 bool history,
                                                                 const std::string& after,
                                                                 int limit) = 0;
  // How many distinct sessions have been recorded.
  virtual int SessionsHeld(const std::string& section_id) = 0;
  // The latest version number of a session (0 if never recorded).
  virtual absl::StatusOr<int> AttendanceVersion(const std::string& section_id,
                                                int session_number) = 0;
  virtual absl::Status InsertAttendance(const std::string& section_id,
                                        const v1::SessionAttendance& record) = 0;

  // The latest version number of the student's assessment (0 if none).
  virtual absl::StatusOr<int> AssessmentVersion(const std::string& section_id,
                                                const StudentRef& student) = 0;
  virtual absl::Status InsertAssessment(const std::string& section_id, const StudentRef& student,
                                        const v1::Assessment& assessment) = 0;
  // The latest assessment of every assessed student of the section.
  virtual absl::StatusOr<std::map<StudentRef, v1::Assessment>> LatestAssessments(
      const std::string& section_id) = 0;

  virtual absl::Status InsertPreventive(const std::string& section_id, const StudentRef& student,
                                        const v1::SupportRecord& record) = 0;
  // The section's preventive instruction records by student, oldest first.
  virtual absl::StatusOr<std::map<StudentRef, std::vector<v1::SupportRecord>>> PreventiveRecords(
      const std::string& section_id) = 0;

  // Locks the section's finalization: true if it was finalized before. Every
  // write to the ledger of a finalized section holds this lock first, so a
  // section's results change one transaction at a time.
  virtual absl::StatusOr<bool> IsFinalized(const std::string& section_id) = 0;
  virtual absl::Status MarkFinalized(const std::string& section_id, const std::string& who) = 0;
};

// The versioned ledger of results and their acknowledgements.
class Ledger {
 public:
  virtual ~Ledger() = default;
  // Appends `entry` (its version set by the caller) and its result event.
  virtual absl::Status AppendEntry(const EntryKey& key, const v1::LedgerEntry& entry) = 0;
  // The latest version of the entry (locked with `for_update`) and its key;
  // NOT_FOUND if there is none.
  virtual absl::StatusOr<std::pair<EntryKey, v1::LedgerEntry>> LatestEntry(
      const std::string& entry_id, bool for_update) = 0;
  // The versions of an entry, oldest first, after version `after` (empty:
  // from the first), at most `limit`.
  virtual absl::StatusOr<Page<v1::LedgerEntry>> EntryHistory(const std::string& entry_id,
                                                             const std::string& after,
                                                             int limit) = 0;
  // The latest version of every entry of the section, with its key.
  virtual absl::StatusOr<std::vector<std::pair<EntryKey, v1::LedgerEntry>>> SectionEntries(
      const std::string& section_id) = 0;
  // The latest version of every entry of the student.
  virtual absl::StatusOr<std::vector<v1::LedgerEntry>> StudentEntries(
      const StudentRef& student) = 0;
  // The latest version of every result of the sections (ids), for reports:
  // section, home school, outcome and credits earned, never the student.
  virtual absl::StatusOr<std::vector<ResultFact>> LatestResultsOfSections(
      const std::vector<std::string>& section_ids) = 0;
  // The latest versions of `school_code`'s entries not yet acknowledged, by
  // record time then entry id, after `after` (a position from an earlier
  // page; empty: the first), at most `limit` (kEverything: all).
  virtual absl::StatusOr<Page<v1::LedgerEntry>> PendingEntries(const std::string& school_code,
                                                               const std::string& after,
                                                               int limit) = 0;
  // Records the acknowledgement at `now` (again: no change, the first one
  // stays) and returns it.
  virtual absl::StatusOr<v1::Acknowledgement> Acknowledge(const std::string& entry_id, int version,
                                                          const std::string& who,
                                                          absl::Time now) = 0;
  // Events after `cursor` ("txid.seq", empty = start) of committed
  // transactions, for `school_code` (empty = all), at most `limit`.
  virtual absl::StatusOr<std::vector<v1::ResultEvent>> ReadResultEvents(
      const std::string& cursor, const std::string& school_code, int limit) = 0;
};

// Everything one transaction of credit-record reads and writes, with the
// responses of the mutations it ran.
class Records : public RuleBook, public TermRecords, public Ledger, public db::RequestLog {};

using Store = UnitOfWork<Records>;

}  // namespace osan::credit::store

#endif  // OSAN_SERVICES_CREDIT_STORE_RECORDS_H_
