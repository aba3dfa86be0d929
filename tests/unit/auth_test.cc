// Unit tests of common/auth.h.
#include "common/auth.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "osan/auth/v1/claims.pb.h"

namespace osan {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// 2026-03-02 00:00:00 UTC.
constexpr absl::Time kNow = absl::FromUnixSeconds(1772409600);

auth::Principal School() { return auth::Principal{"J10-7531001", auth::v1::SCHOOL}; }

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<auth::KeyPair> pair = auth::GenerateKeyPair();
    ASSERT_TRUE(pair.ok()) << pair.status();
    keys_ = *std::move(pair);
    absl::StatusOr<auth::TokenSigner> signer = auth::TokenSigner::Create(keys_.private_key_pem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = std::make_unique<auth::TokenSigner>(*std::move(signer));
    absl::StatusOr<auth::TokenVerifier> verifier =
        auth::TokenVerifier::Create(keys_.public_key_pem);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::make_unique<auth::TokenVerifier>(*std::move(verifier));
  }

  std::string Issue(const auth::Principal& principal, absl::Time now, absl::Duration lifetime) {
    absl::StatusOr<std::string> token = signer_->Issue(principal, now, lifetime);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // Claims as Issue would make them for School() at kNow for one hour.
  static auth::v1::Claims ValidClaims() {
    auth::v1::Claims claims;
    claims.set_iss("osan-credit-exchange");
    claims.set_aud("osan");
    claims.set_sub("J10-7531001");
    claims.set_role(auth::v1::SCHOOL);
    claims.set_iat(absl::ToUnixSeconds(kNow));
    claims.set_nbf(absl::ToUnixSeconds(kNow));
    claims.set_exp(absl::ToUnixSeconds(kNow + absl::Hours(1)));
    return claims;
  }

  std::string Sign(const auth::v1::Claims& claims) {
    absl::StatusOr<std::string> token = signer_->Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  static ::testing::AssertionResult IsUnauthenticated(const absl::StatusOr<auth::Principal>& r) {
    if (r.ok()) {
      return ::testing::AssertionFailure()
             << "expected UNAUTHENTICATED, got principal " << r->institution;
    }
    if (r.status().code() != absl::StatusCode::kUnauthenticated) {
      return ::testing::AssertionFailure() << "expected UNAUTHENTICATED, got " << r.status();
    }
    return ::testing::AssertionSuccess();
  }

  auth::KeyPair keys_;
  std::unique_ptr<auth::TokenSigner> signer_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
};

TEST_F(TokenTest, GeneratesPemKeyPair) {
  EXPECT_THAT(keys_.private_key_pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(keys_.public_key_pem, StartsWith("-----BEGIN PUBLIC KEY-----"));
  const absl::StatusOr<auth::KeyPair> other = auth::GenerateKeyPair();
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->private_key_pem, keys_.private_key_pem);
}

TEST_F(TokenTest, ValidTokenYieldsPrincipal) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);

  const absl::StatusOr<auth::Principal> principal =
      verifier_->Verify(token, kNow + absl::Minutes(30));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->institution, "J10-7531001");
  EXPECT_EQ(principal->role, auth::v1::SCHOOL);
  EXPECT_EQ(principal->institution_name(), "institutions/J10-7531001");
}

TEST_F(TokenTest, ValidAtIssueTime) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier_->Verify(token, kNow).ok());
}

TEST_F(TokenTest, ExpiryToleratesClockSkewOnly) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  const absl::Time expiry = kNow + absl::Hours(1);
  EXPECT_TRUE(verifier_->Verify(token, expiry).ok());
  EXPECT_TRUE(verifier_->Verify(token, expiry + absl::Seconds(60)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, expiry + absl::Seconds(61))));
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, expiry + absl::Hours(24))));
}

TEST_F(TokenTest, NotBeforeToleratesClockSkewOnly) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier_->Verify(token, kNow - absl::Seconds(60)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, kNow - absl::Seconds(61))));
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(token, kNow - absl::Hours(1))));
}

TEST_F(TokenTest, ClockSkewIsConfigurable) {
  auth::TokenOptions strict;
  strict.clock_skew = absl::ZeroDuration();
  const absl::StatusOr<auth::TokenVerifier> verifier =
      auth::TokenVerifier::Create(keys_.public_key_pem, strict);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier->Verify(token, kNow + absl::Hours(1)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier->Verify(token, kNow + absl::Hours(1) + absl::Seconds(1))));
  EXPECT_TRUE(IsUnauthenticated(verifier->Verify(token, kNow - absl::Seconds(1))));
}

TEST_F(TokenTest, RejectsWrongIssuer) {
  auth::TokenOptions options;
  options.issuer = "someone-else";
  const absl::StatusOr<auth::TokenSigner> signer =
      auth::TokenSigner::Create(keys_.private_key_pem, options);
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::StatusOr<std::string> token = signer->Issue(School(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(*token, kNow)));
}

TEST_F(TokenTest, RejectsWrongAudience) {
  auth::TokenOptions options;
  options.audience = "another-system";
  const absl::StatusOr<auth::TokenSigner> signer =
      auth::TokenSigner::Create(keys_.private_key_pem, options);
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::StatusOr<std::string> token = signer->Issue(School(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(*token, kNow)));
}

TEST_F(TokenTest, RejectsSignatureOfAnotherKey) {
  const absl::StatusOr<auth::KeyPair> other = auth::GenerateKeyPair();
  ASSERT_TRUE(other.ok()) << other.status();
  const absl::StatusOr<auth::TokenSigner> signer =
      auth::TokenSigner::Create(other->private_key_pem);
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::StatusOr<std::string> token = signer->Issue(School(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(*token, kNow)));
}

TEST_F(TokenTest, RejectsTamperedPayload) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  ASSERT_THAT(payload, HasSubstr("\"SCHOOL\""));
  // Promote the caller to CITY, keeping the original signature.
  parts[1] = absl::WebSafeBase64Escape(absl::StrReplaceAll(payload, {{"\"SCHOOL\"", "\"CITY\""}}));
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
}

TEST_F(TokenTest, RejectsTamperedSignature) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string signature;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[2], &signature));
  signature[0] = static_cast<char>(signature[0] ^ 0x01);
  parts[2] = absl::WebSafeBase64Escape(signature);
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
}

TEST_F(TokenTest, RejectsOtherAlgorithmHeader) {
  const std::string token = Issue(School(), kNow, absl::Hours(1));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  parts[0] = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
  parts[2] = "";
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(absl::StrJoin(parts, "."), kNow)));
}

TEST_F(TokenTest, RejectsMalformedStrings) {
  for (const absl::string_view token :
       {"", "a", "a.b", "a.b.c", "..", "...", "a.b.c.d", "!!.??.**", "Bearer x.y.z"}) {
    SCOPED_TRACE(token);
    const absl::StatusOr<auth::Principal> principal = verifier_->Verify(token, kNow);
    EXPECT_TRUE(IsUnauthenticated(principal));
    EXPECT_THAT(std::string(principal.status().message()), StartsWith("invalid token: "));
  }
}

TEST_F(TokenTest, RejectsClaimsWithoutExpiryInstitutionOrRole) {
  auth::v1::Claims no_expiry = ValidClaims();
  no_expiry.clear_exp();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(no_expiry), kNow)));

  auth::v1::Claims no_subject = ValidClaims();
  no_subject.clear_sub();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(no_subject), kNow)));

  auth::v1::Claims no_role = ValidClaims();
  no_role.clear_role();
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(no_role), kNow)));

  // The same claims, complete, pass: the failures above are the missing fields.
  EXPECT_TRUE(verifier_->Verify(Sign(ValidClaims()), kNow).ok());
}

TEST_F(TokenTest, ClaimsWithoutNotBeforeAreValidFromIssueUntilExpiry) {
  auth::v1::Claims claims = ValidClaims();
  claims.clear_nbf();
  EXPECT_TRUE(verifier_->Verify(Sign(claims), kNow - absl::Seconds(60)).ok());
  EXPECT_TRUE(verifier_->Verify(Sign(claims), kNow + absl::Hours(1)).ok());
  EXPECT_TRUE(IsUnauthenticated(verifier_->Verify(Sign(claims), kNow - absl::Hours(5))))
      << "issued in the future";
}

// An ECDSA P-256 key pair in PEM, neither of which is Ed25519.
auth::KeyPair EcKeyPair() {
  auth::KeyPair pair;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
  if (key == nullptr) {
    return pair;
  }
  for (const bool private_key : {true, false}) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    const int ok = private_key ? PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0,
                                                          nullptr, nullptr)
                               : PEM_write_bio_PUBKEY(bio.get(), key.get());
    if (ok != 1) {
      continue;
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    (private_key ? pair.private_key_pem : pair.public_key_pem) =
        std::string(data, static_cast<size_t>(size));
  }
  return pair;
}

TEST_F(TokenTest, KeysMustBeEd25519PemOfTheRightKind) {
  EXPECT_EQ(auth::TokenSigner::Create(keys_.public_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenVerifier::Create(keys_.private_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenSigner::Create("not a key").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenVerifier::Create("").status().code(), absl::StatusCode::kInvalidArgument);

  const auth::KeyPair ec = EcKeyPair();
  ASSERT_FALSE(ec.private_key_pem.empty());
  ASSERT_FALSE(ec.public_key_pem.empty());
  EXPECT_EQ(auth::TokenSigner::Create(ec.private_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(auth::TokenVerifier::Create(ec.public_key_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PrincipalTest, InstitutionNameAndRoleName) {
  const auth::Principal academy{"OSAN-AICODING", auth::v1::ACADEMY};
  EXPECT_EQ(academy.institution_name(), "institutions/OSAN-AICODING");
  EXPECT_EQ(auth::RoleName(auth::v1::SCHOOL), "SCHOOL");
  EXPECT_EQ(auth::RoleName(auth::v1::EDU_OFFICE), "EDU_OFFICE");
}

}  // namespace
}  // namespace osan
