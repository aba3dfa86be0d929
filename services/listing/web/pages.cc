#include "services/listing/web/pages.h"

#include <google/protobuf/util/time_util.h>

#include <mstch/mstch.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "services/catalog/vocabulary/labels.h"

namespace osan::listing {

namespace cv1 = catalog::v1;

namespace {

const absl::TimeZone& Korea() {
  static const absl::TimeZone* zone = new absl::TimeZone(absl::FixedTimeZone(9 * 60 * 60));
  return *zone;
}

std::string TimeLabel(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(time.seconds()), Korea());
}

mstch::array Meetings(const cv1::PublicSection& section) {
  mstch::array meetings;
  for (const cv1::WeeklyMeeting& meeting : section.weekly_meetings()) {
    meetings.emplace_back(catalog::MeetingLabel(meeting));
  }
  for (const cv1::DatedMeeting& meeting : section.dated_meetings()) {
    meetings.emplace_back(catalog::MeetingLabel(meeting));
  }
  return meetings;
}

// The facts the index row and the section page share.
mstch::map SectionFacts(const Entry& entry) {
  const cv1::PublicSection& section = entry.section;
  return mstch::map{
      {"id", entry.id},
      {"title", section.title()},
      {"category", catalog::CategoryLabel(section.category())},
      {"credits", std::to_string(section.credits())},
      {"host", section.host_display_name()},
      {"area", section.host_area()},
      {"meetings", Meetings(section)},
      {"location", section.location()},
      {"capacity", std::to_string(section.capacity())},
      // A number, falsy at zero for the template's "마감" mark.
      {"seats_left", entry.seats_left},
      {"mode", catalog::DeliveryLabel(section.delivery_mode())},
      {"policy", catalog::PolicyLabel(section.allocation_policy())},
      {"window", WindowLabel(section)},
  };
}

// Options of a <select>: (value, label), the one equal to `selected` marked.
template <class Items, class Value, class Label>
mstch::array Options(const Items& items, const std::string& selected, Value value, Label label) {
  mstch::array options;
  for (const auto& item : items) {
    const std::string v = value(item);
    options.emplace_back(
        mstch::map{{"value", v}, {"label", label(item)}, {"selected", v == selected}});
  }
  return options;
}

template <class Enum>
std::vector<Enum> Range(Enum first, Enum last) {
  std::vector<Enum> values;
  for (int v = first; v <= last; ++v) {
    values.push_back(static_cast<Enum>(v));
  }
  return values;
}

std::string Href(const Query& query, int page) {
  std::string params = CanonicalParameters(query);
  if (page > 1) {
    absl::StrAppend(&params, params.empty() ? "" : "&", "page=", page);
  }
  return params.empty() ? "/" : absl::StrCat("/?", params);
}

}  // namespace

std::string TermLabel(absl::string_view term) {
  const std::vector<absl::string_view> parts =
      absl::StrSplit(absl::StripPrefix(term, "terms/"), '-');
  if (parts.size() != 2) {
    return std::string(term);
  }
  return absl::StrCat(parts[0], "학년도 ", parts[1], "학기");
}

std::string WindowLabel(const cv1::PublicSection& section) {
  if (!section.has_application_open_time() || !section.has_application_close_time()) {
    return "";
  }
  return absl::StrCat(TimeLabel(section.application_open_time()), " ~ ",
                      TimeLabel(section.application_close_time()));
}

Pages::Pages() : Pages(ListingTemplates()) {}

Pages::Pages(std::map<std::string, std::string> templates) : templates_(std::move(templates)) {}

std::string Pages::Index(const Listing& listing, const Query& query,
                         absl::string_view problem) const {
  mstch::map context{
      {"page_title", std::string("강좌 목록")},
      {"term_label", TermLabel(listing.term())},
      {"window", listing.entries().empty() ? std::string("-")
                                           : WindowLabel(listing.entries().front().section)},
      {"keyword", query.keyword},
      {"days",
       Options(Range(cv1::MONDAY, cv1::SUNDAY), query.day ? catalog::WeekdayLabel(*query.day) : "",
               catalog::WeekdayLabel, catalog::WeekdayLabel)},
      {"categories", Options(Range(cv1::COMMON, cv1::LIBERAL_ARTS),
                             query.category ? catalog::CategoryLabel(*query.category) : "",
                             catalog::CategoryLabel, catalog::CategoryLabel)},
      {"areas", Options(
                    listing.areas(), query.area, [](const std::string& a) { return a; },
                    [](const std::string& a) { return a; })},
      {"hosts", Options(
                    listing.hosts(), query.host, [](const auto& h) { return h.first; },
                    [](const auto& h) { return h.second; })},
      {"modes", Options(Range(cv1::IN_PERSON, cv1::BLENDED),
                        query.mode ? catalog::DeliveryLabel(*query.mode) : "",
                        catalog::DeliveryLabel, catalog::DeliveryLabel)},
      {"sorts", Options(
                    std::vector<std::pair<SortOrder, std::string>>{
                        {SortOrder::kTitle, "과목명순"},
                        {SortOrder::kSeatsLeft, "잔여 좌석 많은 순"},
                        {SortOrder::kCredits, "학점 많은 순"},
                        {SortOrder::kHost, "개설 기관순"}},
                    SortParameter(query.sort),
                    [](const auto& s) { return std::string(SortParameter(s.first)); },
                    [](const auto& s) { return s.second; })},
  };
  if (!problem.empty()) {
    context.emplace("problem", std::string(problem));
  } else {
    const Selection selection = Select(listing, query);
    mstch::array rows;
    for (const Entry* entry : selection.rows) {
      rows.emplace_back(SectionFacts(*entry));
    }
    const int first = (selection.page - 1) * kPageSize + 1;
    context.emplace("matches", std::to_string(selection.matches));
    context.emplace("has_rows", !rows.empty());
    context.emplace("first", std::to_string(first));
    context.emplace("last", std::to_string(first + static_cast<int>(rows.size()) - 1));
    context.emplace("rows", std::move(rows));
    context.emplace("page", std::to_string(selection.page));
    context.emplace("pages", std::to_string(selection.pages));
    context.emplace("paged", selection.pages > 1);
    if (selection.page > 1) {
      context.emplace("previous", Href(query, selection.page - 1));
    }
    if (selection.page < selection.pages) {
      context.emplace("next", Href(query, selection.page + 1));
    }
  }
  return mstch::render(templates_.at("index"), context, templates_);
}

std::string Pages::Section(const Entry& entry) const {
  const cv1::PublicSection& section = entry.section;
  mstch::map context = SectionFacts(entry);
  context.emplace("page_title", section.title());
  context.emplace("description", section.description());
  context.emplace("area_of_subject", catalog::SubjectAreaLabel(section.subject_area()));
  context.emplace("sessions", std::to_string(section.sessions()));
  context.emplace("address", section.host_address());
  context.emplace("instructor", section.instructor_display_name());
  context.emplace("waitlisted", entry.waitlisted);
  if (!section.programme_display_name().empty()) {
    context.emplace("funding", absl::StrCat(section.programme_display_name(), " (",
                                            section.funder_display_name(), " 지원)"));
  }
  context.emplace("grades", GradesLabel(section.eligible_grades()));
  context.emplace("schools", section.eligible_school_names().empty()
                                 ? std::string("오산시 모든 고등학교")
                                 : absl::StrJoin(section.eligible_school_names(), ", "));
  return mstch::render(templates_.at("section"), context, templates_);
}

std::string Pages::Error(absl::string_view heading, absl::string_view message) const {
  const mstch::map context{{"page_title", std::string(heading)},
                           {"heading", std::string(heading)},
                           {"message", std::string(message)}};
  return mstch::render(templates_.at("error"), context, templates_);
}

}  // namespace osan::listing
