// Transport security for clients of the suite's services: TLS (server
// verified against a CA) and mutual TLS (a client certificate presented).
#ifndef OSAN_COMMON_TLS_H_
#define OSAN_COMMON_TLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace osan {

struct ClientTls {
  // PEM CA bundle the server's certificate must chain to. Empty: plaintext.
  std::string ca_pem;
  // PEM certificate chain and key presented to servers that require client
  // certificates; optional.
  std::string cert_pem;
  std::string key_pem;
};

// TLS credentials per `tls`, or insecure ones when it has no CA.
std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const ClientTls& tls);

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address, const ClientTls& tls);

// Whether `listen_address` (host:port) binds only the loopback interface.
bool IsLoopback(absl::string_view listen_address);

}  // namespace osan

#endif  // OSAN_COMMON_TLS_H_
