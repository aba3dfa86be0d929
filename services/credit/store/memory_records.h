// The in-memory twin of credit-record's store (records.h): the same reads
// and writes, in the same orders, on maps, for unit tests of the use cases.
// The SQL itself is tested against PostgreSQL by the integration tests.
#ifndef OSAN_SERVICES_CREDIT_STORE_MEMORY_RECORDS_H_
#define OSAN_SERVICES_CREDIT_STORE_MEMORY_RECORDS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/request_log.h"
#include "common/unit_of_work.h"
#include "services/credit/store/records.h"

namespace osan::credit::store {

// The rows of 002_record_rules.sql a test gives the twin.
struct RuleRows {
  std::vector<v1::CompletionRule> completion;
  std::vector<RemarksLabel> remarks;
  std::vector<SupportKind> support;
};

class MemoryRecords final : public db::MemoryRecordsBase<Records> {
 public:
  explicit MemoryRecords(RuleRows rules = {}) : rules_(std::move(rules)) {}

  absl::StatusOr<std::vector<v1::CompletionRule>> LoadRules() override;
  absl::StatusOr<std::vector<RemarksLabel>> LoadRemarksLabels() override;
  absl::StatusOr<std::vector<SupportKind>> LoadSupportKinds() override;

  absl::StatusOr<Page<v1::SessionAttendance>> Attendance(const std::string& section_id,
                                                         bool history, const std::string& after,
                                                         int limit) override;
  int SessionsHeld(const std::string& section_id) override;
  absl::StatusOr<int> AttendanceVersion(const std::string& section_id, int session_number) override;
  absl::Status InsertAttendance(const std::string& section_id,
                                const v1::SessionAttendance& record) override;
  absl::StatusOr<int> AssessmentVersion(const std::string& section_id,
                                        const StudentRef& student) override;
  absl::Status InsertAssessment(const std::string& section_id, const StudentRef& student,
                                const v1::Assessment& assessment) override;
  absl::StatusOr<std::map<StudentRef, v1::Assessment>> LatestAssessments(
      const std::string& section_id) override;
  absl::Status InsertPreventive(const std::string& section_id, const StudentRef& student,
                                const v1::SupportRecord& record) override;
  absl::StatusOr<std::map<StudentRef, std::vector<v1::SupportRecord>>> PreventiveRecords(
      const std::string& section_id) override;
  absl::StatusOr<bool> IsFinalized(const std::string& section_id) override;
  absl::Status MarkFinalized(const std::string& section_id, const std::string& who) override;

  absl::Status AppendEntry(const EntryKey& key, const v1::LedgerEntry& entry) override;
  absl::StatusOr<std::pair<EntryKey, v1::LedgerEntry>> LatestEntry(const std::string& entry_id,
                                                                   bool for_update) override;
  absl::StatusOr<Page<v1::LedgerEntry>> EntryHistory(const std::string& entry_id,
                                                     const std::string& after, int limit) override;
  absl::StatusOr<std::vector<std::pair<EntryKey, v1::LedgerEntry>>> SectionEntries(
      const std::string& section_id) override;
  absl::StatusOr<std::vector<v1::LedgerEntry>> StudentEntries(const StudentRef& student) override;
  absl::StatusOr<std::vector<ResultFact>> LatestResultsOfSections(
      const std::vector<std::string>& section_ids) override;
  absl::StatusOr<Page<v1::LedgerEntry>> PendingEntries(const std::string& school_code,
                                                       const std::string& after,
                                                       int limit) override;
  absl::StatusOr<v1::Acknowledgement> Acknowledge(const std::string& entry_id, int version,
                                                  const std::string& who, absl::Time now) override;
  absl::StatusOr<std::vector<v1::ResultEvent>> ReadResultEvents(const std::string& cursor,
                                                                const std::string& school_code,
                                                                int limit) override;

  // How many versions the ledger holds, of every entry (for tests that
  // check what a refused or repeated call left).
  int LedgerVersions() const;

 private:
  struct LedgerRow {
    EntryKey key;
    std::vector<v1::LedgerEntry> versions;  // version i + 1 at i
  };
  struct Event {
    std::string entry_id;
    int version = 0;
    std::string school_code;
  };
  // The latest version of `row`, marked acknowledged if it is.
  v1::LedgerEntry Latest(const LedgerRow& row) const;
  v1::LedgerEntry Marked(const std::string& entry_id, v1::LedgerEntry entry) const;

  RuleRows rules_;
  // section -> (session number, version) -> record
  std::map<std::string, std::map<std::pair<int, int>, v1::SessionAttendance>> attendance_;
  // (section, student) -> versions, oldest first
  std::map<std::pair<std::string, StudentRef>, std::vector<v1::Assessment>> assessments_;
  std::map<std::string, std::map<StudentRef, std::vector<v1::SupportRecord>>> preventive_;
  std::set<std::string> finalized_;
  std::map<std::string, LedgerRow> ledger_;  // by entry id
  // (entry id, version) -> acknowledgement
  std::map<std::pair<std::string, int>, v1::Acknowledgement> acknowledgements_;
  std::vector<Event> events_;  // cursor "1.{index + 1}"
};

using MemoryStore = MemoryUnitOfWork<Records, MemoryRecords>;

}  // namespace osan::credit::store

#endif  // OSAN_SERVICES_CREDIT_STORE_MEMORY_RECORDS_H_
