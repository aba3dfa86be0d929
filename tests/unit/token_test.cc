// Token key rotation, lifetime and revocation (common/auth.h), with fixed
// times.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"

namespace osan::auth {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

struct Keys {
  KeyPair pair;
  TokenSigner signer;
};

Keys NewKeys() {
  auto pair = GenerateKeyPair();
  EXPECT_TRUE(pair.ok());
  auto signer = TokenSigner::Create(pair->private_key_pem);
  EXPECT_TRUE(signer.ok());
  return {*pair, *std::move(signer)};
}

std::string Issue(const Keys& keys, const std::string& institution, absl::Time at) {
  auto token = keys.signer.Issue({institution, v1::SCHOOL}, at, absl::Hours(1));
  EXPECT_TRUE(token.ok());
  return *token;
}

TEST(KeyRotationTest, EveryKeyOfTheRingVerifiesAndARetiredKeyDoesNot) {
  const Keys old_keys = NewKeys();
  const Keys new_keys = NewKeys();
  auto both = TokenVerifier::Create(
      std::vector<std::string>{old_keys.pair.public_key_pem, new_keys.pair.public_key_pem});
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->Verify(Issue(old_keys, "J10-7531001", kNow), kNow).ok());
  EXPECT_TRUE(both->Verify(Issue(new_keys, "J10-7531001", kNow), kNow).ok());

  auto after_rotation = TokenVerifier::Create(new_keys.pair.public_key_pem);
  ASSERT_TRUE(after_rotation.ok());
  const auto retired = after_rotation->Verify(Issue(old_keys, "J10-7531001", kNow), kNow);
  EXPECT_EQ(retired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(retired.status().message().find("retired"), absl::string_view::npos);
}

TEST(KeyRotationTest, TokensNameTheirKey) {
  const Keys keys = NewKeys();
  const std::vector<std::string> parts = absl::StrSplit(Issue(keys, "J10-7531001", kNow), '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string header;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[0], &header));
  EXPECT_NE(header.find("\"kid\":\""), std::string::npos) << header;
  EXPECT_NE(header.find("EdDSA"), std::string::npos) << header;
}

TEST(KeyRotationTest, HeadersWithoutAKnownKidOrWithAnotherAlgorithmAreRefused) {
  const Keys keys = NewKeys();
  auto verifier = TokenVerifier::Create(keys.pair.public_key_pem);
  ASSERT_TRUE(verifier.ok());
  const std::vector<std::string> parts = absl::StrSplit(Issue(keys, "J10-7531001", kNow), '.');
  for (const std::string header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"EdDSA"})",
                                   R"({"alg":"EdDSA","kid":"AAAAAAAAAAAAAAAA"})"}) {
    const std::string forged = absl::WebSafeBase64Escape(header) + "." + parts[1] + "." + parts[2];
    EXPECT_EQ(verifier->Verify(forged, kNow).status().code(), absl::StatusCode::kUnauthenticated)
        << header;
  }
}

TEST(RevocationsTest, ParsesLinesAndComments) {
  auto revocations = Revocations::Parse(
      "# leaked 2027-03-01\nJ10-7531001 1800000000\n\n  OSAN-AICODING\t1700000000  # old\n");
  ASSERT_TRUE(revocations.ok()) << revocations.status();
  EXPECT_TRUE(revocations->Revoked("J10-7531001", 1799999999));
  EXPECT_FALSE(revocations->Revoked("J10-7531001", 1800000000)) << "issued at the time: valid";
  EXPECT_TRUE(revocations->Revoked("OSAN-AICODING", 1));
  EXPECT_FALSE(revocations->Revoked("J10-7531002", 1));
  for (const char* bad : {"J10-7531001", "J10-7531001 soon", "a 1 2"}) {
    EXPECT_EQ(Revocations::Parse(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(RevocationsTest, RevokedInstitutionsTokensIssuedBeforeTheTimeAreRefused) {
  const Keys keys = NewKeys();
  auto verifier = TokenVerifier::Create(keys.pair.public_key_pem);
  ASSERT_TRUE(verifier.ok());
  const std::string before = Issue(keys, "J10-7531001", kNow - absl::Minutes(10));
  const std::string after = Issue(keys, "J10-7531001", kNow);
  const std::string other = Issue(keys, "J10-7531002", kNow - absl::Minutes(10));
  ASSERT_TRUE(verifier->Verify(before, kNow).ok());
  auto revocations = Revocations::Parse(
      absl::StrCat("J10-7531001 ", absl::ToUnixSeconds(kNow - absl::Minutes(1))));
  ASSERT_TRUE(revocations.ok());
  verifier->SetRevocations(*revocations);
  const auto revoked = verifier->Verify(before, kNow);
  EXPECT_EQ(revoked.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(revoked.status().message().find("revoked"), absl::string_view::npos);
  EXPECT_TRUE(verifier->Verify(after, kNow).ok()) << "a token issued since is valid";
  EXPECT_TRUE(verifier->Verify(other, kNow).ok()) << "other institutions are unaffected";
}

// Claims as TokenSigner::Issue makes them, issued at kNow for `lifetime`.
v1::Claims ClaimsOf(const std::string& institution, Role role, absl::Duration lifetime) {
  v1::Claims claims;
  claims.set_iss("osan-credit-exchange");
  claims.set_aud("osan");
  claims.set_sub(institution);
  claims.set_role(role);
  claims.set_iat(static_cast<uint32_t>(absl::ToUnixSeconds(kNow)));
  claims.set_exp(static_cast<uint32_t>(absl::ToUnixSeconds(kNow + lifetime)));
  claims.set_jti("test-token-id");
  return claims;
}

// A ring of the issuer's key and SVC-CREDIT's; tokens signed by either.
class TokenLifetimeTest : public ::testing::Test {
 protected:
  TokenLifetimeTest() : keys_(NewKeys()), credit_keys_(NewKeys()) {}

  KeyRing Ring() const {
    return KeyRing{{keys_.pair.public_key_pem}, {{"SVC-CREDIT", credit_keys_.pair.public_key_pem}}};
  }

  // `claims` signed by `signer` (by default the key that rightly signs them:
  // SVC-CREDIT's for its SERVICE tokens, else the issuer's), verified at `now`.
  absl::StatusOr<Principal> Verify(const v1::Claims& claims, absl::Time now,
                                   TokenOptions options = {},
                                   const TokenSigner* signer = nullptr) const {
    auto verifier = TokenVerifier::Create(Ring(), options);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    if (signer == nullptr) {
      signer = claims.role() == v1::SERVICE ? &credit_keys_.signer : &keys_.signer;
    }
    auto token = signer->Sign(claims);
    EXPECT_TRUE(token.ok());
    return verifier->Verify(*token, now);
  }

  static void ExpectRefused(const absl::StatusOr<Principal>& principal, absl::string_view why) {
    ASSERT_FALSE(principal.ok());
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_NE(principal.status().message().find(why), absl::string_view::npos)
        << principal.status();
  }

  const Keys keys_;
  const Keys credit_keys_;
};

TEST_F(TokenLifetimeTest, TheIssuersKeySignsNoServiceToken) {
  ExpectRefused(
      Verify(ClaimsOf("SVC-CREDIT", v1::SERVICE, absl::Minutes(5)), kNow, {}, &keys_.signer),
      "SERVICE tokens must be signed by the service's own key");
  for (const Role role : {v1::CITY, v1::EDU_OFFICE, v1::SCHOOL, v1::ACADEMY}) {
    EXPECT_TRUE(Verify(ClaimsOf("J10-7531001", role, absl::Hours(1)), kNow).ok()) << role;
  }
}

TEST_F(TokenLifetimeTest, AServiceKeySignsOnlyItsOwnServiceTokens) {
  EXPECT_TRUE(Verify(ClaimsOf("SVC-CREDIT", v1::SERVICE, absl::Minutes(5)), kNow).ok());
  ExpectRefused(Verify(ClaimsOf("SVC-ENROLLMENT", v1::SERVICE, absl::Minutes(5)), kNow, {},
                       &credit_keys_.signer),
                "the key of SVC-CREDIT signs only SVC-CREDIT's SERVICE tokens");
  for (const Role role : {v1::CITY, v1::EDU_OFFICE, v1::SCHOOL, v1::ACADEMY}) {
    ExpectRefused(
        Verify(ClaimsOf("J10-7531001", role, absl::Hours(1)), kNow, {}, &credit_keys_.signer),
        "signs only SVC-CREDIT's SERVICE tokens");
  }
  ExpectRefused(
      Verify(ClaimsOf("SVC-CREDIT", v1::CITY, absl::Hours(1)), kNow, {}, &credit_keys_.signer),
      "signs only SVC-CREDIT's SERVICE tokens");
}

TEST(KeyRingTest, AKeyHasOneScopeAndServicesAreNamedAsSuch) {
  const Keys keys = NewKeys();
  const auto twice = TokenVerifier::Create(
      KeyRing{{keys.pair.public_key_pem}, {{"SVC-CREDIT", keys.pair.public_key_pem}}});
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(twice.status().message().find("listed for both the issuer and SVC-CREDIT"),
            absl::string_view::npos)
      << twice.status();
  const auto two_services = TokenVerifier::Create(KeyRing{
      {},
      {{"SVC-CREDIT", keys.pair.public_key_pem}, {"SVC-ENROLLMENT", keys.pair.public_key_pem}}});
  EXPECT_EQ(two_services.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* name : {"CREDIT", "SVC-", ""}) {
    const auto unnamed = TokenVerifier::Create(KeyRing{{}, {{name, keys.pair.public_key_pem}}});
    EXPECT_EQ(unnamed.status().code(), absl::StatusCode::kInvalidArgument) << name;
  }
  const auto garbled = TokenVerifier::Create(KeyRing{{}, {{"SVC-CREDIT", "not a key"}}});
  EXPECT_EQ(garbled.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(garbled.status().message().find("of SVC-CREDIT"), absl::string_view::npos);
  EXPECT_TRUE(TokenVerifier::Create(KeyRing{{}, {{"SVC-CREDIT", keys.pair.public_key_pem}}}).ok())
      << "a ring of service keys alone is a ring";
}

TEST_F(TokenLifetimeTest, IssueTimeIsRequired) {
  v1::Claims claims = ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(1));
  ASSERT_TRUE(Verify(claims, kNow).ok());
  claims.clear_iat();
  ExpectRefused(Verify(claims, kNow), "no issue time (iat)");
}

TEST_F(TokenLifetimeTest, IssueTimeInTheFutureIsRefusedBeyondTheClockSkew) {
  v1::Claims claims = ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(1));
  EXPECT_TRUE(Verify(claims, kNow - absl::Seconds(60)).ok()) << "within the 60 s skew";
  ExpectRefused(Verify(claims, kNow - absl::Seconds(61)), "issued in the future");
  // Ten years ahead, with a matching expiry: refused whatever the lifetime.
  claims.set_iat(static_cast<uint32_t>(absl::ToUnixSeconds(kNow + absl::Hours(24 * 3650))));
  claims.set_exp(claims.iat() + 3600);
  ExpectRefused(Verify(claims, kNow), "issued in the future");
}

TEST_F(TokenLifetimeTest, LifetimeIsAtMostADayAndFiveMinutesForServices) {
  EXPECT_TRUE(Verify(ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(24)), kNow).ok());
  ExpectRefused(
      Verify(ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(24) + absl::Seconds(1)), kNow),
      "lifetime (exp - iat) longer than the 24h allowed to SCHOOL tokens");
  ExpectRefused(Verify(ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(24 * 30)), kNow),
                "lifetime");
  EXPECT_TRUE(Verify(ClaimsOf("SVC-CREDIT", v1::SERVICE, absl::Minutes(5)), kNow).ok());
  ExpectRefused(Verify(ClaimsOf("SVC-CREDIT", v1::SERVICE, absl::Hours(1)), kNow),
                "longer than the 5m allowed to SERVICE tokens");
}

TEST_F(TokenLifetimeTest, MaximumLifetimeIsConfigurable) {
  TokenOptions options;
  options.max_lifetime = absl::Hours(2);
  EXPECT_TRUE(Verify(ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(2)), kNow, options).ok());
  ExpectRefused(Verify(ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(3)), kNow, options),
                "longer than the 2h");
}

TEST_F(TokenLifetimeTest, IssuedTokensCarryIssueTimeAndAFreshTokenId) {
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    const std::vector<std::string> parts = absl::StrSplit(Issue(keys_, "J10-7531001", kNow), '.');
    ASSERT_EQ(parts.size(), 3u);
    std::string payload;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
    EXPECT_NE(payload.find(absl::StrCat("\"iat\":", absl::ToUnixSeconds(kNow))), std::string::npos)
        << payload;
    const size_t jti = payload.find("\"jti\":\"");
    ASSERT_NE(jti, std::string::npos) << payload;
    ids.insert(payload.substr(jti, 30));
  }
  EXPECT_EQ(ids.size(), 3u) << "every token has its own id";
}

TEST_F(TokenLifetimeTest, ServiceTokensAreWithinTheServiceMaximum) {
  ServiceToken token(credit_keys_.signer, "SVC-CREDIT");
  auto verifier = TokenVerifier::Create(Ring());
  ASSERT_TRUE(verifier.ok());
  const auto principal = verifier->Verify(token.Current(kNow), kNow);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->role, v1::SERVICE);
}

TEST_F(TokenLifetimeTest, AServiceTokenIsReissuedOnceHalfItsLifetimeHasPassed) {
  const absl::Duration lifetime = absl::Minutes(4);
  ServiceToken token(credit_keys_.signer, "SVC-CREDIT", lifetime);
  auto verifier = TokenVerifier::Create(Ring());
  ASSERT_TRUE(verifier.ok());
  const std::string first = token.Current(kNow);
  EXPECT_EQ(token.Current(kNow + lifetime / 2 - absl::Seconds(1)), first);
  const absl::Time later = kNow + lifetime / 2 + absl::Seconds(1);
  const std::string second = token.Current(later);
  EXPECT_NE(second, first);
  EXPECT_TRUE(verifier->Verify(second, later + lifetime / 2).ok())
      << "the new token lasts a whole lifetime from when it was issued";
  EXPECT_EQ(token.Current(later + absl::Seconds(1)), second);
}

TEST(RevocationsTest, RevokesSingleTokensById) {
  auto revocations = Revocations::Parse("jti abc-123  # leaked in a log\nJ10-7531001 1700000000\n");
  ASSERT_TRUE(revocations.ok()) << revocations.status();
  EXPECT_TRUE(revocations->Revoked("J10-7531002", 1800000000, "abc-123"));
  EXPECT_FALSE(revocations->Revoked("J10-7531002", 1800000000, "abc-124"));
  EXPECT_FALSE(revocations->Revoked("J10-7531002", 1800000000, ""));
  EXPECT_EQ(Revocations::Parse("jti").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Revocations::Parse("jti a b").status().code(), absl::StatusCode::kInvalidArgument);

  const Keys keys = NewKeys();
  auto verifier = TokenVerifier::Create(keys.pair.public_key_pem);
  ASSERT_TRUE(verifier.ok());
  v1::Claims claims = ClaimsOf("J10-7531001", v1::SCHOOL, absl::Hours(1));
  claims.set_jti("abc-123");
  auto revoked = keys.signer.Sign(claims);
  claims.set_jti("abc-124");
  auto other = keys.signer.Sign(claims);
  ASSERT_TRUE(revoked.ok() && other.ok());
  verifier->SetRevocations(*revocations);
  const auto refused = verifier->Verify(*revoked, kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("revoked"), absl::string_view::npos);
  EXPECT_TRUE(verifier->Verify(*other, kNow).ok()) << "another token of the institution";
}

}  // namespace
}  // namespace osan::auth
