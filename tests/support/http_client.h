// A blocking HTTP/1.1 client for tests of the listing page (Boost.Beast):
// one request per connection, the raw response back.
#ifndef OSAN_TESTS_SUPPORT_HTTP_CLIENT_H_
#define OSAN_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <string>

namespace osan::testing {

struct HttpReply {
  int status = 0;                              // 0: no answer
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Sends `method target` to 127.0.0.1:`port` with `headers`.
HttpReply HttpCall(int port, const std::string& method, const std::string& target,
                   const std::map<std::string, std::string>& headers = {});

inline HttpReply HttpGet(int port, const std::string& target,
                         const std::map<std::string, std::string>& headers = {}) {
  return HttpCall(port, "GET", target, headers);
}

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_HTTP_CLIENT_H_
