#include "tools/osanctl/client.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/ids.h"
#include "common/server.h"
#include "common/tls.h"
#include "tools/osanctl/text_table.h"

// Defined in main.cc and enrollment_commands.cc.
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, request_id);
ABSL_DECLARE_FLAG(std::string, school);

ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA the services' certificates chain to: call them over TLS (default "
          "$OSAN_TLS_CA; empty: plaintext)");

namespace osan::cli {

namespace cv1 = catalog::v1;

std::string FlagOrEnv(const std::string& flag, const char* variable, const std::string& fallback) {
  if (!flag.empty()) {
    return flag;
  }
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  const std::string ca_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_ca), "OSAN_TLS_CA", "");
  ClientTls tls;
  if (!ca_file.empty()) {
    auto pem = server::ReadFile(ca_file);
    if (!pem.ok()) {
      std::cerr << "osanctl: --tls_ca: " << pem.status().message() << "\n";
      std::exit(1);
    }
    tls.ca_pem = *std::move(pem);
  }
  return OpenChannel(address, tls);
}

std::unique_ptr<grpc::ClientContext> MakeContext(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

std::string CallerToken() { return FlagOrEnv(absl::GetFlag(FLAGS_token), "OSAN_TOKEN", ""); }

std::string RequestId() {
  const std::string flag = absl::GetFlag(FLAGS_request_id);
  return flag.empty() ? NewRequestId("cli") : flag;
}

std::string SchoolName() {
  const std::string school = absl::GetFlag(FLAGS_school);
  if (school.empty() || absl::StartsWith(school, "schools/")) {
    return school;
  }
  return absl::StrCat("schools/", school);
}

std::string ErrorCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

int Fail(const std::string& message) {
  std::cerr << "osanctl: " << message << "\n";
  return 1;
}

int Fail(const grpc::Status& status) {
  return Fail(absl::StrCat(ErrorCodeName(status.error_code()), ": ", status.error_message()));
}

int Usage(const std::string& synopsis) {
  Fail(absl::StrCat("usage: osanctl ", synopsis));
  return 2;
}

absl::StatusOr<auth::TokenSigner> LoadSigner(const std::string& path) {
  if (path.empty()) {
    return absl::InvalidArgumentError("--key is required: the token signing key (PEM)");
  }
  auto pem = server::ReadFile(path);
  if (!pem.ok()) {
    return pem.status();
  }
  auto signer = auth::TokenSigner::Create(*pem);
  if (!signer.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", signer.status().message()));
  }
  return signer;
}

bool WriteFile(const std::string& path, const std::string& content, int mode) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) {
    return false;
  }
  const bool written =
      write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  return close(fd) == 0 && written && chmod(path.c_str(), mode) == 0;
}

std::string NewRequestId(const std::string& prefix) { return absl::StrCat(prefix, "-", NewUuid()); }

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string OneLine(const std::string& text) {
  return absl::StrReplaceAll(text, {{"\t", " "}, {"\r\n", " "}, {"\n", " "}, {"\r", " "}});
}

void PrintFeedLine(const std::vector<std::string>& fields) {
  std::vector<std::string> lines;
  lines.reserve(fields.size());
  for (const std::string& field : fields) {
    lines.push_back(OneLine(field));
  }
  std::cout << absl::StrJoin(lines, "\t") << std::endl;
}

void PrintField(const std::string& label, const std::string& value, size_t width) {
  if (value.empty()) {
    return;
  }
  const size_t label_width = DisplayWidth(label);
  std::cout << "  " << label << std::string(label_width < width ? width - label_width : 1, ' ')
            << value << "\n";
}

std::string CountsText(const google::protobuf::Map<std::string, int32_t>& counts) {
  if (counts.empty()) {
    return "-";
  }
  std::vector<std::string> parts;
  for (const auto& [key, count] : std::map<std::string, int32_t>(counts.begin(), counts.end())) {
    parts.push_back(absl::StrCat(key, " ", count));
  }
  return absl::StrJoin(parts, ", ");
}

std::string MeetingSummary(const cv1::PublicSection& section) {
  std::vector<std::string> parts;
  for (const auto& meeting : section.weekly_meetings()) {
    parts.push_back(catalog::MeetingLabel(meeting));
  }
  if (!section.dated_meetings().empty()) {
    std::string summary = catalog::MeetingLabel(section.dated_meetings(0));
    if (section.dated_meetings_size() > 1) {
      absl::StrAppend(&summary, " 외 ", section.dated_meetings_size() - 1, "회");
    }
    parts.push_back(summary);
  }
  return absl::StrJoin(parts, ", ");
}

std::string ApplicationStateLabel(enrollment::v1::ApplicationState state) {
  namespace ev1 = enrollment::v1;
  switch (state) {
    case ev1::SUBMITTED:
      return "신청";
    case ev1::APPROVED:
      return "승인";
    case ev1::HOST_ACCEPTED:
      return "기관 선발";
    case ev1::ENROLLED:
      return "수강 확정";
    case ev1::WAITLISTED:
      return "대기";
    case ev1::REJECTED:
      return "반려";
    case ev1::WITHDRAWN:
      return "철회";
    case ev1::NOT_PLACED:
      return "미배정";
    case ev1::DROPPED:
      return "수강 취소";
    case ev1::SECTION_CANCELLED:
      return "폐강";
    default:
      return "-";
  }
}

std::string AttendanceStatusLabel(credit::v1::AttendanceStatus status) {
  switch (status) {
    case credit::v1::PRESENT:
      return "출석";
    case credit::v1::LATE:
      return "지각";
    case credit::v1::EARLY_LEAVE:
      return "조퇴";
    case credit::v1::ABSENT:
      return "결석";
    case credit::v1::EXCUSED:
      return "출석 인정 결석";
    default:
      return "-";
  }
}

}  // namespace osan::cli
