#include "services/listing/domain/listing.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/validation.h"
#include "services/catalog/vocabulary/labels.h"

namespace osan::listing {

namespace cv1 = catalog::v1;

namespace {

Entry MakeEntry(cv1::PublicSection section) {
  Entry entry;
  const absl::string_view name = section.name();
  entry.id = std::string(name.substr(name.rfind('/') + 1));
  entry.search_text =
      absl::AsciiStrToLower(absl::StrCat(section.title(), " ", section.description()));
  for (const cv1::WeeklyMeeting& meeting : section.weekly_meetings()) {
    entry.days.insert(meeting.weekday());
  }
  for (const cv1::DatedMeeting& meeting : section.dated_meetings()) {
    entry.days.insert(catalog::WeekdayOf(meeting.date()));
  }
  entry.seats_left = section.capacity();
  entry.section = std::move(section);
  return entry;
}

absl::Status Problem(absl::string_view message) { return absl::InvalidArgumentError(message); }

}  // namespace

Listing::Listing(std::string term, std::string catalog_version,
                 std::vector<cv1::PublicSection> sections,
                 const std::vector<enrollment::v1::SeatCount>& seats, std::string seats_version)
    : term_(std::move(term)), version_(absl::StrCat(catalog_version, "/", seats_version)) {
  std::map<std::string, const enrollment::v1::SeatCount*> seats_by_section;
  for (const enrollment::v1::SeatCount& count : seats) {
    seats_by_section[count.section()] = &count;
  }
  std::map<std::string, std::string> host_names;
  entries_.reserve(sections.size());
  for (cv1::PublicSection& section : sections) {
    Entry entry = MakeEntry(std::move(section));
    const auto count = seats_by_section.find(entry.section.name());
    if (count != seats_by_section.end()) {
      entry.seats_left = std::max(0, entry.section.capacity() - count->second->enrolled());
      entry.waitlisted = count->second->waitlisted();
    }
    if (!entry.section.host_area().empty()) {
      areas_.insert(entry.section.host_area());
    }
    host_names[std::string(absl::StripPrefix(entry.section.host(), "institutions/"))] =
        entry.section.host_display_name();
    entries_.push_back(std::move(entry));
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.section.title(), a.section.name()) <
           std::tie(b.section.title(), b.section.name());
  });
  for (size_t i = 0; i < entries_.size(); ++i) {
    by_id_.emplace(entries_[i].id, i);
  }
  hosts_.assign(host_names.begin(), host_names.end());
  std::sort(hosts_.begin(), hosts_.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second, a.first) < std::tie(b.second, b.first);
  });
}

const Entry* Listing::Find(absl::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &entries_[it->second];
}

// ----- Query ----------------------------------------------------------------

namespace {

constexpr std::pair<const char*, SortOrder> kSorts[] = {{"title", SortOrder::kTitle},
                                                        {"seats", SortOrder::kSeatsLeft},
                                                        {"credits", SortOrder::kCredits},
                                                        {"host", SortOrder::kHost}};

}  // namespace

const char* SortParameter(SortOrder order) {
  for (const auto& [name, value] : kSorts) {
    if (value == order) {
      return name;
    }
  }
  return "title";
}

absl::StatusOr<Query> ParseQuery(const std::vector<std::pair<std::string, std::string>>& params,
                                 const Listing& listing) {
  if (params.size() > kMaxParameters) {
    return Problem(absl::StrCat("검색 조건이 너무 많습니다 (", params.size(), "개; 최대 ",
                                kMaxParameters, "개)."));
  }
  Query query;
  std::set<std::string> seen;
  for (const auto& [name, raw_value] : params) {
    if (FirstInvalidUtf8(name) != absl::string_view::npos ||
        FirstInvalidUtf8(raw_value) != absl::string_view::npos) {
      return Problem("검색 조건에 올바르지 않은 문자가 있습니다 (UTF-8이 아닙니다).");
    }
    if (!seen.insert(name).second) {
      return Problem(absl::StrCat("검색 조건 '", name, "'이(가) 두 번 이상 있습니다."));
    }
    const std::string value(absl::StripAsciiWhitespace(raw_value));
    if (name == "q") {
      if (Utf8Length(value) > kMaxKeywordChars) {
        return Problem(absl::StrCat("검색어는 ", kMaxKeywordChars, "자까지 입력할 수 있습니다."));
      }
      query.keyword = value;
    } else if (name == "day") {
      if (value.empty()) continue;
      query.day = catalog::ParseWeekdayLabel(value);
      if (!query.day) {
        return Problem(absl::StrCat("요일 '", value,
                                    "'을(를) 알 수 없습니다. 월, 화, 수, 목, 금, "
                                    "토, 일 중 하나를 고르세요."));
      }
    } else if (name == "category") {
      if (value.empty()) continue;
      query.category = catalog::ParseCategoryLabel(value);
      if (!query.category || *query.category == cv1::OUT_OF_SCHOOL) {
        return Problem(absl::StrCat("구분 '", value, "'을(를) 알 수 없습니다. ",
                                    catalog::CategoryChoices(), " 중 하나를 고르세요."));
      }
    } else if (name == "mode") {
      if (value.empty()) continue;
      query.mode = catalog::ParseDeliveryLabel(value);
      if (!query.mode) {
        return Problem(absl::StrCat("수업 방식 '", value, "'을(를) 알 수 없습니다. ",
                                    catalog::DeliveryChoices(), " 중 하나를 고르세요."));
      }
    } else if (name == "area") {
      if (value.empty()) continue;
      if (listing.areas().count(value) == 0) {
        return Problem(absl::StrCat("지역 '", value, "'에 열린 강좌가 없습니다."));
      }
      query.area = value;
    } else if (name == "host") {
      if (value.empty()) continue;
      const auto& hosts = listing.hosts();
      if (std::none_of(hosts.begin(), hosts.end(),
                       [&value](const auto& host) { return host.first == value; })) {
        return Problem(absl::StrCat("개설 기관 '", value, "'의 강좌가 없습니다."));
      }
      query.host = value;
    } else if (name == "sort") {
      if (value.empty()) continue;
      const auto* sort = std::find_if(std::begin(kSorts), std::end(kSorts),
                                      [&value](const auto& s) { return value == s.first; });
      if (sort == std::end(kSorts)) {
        return Problem(absl::StrCat("정렬 '", value,
                                    "'을(를) 알 수 없습니다. title, seats, credits, host 중 "
                                    "하나를 고르세요."));
      }
      query.sort = sort->second;
    } else if (name == "page") {
      if (value.empty()) continue;
      int page = 0;
      if (value.size() > 6 || !std::all_of(value.begin(), value.end(), absl::ascii_isdigit) ||
          (page = std::stoi(value)) < 1) {
        return Problem(absl::StrCat("쪽 번호 '", value, "'은(는) 1 이상의 숫자여야 합니다."));
      }
      query.page = page;
    } else {
      return Problem(absl::StrCat("알 수 없는 검색 조건 '", name,
                                  "'입니다. q, day, category, area, host, mode, sort, page를 "
                                  "쓸 수 있습니다."));
    }
  }
  return query;
}

std::string CanonicalParameters(const Query& query) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!query.keyword.empty()) params.emplace_back("q", query.keyword);
  if (query.day) params.emplace_back("day", catalog::WeekdayLabel(*query.day));
  if (query.category) params.emplace_back("category", catalog::CategoryLabel(*query.category));
  if (!query.area.empty()) params.emplace_back("area", query.area);
  if (!query.host.empty()) params.emplace_back("host", query.host);
  if (query.mode) params.emplace_back("mode", catalog::DeliveryLabel(*query.mode));
  if (query.sort != SortOrder::kTitle) params.emplace_back("sort", SortParameter(query.sort));
  std::string out;
  for (const auto& [name, value] : params) {
    absl::StrAppend(&out, out.empty() ? "" : "&", name, "=");
    for (const unsigned char c : value) {
      if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        absl::StrAppendFormat(&out, "%%%02X", c);
      }
    }
  }
  return out;
}

Selection Select(const Listing& listing, const Query& query) {
  const std::string keyword = absl::AsciiStrToLower(query.keyword);
  std::vector<const Entry*> matches;
  for (const Entry& entry : listing.entries()) {
    const cv1::PublicSection& section = entry.section;
    if ((!keyword.empty() && entry.search_text.find(keyword) == std::string::npos) ||
        (query.day && entry.days.count(*query.day) == 0) ||
        (query.category && section.category() != *query.category) ||
        (!query.area.empty() && section.host_area() != query.area) ||
        (!query.host.empty() && section.host() != absl::StrCat("institutions/", query.host)) ||
        (query.mode && section.delivery_mode() != *query.mode)) {
      continue;
    }
    matches.push_back(&entry);
  }
  // Entries come ordered by title then name; a stable sort keeps that order among equals.
  switch (query.sort) {
    case SortOrder::kTitle:
      break;
    case SortOrder::kSeatsLeft:
      std::stable_sort(matches.begin(), matches.end(), [](const Entry* a, const Entry* b) {
        return a->seats_left > b->seats_left;
      });
      break;
    case SortOrder::kCredits:
      std::stable_sort(matches.begin(), matches.end(), [](const Entry* a, const Entry* b) {
        return a->section.credits() > b->section.credits();
      });
      break;
    case SortOrder::kHost:
      std::stable_sort(matches.begin(), matches.end(), [](const Entry* a, const Entry* b) {
        return a->section.host_display_name() < b->section.host_display_name();
      });
      break;
  }
  Selection selection;
  selection.matches = static_cast<int>(matches.size());
  selection.pages = std::max(1, (selection.matches + kPageSize - 1) / kPageSize);
  selection.page = std::min(query.page, selection.pages);
  const size_t begin = static_cast<size_t>(selection.page - 1) * kPageSize;
  const size_t end = std::min(matches.size(), begin + kPageSize);
  if (begin < end) {
    selection.rows.assign(matches.begin() + static_cast<std::ptrdiff_t>(begin),
                          matches.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return selection;
}

// ----- Labels ---------------------------------------------------------------

std::string GradesLabel(const google::protobuf::RepeatedField<int32_t>& grades) {
  if (grades.empty()) {
    return "전 학년";
  }
  std::vector<std::string> labels;
  for (const int32_t grade : grades) {
    labels.push_back(absl::StrCat(grade, "학년"));
  }
  return absl::StrJoin(labels, ", ");
}

}  // namespace osan::listing
