#include "common/auth.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace osan::auth {
namespace {

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid token: ", why));
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

BioPtr MemoryBio(absl::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

bool IsEd25519(EVP_PKEY* key) { return key != nullptr && EVP_PKEY_id(key) == EVP_PKEY_ED25519; }

std::string PemOf(EVP_PKEY* key, bool private_key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const int ok =
      private_key ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
                  : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) {
    return "";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

void KeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

std::string RoleName(Role role) { return v1::Role_Name(role); }

std::string KeyId(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) {
    return "";
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(size), digest);
  OPENSSL_free(der);
  return absl::WebSafeBase64Escape(
             absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest))
      .substr(0, 16);
}

absl::StatusOr<Revocations> Revocations::Parse(absl::string_view text) {
  Revocations revocations;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) {
      continue;
    }
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() == 2 && fields[0] == "jti") {
      revocations.token_ids_.insert(std::string(fields[1]));
      continue;
    }
    int64_t before = 0;
    if (fields.size() != 2 || !absl::SimpleAtoi(fields[1], &before)) {
      return absl::InvalidArgumentError(
          absl::StrCat("revocations line ", line_number,
                       ": expected INSTITUTION_CODE UNIX_SECONDS or jti TOKEN_ID"));
    }
    int64_t& current = revocations.issued_before_[std::string(fields[0])];
    current = std::max(current, before);
  }
  return revocations;
}

bool Revocations::Revoked(const std::string& institution, int64_t issued_at,
                          const std::string& token_id) const {
  if (!token_id.empty() && token_ids_.count(token_id) != 0) {
    return true;
  }
  const auto it = issued_before_.find(institution);
  return it != issued_before_.end() && issued_at < it->second;
}

struct TokenVerifier::Shared {
  absl::Mutex mu;
  std::shared_ptr<const Revocations> revocations ABSL_GUARDED_BY(mu) =
      std::make_shared<Revocations>();
};

TokenVerifier::TokenVerifier(std::map<std::string, ScopedKey> keys, TokenOptions options)
    : keys_(std::move(keys)), options_(std::move(options)), shared_(std::make_shared<Shared>()) {}

absl::StatusOr<TokenVerifier> TokenVerifier::Create(const KeyRing& ring, TokenOptions options) {
  std::map<std::string, ScopedKey> keys;
  const auto add = [&keys](const std::string& pem, const std::string& service) -> absl::Status {
    BioPtr bio = MemoryBio(pem);
    KeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), KeyDeleter());
    if (!IsEd25519(key.get())) {
      return absl::InvalidArgumentError(absl::StrCat("token public key",
                                                     service.empty() ? "" : " of ", service,
                                                     " is not an Ed25519 public key in PEM"));
    }
    const std::string kid = KeyId(key.get());
    const auto [it, added] = keys.emplace(kid, ScopedKey{std::move(key), service});
    if (!added && it->second.service != service) {
      return absl::InvalidArgumentError(absl::StrCat(
          "token key ", kid, " is listed for both ",
          it->second.service.empty() ? "the issuer" : it->second.service, " and ",
          service.empty() ? "the issuer" : service, ": a key may sign for one of them only"));
    }
    return absl::OkStatus();
  };
  for (const std::string& pem : ring.issuer_pems) {
    if (absl::Status status = add(pem, ""); !status.ok()) {
      return status;
    }
  }
  for (const auto& [service, pem] : ring.service_pems) {
    if (!absl::StartsWith(service, kSuiteServicePrefix) ||
        service.size() == kSuiteServicePrefix.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("service key name \"", service, "\" must start with ", kSuiteServicePrefix));
    }
    if (absl::Status status = add(pem, service); !status.ok()) {
      return status;
    }
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError("no token verification key");
  }
  return TokenVerifier(std::move(keys), std::move(options));
}

absl::StatusOr<TokenVerifier> TokenVerifier::Create(const std::vector<std::string>& public_key_pems,
                                                    TokenOptions options) {
  return Create(KeyRing{public_key_pems, {}}, std::move(options));
}

absl::StatusOr<TokenVerifier> TokenVerifier::Create(absl::string_view public_key_pem,
                                                    TokenOptions options) {
  return Create(std::vector<std::string>{std::string(public_key_pem)}, std::move(options));
}

void TokenVerifier::SetRevocations(Revocations revocations) const {
  absl::MutexLock lock(&shared_->mu);
  shared_->revocations = std::make_shared<const Revocations>(std::move(revocations));
}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token, absl::Time now) const {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) {
    return Unauthenticated("malformed");
  }
  std::string header_json;
  std::string payload;
  std::string signature;
  if (!absl::WebSafeBase64Unescape(parts[0], &header_json) ||
      !absl::WebSafeBase64Unescape(parts[1], &payload) ||
      !absl::WebSafeBase64Unescape(parts[2], &signature)) {
    return Unauthenticated("malformed");
  }
  v1::Header header;
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(header_json, &header, parse).ok() ||
      header.alg() != "EdDSA") {
    return Unauthenticated("unsupported algorithm");
  }
  const auto key = keys_.find(header.kid());
  if (key == keys_.end()) {
    return Unauthenticated("signed with an unknown or retired key");
  }
  const std::string signed_part = absl::StrCat(parts[0], ".", parts[1]);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key->second.key.get()) != 1 ||
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) != 1) {
    return Unauthenticated("bad signature");
  }
  v1::Claims claims;
  if (!google::protobuf::util::JsonStringToMessage(payload, &claims, parse).ok()) {
    return Unauthenticated("malformed claims");
  }
  const int64_t now_unix = absl::ToUnixSeconds(now);
  const int64_t skew = absl::ToInt64Seconds(options_.clock_skew);
  if (claims.iss() != options_.issuer) {
    return Unauthenticated("wrong issuer");
  }
  if (claims.aud() != options_.audience) {
    return Unauthenticated("wrong audience");
  }
  if (claims.iat() == 0) {
    return Unauthenticated("no issue time (iat)");
  }
  if (static_cast<int64_t>(claims.iat()) > now_unix + skew) {
    return Unauthenticated("issued in the future (iat beyond the allowed clock skew)");
  }
  if (claims.exp() == 0 || now_unix > static_cast<int64_t>(claims.exp()) + skew) {
    return Unauthenticated("expired");
  }
  if (claims.nbf() != 0 && now_unix + skew < static_cast<int64_t>(claims.nbf())) {
    return Unauthenticated("not yet valid");
  }
  if (claims.sub().empty() || claims.role() == v1::ROLE_UNSPECIFIED) {
    return Unauthenticated("no institution or role");
  }
  if (const std::string& service = key->second.service; service.empty()) {
    if (claims.role() == v1::SERVICE) {
      return Unauthenticated("SERVICE tokens must be signed by the service's own key");
    }
  } else if (claims.role() != v1::SERVICE || claims.sub() != service) {
    return Unauthenticated(
        absl::StrCat("the key of ", service, " signs only ", service, "'s SERVICE tokens"));
  }
  const absl::Duration max_lifetime = options_.MaxLifetime(claims.role());
  if (static_cast<int64_t>(claims.exp()) - static_cast<int64_t>(claims.iat()) >
      absl::ToInt64Seconds(max_lifetime)) {
    return Unauthenticated(absl::StrCat("lifetime (exp - iat) longer than the ",
                                        absl::FormatDuration(max_lifetime), " allowed to ",
                                        RoleName(claims.role()), " tokens"));
  }
  std::shared_ptr<const Revocations> revocations;
  {
    absl::MutexLock lock(&shared_->mu);
    revocations = shared_->revocations;
  }
  if (revocations->Revoked(claims.sub(), claims.iat(), claims.jti())) {
    return Unauthenticated("revoked");
  }
  return Principal{claims.sub(), claims.role(),
                   absl::FromUnixSeconds(claims.exp()) + options_.clock_skew};
}

absl::StatusOr<TokenSigner> TokenSigner::Create(absl::string_view private_key_pem,
                                                TokenOptions options) {
  BioPtr bio = MemoryBio(private_key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), KeyDeleter());
  if (!IsEd25519(key.get())) {
    return absl::InvalidArgumentError("token signing key is not an Ed25519 private key in PEM");
  }
  return TokenSigner(std::move(key), std::move(options));
}

TokenSigner::TokenSigner(KeyPtr key, TokenOptions options)
    : key_(std::move(key)), options_(std::move(options)), kid_(KeyId(key_.get())) {}

absl::StatusOr<std::string> TokenSigner::Issue(const Principal& principal, absl::Time now,
                                               absl::Duration lifetime) const {
  v1::Claims claims;
  claims.set_iss(options_.issuer);
  claims.set_aud(options_.audience);
  claims.set_sub(principal.institution);
  claims.set_role(principal.role);
  claims.set_iat(static_cast<uint32_t>(absl::ToUnixSeconds(now)));
  claims.set_nbf(static_cast<uint32_t>(absl::ToUnixSeconds(now)));
  claims.set_exp(static_cast<uint32_t>(absl::ToUnixSeconds(now + lifetime)));
  unsigned char id[16];
  if (RAND_bytes(id, sizeof id) != 1) {
    return absl::InternalError("cannot draw a token id");
  }
  claims.set_jti(
      absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(id), sizeof id)));
  return Sign(claims);
}

absl::StatusOr<std::string> TokenSigner::Sign(const v1::Claims& claims) const {
  std::string payload;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(claims, &payload, print).ok()) {
    return absl::InternalError("cannot encode claims");
  }
  const std::string header = absl::StrCat(R"({"alg":"EdDSA","typ":"JWT","kid":")", kid_, R"("})");
  const std::string signed_part =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(payload));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size()) != 1) {
    return absl::InternalError("cannot sign token");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size()) != 1) {
    return absl::InternalError("cannot sign token");
  }
  signature.resize(size);
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(signature));
}

absl::StatusOr<KeyPair> GenerateKeyPair() {
  EVP_PKEY* raw = nullptr;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), &EVP_PKEY_CTX_free);
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  KeyPtr key(raw, KeyDeleter());
  KeyPair pair{PemOf(key.get(), true), PemOf(key.get(), false)};
  if (pair.private_key_pem.empty() || pair.public_key_pem.empty()) {
    return absl::InternalError("cannot encode the key pair");
  }
  return pair;
}

ServiceToken::ServiceToken(TokenSigner signer, std::string service_name, absl::Duration lifetime)
    : signer_(std::move(signer)), service_name_(std::move(service_name)), lifetime_(lifetime) {}

std::string ServiceToken::Current(absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (now + lifetime_ / 2 > expiry_) {
    auto token = signer_.Issue({service_name_, v1::SERVICE}, now, lifetime_);
    if (token.ok()) {
      token_ = *std::move(token);
      expiry_ = now + lifetime_;
    }
  }
  return token_;
}

}  // namespace osan::auth
