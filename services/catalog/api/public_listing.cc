#include "services/catalog/api/public_listing.h"

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log.h"
#include "common/names.h"
#include "common/proto_bytes.h"
#include "common/status.h"
#include "common/validation.h"
#include "services/catalog/domain/rules.h"

namespace osan::catalog {

struct PublicListing::Snapshot {
  struct Entry {
    v1::PublicSection section;
    // `section` as the BASIC view shows it.
    v1::PublicSection basic;
    // The section's id: the order's tie-break after the title.
    std::string id;
    // Title and description, lower-cased, for keyword search.
    std::string folded_text;
    // Bit d is set when the section meets on weekday d (1 = Monday).
    unsigned weekdays = 0;
  };
  struct TermStart {
    int64_t application_start;
    std::string name;
  };

  std::string version;
  // By application start, then name.
  std::vector<TermStart> terms;
  // By term, course title, section id.
  std::vector<Entry> entries;
  // Index in `entries` by section name.
  absl::flat_hash_map<std::string, size_t> by_name;

  // Serialized answers to queries already asked of this snapshot (a
  // memo: the snapshot's content never changes), by AnswerKey; emptied when
  // it reaches kMaxAnswers, so that arbitrary keywords cannot grow it
  // without bound.
  static constexpr size_t kMaxAnswers = 4096;
  mutable absl::Mutex answers_mu;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const std::string>> answers
      ABSL_GUARDED_BY(answers_mu);

  // The latest term whose application window has opened at `now`, else the
  // next one to open.
  absl::StatusOr<std::string> CurrentTerm(absl::Time now) const {
    const int64_t now_unix = absl::ToUnixSeconds(now);
    const auto next = std::upper_bound(
        terms.begin(), terms.end(), now_unix,
        [](int64_t t, const TermStart& term) { return t < term.application_start; });
    if (next != terms.begin()) {
      return std::prev(next)->name;
    }
    if (next != terms.end()) {
      return next->name;
    }
    return absl::NotFoundError("no terms have been created yet");
  }
};

namespace {

using Snapshot = PublicListing::Snapshot;

// Separates title and id in a listing position (titles hold no control
// characters).
constexpr char kPositionSeparator = '\x1f';
// How long one cached answer (and the page token in it) is handed out.
constexpr absl::Duration kAnswerReuse = absl::Minutes(10);

auto OrderKey(const Snapshot::Entry& entry) {
  return std::tie(entry.section.term(), entry.section.title(), entry.id);
}

// The fields PUBLIC_SECTION_VIEW_BASIC carries: what a row of the list shows.
const google::protobuf::FieldMask& BasicViewMask() {
  static const auto* const mask = [] {
    auto* paths = new google::protobuf::FieldMask;
    for (const char* path :
         {"name", "title", "category", "subject_area", "credits", "delivery_mode", "host",
          "host_display_name", "host_area", "weekly_meetings", "dated_meetings", "capacity",
          "eligible_grades", "allocation_policy", "state"}) {
      paths->add_paths(path);
    }
    return paths;
  }();
  return *mask;
}

v1::PublicSection BasicView(const v1::PublicSection& section) {
  v1::PublicSection basic;
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(section, BasicViewMask(), {}, &basic);
  return basic;
}

std::shared_ptr<const Snapshot> BuildSnapshot(store::PublicListingData data) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->version = std::move(data.version);
  for (const v1::Term& term : data.terms) {
    snapshot->terms.push_back({term.application_window().start_unix(), term.name()});
  }
  std::sort(snapshot->terms.begin(), snapshot->terms.end(),
            [](const Snapshot::TermStart& a, const Snapshot::TermStart& b) {
              return std::tie(a.application_start, a.name) < std::tie(b.application_start, b.name);
            });
  snapshot->entries.reserve(data.sections.size());
  for (v1::PublicSection& section : data.sections) {
    Snapshot::Entry entry;
    entry.id = section.name().substr(section.name().rfind('/') + 1);
    entry.folded_text =
        absl::AsciiStrToLower(absl::StrCat(section.title(), "\n", section.description()));
    v1::Section meetings;
    *meetings.mutable_weekly_meetings() = section.weekly_meetings();
    *meetings.mutable_dated_meetings() = section.dated_meetings();
    for (const int day : MeetingWeekdays(meetings)) {
      entry.weekdays |= 1u << day;
    }
    entry.basic = BasicView(section);
    entry.section = std::move(section);
    snapshot->entries.push_back(std::move(entry));
  }
  std::sort(
      snapshot->entries.begin(), snapshot->entries.end(),
      [](const Snapshot::Entry& a, const Snapshot::Entry& b) { return OrderKey(a) < OrderKey(b); });
  for (size_t i = 0; i < snapshot->entries.size(); ++i) {
    snapshot->by_name[snapshot->entries[i].section.name()] = i;
  }
  return snapshot;
}

// What a listing request asks for, checked.
struct Filter {
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::Weekday weekday = v1::WEEKDAY_UNSPECIFIED;
  std::string host;  // `institutions/{code}`; empty: any
  v1::DeliveryMode delivery_mode = v1::DELIVERY_MODE_UNSPECIFIED;
  std::string folded_keyword;

  bool Matches(const Snapshot::Entry& entry) const {
    const v1::PublicSection& section = entry.section;
    return (category == v1::CATEGORY_UNSPECIFIED || section.category() == category) &&
           (weekday == v1::WEEKDAY_UNSPECIFIED || (entry.weekdays & (1u << weekday)) != 0) &&
           (host.empty() || section.host() == host) &&
           (delivery_mode == v1::DELIVERY_MODE_UNSPECIFIED ||
            section.delivery_mode() == delivery_mode) &&
           (folded_keyword.empty() || absl::StrContains(entry.folded_text, folded_keyword));
  }
};

absl::StatusOr<Filter> CheckFilter(const v1::ListPublicSectionsRequest& request) {
  Filter filter;
  if (!v1::Category_IsValid(request.category())) {
    return InvalidField("category", "unknown category");
  }
  if (!v1::Weekday_IsValid(request.weekday())) {
    return InvalidField("weekday", "unknown weekday");
  }
  if (!v1::DeliveryMode_IsValid(request.delivery_mode())) {
    return InvalidField("delivery_mode", "unknown delivery mode");
  }
  if (!request.host().empty()) {
    OSAN_ASSIGN_OR_RETURN(const std::string code, ParseInstitutionName("host", request.host()));
    filter.host = InstitutionName(code);
  }
  OSAN_RETURN_IF_ERROR(CheckText("keyword", request.keyword(), 0, 50));
  filter.category = request.category();
  filter.weekday = request.weekday();
  filter.delivery_mode = request.delivery_mode();
  filter.folded_keyword = absl::AsciiStrToLower(request.keyword());
  return filter;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PublicListing>> PublicListing::Start(store::Store* store,
                                                                    PageTokens page_tokens,
                                                                    Options options) {
  std::unique_ptr<PublicListing> listing(new PublicListing(store, std::move(page_tokens), options));
  OSAN_RETURN_IF_ERROR(listing->Refresh(/*always=*/true));
  listing->refresher_ = std::thread([raw = listing.get()] { raw->RefreshLoop(); });
  return listing;
}

PublicListing::~PublicListing() {
  stop_.Notify();
  if (refresher_.joinable()) {
    refresher_.join();
  }
}

void PublicListing::RefreshLoop() {
  while (!stop_.WaitForNotificationWithTimeout(options_.refresh_interval)) {
    if (const absl::Status refreshed = Refresh(/*always=*/false); !refreshed.ok()) {
      log::Warning("public listing not refreshed; the previous snapshot stays",
                   {{"error", std::string(refreshed.message())}});
    }
  }
}

absl::Status PublicListing::Refresh(bool always) {
  absl::MutexLock lock(&refresh_mu_);
  const uint64_t writes = writes_.load();
  const std::shared_ptr<const Snapshot> current = std::atomic_load(&snapshot_);
  if (always && current != nullptr && writes == writes_refreshed_.load()) {
    return absl::OkStatus();  // read meanwhile by another call, after those writes
  }
  const absl::Status read = ReadSnapshot(always, current);
  // Only now, with a snapshot that includes them installed (or the attempt
  // given up, leaving them to the refresher), are those writes refreshed.
  writes_refreshed_.store(writes);
  return read;
}

absl::Status PublicListing::ReadSnapshot(bool always,
                                         const std::shared_ptr<const Snapshot>& current) {
  if (!always) {
    OSAN_ASSIGN_OR_RETURN(const std::string version, store_->Transact([](store::Records& records) {
      return records.ListingVersion();
    }));
    if (current != nullptr && version == current->version) {
      return absl::OkStatus();
    }
  }
  OSAN_ASSIGN_OR_RETURN(
      store::PublicListingData data,
      store_->Transact([](store::Records& records) { return records.ReadPublicListing(); }));
  std::atomic_store(&snapshot_, BuildSnapshot(std::move(data)));
  return absl::OkStatus();
}

std::shared_ptr<const PublicListing::Snapshot> PublicListing::Current() {
  if (RefreshDue()) {
    if (const absl::Status refreshed = Refresh(/*always=*/true); !refreshed.ok()) {
      log::Warning("public listing not refreshed after a write; the previous snapshot stays",
                   {{"error", std::string(refreshed.message())}});
    }
  }
  return std::atomic_load(&snapshot_);
}

namespace {

// Rows of a listing page when the request names no page size: what a phone
// shows at once, and a small answer for the city's busiest call.
constexpr int kPublicListingPageSize = 20;

// A listing request, checked.
struct Query {
  std::string term;  // `terms/{id}`; empty: the current term
  Filter filter;
  bool full_view = false;
  int limit = 0;
  // The request without `known_version`: page tokens are bound to the
  // filters, not to the version the caller held, and requests that differ
  // only in that version get the same answer.
  v1::ListPublicSectionsRequest scoped;
  // The position the page token carries (empty: first page).
  std::string after_title;
  std::string after_id;
};

std::string TokenScope(const v1::ListPublicSectionsRequest& scoped) {
  return QueryScope("ListPublicSections", scoped);
}

absl::StatusOr<Query> CheckQuery(const PageTokens& page_tokens,
                                 const v1::ListPublicSectionsRequest& request, absl::Time now) {
  Query query;
  if (!request.term().empty()) {
    OSAN_ASSIGN_OR_RETURN(const TermId id, ParseTermName("term", request.term()));
    query.term = id.name();
  }
  OSAN_ASSIGN_OR_RETURN(query.filter, CheckFilter(request));
  if (!v1::PublicSectionView_IsValid(request.view())) {
    return InvalidField("view", "unknown view");
  }
  query.full_view = request.view() == v1::PUBLIC_SECTION_VIEW_FULL;
  OSAN_ASSIGN_OR_RETURN(query.limit,
                        EffectivePageSize(request.page_size(), kPublicListingPageSize));
  query.scoped = request;
  query.scoped.clear_known_version();
  if (request.page_token().empty()) {
    return query;  // the first page: no token to check
  }
  OSAN_ASSIGN_OR_RETURN(
      const std::string after,
      // Public: no caller to bind the token to, only its expiry.
      page_tokens.Decode(TokenScope(query.scoped), "", request.page_token(), now));
  if (!after.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(after, kPositionSeparator);
    if (parts.size() != 2) {
      return InvalidField("page_token", "malformed");
    }
    query.after_title = parts[0];
    query.after_id = parts[1];
  }
  return query;
}

// The page `query` asks for (its term resolved) from `snapshot`.
v1::ListPublicSectionsResponse Answer(const Snapshot& snapshot, const Query& query,
                                      const PageTokens& page_tokens, absl::Time now) {
  v1::ListPublicSectionsResponse response;
  response.set_term(query.term);
  response.set_version(snapshot.version);
  const auto& entries = snapshot.entries;
  const auto term_end = std::upper_bound(
      entries.begin(), entries.end(), query.term,
      [](const std::string& t, const Snapshot::Entry& e) { return t < e.section.term(); });
  // The first entry of the term after the position (or the first of the term).
  const bool first_page = query.after_id.empty();
  const auto position = std::tie(query.term, query.after_title, query.after_id);
  const auto start = std::lower_bound(entries.begin(), term_end, position,
                                      [first_page](const Snapshot::Entry& e, const auto& p) {
                                        return first_page ? OrderKey(e) < p : OrderKey(e) <= p;
                                      });
  const Snapshot::Entry* last = nullptr;
  for (auto it = start; it != term_end; ++it) {
    if (!query.filter.Matches(*it)) {
      continue;
    }
    if (response.sections_size() == query.limit) {
      response.set_next_page_token(page_tokens.Encode(
          TokenScope(query.scoped), "",
          absl::StrCat(last->section.title(), std::string(1, kPositionSeparator), last->id), now));
      break;
    }
    *response.add_sections() = query.full_view ? it->section : it->basic;
    last = &*it;
  }
  return response;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const std::string>> PublicListing::ListPublicSections(
    const Call& call, const v1::ListPublicSectionsRequest& request) {
  OSAN_ASSIGN_OR_RETURN(Query query, CheckQuery(page_tokens_, request, call.now));
  const std::shared_ptr<const Snapshot> snapshot = Current();
  if (query.term.empty()) {
    OSAN_ASSIGN_OR_RETURN(query.term, snapshot->CurrentTerm(call.now));
  }
  if (!request.known_version().empty() && request.known_version() == snapshot->version) {
    v1::ListPublicSectionsResponse response;
    response.set_term(query.term);
    response.set_version(snapshot->version);
    response.set_not_modified(true);
    return std::make_shared<const std::string>(response.SerializeAsString());
  }
  // Requests that differ only in the version held get the same answer; the
  // term they resolved to is part of the key, since the current term changes
  // with time (and the request's own `term` stays in it: page tokens are
  // bound to the request as sent). Answers carry page tokens that expire, so
  // one is reused for at most kAnswerReuse: a token handed out from the cache
  // has most of its lifetime left.
  const std::string key =
      absl::StrCat(query.term, std::string(1, '\0'),
                   absl::ToUnixSeconds(call.now) / absl::ToInt64Seconds(kAnswerReuse),
                   std::string(1, '\0'), DeterministicBytes(query.scoped));
  {
    absl::ReaderMutexLock lock(&snapshot->answers_mu);
    const auto found = snapshot->answers.find(key);
    if (found != snapshot->answers.end()) {
      return found->second;
    }
  }
  auto answer = std::make_shared<const std::string>(
      Answer(*snapshot, query, page_tokens_, call.now).SerializeAsString());
  absl::MutexLock lock(&snapshot->answers_mu);
  if (snapshot->answers.size() >= Snapshot::kMaxAnswers) {
    snapshot->answers.clear();  // the popular queries come back at once
  }
  snapshot->answers.emplace(key, answer);
  return answer;
}

absl::StatusOr<v1::PublicSection> PublicListing::GetPublicSection(
    const Call&, const v1::GetPublicSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("name", request.name()));
  const std::shared_ptr<const Snapshot> snapshot = Current();
  const auto found = snapshot->by_name.find(id.name());
  if (found == snapshot->by_name.end()) {
    return absl::NotFoundError("no such published section");
  }
  return snapshot->entries[found->second].section;
}

}  // namespace osan::catalog
