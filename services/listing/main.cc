// listing-server: the city's public listing of joint courses, in Korean, on
// HTTP (default http://127.0.0.1:8080/). It reads the catalog's public
// listing and enrollment's public seat counts over gRPC like any client
// (TLS per --tls_ca; its own SERVICE token when --service_signing_key is
// given) and never touches a database. With --metrics_listen it serves
// Prometheus metrics: requests by route and status, their latency, the
// listing's age and failed polls. Flags also read OSAN_<FLAG>.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/config.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/server.h"
#include "common/tls.h"
#include "services/listing/source/listing_source.h"
#include "services/listing/web/http_server.h"
#include "services/listing/web/pages.h"
#include "services/listing/web/site.h"

ABSL_FLAG(int, refresh_ms, 1000, "how often the listing and seat counts are polled");
ABSL_FLAG(int, http_threads, 2, "threads serving HTTP connections");

int main(int argc, char** argv) {
  osan::server::BlockShutdownSignals();
  absl::StatusOr<osan::ServiceConfig> config = osan::LoadClientConfig(argc, argv, "127.0.0.1:8080");
  if (!config.ok()) {
    std::cerr << "listing-server: " << config.status().message() << "\n";
    return 2;
  }
  const int refresh_ms = absl::GetFlag(FLAGS_refresh_ms);
  if (refresh_ms < 100) {
    std::cerr << "listing-server: --refresh_ms must be at least 100\n";
    return 2;
  }
  std::shared_ptr<osan::auth::ServiceToken> token;
  if (!config->service_signing_key_pem.empty()) {
    auto signer = osan::auth::TokenSigner::Create(config->service_signing_key_pem);
    if (!signer.ok()) {
      std::cerr << "listing-server: --service_signing_key: " << signer.status().message() << "\n";
      return 2;
    }
    token = std::make_shared<osan::auth::ServiceToken>(*std::move(signer), "SVC-LISTING");
  }
  osan::listing::ListingSource source(
      osan::OpenChannel(config->catalog_address, config->peer_tls),
      osan::OpenChannel(config->enrollment_address, config->peer_tls), token, absl::Seconds(5));
  source.Start(absl::Milliseconds(refresh_ms));
  std::unique_ptr<osan::Metrics> metrics;
  if (!config->metrics_address.empty()) {
    auto served = osan::Metrics::Serve(config->metrics_address, "listing");
    if (!served.ok()) {
      std::cerr << "listing-server: " << served.status().message() << "\n";
      return 1;
    }
    metrics = *std::move(served);
    source.SampleInto(*metrics);
  }
  osan::listing::Site site(osan::listing::Pages(), [&source] { return source.Current(); });
  auto server = osan::listing::HttpServer::Start(
      config->server.listen_address, absl::GetFlag(FLAGS_http_threads),
      osan::listing::Observed(metrics.get(), [&site](const osan::listing::HttpRequest& request) {
        return site.Handle(request);
      }));
  if (!server.ok()) {
    std::cerr << "listing-server: " << server.status().message() << "\n";
    return 1;
  }
  const std::string address = config->server.listen_address;
  osan::log::Info("listing page serving",
                  {{"url", absl::StrCat("http://", address.substr(0, address.rfind(':')), ":",
                                        (*server)->port(), "/")}});
  osan::server::WaitForShutdownSignal();
  (*server)->Shutdown();
  source.Stop();
  metrics.reset();  // before the source its series read
  return 0;
}
