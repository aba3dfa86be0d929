// osanctl's audit commands, for the education office (EDU_OFFICE token):
// the audit trail of student data that enrollment and credit-record each
// keep (osan.audit.v1.AuditService; see docs/security.md). Exit codes as for
// the other commands: 0 on success, 1 when a call fails or the chain is
// broken, 2 when called wrongly.
#ifndef OSAN_TOOLS_OSANCTL_AUDIT_COMMANDS_H_
#define OSAN_TOOLS_OSANCTL_AUDIT_COMMANDS_H_

#include <string>
#include <vector>

namespace osan::cli {

// audit verify [--service enrollment|credit]: recomputes each service's hash
// chain (both services by default) and says whether it is intact.
int VerifyAuditChain(const std::vector<std::string>& args);

// audit list [--service enrollment|credit] [--student NAME] [--principal CODE]
// [--limit N]: the newest records (50 by default) of one service (enrollment
// by default), optionally one student's or one institution's.
int ListAuditRecords(const std::vector<std::string>& args);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_AUDIT_COMMANDS_H_
