// Bearer-token verification (common/auth.h) on arbitrary strings.
//
// Input: byte 0 chooses the mode, bytes 1..4 (little-endian) are the time of
// verification in Unix seconds, the rest is the text.
//   0: the text is the token. It cannot carry a valid signature, so Verify
//      must be UNAUTHENTICATED. The text is also tried as a verification key.
//   1: the text is the claims (JSON) of a token correctly signed with the
//      verifier's key: parsing and checking the claims.
//   2: the text is the JOSE header (JSON) of a correctly signed token, "$KID"
//      standing for the id of the verifier's key.
//   3: the text is spliced into a valid token.
// Contracts checked: every failure is UNAUTHENTICATED (never INTERNAL or
// another code); a token that passes names an institution and a role; a
// changed token never passes for someone else.
#include <google/protobuf/util/json_util.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "tests/fuzz/fuzz_support.h"

namespace osan::auth {
namespace {

using absl::StatusCode;
using fuzz::ExpectCode;

// The time the valid token is issued at, and its lifetime.
constexpr int64_t kIssuedAt = 1790000000;
constexpr absl::Duration kLifetime = absl::Hours(1);

struct Keys {
  std::unique_ptr<TokenVerifier> verifier;
  std::shared_ptr<EVP_PKEY> private_key;
  std::string valid_token;
  Principal principal{"J10-7531001", v1::SCHOOL};
  std::string header_part;   // base64url of the signer's JOSE header
  std::string payload_part;  // base64url of the valid token's claims
  std::string kid;           // the id of the verifier's key
};

const Keys& TheKeys() {
  static const Keys* keys = [] {
    auto* k = new Keys;
    absl::StatusOr<KeyPair> pair = GenerateKeyPair();
    OSAN_FUZZ_CHECK(pair.ok());
    auto verifier = TokenVerifier::Create(pair->public_key_pem);
    OSAN_FUZZ_CHECK(verifier.ok());
    k->verifier = std::make_unique<TokenVerifier>(*std::move(verifier));
    auto signer = TokenSigner::Create(pair->private_key_pem);
    OSAN_FUZZ_CHECK(signer.ok());
    auto token = signer->Issue(k->principal, absl::FromUnixSeconds(kIssuedAt), kLifetime);
    OSAN_FUZZ_CHECK(token.ok());
    k->valid_token = *token;
    const std::vector<std::string> parts = absl::StrSplit(k->valid_token, '.');
    OSAN_FUZZ_CHECK(parts.size() == 3);
    k->header_part = parts[0];
    k->payload_part = parts[1];
    std::string header_json;
    OSAN_FUZZ_CHECK(absl::WebSafeBase64Unescape(k->header_part, &header_json));
    v1::Header header;
    OSAN_FUZZ_CHECK(google::protobuf::util::JsonStringToMessage(header_json, &header).ok());
    k->kid = header.kid();
    BIO* bio = BIO_new_mem_buf(pair->private_key_pem.data(),
                               static_cast<int>(pair->private_key_pem.size()));
    k->private_key.reset(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr), EVP_PKEY_free);
    BIO_free(bio);
    OSAN_FUZZ_CHECK(k->private_key != nullptr);
    return k;
  }();
  return *keys;
}

// `header.payload.signature` with a real Ed25519 signature over the first two parts.
std::string SignedToken(const std::string& header_part, const std::string& payload_part) {
  const std::string signed_part = absl::StrCat(header_part, ".", payload_part);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t size = 64;
  std::string signature(size, '\0');
  OSAN_FUZZ_CHECK(ctx != nullptr);
  OSAN_FUZZ_CHECK(
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, TheKeys().private_key.get()) == 1);
  OSAN_FUZZ_CHECK(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
                                 &size, reinterpret_cast<const unsigned char*>(signed_part.data()),
                                 signed_part.size()) == 1);
  signature.resize(size);
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(signature));
}

absl::StatusOr<Principal> Verify(const std::string& token, absl::Time now) {
  absl::StatusOr<Principal> principal = TheKeys().verifier->Verify(token, now);
  ExpectCode(principal.status(), {StatusCode::kOk, StatusCode::kUnauthenticated}, "Verify");
  if (principal.ok()) {
    OSAN_FUZZ_CHECK(!principal->institution.empty());
    OSAN_FUZZ_CHECK(principal->role != v1::ROLE_UNSPECIFIED);
  }
  return principal;
}

void CheckArbitraryToken(const std::string& text, absl::Time now) {
  OSAN_FUZZ_CHECK(!Verify(text, now).ok());
  auto verifier = TokenVerifier::Create(text);
  if (!verifier.ok()) {
    ExpectCode(verifier.status(), {StatusCode::kInvalidArgument}, "TokenVerifier::Create");
  } else {
    // Some other Ed25519 key: it cannot accept a token of ours.
    OSAN_FUZZ_CHECK(!verifier->Verify(TheKeys().valid_token, now).ok());
  }
}

void CheckClaims(const std::string& text, absl::Time now) {
  const auto principal =
      Verify(SignedToken(TheKeys().header_part, absl::WebSafeBase64Escape(text)), now);
  if (principal.ok()) {
    // What passed is what the claims say.
    v1::Claims claims;
    google::protobuf::util::JsonParseOptions parse;
    parse.ignore_unknown_fields = true;
    OSAN_FUZZ_CHECK(google::protobuf::util::JsonStringToMessage(text, &claims, parse).ok());
    OSAN_FUZZ_CHECK(claims.sub() == principal->institution);
    OSAN_FUZZ_CHECK(claims.role() == principal->role);
    OSAN_FUZZ_CHECK(claims.exp() != 0);
    OSAN_FUZZ_CHECK(claims.iat() != 0);
  }
}

void CheckHeader(const std::string& input, absl::Time now) {
  // The key id is random per process: "$KID" in the input stands for it.
  const std::string text = absl::StrReplaceAll(input, {{"$KID", TheKeys().kid}});
  const auto principal =
      Verify(SignedToken(absl::WebSafeBase64Escape(text), TheKeys().payload_part), now);
  if (principal.ok()) {
    v1::Header header;
    google::protobuf::util::JsonParseOptions parse;
    parse.ignore_unknown_fields = true;
    OSAN_FUZZ_CHECK(google::protobuf::util::JsonStringToMessage(text, &header, parse).ok());
    OSAN_FUZZ_CHECK(header.alg() == "EdDSA");
    OSAN_FUZZ_CHECK(principal->institution == TheKeys().principal.institution);
  }
}

void CheckSpliced(const std::string& text, absl::Time now) {
  std::string token = TheKeys().valid_token;
  const size_t at = text.empty() ? 0 : static_cast<unsigned char>(text[0]) % (token.size() + 1);
  const size_t removed = text.size() < 2 ? 0 : static_cast<unsigned char>(text[1]) % 4;
  token.replace(at, removed, text.size() < 2 ? text : text.substr(2));
  const auto principal = Verify(token, now);
  if (principal.ok()) {
    OSAN_FUZZ_CHECK(principal->institution == TheKeys().principal.institution);
    OSAN_FUZZ_CHECK(principal->role == TheKeys().principal.role);
  }
}

}  // namespace
}  // namespace osan::auth

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  osan::fuzz::QuietProtobuf();
  osan::auth::TheKeys();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kPrefix = 5;
  if (size < kPrefix) {
    return 0;
  }
  const uint32_t seconds = static_cast<uint32_t>(data[1]) | static_cast<uint32_t>(data[2]) << 8 |
                           static_cast<uint32_t>(data[3]) << 16 |
                           static_cast<uint32_t>(data[4]) << 24;
  const absl::Time now = absl::FromUnixSeconds(seconds);
  const std::string text(reinterpret_cast<const char*>(data) + kPrefix, size - kPrefix);
  switch (data[0] % 4) {
    case 0:
      osan::auth::CheckArbitraryToken(text, now);
      break;
    case 1:
      osan::auth::CheckClaims(text, now);
      break;
    case 2:
      osan::auth::CheckHeader(text, now);
      break;
    case 3:
      osan::auth::CheckSpliced(text, now);
      break;
  }
  return 0;
}
