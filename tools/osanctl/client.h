// Shared pieces of osanctl: connections, tokens, and Korean labels for output.
#ifndef OSAN_TOOLS_OSANCTL_CLIENT_H_
#define OSAN_TOOLS_OSANCTL_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "common/auth.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"
#include "services/catalog/vocabulary/labels.h"
#include "services/credit/domain/results_sheet.h"

namespace osan::cli {

// `flag` if set, else the environment variable, else `fallback`.
std::string FlagOrEnv(const std::string& flag, const char* variable, const std::string& fallback);

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// A context with a 10 s deadline and, if `token` is not empty, the bearer token.
std::unique_ptr<grpc::ClientContext> MakeContext(const std::string& token);

// The caller's bearer token: --token, else $OSAN_TOKEN, else empty.
std::string CallerToken();

// --request_id, or a fresh id when it is not given.
std::string RequestId();

// `schools/{code}` for --school, which takes either the code or the name;
// empty if --school is not given.
std::string SchoolName();

// A unary method of a generated stub, e.g. &EnrollmentService::Stub::CreateStudent.
template <class Stub, class Request, class Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

// A server-streaming method of a generated stub, e.g. &CreditService::Stub::WatchResults.
template <class Stub, class Request, class Event>
using StreamMethod = std::unique_ptr<grpc::ClientReader<Event>> (Stub::*)(grpc::ClientContext*,
                                                                          const Request&);

// Calls `method` once with the caller's token and the usual deadline.
template <class Stub, class Request, class Response>
grpc::Status CallUnary(Stub& stub, UnaryMethod<Stub, Request, Response> method,
                       const Request& request, Response* response) {
  auto context = MakeContext(CallerToken());
  return (stub.*method)(context.get(), request, response);
}

// Calls the list `method` page after page (200 to a page) with the caller's
// token, passing each response to `each`, until the last page or a failure.
template <class Stub, class Request, class Response, class Each>
grpc::Status ListEveryPage(Stub& stub, UnaryMethod<Stub, Request, Response> method, Request request,
                           const Each& each) {
  request.set_page_size(200);
  do {
    Response response;
    const grpc::Status status = CallUnary(stub, method, request, &response);
    if (!status.ok()) {
      return status;
    }
    each(response);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

// Reads the stream that `method` opens with the caller's token, passing each
// message to `each`, and returns the stream's final status. Without `follow`
// the usual deadline applies; a followed stream runs until it fails or the
// user stops it. When a stream that delivered events fails (e.g. its token
// ended), says on stderr which --cursor resumes it.
template <class Stub, class Request, class Event, class Each>
grpc::Status ReadStream(Stub& stub, StreamMethod<Stub, Request, Event> method,
                        const Request& request, bool follow, const Each& each) {
  auto context = MakeContext(CallerToken());
  if (follow) {
    context->set_deadline(std::chrono::system_clock::time_point::max());
  }
  auto reader = (stub.*method)(context.get(), request);
  Event event;
  std::string cursor;
  while (reader->Read(&event)) {
    each(event);
    cursor = event.cursor();
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok() && !cursor.empty()) {
    std::cerr << "osanctl: the stream stopped after cursor " << cursor << "; resume with --cursor "
              << cursor << "\n";
  }
  return status;
}

// "NOT_FOUND" for grpc::StatusCode::NOT_FOUND, etc.
std::string ErrorCodeName(grpc::StatusCode code);

// Print "osanctl: <message>" (for a status, "osanctl: CODE: message") on
// stderr and return 1, the exit code of a failed command.
int Fail(const std::string& message);
int Fail(const grpc::Status& status);

// Prints "osanctl: usage: osanctl <synopsis>" on stderr and returns 2, the
// exit code of a command called wrongly.
int Usage(const std::string& synopsis);

// Parses an enum value name, case-insensitively, with `parse` (a generated
// Enum_Parse); empty text means the unspecified value. On an unknown name,
// reports it against --`flag` on stderr and returns false.
template <class Enum>
bool ParseEnum(const std::string& flag, const std::string& text,
               bool (*parse)(const std::string&, Enum*), Enum* value) {
  if (text.empty()) {
    *value = Enum{};
    return true;
  }
  if (parse(absl::AsciiStrToUpper(text), value)) {
    return true;
  }
  std::cerr << "osanctl: --" << flag << ": unknown value '" << text << "'\n";
  return false;
}

// Loads an Ed25519 private key in PEM; errors name the file.
absl::StatusOr<auth::TokenSigner> LoadSigner(const std::string& path);

// Writes `content` to `path` with `mode`; false on failure.
bool WriteFile(const std::string& path, const std::string& content, int mode);

// A fresh request id "<prefix>-<random>".
std::string NewRequestId(const std::string& prefix);

// `text`, or "-" if it is empty (for table cells).
std::string OrDash(const std::string& text);

// `text` on one line: tabs and line breaks become spaces.
std::string OneLine(const std::string& text);

// Prints `fields` as one line of a feed on stdout: separated by tabs, each
// field on one line (OneLine), and flushed, so that a follower (or a pipe)
// sees each event as it arrives and can resume after the last cursor printed.
void PrintFeedLine(const std::vector<std::string>& fields);

// Prints "  label   value" on stdout with the values aligned at `width`
// display columns (at least one space after a wider label), if `value` is
// not empty.
void PrintField(const std::string& label, const std::string& value, size_t width = 12);

// "A 3, B 5": the count per key in key order; "-" if empty.
std::string CountsText(const google::protobuf::Map<std::string, int32_t>& counts);

// Korean labels as the public listing shows them: the catalog's own.
using catalog::CategoryLabel;
using catalog::DeliveryLabel;
using catalog::PolicyLabel;
using catalog::SubjectAreaLabel;
// "화 18:00–19:40" or "2027-03-06(토) 09:00–13:00 외 7회".
std::string MeetingSummary(const catalog::v1::PublicSection& section);
// "신청" for SUBMITTED, "수강 확정" for ENROLLED, ...; "-" if unspecified.
std::string ApplicationStateLabel(enrollment::v1::ApplicationState state);
// Credit-record's label of an outcome (이수, 보충 필요, 미이수); "-" if
// unspecified.
inline std::string OutcomeLabel(credit::v1::Outcome outcome) {
  return OrDash(credit::OutcomeLabel(outcome));
}
// "출석", "지각", "조퇴", "결석", "출석 인정 결석"; "-" if unspecified.
std::string AttendanceStatusLabel(credit::v1::AttendanceStatus status);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_CLIENT_H_
