#include "tools/osanctl/client.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/ids.h"
#include "common/server.h"

namespace osan::cli {

namespace v1 = catalog::v1;

std::string FlagOrEnv(const std::string& flag, const char* variable, const std::string& fallback) {
  if (!flag.empty()) {
    return flag;
  }
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

std::unique_ptr<grpc::ClientContext> MakeContext(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

std::string ErrorCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
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

std::string CategoryLabel(v1::Category category) {
  switch (category) {
    case v1::COMMON:
      return "공통";
    case v1::GENERAL_ELECTIVE:
      return "일반선택";
    case v1::CAREER_ELECTIVE:
      return "진로선택";
    case v1::CONVERGENCE_ELECTIVE:
      return "융합선택";
    case v1::LIBERAL_ARTS:
      return "교양";
    case v1::OUT_OF_SCHOOL:
      return "학교 밖";
    default:
      return "-";
  }
}

std::string DeliveryLabel(v1::DeliveryMode mode) {
  switch (mode) {
    case v1::IN_PERSON:
      return "대면";
    case v1::ONLINE_REALTIME:
      return "실시간 온라인";
    case v1::BLENDED:
      return "혼합";
    default:
      return "-";
  }
}

std::string PolicyLabel(v1::AllocationPolicy policy) {
  switch (policy) {
    case v1::FIRST_COME:
      return "선착순";
    case v1::LOTTERY:
      return "추첨";
    case v1::PRIORITY:
      return "우선 선발 후 추첨";
    case v1::HOST_SCREENING:
      return "개설 기관 심사";
    default:
      return "-";
  }
}

std::string WeekdayLabel(v1::Weekday weekday) {
  static const char* const kLabels[] = {"-", "월", "화", "수", "목", "금", "토", "일"};
  const int index = static_cast<int>(weekday);
  return index >= 0 && index <= 7 ? kLabels[index] : "-";
}

std::string MeetingSummary(const v1::PublicSection& section) {
  const auto time = [](const type::v1::TimeOfDay& t) {
    return absl::StrFormat("%02d:%02d", t.hours(), t.minutes());
  };
  std::vector<std::string> parts;
  for (const auto& meeting : section.weekly_meetings()) {
    parts.push_back(absl::StrCat(WeekdayLabel(meeting.weekday()), " ", time(meeting.start_time()),
                                 "-", time(meeting.end_time())));
  }
  if (!section.dated_meetings().empty()) {
    const auto& first = section.dated_meetings(0);
    std::string summary = absl::StrCat(first.date().month(), "/", first.date().day(), " ",
                                       time(first.start_time()), "-", time(first.end_time()));
    if (section.dated_meetings_size() > 1) {
      absl::StrAppend(&summary, " 외 ", section.dated_meetings_size() - 1, "회");
    }
    parts.push_back(summary);
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace osan::cli
