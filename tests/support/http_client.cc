#include "tests/support/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"

namespace osan::testing {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpReply HttpCall(int port, const std::string& method, const std::string& target,
                   const std::map<std::string, std::string>& headers) {
  HttpReply reply;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code error;
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)),
      error);
  if (error) {
    return reply;
  }
  http::request<http::empty_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  http::write(stream, request, error);
  if (error) {
    return reply;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(method == "HEAD");
  http::read(stream, buffer, parser, error);
  if (error && error != http::error::end_of_stream) {
    return reply;
  }
  const auto& response = parser.get();
  reply.status = response.result_int();
  for (const auto& field : response) {
    reply.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  reply.body = response.body();
  return reply;
}

}  // namespace osan::testing
