// A small HTTP/1.1 server (Boost.Beast, asynchronous, keep-alive) that hands
// each GET/HEAD request to a handler and writes its response. Requests carry
// no body; a request line and headers over 8 KiB, or a malformed request,
// get a 4xx and the connection is closed. Idle connections close after 30 s.
#ifndef OSAN_SERVICES_LISTING_WEB_HTTP_SERVER_H_
#define OSAN_SERVICES_LISTING_WEB_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/listing/web/site.h"

namespace osan::listing {

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Listens on `address` (host:port; port 0 picks a free one) with
  // `threads` threads running connections.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& address, int threads,
                                                           Handler handler);
  ~HttpServer();  // Shutdown()

  int port() const;
  // Stops accepting, closes connections and joins the threads.
  void Shutdown();

  struct State;

 private:
  explicit HttpServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Whether an Accept-Encoding header value accepts gzip (not with q=0).
bool AcceptsGzip(const std::string& accept_encoding);

}  // namespace osan::listing

#endif  // OSAN_SERVICES_LISTING_WEB_HTTP_SERVER_H_
