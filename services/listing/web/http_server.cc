#include "services/listing/web/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace osan::listing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr uint32_t kHeaderLimit = 8 * 1024;

// One connection: read a request, answer it, and again while kept alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServer::Handler& handler)
      : stream_(std::move(socket)), handler_(handler) {}

  void Read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(0);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

 private:
  void OnRead(beast::error_code error, size_t) {
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == net::error::operation_aborted || error == net::error::connection_reset) {
      Close();
      return;
    }
    if (error) {
      const bool too_large = error == http::error::header_limit;
      Reply(too_large ? 431 : 400,
            too_large ? "요청 주소나 헤더가 너무 깁니다.\n" : "요청을 읽을 수 없습니다.\n");
      return;
    }
    const http::request<http::empty_body>& request = parser_->get();
    HttpRequest in;
    in.method = std::string(request.method_string());
    in.target = std::string(request.target());
    in.accepts_gzip = AcceptsGzip(std::string(request[http::field::accept_encoding]));
    in.if_none_match = std::string(request[http::field::if_none_match]);
    const HttpResponse out = handler_(in);

    response_ = {};
    response_.version(request.version());
    response_.result(out.status);
    for (const auto& [name, value] : out.headers) {
      response_.set(name, value);
    }
    response_.keep_alive(request.keep_alive());
    body_ = out.body;
    const size_t length = body_ == nullptr ? 0 : body_->size();
    if (in.method != "HEAD" && out.status != 304 && body_ != nullptr) {
      response_.body() = http::span_body<const char>::value_type(body_->data(), length);
    }
    response_.content_length(out.status == 304 ? 0 : length);
    Write(!request.keep_alive());
  }

  // An error reply, after which the connection closes.
  void Reply(int status, const char* text) {
    response_ = {};
    response_.version(11);
    response_.result(status);
    response_.set(http::field::content_type, "text/plain; charset=utf-8");
    body_ = std::make_shared<const std::string>(text);
    response_.body() = http::span_body<const char>::value_type(body_->data(), body_->size());
    response_.content_length(body_->size());
    response_.keep_alive(false);
    Write(true);
  }

  void Write(bool close) {
    http::async_write(stream_, response_,
                      [self = shared_from_this(), close](beast::error_code error, size_t) {
                        if (error || close) {
                          self->Close();
                        } else {
                          self->Read();
                        }
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::span_body<const char>> response_;
  std::shared_ptr<const std::string> body_;  // keeps response_'s body alive
  const HttpServer::Handler& handler_;
};

}  // namespace

struct HttpServer::State {
  explicit State(Handler h) : handler(std::move(h)) {}
  Handler handler;
  net::io_context io;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  int port = 0;  // as bound, kept for after Shutdown
  bool stopped = false;

  void Accept() {
    acceptor->async_accept(net::make_strand(io),
                           [this](beast::error_code error, tcp::socket socket) {
                             if (error == net::error::operation_aborted || !acceptor->is_open()) {
                               return;
                             }
                             if (!error) {
                               std::make_shared<Session>(std::move(socket), handler)->Read();
                             }
                             Accept();
                           });
  }
};

bool AcceptsGzip(const std::string& accept_encoding) {
  for (const absl::string_view item : absl::StrSplit(accept_encoding, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    if (absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0])) != "gzip") {
      continue;
    }
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view parameter = absl::StripAsciiWhitespace(parts[i]);
      double q = 1;
      if (absl::ConsumePrefix(&parameter, "q=") && absl::SimpleAtod(parameter, &q) && q <= 0) {
        return false;
      }
    }
    return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& address,
                                                              int threads, Handler handler) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("listen address ", address, ": need host:port"));
  }
  beast::error_code error;
  const net::ip::address host = net::ip::make_address(address.substr(0, colon), error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address ", address, ": ", error.message()));
  }
  auto state = std::make_unique<State>(std::move(handler));
  state->acceptor.emplace(state->io);
  const tcp::endpoint endpoint(host, static_cast<unsigned short>(port));
  state->acceptor->open(endpoint.protocol(), error);
  if (!error) state->acceptor->set_option(net::socket_base::reuse_address(true), error);
  if (!error) state->acceptor->bind(endpoint, error);
  if (!error) state->acceptor->listen(net::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ": ", error.message()));
  }
  state->port = state->acceptor->local_endpoint().port();
  state->Accept();
  for (int i = 0; i < std::max(1, threads); ++i) {
    state->threads.emplace_back([io = &state->io] { io->run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() { Shutdown(); }

int HttpServer::port() const { return state_->port; }

void HttpServer::Shutdown() {
  if (state_->stopped) {
    return;
  }
  state_->stopped = true;
  net::post(state_->io, [state = state_.get()] {
    beast::error_code ignored;
    state->acceptor->close(ignored);
  });
  state_->io.stop();
  for (std::thread& thread : state_->threads) {
    thread.join();
  }
}

}  // namespace osan::listing
