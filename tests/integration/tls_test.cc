// Transport security against a real server: TLS required means plaintext is
// refused; a client trusting another CA, or a server with an expired
// certificate, cannot connect; with mutual TLS the client certificate must
// belong to the token's institution (or be a service of the suite relaying
// its caller's token).
#include <gtest/gtest.h>

#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "tests/support/test_env.h"
#include "tests/support/test_pki.h"

namespace osan {
namespace {

using testing::ContextWithToken;
using testing::Pem;
using testing::TestKeys;

// A catalog serving TLS with `server` (signed by `ca`); with `client_ca`, it
// requires client certificates signed by that CA.
std::unique_ptr<testing::TestService> TlsCatalog(const Pem& ca, const Pem& server,
                                                 const Pem* client_ca = nullptr) {
  return std::make_unique<testing::TestService>(
      catalog::CatalogDefinition(), [&](ServiceConfig& config) {
        config.plaintext = false;
        config.server.tls_cert_file = testing::WriteSecretFile(server.cert);
        config.server.tls_key_file = testing::WriteSecretFile(server.key);
        if (client_ca != nullptr) {
          config.server.tls_client_ca_file = testing::WriteSecretFile(client_ca->cert);
        }
        config.peer_tls.ca_pem = ca.cert;
      });
}

// GetTerm of a missing term as `institution`, one of the catalog's root
// institutions (registered from its first start): NOT_FOUND means the call
// got through transport and authentication.
grpc::StatusCode GetTerm(testing::TestService& service, const ClientTls& tls,
                         const std::string& institution = "OSAN-CITY") {
  auto stub = catalog::v1::CatalogService::NewStub(
      OpenChannel(absl::StrCat("127.0.0.1:", service.port()), tls));
  const auth::Role role = institution == "HSOS-EDU" ? auth::v1::EDU_OFFICE : auth::v1::CITY;
  auto context = ContextWithToken(TestKeys::Get().Token(institution, role));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  catalog::v1::GetTermRequest request;
  request.set_name("terms/2026-1");
  catalog::v1::Term term;
  return stub->GetTerm(context.get(), request, &term).error_code();
}

class TlsTest : public ::testing::Test {
 protected:
  const Pem ca_ = testing::MakeCa("test CA");
  const Pem other_ca_ = testing::MakeCa("another CA");
  const Pem server_ = testing::MakeLeaf(ca_, "SVC-CATALOG");
};

TEST_F(TlsTest, TrustedClientConnectsAndPlaintextIsRefused) {
  auto service = TlsCatalog(ca_, server_);
  EXPECT_EQ(GetTerm(*service, {ca_.cert, "", ""}), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetTerm(*service, ClientTls()), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, ClientTrustingAnotherCaCannotConnect) {
  auto service = TlsCatalog(ca_, server_);
  EXPECT_EQ(GetTerm(*service, {other_ca_.cert, "", ""}), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, ExpiredServerCertificateIsRejected) {
  const Pem expired = testing::MakeLeaf(ca_, "SVC-CATALOG", -absl::Hours(48), -absl::Hours(24));
  auto service = TlsCatalog(ca_, expired);
  EXPECT_EQ(GetTerm(*service, {ca_.cert, "", ""}), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRequiresACertificateOfTheTokensInstitution) {
  auto service = TlsCatalog(ca_, server_, &ca_);
  const Pem school = testing::MakeLeaf(ca_, "OSAN-CITY");
  const Pem service_cert = testing::MakeLeaf(ca_, "SVC-ENROLLMENT");
  const Pem foreign = testing::MakeLeaf(other_ca_, "OSAN-CITY");
  EXPECT_EQ(GetTerm(*service, {ca_.cert, "", ""}), grpc::StatusCode::UNAVAILABLE)
      << "no client certificate";
  EXPECT_EQ(GetTerm(*service, {ca_.cert, foreign.cert, foreign.key}), grpc::StatusCode::UNAVAILABLE)
      << "client certificate from an untrusted CA";
  EXPECT_EQ(GetTerm(*service, {ca_.cert, school.cert, school.key}), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetTerm(*service, {ca_.cert, school.cert, school.key}, "HSOS-EDU"),
            grpc::StatusCode::UNAUTHENTICATED)
      << "the certificate and the token name different institutions";
  EXPECT_EQ(GetTerm(*service, {ca_.cert, service_cert.cert, service_cert.key}, "HSOS-EDU"),
            grpc::StatusCode::NOT_FOUND)
      << "a service of the suite relays its caller's token";
}

TEST(LoopbackTest, RecognisesLoopbackAddresses) {
  EXPECT_TRUE(IsLoopback("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopback("localhost:0"));
  EXPECT_TRUE(IsLoopback("[::1]:50051"));
  EXPECT_FALSE(IsLoopback("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopback("10.0.0.5:50051"));
  EXPECT_FALSE(IsLoopback("[::]:50051"));
}

}  // namespace
}  // namespace osan
