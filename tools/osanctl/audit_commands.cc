#include "tools/osanctl/audit_commands.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <iostream>
#include <utility>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "osan/audit/v1/audit.grpc.pb.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/credit_commands.h"
#include "tools/osanctl/enrollment_commands.h"
#include "tools/osanctl/text_table.h"

// Defined in enrollment_commands.cc, shared with the enrollment commands.
ABSL_DECLARE_FLAG(std::string, student);

ABSL_FLAG(std::string, service, "",
          "`audit`: enrollment or credit (verify: both by default; list: enrollment)");
ABSL_FLAG(std::string, principal, "", "`audit list`: only this institution's accesses");
ABSL_FLAG(int, limit, 50, "`audit list`: at most this many records, newest first");

namespace osan::cli {
namespace {

namespace av1 = audit::v1;

constexpr char kVerifyUsage[] = "audit verify [--service enrollment|credit]";
constexpr char kListUsage[] =
    "audit list [--service enrollment|credit] [--student NAME] [--principal CODE] [--limit N]";

// The largest page the service serves.
constexpr int kMaxPage = 200;

struct AuditedService {
  std::string name;
  std::string address;
};

// The services --service names (both when `all_by_default` and it is not
// given, else enrollment); empty if it names none.
std::vector<AuditedService> SelectedServices(bool all_by_default) {
  const std::string wanted = absl::GetFlag(FLAGS_service);
  std::vector<AuditedService> services;
  if (wanted == "enrollment" || wanted.empty()) {
    services.push_back({"enrollment", EnrollmentAddress()});
  }
  if (wanted == "credit" || (wanted.empty() && all_by_default)) {
    services.push_back({"credit", CreditAddress()});
  }
  return services;
}

std::string TimeText(const google::protobuf::Timestamp& time) {
  return absl::FormatTime(
      "%Y-%m-%d %H:%M:%S",
      absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(time)),
      absl::FixedTimeZone(9 * 3600));
}

}  // namespace

int VerifyAuditChain(const std::vector<std::string>& args) {
  const std::vector<AuditedService> services = SelectedServices(true);
  if (!args.empty() || services.empty()) {
    return Usage(kVerifyUsage);
  }
  int exit_code = 0;
  for (const AuditedService& service : services) {
    auto stub = av1::AuditService::NewStub(MakeChannel(service.address));
    av1::VerifyAuditChainResponse response;
    const grpc::Status status =
        CallUnary(*stub, &av1::AuditService::Stub::VerifyAuditChain, {}, &response);
    if (!status.ok()) {
      std::cerr << service.name << ": ";
      exit_code = Fail(status);
      continue;
    }
    if (response.intact()) {
      std::cout << service.name << ": chain intact, " << response.records_verified()
                << " sealed record(s) verified\n";
    } else {
      std::cout << service.name << ": CHAIN BROKEN: " << response.problem() << " ("
                << response.records_verified() << " record(s) verified before it)\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

int ListAuditRecords(const std::vector<std::string>& args) {
  const std::vector<AuditedService> services = SelectedServices(false);
  const int limit = absl::GetFlag(FLAGS_limit);
  if (!args.empty() || services.size() != 1 || limit < 1) {
    return Usage(kListUsage);
  }
  auto stub = av1::AuditService::NewStub(MakeChannel(services.front().address));
  av1::ListAuditRecordsRequest request;
  request.set_student(absl::GetFlag(FLAGS_student));
  request.set_principal(absl::GetFlag(FLAGS_principal));
  TextTable table({"시각 (KST)", "기관", "역할", "학생", "작업", "결과", "출처", "체인"});
  int shown = 0;
  do {
    request.set_page_size(std::min(kMaxPage, limit - shown));
    av1::ListAuditRecordsResponse response;
    const grpc::Status status =
        CallUnary(*stub, &av1::AuditService::Stub::ListAuditRecords, request, &response);
    if (!status.ok()) {
      return Fail(status);
    }
    for (const av1::AuditRecord& record : response.records()) {
      table.AddRow({TimeText(record.time()), record.principal(), record.role(), record.student(),
                    record.action(), record.result(), record.source(),
                    record.chain_position() == 0 ? "-" : absl::StrCat(record.chain_position())});
      ++shown;
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && shown < limit);
  table.Print(std::cout);
  const bool more = !request.page_token().empty();
  std::cout << shown << " record(s), newest first" << (more ? "; older ones beyond --limit" : "")
            << "\n";
  return 0;
}

}  // namespace osan::cli
