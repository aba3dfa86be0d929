// Certificates for TLS tests, made in memory with OpenSSL: a CA and leaf
// certificates for 127.0.0.1/localhost with chosen validity.
#ifndef OSAN_TESTS_SUPPORT_TEST_PKI_H_
#define OSAN_TESTS_SUPPORT_TEST_PKI_H_

#include <string>

#include "absl/time/time.h"

namespace osan::testing {

struct Pem {
  std::string cert;
  std::string key;
};

// A self-signed CA (EC P-256) valid from a day ago for ten years.
Pem MakeCa(const std::string& common_name);

// A certificate signed by `ca` for common name `common_name`, with subject
// alternative names IP:127.0.0.1 and DNS:localhost, usable for server and
// client authentication, valid from now + `not_before` to now + `not_after`.
Pem MakeLeaf(const Pem& ca, const std::string& common_name,
             absl::Duration not_before = -absl::Hours(24),
             absl::Duration not_after = absl::Hours(24 * 365));

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_TEST_PKI_H_
