// Shared pieces of osanctl: connections, tokens, and Korean labels for output.
#ifndef OSAN_TOOLS_OSANCTL_CLIENT_H_
#define OSAN_TOOLS_OSANCTL_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <iostream>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "common/auth.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::cli {

// `flag` if set, else the environment variable, else `fallback`.
std::string FlagOrEnv(const std::string& flag, const char* variable, const std::string& fallback);

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// A context with a 10 s deadline and, if `token` is not empty, the bearer token.
std::unique_ptr<grpc::ClientContext> MakeContext(const std::string& token);

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

// Korean labels as the public listing shows them.
std::string CategoryLabel(catalog::v1::Category category);
std::string DeliveryLabel(catalog::v1::DeliveryMode mode);
std::string PolicyLabel(catalog::v1::AllocationPolicy policy);
std::string WeekdayLabel(catalog::v1::Weekday weekday);
// "화 18:00-19:40" or "토 3/6 외 7회".
std::string MeetingSummary(const catalog::v1::PublicSection& section);
// "신청" for SUBMITTED, "수강 확정" for ENROLLED, ...; "-" if unspecified.
std::string ApplicationStateLabel(enrollment::v1::ApplicationState state);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_CLIENT_H_
