#include "common/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/roles.h"
#include "common/status.h"
#include "common/use_case.h"

namespace osan::audit {
absl::StatusOr<v1::ListAuditRecordsResponse> AuditQueries::ListAuditRecords(
    const server::CallContext& call, const v1::ListAuditRecordsRequest& request) {
  OSAN_RETURN_IF_ERROR(auth::RequireEducationOffice(*call.principal, "read the audit trail"));
  OSAN_ASSIGN_OR_RETURN(const int limit, EffectivePageSize(request.page_size()));
  const std::string scope = QueryScope("ListAuditRecords", request);
  OSAN_ASSIGN_OR_RETURN(
      const std::string position,
      page_tokens_.Decode(scope, PageCaller(call), request.page_token(), call.now));
  int64_t before = 0;
  if (!position.empty() && !absl::SimpleAtoi(position, &before)) {
    return InvalidField("page_token", "malformed");
  }
  OSAN_ASSIGN_OR_RETURN(auto records,
                        log_->List(request.student(), request.principal(), before, limit + 1));
  v1::ListAuditRecordsResponse response;
  for (size_t i = 0; i < records.size() && static_cast<int>(i) < limit; ++i) {
    *response.add_records() = records[i];
  }
  if (static_cast<int>(records.size()) > limit) {
    response.set_next_page_token(page_tokens_.Encode(
        scope, PageCaller(call), absl::StrCat(records[limit - 1].sequence()), call.now));
  }
  return response;
}

absl::StatusOr<v1::VerifyAuditChainResponse> AuditQueries::VerifyAuditChain(
    const server::CallContext& call, const v1::VerifyAuditChainRequest&) {
  OSAN_RETURN_IF_ERROR(auth::RequireEducationOffice(*call.principal, "read the audit trail"));
  return log_->VerifyChain();
}

}  // namespace osan::audit
