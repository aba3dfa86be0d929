#include "services/credit/store/memory_records.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/credit/store/positions.h"

namespace osan::credit::store {
namespace {

using google::protobuf::util::TimeUtil;

// What `map` holds for `key`, or an empty value: reads add no entries.
template <class Map>
const typename Map::mapped_type& Of(const Map& map, const std::string& key) {
  static const typename Map::mapped_type kNone;
  const auto it = map.find(key);
  return it == map.end() ? kNone : it->second;
}

}  // namespace

absl::StatusOr<std::vector<v1::CompletionRule>> MemoryRecords::LoadRules() {
  for (const v1::CompletionRule& rule : rules_.completion) {
    OSAN_RETURN_IF_ERROR(ValidateRule(rule));
  }
  return rules_.completion;
}

absl::StatusOr<std::vector<RemarksLabel>> MemoryRecords::LoadRemarksLabels() {
  return rules_.remarks;
}

absl::StatusOr<std::vector<SupportKind>> MemoryRecords::LoadSupportKinds() {
  return rules_.support;
}

absl::StatusOr<Page<v1::SessionAttendance>> MemoryRecords::Attendance(const std::string& section_id,
                                                                      bool history,
                                                                      const std::string& after,
                                                                      int limit) {
  OSAN_ASSIGN_OR_RETURN(const SessionPosition position, ParseSessionPosition(after));
  const std::pair<int, int> from{position.session, position.version};
  PositionedRows<v1::SessionAttendance> rows;
  const auto& sessions = Of(attendance_, section_id);
  for (auto it = sessions.begin(); it != sessions.end(); ++it) {
    const auto next = std::next(it);
    const bool latest = next == sessions.end() || next->first.first != it->first.first;
    if ((history || latest) && it->first > from) {
      rows.emplace_back(FormatSessionPosition(it->first.first, it->first.second), it->second);
    }
  }
  return PageOfPositioned(rows, limit);
}

int MemoryRecords::SessionsHeld(const std::string& section_id) {
  std::set<int> held;
  for (const auto& [session_version, record] : Of(attendance_, section_id)) {
    held.insert(session_version.first);
  }
  return static_cast<int>(held.size());
}

absl::StatusOr<int> MemoryRecords::AttendanceVersion(const std::string& section_id,
                                                     int session_number) {
  int version = 0;
  for (const auto& [session_version, record] : Of(attendance_, section_id)) {
    if (session_version.first == session_number) {
      version = std::max(version, session_version.second);
    }
  }
  return version;
}

absl::Status MemoryRecords::InsertAttendance(const std::string& section_id,
                                             const v1::SessionAttendance& record) {
  const auto [it, inserted] = attendance_[section_id].emplace(
      std::make_pair(record.session_number(), record.version()), record);
  if (!inserted) {
    return absl::AbortedError("attendance version recorded concurrently");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> MemoryRecords::AssessmentVersion(const std::string& section_id,
                                                     const StudentRef& student) {
  const auto it = assessments_.find({section_id, student});
  return it == assessments_.end() ? 0 : it->second.back().version();
}

absl::Status MemoryRecords::InsertAssessment(const std::string& section_id,
                                             const StudentRef& student,
                                             const v1::Assessment& assessment) {
  assessments_[{section_id, student}].push_back(assessment);
  return absl::OkStatus();
}

absl::StatusOr<std::map<StudentRef, v1::Assessment>> MemoryRecords::LatestAssessments(
    const std::string& section_id) {
  std::map<StudentRef, v1::Assessment> latest;
  for (const auto& [key, versions] : assessments_) {
    if (key.first == section_id) {
      latest.emplace(key.second, versions.back());
    }
  }
  return latest;
}

absl::Status MemoryRecords::InsertPreventive(const std::string& section_id,
                                             const StudentRef& student,
                                             const v1::SupportRecord& record) {
  preventive_[section_id][student].push_back(record);
  return absl::OkStatus();
}

absl::StatusOr<std::map<StudentRef, std::vector<v1::SupportRecord>>>
MemoryRecords::PreventiveRecords(const std::string& section_id) {
  return Of(preventive_, section_id);
}

absl::StatusOr<bool> MemoryRecords::IsFinalized(const std::string& section_id) {
  return finalized_.count(section_id) > 0;
}

absl::Status MemoryRecords::MarkFinalized(const std::string& section_id, const std::string&) {
  if (!finalized_.insert(section_id).second) {
    return absl::AbortedError("the section was finalized concurrently");
  }
  return absl::OkStatus();
}

absl::Status MemoryRecords::AppendEntry(const EntryKey& key, const v1::LedgerEntry& entry) {
  LedgerRow& row = ledger_[key.entry_id];
  if (row.versions.empty()) {
    row.key = key;
  }
  if (entry.version() != static_cast<int>(row.versions.size()) + 1) {
    return absl::AbortedError(absl::StrCat("ledger/", key.entry_id, " version ", entry.version(),
                                           " follows ", row.versions.size()));
  }
  v1::LedgerEntry stored = entry;
  stored.clear_acknowledged();
  row.versions.push_back(std::move(stored));
  events_.push_back({key.entry_id, entry.version(), key.student.first});
  return absl::OkStatus();
}

v1::LedgerEntry MemoryRecords::Marked(const std::string& entry_id, v1::LedgerEntry entry) const {
  entry.set_acknowledged(acknowledgements_.count({entry_id, entry.version()}) > 0);
  return entry;
}

v1::LedgerEntry MemoryRecords::Latest(const LedgerRow& row) const {
  return Marked(row.key.entry_id, row.versions.back());
}

absl::StatusOr<std::pair<EntryKey, v1::LedgerEntry>> MemoryRecords::LatestEntry(
    const std::string& entry_id, bool) {
  const auto it = ledger_.find(entry_id);
  if (it == ledger_.end()) {
    return absl::NotFoundError(absl::StrCat("ledger/", entry_id, " not found"));
  }
  return std::make_pair(it->second.key, Latest(it->second));
}

absl::StatusOr<Page<v1::LedgerEntry>> MemoryRecords::EntryHistory(const std::string& entry_id,
                                                                  const std::string& after,
                                                                  int limit) {
  OSAN_ASSIGN_OR_RETURN(const int after_version, ParseVersionPosition(after));
  PositionedRows<v1::LedgerEntry> rows;
  const auto it = ledger_.find(entry_id);
  if (it != ledger_.end()) {
    for (const v1::LedgerEntry& version : it->second.versions) {
      if (version.version() > after_version) {
        rows.emplace_back(absl::StrCat(version.version()), Marked(entry_id, version));
      }
    }
  }
  return PageOfPositioned(rows, limit);
}

absl::StatusOr<std::vector<std::pair<EntryKey, v1::LedgerEntry>>> MemoryRecords::SectionEntries(
    const std::string& section_id) {
  std::vector<std::pair<EntryKey, v1::LedgerEntry>> entries;
  for (const auto& [id, row] : ledger_) {
    if (row.key.section_id == section_id) {
      entries.emplace_back(row.key, Latest(row));
    }
  }
  return entries;
}

absl::StatusOr<std::vector<v1::LedgerEntry>> MemoryRecords::StudentEntries(
    const StudentRef& student) {
  std::vector<v1::LedgerEntry> entries;
  for (const auto& [id, row] : ledger_) {
    if (row.key.student == student) {
      entries.push_back(Latest(row));
    }
  }
  return entries;
}

absl::StatusOr<std::vector<ResultFact>> MemoryRecords::LatestResultsOfSections(
    const std::vector<std::string>& section_ids) {
  std::vector<ResultFact> results;
  for (const auto& [id, row] : ledger_) {
    if (std::find(section_ids.begin(), section_ids.end(), row.key.section_id) ==
        section_ids.end()) {
      continue;
    }
    results.push_back(ResultFactOf(row.versions.back().package(), row.key.student.first));
  }
  return results;
}

absl::StatusOr<Page<v1::LedgerEntry>> MemoryRecords::PendingEntries(const std::string& school_code,
                                                                    const std::string& after,
                                                                    int limit) {
  OSAN_ASSIGN_OR_RETURN(const PendingPosition position, ParsePendingPosition(after));
  std::map<std::pair<int64_t, std::string>, v1::LedgerEntry> pending;
  for (const auto& [id, row] : ledger_) {
    v1::LedgerEntry latest = Latest(row);
    const std::pair<int64_t, std::string> at{
        TimeUtil::TimestampToMicroseconds(latest.record_time()), id};
    if (row.key.student.first == school_code && !latest.acknowledged() &&
        at > std::make_pair(position.micros, position.entry_id)) {
      pending.emplace(at, std::move(latest));
    }
  }
  PositionedRows<v1::LedgerEntry> rows;
  for (auto& [at, entry] : pending) {
    rows.emplace_back(FormatPendingPosition(at.first, at.second), std::move(entry));
  }
  return PageOfPositioned(rows, limit);
}

absl::StatusOr<v1::Acknowledgement> MemoryRecords::Acknowledge(const std::string& entry_id,
                                                               int version, const std::string& who,
                                                               absl::Time now) {
  v1::Acknowledgement acknowledgement;
  acknowledgement.set_entry(absl::StrCat("ledger/", entry_id));
  acknowledgement.set_version(version);
  acknowledgement.set_acknowledged_by(who);
  *acknowledgement.mutable_acknowledge_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  return acknowledgements_.try_emplace({entry_id, version}, std::move(acknowledgement))
      .first->second;
}

absl::StatusOr<std::vector<v1::ResultEvent>> MemoryRecords::ReadResultEvents(
    const std::string& cursor, const std::string& school_code, int limit) {
  OSAN_ASSIGN_OR_RETURN(const EventCursor after, ParseEventCursor(cursor));
  std::vector<v1::ResultEvent> events;
  // Every transaction is 1: the sequence orders the events.
  for (size_t i = 0; i < events_.size() && static_cast<int>(events.size()) < limit; ++i) {
    const Event& event = events_[i];
    const EventCursor at{1, static_cast<int64_t>(i) + 1};
    if (std::make_pair(at.txid, at.seq) <= std::make_pair(after.txid, after.seq) ||
        (!school_code.empty() && event.school_code != school_code)) {
      continue;
    }
    v1::ResultEvent& read = events.emplace_back();
    read.set_cursor(absl::StrCat(at.txid, ".", at.seq));
    *read.mutable_entry() =
        Marked(event.entry_id, ledger_.at(event.entry_id).versions[event.version - 1]);
  }
  return events;
}

int MemoryRecords::LedgerVersions() const {
  int versions = 0;
  for (const auto& [id, row] : ledger_) {
    versions += static_cast<int>(row.versions.size());
  }
  return versions;
}

}  // namespace osan::credit::store
