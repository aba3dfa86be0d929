// The Korean names of the catalog's enums as schools write them, for
// listings, exports and imports: each value has one label, which is what the
// suite writes, and may have other spellings it accepts when reading.
#ifndef OSAN_SERVICES_CATALOG_VOCABULARY_LABELS_H_
#define OSAN_SERVICES_CATALOG_VOCABULARY_LABELS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog {

// The label of a value; "" for an unspecified or unknown value.
std::string CategoryLabel(v1::Category category);
std::string SubjectAreaLabel(v1::SubjectArea area);
std::string DeliveryLabel(v1::DeliveryMode mode);
// The funder's name: 오산시, 화성오산교육지원청, 경기도.
std::string FunderLabel(v1::Funder funder);

// 선착순, 추첨, 우선 선발, 기관 선발; "" for an unspecified policy.
std::string PolicyLabel(v1::AllocationPolicy policy);
// 월 .. 일; "" for an unspecified day.
std::string WeekdayLabel(v1::Weekday day);
// The weekday `date` falls on; WEEKDAY_UNSPECIFIED if it is not a real date
// (ToCivilDay).
v1::Weekday WeekdayOf(const type::v1::Date& date);
// "화 18:00–19:40" for a weekly meeting; "2027-04-03(토) 09:00–12:00" for a
// dated one.
std::string MeetingLabel(const v1::WeeklyMeeting& meeting);
std::string MeetingLabel(const v1::DatedMeeting& meeting);

// Every label, in order, separated by ", ": the accepted values, for
// messages.
std::string CategoryChoices();
std::string SubjectAreaChoices();
std::string DeliveryChoices();

// The value that `text` names by its label, another accepted spelling or its
// proto name (compared as NormalizeLabel leaves them); nullopt if none does.
// Never an unspecified value.
std::optional<v1::Category> ParseCategoryLabel(absl::string_view text);
std::optional<v1::SubjectArea> ParseSubjectAreaLabel(absl::string_view text);
std::optional<v1::DeliveryMode> ParseDeliveryLabel(absl::string_view text);
// Also takes 오산교육지원청 and 교육지원청 for EDU_OFFICE.
std::optional<v1::Funder> ParseFunderLabel(absl::string_view text);
// 월 .. 일 only.
std::optional<v1::Weekday> ParseWeekdayLabel(absl::string_view text);

// `text` without ASCII whitespace and underscores, ASCII lower-cased: how
// labels (and the column names of imports) are compared.
std::string NormalizeLabel(absl::string_view text);

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_VOCABULARY_LABELS_H_
