// The listing site's behaviour over HTTP, independent of the server that
// carries it: routes, the query's checks, status codes, caching headers and
// compression.
//
//   GET /                 the open term's sections, filtered (see ParseQuery)
//   GET /sections/{id}    one section
//   GET /healthz          "ok" once a listing is loaded, else 503
// HEAD works wherever GET does; other methods get 405, other paths 404,
// bad queries 400 with the form and the problem. Pages carry a weak ETag of
// the listing's version and the page's canonical address (If-None-Match
// gives 304), `Cache-Control: public, max-age=10`, and a gzip body when the
// client accepts it. Rendered pages are kept per listing version (bounded),
// so a repeated page costs a lookup, not a render.
#ifndef OSAN_SERVICES_LISTING_WEB_SITE_H_
#define OSAN_SERVICES_LISTING_WEB_SITE_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/metrics.h"
#include "services/listing/domain/listing.h"
#include "services/listing/web/pages.h"

namespace osan::listing {

struct HttpRequest {
  std::string method;  // GET, HEAD, ...
  std::string target;  // path and query, as sent
  bool accepts_gzip = false;
  std::string if_none_match;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  // Shared: a cached page's body is not copied per response.
  std::shared_ptr<const std::string> body;
};

class Site {
 public:
  // `listing` returns the current listing, or nullptr before the first one.
  Site(Pages pages, std::function<std::shared_ptr<const Listing>()> listing,
       size_t max_cached_pages = 512);

  HttpResponse Handle(const HttpRequest& request);

  // The route `target` falls under, for metrics: "/", "/sections/{id}",
  // "/healthz" or "other" (a bounded set, whatever the path).
  static const char* Route(absl::string_view target);

 private:
  // A page as rendered once, in both encodings.
  struct Rendered {
    int status = 200;
    std::string etag;
    std::shared_ptr<const std::string> identity;
    std::shared_ptr<const std::string> gzip;
  };
  std::shared_ptr<const Rendered> Render(const Listing& listing, absl::string_view path,
                                         absl::string_view query_string);
  std::shared_ptr<const Rendered> Page(int status, const std::string& key, std::string html);

  const Pages pages_;
  const std::function<std::shared_ptr<const Listing>()> listing_;
  const size_t max_cached_pages_;
  std::mutex mu_;
  std::string cached_version_;  // the listing version `cache_` belongs to
  std::map<std::string, std::shared_ptr<const Rendered>> cache_;
};

// `handler` with each request counted in `metrics` (osan_http_requests_total
// by Site::Route and status, osan_http_request_duration_seconds); `handler`
// itself when `metrics` is null. `metrics` must outlive the result.
std::function<HttpResponse(const HttpRequest&)> Observed(
    Metrics* metrics, std::function<HttpResponse(const HttpRequest&)> handler);

// Splits "a=1&b=%ED%95%9C" into decoded (name, value) pairs ('+' is a
// space); nullopt for a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> DecodeQuery(
    absl::string_view query_string);

// `text` gzip-compressed.
std::string Gzip(absl::string_view text);

}  // namespace osan::listing

#endif  // OSAN_SERVICES_LISTING_WEB_SITE_H_
