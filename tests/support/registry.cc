#include "tests/support/registry.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "tests/support/test_env.h"

namespace osan::testing {

void RegisterSchools(const std::shared_ptr<grpc::Channel>& channel,
                     const std::vector<std::string>& codes) {
  auto stub = catalog::v1::CatalogService::NewStub(channel);
  for (const std::string& code : codes) {
    catalog::v1::CreateInstitutionRequest request;
    catalog::v1::Institution& school = *request.mutable_institution();
    school.set_kind(catalog::v1::HIGH_SCHOOL);
    school.set_office_code(code.substr(0, 3));
    school.set_school_code(code.substr(4));
    school.set_display_name(absl::StrCat("학교 ", code));
    request.set_request_id(absl::StrCat("register-", code));
    catalog::v1::Institution created;
    auto context = ContextWithToken(TestKeys::Get().Token("OSAN-CITY", auth::v1::CITY));
    const grpc::Status status = stub->CreateInstitution(context.get(), request, &created);
    EXPECT_TRUE(status.ok()) << code << ": " << status.error_message();
  }
}

}  // namespace osan::testing
