// Token key rotation and revocation (common/auth.h), with fixed times.
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
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

}  // namespace
}  // namespace osan::auth
