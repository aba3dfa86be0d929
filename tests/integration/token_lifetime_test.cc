// Tokens that end and streams that end with them (docs/security.md), against
// catalog and enrollment servers on port 0: bounded issue times and
// lifetimes, revocation by token id, follow streams closed when their token
// expires or is revoked, the per-institution stream limit and the rate limit
// on opening streams, the mTLS certificate-to-token check on streams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/time/clock.h"
#include "common/tls.h"
#include "services/catalog/api/catalog_service.h"
#include "services/enrollment/api/enrollment_service.h"
#include "tests/support/exchange_fixture.h"
#include "tests/support/registry.h"
#include "tests/support/test_pki.h"

namespace osan::testing {
namespace {

namespace v1 = enrollment::v1;
namespace cv1 = catalog::v1;
using ::testing::HasSubstr;

// The services' policy in these tests: a short clock skew and re-check
// period, so that what takes a minute in production takes seconds here.
constexpr absl::Duration kSkew = absl::Seconds(1);
constexpr absl::Duration kRecheck = absl::Seconds(1);
constexpr int kStreamsPerInstitution = 2;
constexpr char kReconnect[] = "reconnect with a fresh token and your cursor";

// A token whose claims say exactly this, signed by the key that rightly
// signs for `institution` in `role`.
std::string Forge(const std::string& institution, auth::Role role, int64_t issued_at,
                  int64_t expires_at, const std::string& token_id) {
  auth::v1::Claims claims;
  claims.set_iss("osan-credit-exchange");
  claims.set_aud("osan");
  claims.set_sub(institution);
  claims.set_role(role);
  claims.set_iat(static_cast<uint32_t>(issued_at));
  claims.set_exp(static_cast<uint32_t>(expires_at));
  claims.set_jti(token_id);
  auto token = TestKeys::Get().SignerFor(institution, role).Sign(claims);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.value_or("");
}

int64_t NowSeconds() { return absl::ToUnixSeconds(absl::Now()); }

// A change feed stream, to be read by the test.
struct Stream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<v1::ChangeEvent>> reader;

  // Reads to the end; the stream's status.
  grpc::Status Drain() {
    v1::ChangeEvent event;
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  }
};

// Opens the change feed with `token`, with a 20 s deadline.
Stream OpenFeed(v1::EnrollmentService::Stub& enrollment, const std::string& token, bool follow) {
  Stream stream;
  stream.context = ContextWithToken(token);
  stream.context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  v1::WatchChangesRequest request;
  request.set_follow(follow);
  stream.reader = enrollment.WatchChanges(stream.context.get(), request);
  return stream;
}

class TokenLifetimeTest : public ::testing::Test {
 protected:
  TokenLifetimeTest()
      : revocations_file_(WriteSecretFile("jti revoked-token-id\n")),
        exchange_([this](ServiceConfig& config) {
          config.token_revocations_file = revocations_file_;
          config.token_options.clock_skew = kSkew;
          config.stream_recheck_period = kRecheck;
          config.max_streams_per_institution = kStreamsPerInstitution;
        }) {}

  void SetUp() override { exchange_.CreateBasics(); }

  // Gives school A one event in the change feed, so that a stream it opens
  // delivers something once the server has admitted it.
  void MakeFeedEvent() {
    const cv1::Section section =
        exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 5, cv1::TUESDAY, 18);
    const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-a");
    v1::Application application;
    ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &application).ok());
    ASSERT_FALSE(exchange_.ReadChanges(SchoolToken(), 1).empty());
  }

  static std::string SchoolToken() { return TestKeys::Get().Token(kSchoolA, auth::v1::SCHOOL); }

  grpc::Status ListStudents(const std::string& token) {
    v1::ListStudentsRequest request;
    request.set_parent(absl::StrCat("schools/", kSchoolA));
    v1::ListStudentsResponse response;
    auto context = ContextWithToken(token);
    return exchange_.enrollment().ListStudents(context.get(), request, &response);
  }

  Stream Open(const std::string& token, bool follow) {
    return OpenFeed(exchange_.enrollment(), token, follow);
  }

  void Revoke(const std::string& token_id) {
    std::ofstream(revocations_file_, std::ios::app) << "jti " << token_id << "\n";
  }

  const std::string revocations_file_;
  Exchange exchange_;
};

void ExpectUnauthenticated(const grpc::Status& status, absl::string_view why) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(std::string(why)));
}

TEST_F(TokenLifetimeTest, TokensWithoutABoundedLifetimeAreRefused) {
  const int64_t now = NowSeconds();
  ASSERT_TRUE(ListStudents(Forge(kSchoolA, auth::v1::SCHOOL, now, now + 3600, "fine")).ok());

  const int64_t ten_years = 10 * 365 * 24 * 3600;
  ExpectUnauthenticated(
      ListStudents(Forge(kSchoolA, auth::v1::SCHOOL, now + ten_years, now + ten_years + 3600, "a")),
      "issued in the future (iat beyond the allowed clock skew)");
  ExpectUnauthenticated(ListStudents(Forge(kSchoolA, auth::v1::SCHOOL, 0, now + 3600, "b")),
                        "no issue time (iat)");
  ExpectUnauthenticated(
      ListStudents(Forge(kSchoolA, auth::v1::SCHOOL, now, now + 30 * 24 * 3600, "c")),
      "longer than the 24h allowed to SCHOOL tokens");
  ExpectUnauthenticated(ListStudents(Forge("SVC-CREDIT", auth::v1::SERVICE, now, now + 3600, "d")),
                        "longer than the 5m allowed to SERVICE tokens");
  ExpectUnauthenticated(
      ListStudents(Forge(kSchoolA, auth::v1::SCHOOL, now, now + 3600, "revoked-token-id")),
      "revoked");
}

TEST_F(TokenLifetimeTest, FollowStreamEndsOnceItsTokenExpires) {
  const int64_t issued = NowSeconds();
  const absl::Time expires = absl::FromUnixSeconds(issued + 2) + kSkew;
  Stream stream = Open(Forge(kSchoolA, auth::v1::SCHOOL, issued, issued + 2, "short"), true);

  const grpc::Status status = stream.Drain();
  const absl::Time ended = absl::Now();
  ExpectUnauthenticated(status, absl::StrCat("token expired; ", kReconnect));
  EXPECT_GE(ended, expires);
  EXPECT_LT(ended, expires + kRecheck) << "ended " << (ended - expires) << " after expiry";
}

TEST_F(TokenLifetimeTest, FollowStreamEndsOnceItsTokenIsRevoked) {
  MakeFeedEvent();
  const int64_t now = NowSeconds();
  Stream stream = Open(Forge(kSchoolA, auth::v1::SCHOOL, now, now + 3600, "leaked"), true);
  v1::ChangeEvent event;
  ASSERT_TRUE(stream.reader->Read(&event)) << "the stream is open";

  Revoke("leaked");
  const absl::Time revoked = absl::Now();
  const grpc::Status status = stream.Drain();
  ExpectUnauthenticated(status, "revoked");
  EXPECT_THAT(status.error_message(), HasSubstr(kReconnect));
  // The revocation file is reread every 2 s; the stream checks every kRecheck.
  EXPECT_LT(absl::Now() - revoked, absl::Seconds(2) + kRecheck + absl::Seconds(2));
}

TEST_F(TokenLifetimeTest, EachInstitutionMayHaveOnlySoManyOpenStreams) {
  MakeFeedEvent();
  std::vector<Stream> open;
  for (int i = 0; i < kStreamsPerInstitution; ++i) {
    open.push_back(Open(SchoolToken(), true));
    v1::ChangeEvent event;
    ASSERT_TRUE(open.back().reader->Read(&event)) << "stream " << i << " is open";
  }
  const grpc::Status refused = Open(SchoolToken(), false).Drain();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("too many open streams"));
  EXPECT_TRUE(Open(TestKeys::Get().Token(kSchoolB, auth::v1::SCHOOL), false).Drain().ok())
      << "other institutions have their own streams";

  // Closing a stream gives its slot back.
  open.front().context->TryCancel();
  EXPECT_EQ(open.front().Drain().error_code(), grpc::StatusCode::CANCELLED);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  grpc::Status reopened;
  do {
    reopened = Open(SchoolToken(), false).Drain();
  } while (!reopened.ok() && absl::Now() < deadline);
  EXPECT_TRUE(reopened.ok()) << reopened.error_message();
}

TEST(StreamRateTest, OpeningAStreamCountsAgainstTheCallersRate) {
  Exchange exchange([](ServiceConfig& config) {
    config.rate_limit_per_second = 0.001;
    config.rate_limit_burst = 1;
  });
  exchange.CreateBasics();
  const std::string token = TestKeys::Get().Token(kSchoolA, auth::v1::SCHOOL);
  EXPECT_TRUE(OpenFeed(exchange.enrollment(), token, false).Drain().ok());
  const grpc::Status refused = OpenFeed(exchange.enrollment(), token, false).Drain();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("rate limit exceeded"));
}

TEST(StreamTlsTest, WithMutualTlsAStreamNeedsACertificateOfTheTokensInstitution) {
  const Pem ca = MakeCa("test CA");
  const Pem server = MakeLeaf(ca, "SVC-ENROLLMENT");
  // The catalog whose registry enrollment checks callers against, over TLS.
  const Pem catalog_server = MakeLeaf(ca, "SVC-CATALOG");
  TestService catalog(catalog::CatalogDefinition(), [&](ServiceConfig& config) {
    config.plaintext = false;
    config.server.tls_cert_file = WriteSecretFile(catalog_server.cert);
    config.server.tls_key_file = WriteSecretFile(catalog_server.key);
    config.peer_tls.ca_pem = ca.cert;
  });
  RegisterSchools(catalog.channel(), {kSchoolA, kSchoolB});
  TestService enrollment(enrollment::EnrollmentDefinition(), [&](ServiceConfig& config) {
    config.catalog_address = absl::StrCat("127.0.0.1:", catalog.port());
    config.plaintext = false;
    config.server.tls_cert_file = WriteSecretFile(server.cert);
    config.server.tls_key_file = WriteSecretFile(server.key);
    config.server.tls_client_ca_file = WriteSecretFile(ca.cert);
    config.peer_tls.ca_pem = ca.cert;
    config.service_signing_key_pem = TestKeys::Get().service_private_key_pem("SVC-ENROLLMENT");
  });
  const Pem school = MakeLeaf(ca, kSchoolA);
  auto stub = v1::EnrollmentService::NewStub(OpenChannel(
      absl::StrCat("127.0.0.1:", enrollment.port()), {ca.cert, school.cert, school.key}));
  const grpc::Status own =
      OpenFeed(*stub, TestKeys::Get().Token(kSchoolA, auth::v1::SCHOOL), false).Drain();
  EXPECT_TRUE(own.ok()) << own.error_message();
  ExpectUnauthenticated(
      OpenFeed(*stub, TestKeys::Get().Token(kSchoolB, auth::v1::SCHOOL), false).Drain(),
      "does not belong to the token's institution");
}

}  // namespace
}  // namespace osan::testing
