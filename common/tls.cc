#include "common/tls.h"

#include "absl/strings/match.h"

namespace osan {

std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const ClientTls& tls) {
  if (tls.ca_pem.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = tls.ca_pem;
  options.pem_cert_chain = tls.cert_pem;
  options.pem_private_key = tls.key_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address, const ClientTls& tls) {
  return grpc::CreateChannel(address, ClientCredentials(tls));
}

bool IsLoopback(absl::string_view listen_address) {
  const size_t colon = listen_address.rfind(':');
  const absl::string_view host = listen_address.substr(0, colon);
  return absl::StartsWith(host, "127.") || host == "localhost" || host == "[::1]";
}

}  // namespace osan
