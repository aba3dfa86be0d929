// Credit-record use cases: each checks the request, authorizes the caller
// against the section (host) or student (home school) it touches, and runs
// one transaction of the store (store/records.h). Hosts' rights over students
// are verified with enrollment using the caller's own token.
#ifndef OSAN_SERVICES_CREDIT_API_CREDIT_H_
#define OSAN_SERVICES_CREDIT_API_CREDIT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/paging.h"
#include "common/server.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/api/peers.h"
#include "services/credit/store/records.h"

namespace osan::credit {

class Credit {
 public:
  // `store` and `peers` must outlive the use cases.
  Credit(store::Store* store, PageTokens page_tokens, Peers* peers)
      : store_(store), page_tokens_(std::move(page_tokens)), peers_(peers) {}

  using Call = server::CallContext;

  absl::StatusOr<v1::SessionAttendance> RecordAttendance(
      const Call& call, const v1::RecordAttendanceRequest& request);
  absl::StatusOr<v1::ListAttendanceResponse> ListAttendance(
      const Call& call, const v1::ListAttendanceRequest& request);
  absl::StatusOr<v1::Assessment> RecordAssessment(const Call& call,
                                                  const v1::RecordAssessmentRequest& request);
  absl::StatusOr<v1::FinalizeSectionResponse> FinalizeSection(
      const Call& call, const v1::FinalizeSectionRequest& request);
  absl::StatusOr<v1::SupportRecord> RecordPreventiveInstruction(
      const Call& call, const v1::RecordPreventiveInstructionRequest& request);
  absl::StatusOr<v1::LedgerEntry> RecordRemediation(const Call& call,
                                                    const v1::RecordRemediationRequest& request);
  absl::StatusOr<v1::LedgerEntry> AmendResult(const Call& call,
                                              const v1::AmendResultRequest& request);
  absl::StatusOr<v1::LedgerHistory> GetLedgerHistory(const Call& call,
                                                     const v1::GetLedgerHistoryRequest& request);
  absl::StatusOr<v1::Acknowledgement> AcknowledgeResult(
      const Call& call, const v1::AcknowledgeResultRequest& request);
  absl::StatusOr<v1::ListPendingResultsResponse> ListPendingResults(
      const Call& call, const v1::ListPendingResultsRequest& request);
  absl::StatusOr<v1::ExportPendingResultsResponse> ExportPendingResults(
      const Call& call, const v1::ExportPendingResultsRequest& request);
  absl::StatusOr<v1::Transcript> GetTranscript(const Call& call,
                                               const v1::GetTranscriptRequest& request);

  // The result events after `cursor` that the caller may see (at most
  // `limit`); names each event's student for the audit trail.
  absl::StatusOr<std::vector<v1::ResultEvent>> ReadResults(const Call& call,
                                                           const std::string& cursor,
                                                           int limit = 200);

 private:
  struct HostedSection;
  // The section named `name` if the caller hosts it, with its ENROLLED
  // students and their cohorts.
  absl::StatusOr<HostedSection> Hosted(const Call& call, const std::string& field,
                                       const std::string& name);

  store::Store* const store_;
  const PageTokens page_tokens_;
  Peers* const peers_;
};

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_API_CREDIT_H_
