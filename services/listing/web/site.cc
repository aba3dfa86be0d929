#include "services/listing/web/site.h"

#include <zlib.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace osan::listing {

namespace {

constexpr size_t kMaxSectionIdLength = 64;

// FNV-1a: a hash stable across processes, so replicas agree on ETags.
uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  return hash;
}

bool IsSectionId(absl::string_view id) {
  return !id.empty() && id.size() <= kMaxSectionIdLength &&
         std::all_of(id.begin(), id.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_'; });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Unescape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else if (i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::shared_ptr<const std::string> Shared(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> DecodeQuery(
    absl::string_view query_string) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const absl::string_view part : absl::StrSplit(query_string, '&', absl::SkipEmpty())) {
    const std::pair<absl::string_view, absl::string_view> name_value =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    std::optional<std::string> name = Unescape(name_value.first);
    std::optional<std::string> value = Unescape(name_value.second);
    if (!name || !value) {
      return std::nullopt;
    }
    params.emplace_back(*std::move(name), *std::move(value));
  }
  return params;
}

std::string Gzip(absl::string_view text) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer.
  deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Site::Site(Pages pages, std::function<std::shared_ptr<const Listing>()> listing,
           size_t max_cached_pages)
    : pages_(std::move(pages)), listing_(std::move(listing)), max_cached_pages_(max_cached_pages) {}

std::shared_ptr<const Site::Rendered> Site::Page(int status, const std::string& key,
                                                 std::string html) {
  auto page = std::make_shared<Rendered>();
  page->status = status;
  page->etag = absl::StrFormat("W/\"%016x\"", StableHash(key));
  page->gzip = Shared(Gzip(html));
  page->identity = Shared(std::move(html));
  return page;
}

std::shared_ptr<const Site::Rendered> Site::Render(const Listing& listing, absl::string_view path,
                                                   absl::string_view query_string) {
  if (path == "/") {
    const auto params = DecodeQuery(query_string);
    if (!params) {
      return Page(400, "", pages_.Index(listing, Query{}, "주소의 검색 조건을 읽을 수 없습니다."));
    }
    const absl::StatusOr<Query> query = ParseQuery(*params, listing);
    if (!query.ok()) {
      return Page(400, "", pages_.Index(listing, Query{}, query.status().message()));
    }
    const std::string key =
        absl::StrCat(listing.version(), " /?", CanonicalParameters(*query), "&page=", query->page);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cached_version_ == listing.version()) {
        const auto hit = cache_.find(key);
        if (hit != cache_.end()) {
          return hit->second;
        }
      }
    }
    auto page = Page(200, key, pages_.Index(listing, *query, ""));
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_version_ != listing.version() || cache_.size() >= max_cached_pages_) {
      cache_.clear();
      cached_version_ = listing.version();
    }
    cache_.emplace(key, page);
    return page;
  }
  if (absl::StartsWith(path, "/sections/")) {
    const absl::string_view id = absl::StripPrefix(path, "/sections/");
    const Entry* entry = IsSectionId(id) ? listing.Find(id) : nullptr;
    if (entry == nullptr) {
      return Page(404, "",
                  pages_.Error("강좌를 찾을 수 없습니다",
                               "이 주소의 강좌는 이번 학기 목록에 없습니다. 목록에서 다시 찾아 "
                               "보세요."));
    }
    return Page(200, absl::StrCat(listing.version(), " ", path), pages_.Section(*entry));
  }
  return Page(404, "", pages_.Error("페이지를 찾을 수 없습니다", "주소를 확인해 주세요."));
}

const char* Site::Route(absl::string_view target) {
  const absl::string_view path = target.substr(0, target.find('?'));
  if (path == "/") {
    return "/";
  }
  if (path == "/healthz") {
    return "/healthz";
  }
  if (absl::StartsWith(path, "/sections/")) {
    return "/sections/{id}";
  }
  return "other";
}

std::function<HttpResponse(const HttpRequest&)> Observed(
    Metrics* metrics, std::function<HttpResponse(const HttpRequest&)> handler) {
  if (metrics == nullptr) {
    return handler;
  }
  return [metrics, handler = std::move(handler)](const HttpRequest& request) {
    const absl::Time received = absl::Now();
    HttpResponse response = handler(request);
    metrics->HttpRequest(Site::Route(request.target), response.status, absl::Now() - received);
    return response;
  };
}

HttpResponse Site::Handle(const HttpRequest& request) {
  HttpResponse response;
  response.headers = {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}};
  if (request.method != "GET" && request.method != "HEAD") {
    response.status = 405;
    response.headers.emplace_back("Allow", "GET, HEAD");
    response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    response.body = Shared("GET 또는 HEAD만 받습니다.\n");
    return response;
  }
  const std::pair<absl::string_view, absl::string_view> path_query =
      absl::StrSplit(request.target, absl::MaxSplits('?', 1));
  const std::shared_ptr<const Listing> listing = listing_();
  if (path_query.first == "/healthz") {
    response.status = listing != nullptr ? 200 : 503;
    response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    response.headers.emplace_back("Cache-Control", "no-store");
    response.body = Shared(listing != nullptr ? "ok\n" : "listing not loaded yet\n");
    return response;
  }
  std::shared_ptr<const Rendered> page;
  if (listing == nullptr) {
    page =
        Page(503, "", pages_.Error("잠시 후 다시 시도해 주세요", "강좌 목록을 불러오는 중입니다."));
    response.headers.emplace_back("Retry-After", "5");
  } else {
    page = Render(*listing, path_query.first, path_query.second);
  }
  response.status = page->status;
  response.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  response.headers.emplace_back("Content-Language", "ko");
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
      "frame-ancestors 'none'; base-uri 'none'");
  response.headers.emplace_back("Vary", "Accept-Encoding");
  if (page->status != 200) {
    response.headers.emplace_back("Cache-Control", "no-store");
  } else {
    response.headers.emplace_back("Cache-Control", "public, max-age=10");
    response.headers.emplace_back("ETag", page->etag);
    if (request.if_none_match == page->etag) {
      response.status = 304;
      return response;
    }
  }
  if (request.accepts_gzip) {
    response.headers.emplace_back("Content-Encoding", "gzip");
    response.body = page->gzip;
  } else {
    response.body = page->identity;
  }
  return response;
}

}  // namespace osan::listing
