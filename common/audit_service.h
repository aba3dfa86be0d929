// The audit trail's API (osan.audit.v1.AuditService), served by every service
// that holds student data. Only the education office may read it.
#ifndef OSAN_COMMON_AUDIT_SERVICE_H_
#define OSAN_COMMON_AUDIT_SERVICE_H_

#include "common/audit.h"
#include "common/paging.h"
#include "common/server.h"
#include "osan/audit/v1/audit.grpc.pb.h"

namespace osan::audit {

class AuditQueries {
 public:
  AuditQueries(AuditLog* log, PageTokens page_tokens)
      : log_(log), page_tokens_(std::move(page_tokens)) {}

  absl::StatusOr<v1::ListAuditRecordsResponse> ListAuditRecords(
      const server::CallContext& call, const v1::ListAuditRecordsRequest& request);
  absl::StatusOr<v1::VerifyAuditChainResponse> VerifyAuditChain(
      const server::CallContext& call, const v1::VerifyAuditChainRequest& request);

 private:
  AuditLog* const log_;
  const PageTokens page_tokens_;
};

class AuditService final : public v1::AuditService::CallbackService {
 public:
  AuditService(AuditQueries* queries, server::Dispatcher* dispatcher)
      : queries_(queries), dispatcher_(dispatcher) {}

  grpc::ServerUnaryReactor* ListAuditRecords(grpc::CallbackServerContext* context,
                                             const v1::ListAuditRecordsRequest* request,
                                             v1::ListAuditRecordsResponse* response) override {
    return server::ServeUnary(*dispatcher_, context, "AuditService.ListAuditRecords",
                              server::Access::kAuthenticated, queries_,
                              &AuditQueries::ListAuditRecords, request, response);
  }
  grpc::ServerUnaryReactor* VerifyAuditChain(grpc::CallbackServerContext* context,
                                             const v1::VerifyAuditChainRequest* request,
                                             v1::VerifyAuditChainResponse* response) override {
    return server::ServeUnary(*dispatcher_, context, "AuditService.VerifyAuditChain",
                              server::Access::kAuthenticated, queries_,
                              &AuditQueries::VerifyAuditChain, request, response);
  }

 private:
  AuditQueries* const queries_;
  server::Dispatcher* const dispatcher_;
};

}  // namespace osan::audit

#endif  // OSAN_COMMON_AUDIT_SERVICE_H_
