#include "tests/support/test_pki.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

namespace osan::testing {
namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "test pki: %s\n", what);
  std::abort();
}

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

std::string ToPem(const std::function<int(BIO*)>& write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (write(bio.get()) != 1) {
    Fail("cannot encode PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

Key NewKey() {
  Key key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  if (key == nullptr) {
    Fail("cannot generate a key");
  }
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (extension == nullptr || X509_add_ext(cert, extension, -1) != 1) {
    Fail("cannot add an extension");
  }
  X509_EXTENSION_free(extension);
}

// A certificate for `key` named `common_name`, issued by `issuer_cert` (or
// itself when null) and signed with `issuer_key`.
Cert Issue(EVP_PKEY* key, const std::string& common_name, X509* issuer_cert, EVP_PKEY* issuer_key,
           long not_before_seconds, long not_after_seconds, bool ca) {
  Cert cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_seconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_seconds);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* issuer = issuer_cert != nullptr ? issuer_cert : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
  if (ca) {
    AddExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), issuer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    AddExtension(cert.get(), issuer, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) {
    Fail("cannot sign a certificate");
  }
  return cert;
}

Pem Encode(X509* cert, EVP_PKEY* key) {
  return {ToPem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); }), ToPem([key](BIO* bio) {
            return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
          })};
}

}  // namespace

Pem MakeCa(const std::string& common_name) {
  Key key = NewKey();
  Cert cert = Issue(key.get(), common_name, nullptr, key.get(), -86400, 10L * 365 * 86400, true);
  return Encode(cert.get(), key.get());
}

Pem MakeLeaf(const Pem& ca, const std::string& common_name, absl::Duration not_before,
             absl::Duration not_after) {
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(
      BIO_new_mem_buf(ca.cert.data(), static_cast<int>(ca.cert.size())), &BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(
      BIO_new_mem_buf(ca.key.data(), static_cast<int>(ca.key.size())), &BIO_free);
  Cert ca_cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  Key ca_key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (ca_cert == nullptr || ca_key == nullptr) {
    Fail("unreadable CA");
  }
  Key key = NewKey();
  Cert cert = Issue(key.get(), common_name, ca_cert.get(), ca_key.get(),
                    static_cast<long>(absl::ToInt64Seconds(not_before)),
                    static_cast<long>(absl::ToInt64Seconds(not_after)), false);
  return Encode(cert.get(), key.get());
}

}  // namespace osan::testing
