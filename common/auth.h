// Bearer tokens: JWTs (RFC 7519) signed with Ed25519 (EdDSA, RFC 8037).
// Signing and verification are OpenSSL's; this file only frames the token.
#ifndef OSAN_COMMON_AUTH_H_
#define OSAN_COMMON_AUTH_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "osan/auth/v1/claims.pb.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace osan::auth {

// The suite's own services are named with this prefix (SVC-ENROLLMENT): in
// their SERVICE tokens and their certificates' common names.
inline constexpr absl::string_view kSuiteServicePrefix = "SVC-";

using Role = v1::Role;

// Who is calling: an institution acting in a role.
struct Principal {
  // Institution code, e.g. "J10-7531001" or "OSAN-AICODING".
  std::string institution;
  Role role = v1::ROLE_UNSPECIFIED;
  // When the token stops being accepted (its expiry plus the clock skew).
  absl::Time expires = absl::InfiniteFuture();

  // `institutions/{code}`: the resource name of the caller's institution.
  std::string institution_name() const { return "institutions/" + institution; }
};

// Name of a role as in tokens and policies ("SCHOOL").
std::string RoleName(Role role);

struct TokenOptions {
  std::string issuer = "osan-credit-exchange";
  std::string audience = "osan";
  // Tolerated difference between the issuer's and the verifier's clocks.
  absl::Duration clock_skew = absl::Seconds(60);
  // The longest a token may be valid (`exp - iat`): institutions' tokens,
  // and the SERVICE tokens the suite's services issue themselves.
  absl::Duration max_lifetime = absl::Hours(24);
  absl::Duration max_service_lifetime = absl::Minutes(5);

  // The longest lifetime allowed to a token of `role`.
  absl::Duration MaxLifetime(Role role) const {
    return role == v1::SERVICE ? max_service_lifetime : max_lifetime;
  }
};

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using KeyPtr = std::shared_ptr<EVP_PKEY>;

// Revoked tokens: all of an institution's tokens issued before a time, and
// single tokens by id. Revoking is adding a line (e.g. after a leaked token).
class Revocations {
 public:
  // One revocation a line; '#' starts a comment:
  //   INSTITUTION_CODE UNIX_SECONDS  tokens of the institution issued before
  //                                  UNIX_SECONDS
  //   jti TOKEN_ID                   the one token whose `jti` is TOKEN_ID
  static absl::StatusOr<Revocations> Parse(absl::string_view text);

  // Whether a token of `institution` issued at `issued_at` with id
  // `token_id` (may be empty) is revoked.
  bool Revoked(const std::string& institution, int64_t issued_at,
               const std::string& token_id = "") const;

 private:
  std::map<std::string, int64_t> issued_before_;
  std::set<std::string> token_ids_;
};

// The key id of an Ed25519 key: 16 base64url characters of the SHA-256 of
// its public key. Tokens carry it as `kid`.
std::string KeyId(EVP_PKEY* key);

// The public keys that verify tokens, each with what it may sign. No key
// signs everything: the issuer's keys sign institutions' tokens (every role
// but SERVICE); a service's key signs only SERVICE tokens naming that
// service. During a rotation a ring holds the old and the new keys. Each
// entry is an Ed25519 SubjectPublicKeyInfo in PEM.
struct KeyRing {
  std::vector<std::string> issuer_pems;
  // (service name, e.g. "SVC-ENROLLMENT"; its public key).
  std::vector<std::pair<std::string, std::string>> service_pems;
};

// Checks tokens against a key ring and a revocation list. Thread-safe.
class TokenVerifier {
 public:
  // INVALID_ARGUMENT if a key is not an Ed25519 public key, a service name
  // does not start with kSuiteServicePrefix, or one key has two scopes.
  static absl::StatusOr<TokenVerifier> Create(const KeyRing& ring, TokenOptions options = {});
  // A ring of the issuer's keys only.
  static absl::StatusOr<TokenVerifier> Create(const std::vector<std::string>& public_key_pems,
                                              TokenOptions options = {});
  static absl::StatusOr<TokenVerifier> Create(absl::string_view public_key_pem,
                                              TokenOptions options = {});

  // Verifies the key (by `kid`) and its scope, signature, issuer, audience, issue time
  // (required, not after `now` beyond the clock skew), lifetime (at most
  // options.MaxLifetime(role)), not-before, expiry and revocation at `now`.
  // Every failure is UNAUTHENTICATED with a message safe to show the caller.
  absl::StatusOr<Principal> Verify(absl::string_view token, absl::Time now) const;

  // Replaces the revocation list; takes effect for every later Verify.
  void SetRevocations(Revocations revocations) const;

 private:
  struct Shared;
  struct ScopedKey {
    KeyPtr key;
    // Empty for the issuer's keys; else the one service the key signs for.
    std::string service;
  };
  TokenVerifier(std::map<std::string, ScopedKey> keys, TokenOptions options);
  std::map<std::string, ScopedKey> keys_;
  TokenOptions options_;
  std::shared_ptr<Shared> shared_;
};

// Issues tokens with one private key. Thread-safe.
class TokenSigner {
 public:
  // `private_key_pem`: an Ed25519 PKCS#8 private key in PEM.
  static absl::StatusOr<TokenSigner> Create(absl::string_view private_key_pem,
                                            TokenOptions options = {});

  // A token for `principal`, valid from `now` for `lifetime`, with a fresh
  // random token id (`jti`).
  absl::StatusOr<std::string> Issue(const Principal& principal, absl::Time now,
                                    absl::Duration lifetime) const;

  // Signs arbitrary claims as given (tests use this to forge bad tokens).
  absl::StatusOr<std::string> Sign(const v1::Claims& claims) const;

 private:
  TokenSigner(KeyPtr key, TokenOptions options);
  KeyPtr key_;
  TokenOptions options_;
  std::string kid_;
};

// A service's own SERVICE token for its calls to other services, issued by
// `signer` for institution `service_name` and reissued once half of its
// `lifetime` (at most the SERVICE maximum, TokenOptions) has passed.
// Thread-safe.
class ServiceToken {
 public:
  ServiceToken(TokenSigner signer, std::string service_name,
               absl::Duration lifetime = TokenOptions().max_service_lifetime);
  // The token to send at `now` (absl::Now() in servers, a fake clock in
  // tests): the one issued before while more than half its lifetime is left,
  // else a new one; empty if issuing failed.
  std::string Current(absl::Time now);

 private:
  const TokenSigner signer_;
  const std::string service_name_;
  const absl::Duration lifetime_;
  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time expiry_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

struct KeyPair {
  std::string private_key_pem;
  std::string public_key_pem;
};

// A fresh Ed25519 key pair from OpenSSL's CSPRNG.
absl::StatusOr<KeyPair> GenerateKeyPair();

}  // namespace osan::auth

#endif  // OSAN_COMMON_AUTH_H_
