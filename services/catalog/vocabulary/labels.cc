#include "services/catalog/vocabulary/labels.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/dates.h"

namespace osan::catalog {
namespace {

// Each value with its spellings; the first is its label.
template <class Enum>
using Labels = std::vector<std::pair<Enum, std::vector<absl::string_view>>>;

const Labels<v1::Category>& CategoryLabels() {
  static const auto* labels = new Labels<v1::Category>{
      {v1::COMMON, {"공통"}},
      {v1::GENERAL_ELECTIVE, {"일반선택"}},
      {v1::CAREER_ELECTIVE, {"진로선택"}},
      {v1::CONVERGENCE_ELECTIVE, {"융합선택"}},
      {v1::LIBERAL_ARTS, {"교양"}},
      // Retired: refused for new courses (ValidateCourse); read in old records.
      {v1::OUT_OF_SCHOOL, {"학교 밖 교육", "학교 밖"}},
  };
  return *labels;
}

const Labels<v1::SubjectArea>& SubjectAreaLabels() {
  static const auto* labels = new Labels<v1::SubjectArea>{
      {v1::KOREAN, {"국어"}},
      {v1::MATHEMATICS, {"수학"}},
      {v1::ENGLISH, {"영어"}},
      {v1::SOCIAL_STUDIES, {"사회"}},
      {v1::KOREAN_HISTORY, {"한국사"}},
      {v1::SCIENCE, {"과학"}},
      {v1::PHYSICAL_EDUCATION, {"체육"}},
      {v1::ARTS, {"예술"}},
      // The 2022 curriculum's name of the group; the 2015 one's still parses.
      {v1::LIFE_AND_LIBERAL, {"기술·가정/정보/제2외국어/한문/교양", "생활·교양"}},
      {v1::VOCATIONAL, {"전문 교과"}},
  };
  return *labels;
}

const Labels<v1::DeliveryMode>& DeliveryLabels() {
  static const auto* labels = new Labels<v1::DeliveryMode>{
      {v1::IN_PERSON, {"대면"}},
      {v1::ONLINE_REALTIME, {"실시간 온라인", "온라인"}},
      {v1::BLENDED, {"혼합"}},
  };
  return *labels;
}

const Labels<v1::Funder>& FunderLabels() {
  static const auto* labels = new Labels<v1::Funder>{
      {v1::CITY, {"오산시"}},
      {v1::EDU_OFFICE, {"화성오산교육지원청", "오산교육지원청", "교육지원청"}},
      {v1::PROVINCE, {"경기도"}},
  };
  return *labels;
}

template <class Enum>
std::string LabelOf(const Labels<Enum>& labels, Enum value) {
  for (const auto& [candidate, spellings] : labels) {
    if (candidate == value) {
      return std::string(spellings.front());
    }
  }
  return "";
}

template <class Enum>
std::string Choices(const Labels<Enum>& labels) {
  std::vector<absl::string_view> names;
  for (const auto& [value, spellings] : labels) {
    names.push_back(spellings.front());
  }
  return absl::StrJoin(names, ", ");
}

template <class Enum>
std::optional<Enum> Parse(const Labels<Enum>& labels, absl::string_view text,
                          const std::string& (*proto_name)(Enum)) {
  const std::string wanted = NormalizeLabel(text);
  for (const auto& [value, spellings] : labels) {
    if (wanted == NormalizeLabel(proto_name(value))) {
      return value;
    }
    for (const absl::string_view spelling : spellings) {
      if (wanted == NormalizeLabel(spelling)) {
        return value;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string CategoryLabel(v1::Category category) { return LabelOf(CategoryLabels(), category); }
std::string SubjectAreaLabel(v1::SubjectArea area) { return LabelOf(SubjectAreaLabels(), area); }
std::string DeliveryLabel(v1::DeliveryMode mode) { return LabelOf(DeliveryLabels(), mode); }
std::string FunderLabel(v1::Funder funder) { return LabelOf(FunderLabels(), funder); }

std::string CategoryChoices() { return Choices(CategoryLabels()); }
std::string SubjectAreaChoices() { return Choices(SubjectAreaLabels()); }
std::string DeliveryChoices() { return Choices(DeliveryLabels()); }

std::optional<v1::Category> ParseCategoryLabel(absl::string_view text) {
  return Parse(CategoryLabels(), text, &v1::Category_Name<v1::Category>);
}
std::optional<v1::SubjectArea> ParseSubjectAreaLabel(absl::string_view text) {
  return Parse(SubjectAreaLabels(), text, &v1::SubjectArea_Name<v1::SubjectArea>);
}
std::optional<v1::DeliveryMode> ParseDeliveryLabel(absl::string_view text) {
  return Parse(DeliveryLabels(), text, &v1::DeliveryMode_Name<v1::DeliveryMode>);
}

std::optional<v1::Funder> ParseFunderLabel(absl::string_view text) {
  return Parse(FunderLabels(), text, &v1::Funder_Name<v1::Funder>);
}

std::string NormalizeLabel(absl::string_view text) {
  std::string normalized;
  for (const char c : text) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c)) && c != '_') {
      normalized.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return normalized;
}

namespace {

constexpr const char* kWeekdayLabels[] = {"", "월", "화", "수", "목", "금", "토", "일"};

std::string Hours(const type::v1::TimeOfDay& start, const type::v1::TimeOfDay& end) {
  return absl::StrFormat("%02d:%02d–%02d:%02d", start.hours(), start.minutes(), end.hours(),
                         end.minutes());
}

}  // namespace

std::string PolicyLabel(v1::AllocationPolicy policy) {
  switch (policy) {
    case v1::FIRST_COME:
      return "선착순";
    case v1::LOTTERY:
      return "추첨";
    case v1::PRIORITY:
      return "우선 선발";
    case v1::HOST_SCREENING:
      return "기관 선발";
    default:
      return "";
  }
}

std::string WeekdayLabel(v1::Weekday day) {
  return day >= v1::MONDAY && day <= v1::SUNDAY ? kWeekdayLabels[day] : "";
}

std::optional<v1::Weekday> ParseWeekdayLabel(absl::string_view text) {
  for (int day = v1::MONDAY; day <= v1::SUNDAY; ++day) {
    if (text == kWeekdayLabels[day]) {
      return static_cast<v1::Weekday>(day);
    }
  }
  return std::nullopt;
}

v1::Weekday WeekdayOf(const type::v1::Date& date) {
  absl::CivilDay day;
  if (!ToCivilDay(date, &day)) {
    return v1::WEEKDAY_UNSPECIFIED;
  }
  // absl counts Monday as 0, the proto as 1.
  return static_cast<v1::Weekday>(static_cast<int>(absl::GetWeekday(day)) + 1);
}

std::string MeetingLabel(const v1::WeeklyMeeting& meeting) {
  return absl::StrCat(WeekdayLabel(meeting.weekday()), " ",
                      Hours(meeting.start_time(), meeting.end_time()));
}

std::string MeetingLabel(const v1::DatedMeeting& meeting) {
  const type::v1::Date& date = meeting.date();
  return absl::StrFormat("%04d-%02d-%02d(%s) %s", date.year(), date.month(), date.day(),
                         WeekdayLabel(WeekdayOf(date)),
                         Hours(meeting.start_time(), meeting.end_time()));
}

}  // namespace osan::catalog
