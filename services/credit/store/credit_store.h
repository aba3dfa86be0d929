// PostgreSQL storage of credit records (records.h): every call runs inside
// the transaction the PgRecords was made with and never commits.
#ifndef OSAN_SERVICES_CREDIT_STORE_CREDIT_STORE_H_
#define OSAN_SERVICES_CREDIT_STORE_CREDIT_STORE_H_

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/idempotency.h"
#include "services/credit/store/records.h"

namespace osan::credit::store {

const std::vector<db::Statement>& Statements();

class PgRecords final : public db::PgRecordsBase<Records> {
 public:
  explicit PgRecords(pqxx::transaction_base& tx) : PgRecordsBase(tx) {}

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
};

// Credit-record's store in PostgreSQL.
using PgStore = db::PgUnitOfWork<Records, PgRecords>;

}  // namespace osan::credit::store

#endif  // OSAN_SERVICES_CREDIT_STORE_CREDIT_STORE_H_
