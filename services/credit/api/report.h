// Programme reports (ReportService): the city and the education office
// read, per programme and term, how many sections opened and were
// cancelled, how many students applied, enrolled, completed and how many
// credits they earned, by home school and by host; as counts, CSV or an
// Excel workbook.
//
// Credit-record serves them because it is downstream of both catalog and
// enrollment and already calls them: the report composes catalog's
// sections of the programme (the service's own token), enrollment's
// application counts (the caller's token, so enrollment checks the role
// itself) and the ledger's results, in one call and without personal data.
#ifndef OSAN_SERVICES_CREDIT_API_REPORT_H_
#define OSAN_SERVICES_CREDIT_API_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server.h"
#include "common/spreadsheet.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/api/peers.h"
#include "services/credit/store/records.h"

namespace osan::credit {

class Reports {
 public:
  // `store` and `peers` must outlive the use case.
  Reports(store::Store* store, Peers* peers) : store_(store), peers_(peers) {}

  // CITY or EDU_OFFICE (PERMISSION_DENIED otherwise). INVALID_ARGUMENT for
  // a malformed programme or term name or an unknown format; NOT_FOUND if
  // the programme or the term does not exist.
  absl::StatusOr<v1::ProgrammeReport> GetProgrammeReport(
      const server::CallContext& call, const v1::GetProgrammeReportRequest& request);

 private:
  store::Store* const store_;
  Peers* const peers_;
};

// `sheets` in `format`: CSV text or .xlsx bytes (see common/spreadsheet.h).
// INVALID_ARGUMENT, naming `field`, for an unspecified or unknown format.
absl::StatusOr<std::string> RenderSheets(const std::vector<spreadsheet::Sheet>& sheets,
                                         v1::ExportFormat format, absl::string_view field);

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_API_REPORT_H_
