// gRPC adapters of credit-record: unary methods through the shared
// dispatcher, the result feed through FeedReactor.
#ifndef OSAN_SERVICES_CREDIT_API_CREDIT_SERVICE_H_
#define OSAN_SERVICES_CREDIT_API_CREDIT_SERVICE_H_

#include "common/feed.h"
#include "common/server.h"
#include "common/service_runtime.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "services/credit/api/credit.h"
#include "services/credit/api/report.h"

namespace osan::credit {

class CreditService final : public v1::CreditService::CallbackService {
 public:
  CreditService(Credit* credit, server::Dispatcher* dispatcher)
      : credit_(credit), dispatcher_(dispatcher) {}

#define OSAN_CREDIT_METHOD(Method, Request, Response)                                             \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                          \
                                   const v1::Request* request, v1::Response* response) override { \
    return server::ServeUnary(*dispatcher_, context, "CreditService." #Method,                    \
                              server::Access::kAuthenticated, credit_, &Credit::Method, request,  \
                              response);                                                          \
  }
  OSAN_CREDIT_METHOD(RecordAttendance, RecordAttendanceRequest, SessionAttendance)
  OSAN_CREDIT_METHOD(ListAttendance, ListAttendanceRequest, ListAttendanceResponse)
  OSAN_CREDIT_METHOD(RecordAssessment, RecordAssessmentRequest, Assessment)
  OSAN_CREDIT_METHOD(FinalizeSection, FinalizeSectionRequest, FinalizeSectionResponse)
  OSAN_CREDIT_METHOD(RecordPreventiveInstruction, RecordPreventiveInstructionRequest, SupportRecord)
  OSAN_CREDIT_METHOD(RecordRemediation, RecordRemediationRequest, LedgerEntry)
  OSAN_CREDIT_METHOD(AmendResult, AmendResultRequest, LedgerEntry)
  OSAN_CREDIT_METHOD(GetLedgerHistory, GetLedgerHistoryRequest, LedgerHistory)
  OSAN_CREDIT_METHOD(AcknowledgeResult, AcknowledgeResultRequest, Acknowledgement)
  OSAN_CREDIT_METHOD(ListPendingResults, ListPendingResultsRequest, ListPendingResultsResponse)
  OSAN_CREDIT_METHOD(ExportPendingResults, ExportPendingResultsRequest,
                     ExportPendingResultsResponse)
  OSAN_CREDIT_METHOD(GetTranscript, GetTranscriptRequest, Transcript)
#undef OSAN_CREDIT_METHOD

  grpc::ServerWriteReactor<v1::ResultEvent>* WatchResults(
      grpc::CallbackServerContext* context, const v1::WatchResultsRequest* request) override;
  grpc::ServerWriteReactor<v1::ResultEventBatch>* WatchResultBatches(
      grpc::CallbackServerContext* context, const v1::WatchResultsRequest* request) override;

 private:
  Credit* const credit_;
  server::Dispatcher* const dispatcher_;
};

// Programme reports for CITY and EDU_OFFICE.
class ReportService final : public v1::ReportService::CallbackService {
 public:
  ReportService(Reports* reports, server::Dispatcher* dispatcher)
      : reports_(reports), dispatcher_(dispatcher) {}

  grpc::ServerUnaryReactor* GetProgrammeReport(grpc::CallbackServerContext* context,
                                               const v1::GetProgrammeReportRequest* request,
                                               v1::ProgrammeReport* response) override {
    return server::ServeUnary(*dispatcher_, context, "ReportService.GetProgrammeReport",
                              server::Access::kAuthenticated, reports_,
                              &Reports::GetProgrammeReport, request, response);
  }

 private:
  Reports* const reports_;
  server::Dispatcher* const dispatcher_;
};

// The credit-record service as the runtime starts it.
ServiceDefinition CreditDefinition();

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_API_CREDIT_SERVICE_H_
