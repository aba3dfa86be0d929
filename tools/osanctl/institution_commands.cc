#include "tools/osanctl/institution_commands.h"

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "tools/osanctl/catalog_commands.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/text_table.h"

ABSL_FLAG(std::string, kind, "",
          "`institutions list`: HIGH_SCHOOL, CITY_ACADEMY, LEARNING_SITE, UNIVERSITY, "
          "ONLINE_SCHOOL, CITY_GOVERNMENT or EDUCATION_OFFICE");

namespace osan::cli {
namespace {

namespace cv1 = catalog::v1;
using Stub = cv1::CatalogService::Stub;

constexpr char kListUsage[] = "institutions list [--kind HIGH_SCHOOL|CITY_ACADEMY|...]";

std::string InstitutionName(const std::string& code_or_name) {
  return absl::StartsWith(code_or_name, "institutions/") ? code_or_name
                                                         : "institutions/" + code_or_name;
}

}  // namespace

int ListInstitutions(const std::vector<std::string>& args) {
  cv1::ListInstitutionsRequest request;
  cv1::InstitutionKind kind = cv1::INSTITUTION_KIND_UNSPECIFIED;
  if (!args.empty() ||
      !ParseEnum("kind", absl::GetFlag(FLAGS_kind), &cv1::InstitutionKind_Parse, &kind)) {
    return Usage(kListUsage);
  }
  request.set_kind(kind);
  TextTable table({"기관 코드", "이름", "종류", "지역", "상태"});
  int count = 0;
  auto stub = CatalogStub();
  const grpc::Status status = ListEveryPage(
      *stub, &Stub::ListInstitutions, request, [&](const cv1::ListInstitutionsResponse& page) {
        for (const cv1::Institution& institution : page.institutions()) {
          table.AddRow({institution.code(), institution.display_name(),
                        cv1::InstitutionKind_Name(institution.kind()), institution.area(),
                        institution.suspended() ? "정지" : "운영"});
          ++count;
        }
      });
  if (!status.ok()) {
    return Fail(status);
  }
  table.Print(std::cout);
  std::cout << count << " institution(s)\n";
  return 0;
}

int SetInstitutionSuspended(bool suspended, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0].empty()) {
    return Usage(suspended ? "institutions suspend CODE" : "institutions resume CODE");
  }
  auto stub = CatalogStub();
  // The change applies to the institution as it is now (its etag).
  cv1::GetInstitutionRequest get;
  get.set_name(InstitutionName(args[0]));
  cv1::Institution current;
  if (const grpc::Status status = CallUnary(*stub, &Stub::GetInstitution, get, &current);
      !status.ok()) {
    return Fail(status);
  }
  cv1::UpdateInstitutionRequest request;
  request.mutable_institution()->set_name(current.name());
  request.mutable_institution()->set_etag(current.etag());
  request.mutable_institution()->set_suspended(suspended);
  request.mutable_update_mask()->add_paths("suspended");
  request.set_request_id(RequestId());
  cv1::Institution updated;
  if (const grpc::Status status = CallUnary(*stub, &Stub::UpdateInstitution, request, &updated);
      !status.ok()) {
    return Fail(status);
  }
  std::cout << updated.code() << " (" << updated.display_name() << ") "
            << (updated.suspended() ? "suspended: its tokens are refused within 5 s"
                                    : "resumed: its tokens are accepted again within 5 s")
            << "\n";
  return 0;
}

}  // namespace osan::cli
