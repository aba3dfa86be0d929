#include "services/credit/store/credit_store.h"

#include <google/protobuf/util/time_util.h>

#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "services/credit/store/positions.h"

namespace osan::credit::store {
namespace {

using google::protobuf::util::TimeUtil;

#define OSAN_ACKNOWLEDGED                                                                   \
  "EXISTS (SELECT 1 FROM acknowledgements k WHERE k.entry_id = l.entry_id AND k.version = " \
  "l.version) AS acknowledged"

// The positions of the "rules" statement's columns, in its order.
enum RuleColumn : int {
  kCurriculum,
  kFirstSchoolYear,
  kSubjectKind,
  kRequiresAttendance,
  kAttendanceNumerator,
  kAttendanceDenominator,
  kRequiresAchievement,
  kMinimumAchievementRate,
  kBelowMinimumLevel,
  kRemediedLevel,
  kIncompleteLevel,
  kIncompleteMark,
  kSource,
  kMarksSource,
};

const std::vector<db::Statement> kStatements = {
    // Read by LoadRules (RuleColumn).
    {"rules",
     "SELECT curriculum, first_school_year, subject_kind, requires_attendance,"
     " attendance_numerator, attendance_denominator, requires_achievement,"
     " minimum_achievement_rate, below_minimum_level, remedied_level, incomplete_level,"
     " incomplete_mark, source, marks_source"
     " FROM completion_rules ORDER BY curriculum, first_school_year, subject_kind"},
    {"remarks_labels",
     "SELECT host_kind, delivery_mode, first_school_year, label, source FROM remarks_labels"
     " ORDER BY host_kind, delivery_mode, first_school_year"},
    {"support_kinds",
     "SELECT kind, first_school_year, label, clears, remarks_note, source FROM support_kinds"
     " ORDER BY kind, first_school_year"},
    {"preventive_insert",
     "INSERT INTO preventive_instruction (section_id, school_code, student_key, record)"
     " VALUES ($1::uuid, $2, $3, $4)"},
    {"preventive_of_section",
     "SELECT school_code, student_key, record FROM preventive_instruction"
     " WHERE section_id = $1::uuid ORDER BY id"},
    // Keyset: (session number, version) after ($2, $3).
    {"attendance_latest",
     "SELECT record, session_number, version FROM (SELECT DISTINCT ON (session_number) record,"
     " session_number, version FROM attendance WHERE section_id = $1::uuid"
     " ORDER BY session_number, version DESC) latest WHERE (session_number, version) > ($2, $3)"
     " ORDER BY session_number LIMIT $4"},
    {"attendance_all",
     "SELECT record, session_number, version FROM attendance WHERE section_id = $1::uuid"
     " AND (session_number, version) > ($2, $3) ORDER BY session_number, version LIMIT $4"},
    {"attendance_sessions_held",
     "SELECT count(DISTINCT session_number) FROM attendance WHERE section_id = $1::uuid"},
    {"attendance_version",
     "SELECT coalesce(max(version), 0) FROM attendance"
     " WHERE section_id = $1::uuid AND session_number = $2"},
    {"attendance_insert",
     "INSERT INTO attendance (section_id, session_number, version, record)"
     " VALUES ($1::uuid, $2, $3, $4)"},
    {"assessment_version",
     "SELECT coalesce(max(version), 0) FROM assessments"
     " WHERE section_id = $1::uuid AND school_code = $2 AND student_key = $3"},
    {"assessment_insert",
     "INSERT INTO assessments (section_id, school_code, student_key, version, record)"
     " VALUES ($1::uuid, $2, $3, $4, $5)"},
    {"assessment_latest",
     "SELECT DISTINCT ON (school_code, student_key) school_code, student_key, record"
     " FROM assessments WHERE section_id = $1::uuid"
     " ORDER BY school_code, student_key, version DESC"},
    {"finalized_lock", "SELECT 1 FROM finalized_sections WHERE section_id = $1::uuid FOR UPDATE"},
    {"finalized_insert",
     "INSERT INTO finalized_sections (section_id, finalized_by) VALUES ($1::uuid, $2)"},
    {"entry_insert",
     "INSERT INTO ledger (entry_id, version, school_code, student_key, section_id, host_code,"
     " outcome, entry) VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7, $8)"},
    {"event_insert",
     "INSERT INTO result_events (entry_id, version, school_code) VALUES ($1::uuid, $2, $3)"},
    {"entry_latest",
     "SELECT school_code, student_key, section_id::text, host_code, entry, " OSAN_ACKNOWLEDGED
     " FROM ledger l WHERE entry_id = $1::uuid ORDER BY version DESC LIMIT 1"},
    {"entry_latest_locked",
     "SELECT school_code, student_key, section_id::text, host_code, entry, " OSAN_ACKNOWLEDGED
     " FROM ledger l WHERE entry_id = $1::uuid ORDER BY version DESC LIMIT 1 FOR UPDATE"},
    {"entry_history", "SELECT entry, " OSAN_ACKNOWLEDGED ", version"
                      " FROM ledger l WHERE entry_id = $1::uuid AND version > $2"
                      " ORDER BY version LIMIT $3"},
    {"entries_of_section",
     "SELECT DISTINCT ON (entry_id) entry_id::text, school_code, student_key, host_code, "
     "entry, " OSAN_ACKNOWLEDGED " FROM ledger l WHERE section_id = $1::uuid"
     " ORDER BY entry_id, version DESC"},
    {"entries_of_student",
     "SELECT DISTINCT ON (entry_id) entry, " OSAN_ACKNOWLEDGED " FROM ledger l"
     " WHERE school_code = $1 AND student_key = $2 ORDER BY entry_id, version DESC"},
    {"results_of_sections",
     "SELECT DISTINCT ON (entry_id) entry, school_code FROM ledger"
     " WHERE section_id = ANY ($1::uuid[]) ORDER BY entry_id, version DESC"},
    {"entries_pending",
     "SELECT entry, acknowledged, micros, entry_id::text FROM (SELECT DISTINCT ON (entry_id)"
     " entry, entry_id, (extract(epoch FROM record_time) * 1000000)::bigint AS "
     "micros, " OSAN_ACKNOWLEDGED " FROM ledger l WHERE school_code = $1"
     " ORDER BY entry_id, version DESC) latest WHERE NOT acknowledged"
     " AND (micros, entry_id) > ($2::bigint, $3::uuid) ORDER BY micros, entry_id LIMIT $4"},
    {"acknowledge",
     "INSERT INTO acknowledgements (entry_id, version, acknowledged_by, acknowledge_time)"
     " VALUES ($1::uuid, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 microsecond')"
     " ON CONFLICT DO NOTHING"},
    {"acknowledgement",
     "SELECT acknowledged_by, (extract(epoch FROM acknowledge_time) * 1000000)::bigint"
     " FROM acknowledgements WHERE entry_id = $1::uuid AND version = $2"},
    {"events_read", "SELECT e.txid::text, e.seq, l.entry, " OSAN_ACKNOWLEDGED
                    " FROM result_events e JOIN ledger l USING (entry_id, version)"
                    " WHERE (e.txid, e.seq) > ($1::xid8, $2::bigint)"
                    " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
                    " AND ($3 = '' OR e.school_code = $3) ORDER BY e.txid, e.seq LIMIT $4"},
};

#undef OSAN_ACKNOWLEDGED

std::string Bytes(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

template <class Message>
absl::StatusOr<Message> Parse(const pqxx::field& field) {
  Message message;
  if (!message.ParseFromString(Bytes(field))) {
    return absl::InternalError("stored record unreadable");
  }
  return message;
}

template <class Message>
absl::StatusOr<std::vector<Message>> ParseAll(const pqxx::result& rows) {
  std::vector<Message> messages;
  for (const auto& row : rows) {
    OSAN_ASSIGN_OR_RETURN(Message message, Parse<Message>(row[0]));
    messages.push_back(std::move(message));
  }
  return messages;
}

// A row starting (entry, acknowledged).
absl::StatusOr<v1::LedgerEntry> ParseEntry(const pqxx::row& row) {
  OSAN_ASSIGN_OR_RETURN(v1::LedgerEntry entry, Parse<v1::LedgerEntry>(row["entry"]));
  entry.set_acknowledged(row["acknowledged"].as<bool>());
  return entry;
}

absl::StatusOr<std::vector<v1::LedgerEntry>> ParseEntries(const pqxx::result& rows) {
  std::vector<v1::LedgerEntry> entries;
  for (const auto& row : rows) {
    OSAN_ASSIGN_OR_RETURN(v1::LedgerEntry entry, ParseEntry(row));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

const std::vector<db::Statement>& Statements() { return kStatements; }

absl::StatusOr<std::vector<v1::CompletionRule>> PgRecords::LoadRules() {
  std::vector<v1::CompletionRule> rules;
  for (const auto& row : tx_.exec_prepared("rules")) {
    v1::CompletionRule rule;
    rule.set_curriculum(row[kCurriculum].as<std::string>());
    rule.set_first_school_year(row[kFirstSchoolYear].as<int>());
    v1::SubjectKind kind = v1::SUBJECT_KIND_UNSPECIFIED;
    v1::LevelRule below = v1::LEVEL_RULE_UNSPECIFIED;
    v1::LevelRule remedied = v1::LEVEL_RULE_UNSPECIFIED;
    v1::LevelRule incomplete = v1::LEVEL_RULE_UNSPECIFIED;
    if (!v1::SubjectKind_Parse(row[kSubjectKind].as<std::string>(), &kind) ||
        !v1::LevelRule_Parse(row[kBelowMinimumLevel].as<std::string>(), &below) ||
        !v1::LevelRule_Parse(row[kRemediedLevel].as<std::string>(), &remedied) ||
        !v1::LevelRule_Parse(row[kIncompleteLevel].as<std::string>(), &incomplete)) {
      return absl::InternalError("completion rule with an unknown subject kind or level rule");
    }
    rule.set_subject_kind(kind);
    rule.set_requires_attendance(row[kRequiresAttendance].as<bool>());
    rule.set_attendance_numerator(row[kAttendanceNumerator].as<int>());
    rule.set_attendance_denominator(row[kAttendanceDenominator].as<int>());
    rule.set_requires_achievement(row[kRequiresAchievement].as<bool>());
    rule.set_minimum_achievement_rate(row[kMinimumAchievementRate].as<double>());
    rule.set_below_minimum_level(below);
    rule.set_remedied_level(remedied);
    rule.set_incomplete_level(incomplete);
    rule.set_incomplete_mark(row[kIncompleteMark].as<std::string>());
    rule.set_source(row[kSource].as<std::string>());
    rule.set_marks_source(row[kMarksSource].as<std::string>());
    OSAN_RETURN_IF_ERROR(ValidateRule(rule));
    rules.push_back(std::move(rule));
  }
  return rules;
}

absl::StatusOr<std::vector<RemarksLabel>> PgRecords::LoadRemarksLabels() {
  std::vector<RemarksLabel> labels;
  for (const auto& row : tx_.exec_prepared("remarks_labels")) {
    RemarksLabel label;
    if (!catalog::v1::InstitutionKind_Parse(row["host_kind"].as<std::string>(), &label.host_kind)) {
      return absl::InternalError("remarks label for an unknown host kind");
    }
    const std::string mode = row["delivery_mode"].as<std::string>();
    if (mode != "ANY" && !catalog::v1::DeliveryMode_Parse(mode, &label.delivery_mode)) {
      return absl::InternalError("remarks label for an unknown delivery mode");
    }
    label.first_school_year = row["first_school_year"].as<int>();
    label.label = row["label"].as<std::string>();
    label.source = row["source"].as<std::string>();
    labels.push_back(std::move(label));
  }
  return labels;
}

absl::StatusOr<std::vector<SupportKind>> PgRecords::LoadSupportKinds() {
  std::vector<SupportKind> kinds;
  for (const auto& row : tx_.exec_prepared("support_kinds")) {
    SupportKind kind;
    const std::string clears = row["clears"].as<std::string>();
    if (!v1::RemediationKind_Parse(row["kind"].as<std::string>(), &kind.kind) ||
        (clears != "NONE" && !v1::Shortfall_Parse(clears, &kind.clears))) {
      return absl::InternalError("support kind row with an unknown kind or shortfall");
    }
    kind.first_school_year = row["first_school_year"].as<int>();
    kind.label = row["label"].as<std::string>();
    kind.remarks_note = row["remarks_note"].as<std::string>();
    kind.source = row["source"].as<std::string>();
    kinds.push_back(std::move(kind));
  }
  return kinds;
}

absl::StatusOr<Page<v1::SessionAttendance>> PgRecords::Attendance(const std::string& section_id,
                                                                  bool history,
                                                                  const std::string& after,
                                                                  int limit) {
  OSAN_ASSIGN_OR_RETURN(const SessionPosition position, ParseSessionPosition(after));
  const pqxx::result rows =
      tx_.exec_prepared(history ? "attendance_all" : "attendance_latest", section_id,
                        position.session, position.version, limit + 1);
  return PageOfRows<v1::SessionAttendance>(
      rows, limit, [](const pqxx::row& row) { return Parse<v1::SessionAttendance>(row[0]); },
      [](const pqxx::row& last) {
        return FormatSessionPosition(last[1].as<int>(), last[2].as<int>());
      });
}

int PgRecords::SessionsHeld(const std::string& section_id) {
  return tx_.exec_prepared1("attendance_sessions_held", section_id)[0].as<int>();
}

absl::StatusOr<int> PgRecords::AttendanceVersion(const std::string& section_id,
                                                 int session_number) {
  return tx_.exec_prepared1("attendance_version", section_id, session_number)[0].as<int>();
}

absl::Status PgRecords::InsertAttendance(const std::string& section_id,
                                         const v1::SessionAttendance& record) {
  tx_.exec_prepared0("attendance_insert", section_id, record.session_number(), record.version(),
                     pqxx::binarystring(record.SerializeAsString()));
  return absl::OkStatus();
}

absl::StatusOr<int> PgRecords::AssessmentVersion(const std::string& section_id,
                                                 const StudentRef& student) {
  return tx_.exec_prepared1("assessment_version", section_id, student.first, student.second)[0]
      .as<int>();
}

absl::Status PgRecords::InsertAssessment(const std::string& section_id, const StudentRef& student,
                                         const v1::Assessment& assessment) {
  tx_.exec_prepared0("assessment_insert", section_id, student.first, student.second,
                     assessment.version(), pqxx::binarystring(assessment.SerializeAsString()));
  return absl::OkStatus();
}

absl::StatusOr<std::map<StudentRef, v1::Assessment>> PgRecords::LatestAssessments(
    const std::string& section_id) {
  std::map<StudentRef, v1::Assessment> latest;
  for (const auto& row : tx_.exec_prepared("assessment_latest", section_id)) {
    OSAN_ASSIGN_OR_RETURN(v1::Assessment assessment, Parse<v1::Assessment>(row[2]));
    latest.emplace(StudentRef{row[0].as<std::string>(), row[1].as<std::string>()},
                   std::move(assessment));
  }
  return latest;
}

absl::Status PgRecords::InsertPreventive(const std::string& section_id, const StudentRef& student,
                                         const v1::SupportRecord& record) {
  tx_.exec_prepared0("preventive_insert", section_id, student.first, student.second,
                     pqxx::binarystring(record.SerializeAsString()));
  return absl::OkStatus();
}

absl::StatusOr<std::map<StudentRef, std::vector<v1::SupportRecord>>> PgRecords::PreventiveRecords(
    const std::string& section_id) {
  std::map<StudentRef, std::vector<v1::SupportRecord>> records;
  for (const auto& row : tx_.exec_prepared("preventive_of_section", section_id)) {
    OSAN_ASSIGN_OR_RETURN(v1::SupportRecord record, Parse<v1::SupportRecord>(row[2]));
    records[{row[0].as<std::string>(), row[1].as<std::string>()}].push_back(std::move(record));
  }
  return records;
}

absl::StatusOr<bool> PgRecords::IsFinalized(const std::string& section_id) {
  return !tx_.exec_prepared("finalized_lock", section_id).empty();
}

absl::Status PgRecords::MarkFinalized(const std::string& section_id, const std::string& who) {
  tx_.exec_prepared0("finalized_insert", section_id, who);
  return absl::OkStatus();
}

absl::Status PgRecords::AppendEntry(const EntryKey& key, const v1::LedgerEntry& entry) {
  v1::LedgerEntry stored = entry;
  stored.clear_acknowledged();
  tx_.exec_prepared0("entry_insert", key.entry_id, entry.version(), key.student.first,
                     key.student.second, key.section_id, key.host_code,
                     v1::Outcome_Name(entry.package().outcome()),
                     pqxx::binarystring(stored.SerializeAsString()));
  tx_.exec_prepared0("event_insert", key.entry_id, entry.version(), key.student.first);
  return absl::OkStatus();
}

absl::StatusOr<std::pair<EntryKey, v1::LedgerEntry>> PgRecords::LatestEntry(
    const std::string& entry_id, bool for_update) {
  const pqxx::result rows =
      tx_.exec_prepared(for_update ? "entry_latest_locked" : "entry_latest", entry_id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("ledger/", entry_id, " not found"));
  }
  const pqxx::row row = rows[0];
  EntryKey key{entry_id,
               {row["school_code"].as<std::string>(), row["student_key"].as<std::string>()},
               row["section_id"].as<std::string>(),
               row["host_code"].as<std::string>()};
  OSAN_ASSIGN_OR_RETURN(v1::LedgerEntry entry, ParseEntry(row));
  return std::make_pair(std::move(key), std::move(entry));
}

absl::StatusOr<Page<v1::LedgerEntry>> PgRecords::EntryHistory(const std::string& entry_id,
                                                              const std::string& after, int limit) {
  OSAN_ASSIGN_OR_RETURN(const int after_version, ParseVersionPosition(after));
  const pqxx::result rows = tx_.exec_prepared("entry_history", entry_id, after_version, limit + 1);
  return PageOfRows<v1::LedgerEntry>(rows, limit, ParseEntry, [](const pqxx::row& last) {
    return absl::StrCat(last["version"].as<int>());
  });
}

absl::StatusOr<std::vector<std::pair<EntryKey, v1::LedgerEntry>>> PgRecords::SectionEntries(
    const std::string& section_id) {
  std::vector<std::pair<EntryKey, v1::LedgerEntry>> entries;
  for (const auto& row : tx_.exec_prepared("entries_of_section", section_id)) {
    EntryKey key{row["entry_id"].as<std::string>(),
                 {row["school_code"].as<std::string>(), row["student_key"].as<std::string>()},
                 section_id,
                 row["host_code"].as<std::string>()};
    OSAN_ASSIGN_OR_RETURN(v1::LedgerEntry entry, ParseEntry(row));
    entries.emplace_back(std::move(key), std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<v1::LedgerEntry>> PgRecords::StudentEntries(const StudentRef& student) {
  return ParseEntries(tx_.exec_prepared("entries_of_student", student.first, student.second));
}

absl::StatusOr<std::vector<ResultFact>> PgRecords::LatestResultsOfSections(
    const std::vector<std::string>& section_ids) {
  std::vector<ResultFact> results;
  if (section_ids.empty()) {
    return results;
  }
  const pqxx::result rows = tx_.exec_prepared(
      "results_of_sections", absl::StrCat("{", absl::StrJoin(section_ids, ","), "}"));
  for (const auto& row : rows) {
    OSAN_ASSIGN_OR_RETURN(const v1::LedgerEntry entry, Parse<v1::LedgerEntry>(row[0]));
    results.push_back(ResultFactOf(entry.package(), row[1].as<std::string>()));
  }
  return results;
}

absl::StatusOr<Page<v1::LedgerEntry>> PgRecords::PendingEntries(const std::string& school_code,
                                                                const std::string& after,
                                                                int limit) {
  OSAN_ASSIGN_OR_RETURN(const PendingPosition position, ParsePendingPosition(after));
  const pqxx::result rows = tx_.exec_prepared("entries_pending", school_code, position.micros,
                                              position.entry_id, limit + 1);
  return PageOfRows<v1::LedgerEntry>(rows, limit, ParseEntry, [](const pqxx::row& last) {
    return FormatPendingPosition(last[2].as<int64_t>(), last[3].as<std::string>());
  });
}

absl::StatusOr<v1::Acknowledgement> PgRecords::Acknowledge(const std::string& entry_id, int version,
                                                           const std::string& who, absl::Time now) {
  tx_.exec_prepared0("acknowledge", entry_id, version, who, absl::ToUnixMicros(now));
  const pqxx::row row = tx_.exec_prepared1("acknowledgement", entry_id, version);
  v1::Acknowledgement acknowledgement;
  acknowledgement.set_entry(absl::StrCat("ledger/", entry_id));
  acknowledgement.set_version(version);
  acknowledgement.set_acknowledged_by(row[0].as<std::string>());
  *acknowledgement.mutable_acknowledge_time() =
      TimeUtil::MicrosecondsToTimestamp(row[1].as<int64_t>());
  return acknowledgement;
}

absl::StatusOr<std::vector<v1::ResultEvent>> PgRecords::ReadResultEvents(
    const std::string& cursor, const std::string& school_code, int limit) {
  OSAN_ASSIGN_OR_RETURN(const EventCursor after, ParseEventCursor(cursor));
  std::vector<v1::ResultEvent> events;
  for (const auto& row :
       tx_.exec_prepared("events_read", absl::StrCat(after.txid), after.seq, school_code, limit)) {
    v1::ResultEvent event;
    event.set_cursor(absl::StrCat(row[0].as<std::string>(), ".", row[1].as<int64_t>()));
    OSAN_ASSIGN_OR_RETURN(*event.mutable_entry(), ParseEntry(row));
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace osan::credit::store
