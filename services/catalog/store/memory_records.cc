#include "services/catalog/store/memory_records.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/names.h"
#include "common/status.h"
#include "services/catalog/domain/rules.h"
#include "services/catalog/vocabulary/recognition.h"

namespace osan::catalog::store {
namespace {

using google::protobuf::util::TimeUtil;

// The logical clock's origin.
constexpr int64_t kEpochUnix = 1767225600;  // 2026-01-01T00:00:00Z

template <class Map>
auto Find(Map& map, const std::string& key, absl::string_view what)
    -> absl::StatusOr<decltype(&map.begin()->second)> {
  const auto it = map.find(key);
  if (it == map.end()) {
    return absl::NotFoundError(absl::StrCat(what, " not found"));
  }
  return &it->second;
}

// (position, item) rows in the store's order, as PageOfRows reads them.
template <class T>
absl::StatusOr<Page<T>> PageOf(const std::vector<std::pair<std::string, T>>& rows, int limit) {
  return PageOfRows<T>(
      rows, limit, [](const std::pair<std::string, T>& row) { return row.second; },
      [](const std::pair<std::string, T>& row) { return row.first; });
}

bool IsLive(const v1::Section& section) {
  return section.state() != v1::CANCELLED && section.state() != v1::COMPLETED;
}

}  // namespace

int64_t MemoryRecords::Write() { return ++writes_; }

template <class Resource>
MemoryRecords::Row<Resource> MemoryRecords::NewRow(const Resource& resource) {
  Row<Resource> row;
  row.doc = resource;
  row.doc.clear_etag();
  row.doc.clear_create_time();
  row.doc.clear_update_time();
  row.created = row.updated = Write();
  return row;
}

template <class Resource>
Resource MemoryRecords::Read(const Row<Resource>& row) {
  Resource resource = row.doc;
  resource.set_etag(absl::StrCat(row.version));
  *resource.mutable_create_time() = TimeUtil::SecondsToTimestamp(kEpochUnix + row.created);
  *resource.mutable_update_time() = TimeUtil::SecondsToTimestamp(kEpochUnix + row.updated);
  return resource;
}

template <class Resource, class Stored, class Keep>
absl::StatusOr<Page<Resource>> MemoryRecords::PageAfter(const std::map<std::string, Stored>& map,
                                                        const std::string& after, int limit,
                                                        const Keep& keep) {
  std::vector<std::pair<std::string, Resource>> rows;
  for (auto it = map.upper_bound(after); it != map.end(); ++it) {
    if (keep(it->second)) {
      rows.emplace_back(it->first, Read(it->second));
    }
  }
  return PageOf(rows, limit);
}

template <class Resource>
Resource MemoryRecords::Replace(Row<Resource>& row, const Resource& resource) {
  const Row<Resource> next = NewRow(resource);
  row.doc = next.doc;
  row.updated = next.updated;
  ++row.version;
  return Read(row);
}

// ----- Institutions ---------------------------------------------------------

absl::Status MemoryRecords::InsertInstitution(const std::string& code,
                                              const v1::Institution& institution) {
  if (institutions_.count(code) > 0) {
    return absl::AlreadyExistsError(absl::StrCat(InstitutionName(code), " already exists"));
  }
  institutions_.emplace(code, NewRow(institution));
  return absl::OkStatus();
}

absl::StatusOr<v1::Institution> MemoryRecords::GetInstitution(const std::string& code, Lock) {
  OSAN_ASSIGN_OR_RETURN(const auto* row, Find(institutions_, code, InstitutionName(code)));
  return Read(*row);
}

absl::StatusOr<Page<v1::Institution>> MemoryRecords::ListInstitutions(v1::InstitutionKind kind,
                                                                      const std::string& after,
                                                                      int limit) {
  return PageAfter<v1::Institution>(institutions_, after, limit, [&](const auto& row) {
    return kind == v1::INSTITUTION_KIND_UNSPECIFIED || row.doc.kind() == kind;
  });
}

absl::StatusOr<v1::Institution> MemoryRecords::UpdateInstitution(
    const std::string& code, const v1::Institution& institution) {
  OSAN_ASSIGN_OR_RETURN(auto* row, Find(institutions_, code, InstitutionName(code)));
  return Replace(*row, institution);
}

// ----- Terms ----------------------------------------------------------------

absl::Status MemoryRecords::InsertTerm(const std::string& id, const v1::Term& term) {
  if (terms_.count(id) > 0) {
    return absl::AlreadyExistsError(absl::StrCat("terms/", id, " already exists"));
  }
  terms_.emplace(id, NewRow(term));
  return absl::OkStatus();
}

absl::StatusOr<v1::Term> MemoryRecords::GetTerm(const std::string& id, Lock) {
  OSAN_ASSIGN_OR_RETURN(const auto* row, Find(terms_, id, absl::StrCat("terms/", id)));
  return Read(*row);
}

absl::StatusOr<Page<v1::Term>> MemoryRecords::ListTerms(int year, const std::string& before,
                                                        int limit) {
  std::vector<std::pair<std::string, v1::Term>> rows;
  for (auto it = terms_.rbegin(); it != terms_.rend(); ++it) {
    if ((before.empty() || it->first < before) && (year == 0 || it->second.doc.year() == year)) {
      rows.emplace_back(it->first, Read(it->second));
    }
  }
  return PageOf(rows, limit);
}

absl::StatusOr<v1::Term> MemoryRecords::UpdateTerm(const std::string& id, const v1::Term& term) {
  OSAN_ASSIGN_OR_RETURN(auto* row, Find(terms_, id, absl::StrCat("terms/", id)));
  return Replace(*row, term);
}

absl::StatusOr<std::string> MemoryRecords::CurrentTermId(int64_t now_unix) {
  std::optional<std::pair<int64_t, std::string>> opened, next;
  for (const auto& [id, row] : terms_) {
    const int64_t start = row.doc.application_window().start_unix();
    if (start <= now_unix && (!opened || start > opened->first)) {
      opened = {start, id};
    } else if (start > now_unix && (!next || start < next->first)) {
      next = {start, id};
    }
  }
  if (opened) {
    return opened->second;
  }
  if (next) {
    return next->second;
  }
  return absl::NotFoundError("no terms have been created yet");
}

// ----- Courses and programmes -----------------------------------------------

absl::Status MemoryRecords::InsertCourse(const std::string& id, const v1::Course& course) {
  OSAN_RETURN_IF_ERROR(ParseInstitutionName("host", course.host()).status());
  if (courses_.count(id) > 0) {
    return absl::AlreadyExistsError(absl::StrCat(CourseName(id), " already exists"));
  }
  courses_.emplace(id, NewRow(course));
  return absl::OkStatus();
}

absl::StatusOr<v1::Course> MemoryRecords::GetCourse(const std::string& id, Lock) {
  OSAN_ASSIGN_OR_RETURN(const auto* row, Find(courses_, id, CourseName(id)));
  return Read(*row);
}

absl::StatusOr<Page<v1::Course>> MemoryRecords::ListCourses(const std::string& host_code,
                                                            v1::RecognitionState state,
                                                            const std::string& after, int limit) {
  return PageAfter<v1::Course>(courses_, after, limit, [&](const auto& row) {
    return (host_code.empty() || InstitutionCodeOf(row.doc.host()) == host_code) &&
           (state == v1::RECOGNITION_STATE_UNSPECIFIED || row.doc.recognition().state() == state);
  });
}

absl::StatusOr<v1::Course> MemoryRecords::UpdateCourse(const std::string& id,
                                                       const v1::Course& course) {
  OSAN_ASSIGN_OR_RETURN(auto* row, Find(courses_, id, CourseName(id)));
  return Replace(*row, course);
}

absl::Status MemoryRecords::InsertProgramme(const std::string& id, const v1::Programme& programme) {
  if (programmes_.count(id) > 0) {
    return absl::AlreadyExistsError(absl::StrCat(ProgrammeName(id), " already exists"));
  }
  programmes_.emplace(id, NewRow(programme));
  return absl::OkStatus();
}

absl::StatusOr<v1::Programme> MemoryRecords::GetProgramme(const std::string& id, Lock) {
  OSAN_ASSIGN_OR_RETURN(const auto* row, Find(programmes_, id, ProgrammeName(id)));
  return Read(*row);
}

absl::StatusOr<Page<v1::Programme>> MemoryRecords::ListProgrammes(int year,
                                                                  const std::string& after,
                                                                  int limit) {
  return PageAfter<v1::Programme>(programmes_, after, limit, [&](const auto& row) {
    return year == 0 || row.doc.year() == year;
  });
}

absl::StatusOr<v1::Programme> MemoryRecords::UpdateProgramme(const std::string& id,
                                                             const v1::Programme& programme) {
  OSAN_ASSIGN_OR_RETURN(auto* row, Find(programmes_, id, ProgrammeName(id)));
  return Replace(*row, programme);
}

// ----- Sections -------------------------------------------------------------

absl::Status MemoryRecords::InsertSection(const std::string& id, const std::string& term_id,
                                          const std::string& course_id,
                                          const std::string& host_code,
                                          const v1::Section& section) {
  if (sections_.count(id) > 0) {
    return absl::AlreadyExistsError(absl::StrCat("section ", id, " already exists"));
  }
  if (terms_.count(term_id) == 0 || courses_.count(course_id) == 0 ||
      institutions_.count(host_code) == 0) {
    // The database's foreign keys refuse it the same way.
    return absl::InternalError("a section's term, course or host is missing");
  }
  sections_.emplace(id, SectionRow{NewRow(section), term_id, course_id, host_code});
  return absl::OkStatus();
}

absl::StatusOr<v1::Section> MemoryRecords::GetSection(const std::string& id, Lock) {
  OSAN_ASSIGN_OR_RETURN(const auto* section, Find(sections_, id, absl::StrCat("section ", id)));
  return Read(section->row);
}

std::string MemoryRecords::FundingOf(const SectionRow& section) const {
  return FundingProgramme(section.row.doc, courses_.at(section.course_id).doc);
}

absl::StatusOr<Page<v1::Section>> MemoryRecords::ListSections(const SectionFilter& filter,
                                                              const std::string& after, int limit) {
  return PageAfter<v1::Section>(sections_, after, limit, [&](const SectionRow& section) {
    return (filter.term_id.empty() || section.term_id == filter.term_id) &&
           (filter.host_code.empty() || section.host_code == filter.host_code) &&
           (filter.state == v1::SECTION_STATE_UNSPECIFIED ||
            section.row.doc.state() == filter.state) &&
           (filter.programme.empty() || FundingOf(section) == filter.programme);
  });
}

absl::StatusOr<std::vector<v1::Section>> MemoryRecords::LiveSectionsOfCourse(
    const std::string& course_id) {
  std::vector<v1::Section> live;
  for (const auto& [id, section] : sections_) {
    if (section.course_id == course_id && IsLive(section.row.doc)) {
      live.push_back(Read(section.row));
    }
  }
  return live;
}

absl::StatusOr<std::vector<std::pair<v1::Section, int>>> MemoryRecords::LiveSectionsOfTerm(
    const std::string& term_id) {
  std::vector<std::pair<v1::Section, int>> live;
  for (const auto& [id, section] : sections_) {
    if (section.term_id == term_id && IsLive(section.row.doc)) {
      live.emplace_back(Read(section.row), courses_.at(section.course_id).doc.credits());
    }
  }
  return live;
}

absl::StatusOr<v1::Section> MemoryRecords::UpdateSection(const std::string& id,
                                                         const v1::Section& section) {
  OSAN_ASSIGN_OR_RETURN(auto* row, Find(sections_, id, absl::StrCat("section ", id)));
  return Replace(row->row, section);
}

// ----- Public listing -------------------------------------------------------

absl::StatusOr<std::string> MemoryRecords::ListingVersion() {
  return absl::StrCat("memory.", writes_);
}

absl::StatusOr<PublicListingData> MemoryRecords::ReadPublicListing() {
  PublicListingData data;
  OSAN_ASSIGN_OR_RETURN(data.version, ListingVersion());
  for (const auto& [id, term] : terms_) {
    data.terms.push_back(Read(term));
  }
  std::map<std::string, std::string> display_names;
  for (const auto& [code, institution] : institutions_) {
    display_names[InstitutionName(code)] = institution.doc.display_name();
  }
  for (const auto& [id, row] : sections_) {
    const v1::Section section = Read(row.row);
    const v1::Course course = Read(courses_.at(row.course_id));
    if (!IsPubliclyVisible(section.state()) || !IsRecognised(course)) {
      continue;
    }
    const std::string funding = FundingOf(row);
    v1::Programme programme;  // empty when no programme funds it
    if (const auto it = programmes_.find(std::string(absl::StripPrefix(funding, "programmes/")));
        !funding.empty() && it != programmes_.end()) {
      programme = Read(it->second);
    }
    v1::PublicSection view =
        ToPublicSection(section, course, Read(institutions_.at(row.host_code)), programme);
    AddHowToApply(section, Read(terms_.at(row.term_id)), display_names, &view);
    data.sections.push_back(std::move(view));
  }
  return data;
}

}  // namespace osan::catalog::store
