#include "services/enrollment/store/enrollment_store.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/names.h"
#include "common/status.h"
#include "services/enrollment/domain/rules.h"

namespace osan::enrollment::store {
namespace {

using google::protobuf::util::TimeUtil;

// Columns of an application row, in ReadApplication's order. The waitlist
// position is computed: the count of the section's waitlisted applications
// up to this one.
#define OSAN_APPLICATION_COLUMNS                                                    \
  "a.id::text, a.school_code, a.student_key, a.term_id, a.section_id::text, "       \
  "a.section_name, a.host_code, a.credits, a.section_snapshot, a.preference_rank, " \
  "a.state, a.reason, a.decided_by, a.version, "                                    \
  "(extract(epoch FROM a.create_time) * 1000000)::bigint, "                         \
  "(extract(epoch FROM a.update_time) * 1000000)::bigint, "                         \
  "CASE WHEN a.state = 'WAITLISTED' THEN (SELECT count(*) FROM applications w"      \
  "  WHERE w.section_id = a.section_id AND w.state = 'WAITLISTED'"                  \
  "  AND w.waitlist_order <= a.waitlist_order) ELSE 0 END"

// The positions of OSAN_APPLICATION_COLUMNS, in its order.
enum ApplicationColumn : int {
  kApplicationId,
  kSchoolCode,
  kStudentKey,
  kTermId,
  kSectionId,
  kSectionName,
  kHostCode,
  kCredits,
  kSectionSnapshot,
  kPreferenceRank,
  kState,
  kReason,
  kDecidedBy,
  kVersion,
  kCreateMicros,
  kUpdateMicros,
  kWaitlistPosition,
};

// A student's columns, as ReadStudent reads them (by name).
#define OSAN_STUDENT_COLUMNS                                            \
  "student_key, entry_year, display_name, version, (extract(epoch FROM" \
  " create_time) * 1000000)::bigint AS create_micros"

#define OSAN_LIVE_STATES "('SUBMITTED', 'APPROVED', 'HOST_ACCEPTED', 'ENROLLED', 'WAITLISTED')"

const std::vector<db::Statement> kStatements = {
    {"student_insert",
     "INSERT INTO students (school_code, student_key, entry_year, display_name)"
     " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"},
    {"student_get",
     "SELECT " OSAN_STUDENT_COLUMNS " FROM students WHERE school_code = $1 AND student_key = $2"},
    {"student_get_locked", "SELECT " OSAN_STUDENT_COLUMNS
                           " FROM students WHERE school_code = $1 AND student_key = $2 FOR UPDATE"},
    {"student_list",
     "SELECT " OSAN_STUDENT_COLUMNS
     " FROM students WHERE school_code = $1 AND student_key > $2 ORDER BY student_key LIMIT $3"},

    {"application_insert",
     "INSERT INTO applications (id, school_code, student_key, term_id, section_id, section_name,"
     " host_code, credits, section_snapshot, preference_rank, state, reason, decided_by)"
     " VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7, $8, $9, $10, $11, $12, $13)"},
    {"application_get",
     "SELECT " OSAN_APPLICATION_COLUMNS " FROM applications a WHERE id = $1::uuid"},
    {"application_get_locked",
     "SELECT " OSAN_APPLICATION_COLUMNS " FROM applications a WHERE id = $1::uuid FOR UPDATE"},
    {"application_live_of_student", "SELECT " OSAN_APPLICATION_COLUMNS " FROM applications a"
                                    " WHERE school_code = $1 AND student_key = $2 AND term_id = $3"
                                    " AND state IN " OSAN_LIVE_STATES " ORDER BY preference_rank"},
    {"application_set_state",
     "UPDATE applications SET state = $2, reason = $3, decided_by = $4,"
     " waitlist_order = CASE WHEN $2 = 'WAITLISTED' THEN nextval('waitlist_order') END,"
     " version = version + 1, update_time = now() WHERE id = $1::uuid"},
    {"application_list_school",
     "SELECT " OSAN_APPLICATION_COLUMNS ", a.id::text FROM applications a"
     " WHERE school_code = $1 AND ($2::text IS NULL OR state = $2)"
     " AND id > COALESCE(NULLIF($3, '')::uuid, '00000000-0000-0000-0000-000000000000')"
     " ORDER BY id LIMIT $4"},
    {"application_list_section",
     "SELECT " OSAN_APPLICATION_COLUMNS ", a.id::text FROM applications a"
     " WHERE section_id = $1::uuid AND ($2::text IS NULL OR state = $2)"
     " AND id > COALESCE(NULLIF($3, '')::uuid, '00000000-0000-0000-0000-000000000000')"
     " ORDER BY id LIMIT $4"},
    {"application_live_of_section",
     "SELECT " OSAN_APPLICATION_COLUMNS " FROM applications a"
     " WHERE section_id = $1::uuid AND state IN " OSAN_LIVE_STATES " ORDER BY id FOR UPDATE OF a"},
    {"application_enrolled_count",
     "SELECT count(*) FROM applications WHERE school_code = $1 AND student_key = $2"
     " AND term_id = $3 AND state = 'ENROLLED'"},
    {"application_waitlist",
     "SELECT " OSAN_APPLICATION_COLUMNS " FROM applications a"
     " WHERE section_id = $1::uuid AND state = 'WAITLISTED' ORDER BY waitlist_order"
     " FOR UPDATE OF a"},
    // Keyset: (waitlisted, waitlist order, display name, id) after $2..$5.
    // Display names of enrolled students only (enrollment.proto, Student).
    {"roster",
     "SELECT id::text, school_code, student_key, display_name, entry_year, state, position,"
     " waitlisted, ordinal FROM (SELECT a.id, a.school_code, a.student_key,"
     " CASE WHEN a.state = 'ENROLLED' THEN s.display_name ELSE '' END AS display_name,"
     " s.entry_year, a.state, (a.state = 'WAITLISTED')::int AS waitlisted,"
     " COALESCE(a.waitlist_order, 0) AS ordinal,"
     " CASE WHEN a.state = 'WAITLISTED' THEN row_number() OVER"
     "  (PARTITION BY a.state ORDER BY a.waitlist_order) ELSE 0 END AS position"
     " FROM applications a JOIN students s USING (school_code, student_key)"
     " WHERE a.section_id = $1::uuid AND a.state IN ('ENROLLED', 'WAITLISTED')) r"
     " WHERE (waitlisted, ordinal, display_name, id) > ($2::int, $3::bigint, $4::text, $5::uuid)"
     " ORDER BY waitlisted, ordinal, display_name, id LIMIT $6"},
    {"roster_enrolled",
     "SELECT count(*) FROM applications WHERE section_id = $1::uuid AND state = 'ENROLLED'"},

    {"application_counts",
     "SELECT section_id::text, school_code, state, count(*) FROM applications WHERE term_id = $1"
     " AND (section_id, school_code, state) > ($2::uuid, $3, $4)"
     " GROUP BY section_id, school_code, state ORDER BY section_id, school_code, state LIMIT $5"},

    {"students_lock",
     "SELECT " OSAN_STUDENT_COLUMNS ", school_code FROM students"
     " WHERE (school_code, student_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))"
     " ORDER BY school_code, student_key FOR UPDATE"},
    {"application_live_of_students",
     "SELECT " OSAN_APPLICATION_COLUMNS " FROM applications a WHERE term_id = $1"
     " AND (school_code, student_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))"
     " AND state IN " OSAN_LIVE_STATES},
    {"application_enrolled_counts",
     "SELECT school_code, student_key, count(*) FROM applications WHERE term_id = $1"
     " AND (school_code, student_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))"
     " AND state = 'ENROLLED' GROUP BY 1, 2"},
    {"application_insert_many",
     "WITH r AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[],"
     "   $6::text[], $7::text[], $14::text[]) WITH ORDINALITY"
     "   AS r(id, school_code, student_key, preference_rank, state, reason, event, decided_by,"
     "   ord)),"
     " inserted AS (INSERT INTO applications (id, school_code, student_key, term_id, section_id,"
     "   section_name, host_code, credits, section_snapshot, preference_rank, state, reason,"
     "   decided_by, waitlist_order)"
     "  SELECT id, school_code, student_key, $8, $9::uuid, $10, $11, $12, $13, preference_rank,"
     "   state, reason, decided_by,"
     "   CASE WHEN state = 'WAITLISTED' THEN nextval('waitlist_order') END"
     "  FROM (SELECT * FROM r ORDER BY ord) o)"
     " INSERT INTO application_events (application_id, school_code, host_code, application)"
     " SELECT id, school_code, $11, decode(event, 'hex') FROM r ORDER BY ord"},
    {"event_insert",
     "INSERT INTO application_events (application_id, school_code, host_code, application)"
     " VALUES ($1::uuid, $2, $3, $4)"},
    // Ordered by the columns (e.txid, e.seq), not by the text of the first
    // output column: numeric order, which the primary key serves.
    {"event_read",
     "SELECT e.txid::text, e.seq, e.application,"
     " (extract(epoch FROM e.commit_time) * 1000000)::bigint FROM application_events e"
     " WHERE (e.txid, e.seq) > ($1::xid8, $2::bigint)"
     " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
     " AND ($3 OR e.school_code = $4 OR e.host_code = $5)"
     " ORDER BY e.txid, e.seq LIMIT $6"},

    {"seats_ensure",
     "INSERT INTO section_seats (section_id, capacity) VALUES ($1::uuid, $2)"
     " ON CONFLICT (section_id) DO NOTHING"},
    {"seats_lock",
     "UPDATE section_seats SET capacity = GREATEST(capacity, $2) WHERE section_id = $1::uuid"
     " RETURNING capacity, enrolled"},
    {"seats_of_term",
     "SELECT a.section_name, COALESCE(max(s.capacity), 0), COALESCE(max(s.enrolled), 0),"
     " count(*) FILTER (WHERE a.state = 'WAITLISTED')"
     " FROM applications a LEFT JOIN section_seats s ON s.section_id = a.section_id"
     " WHERE a.term_id = $1 GROUP BY a.section_name ORDER BY a.section_name"},

    {"run_insert", "INSERT INTO allocation_runs (id, term_id, run) VALUES ($1::uuid, $2, $3)"},
    {"run_get", "SELECT run FROM allocation_runs WHERE id = $1::uuid"},
    // One run of a term at a time: a transaction-scoped advisory lock in the
    // key space 1094 ("allocation"), keyed by the term.
    {"run_term_lock", "SELECT pg_try_advisory_xact_lock(1094, hashtext($1))"},
    {"run_candidates",
     "SELECT " OSAN_APPLICATION_COLUMNS ", s.entry_year FROM applications a"
     " JOIN students s USING (school_code, student_key) WHERE a.term_id = $1"
     " AND a.section_id = ANY ($2::uuid[]) AND a.state IN ('APPROVED', 'HOST_ACCEPTED')"
     " ORDER BY a.id FOR UPDATE OF a"},
    {"run_seats_ensure",
     "INSERT INTO section_seats (section_id, capacity)"
     " SELECT * FROM unnest($1::uuid[], $2::int[]) ON CONFLICT (section_id) DO NOTHING"},
    {"run_seats_lock",
     "SELECT section_id::text, capacity, enrolled FROM section_seats"
     " WHERE section_id = ANY ($1::uuid[]) ORDER BY section_id FOR UPDATE"},
    {"run_seats_raise",
     "UPDATE section_seats s SET capacity = v.capacity FROM unnest($1::uuid[], $2::int[])"
     " AS v(section_id, capacity) WHERE s.section_id = v.section_id AND s.capacity < v.capacity"},
    {"run_seats_set",
     "UPDATE section_seats s SET enrolled = v.enrolled FROM unnest($1::uuid[], $2::int[])"
     " AS v(section_id, enrolled) WHERE s.section_id = v.section_id"},
    {"run_enrolled_by_school",
     "SELECT section_id::text, school_code, count(*) FROM applications"
     " WHERE section_id = ANY ($1::uuid[]) AND state = 'ENROLLED' GROUP BY 1, 2"},
    {"run_waitlist_lengths",
     "SELECT section_id::text, count(*) FROM applications"
     " WHERE section_id = ANY ($1::uuid[]) AND state = 'WAITLISTED' GROUP BY 1"},
    {"run_now", "SELECT (extract(epoch FROM now()) * 1000000)::bigint"},
    // Waitlisted applications take waitlist orders in the decisions' order.
    {"run_apply",
     "WITH waitlisted AS (SELECT application_id, nextval('waitlist_order') AS waitlist_order"
     "  FROM (SELECT application_id FROM allocation_decisions WHERE run_id = $1::uuid"
     "   AND outcome = 'WAITLISTED' ORDER BY ordinal) w)"
     " UPDATE applications a SET state = d.outcome,"
     " reason = 'allocation ' || $1 || ': ' || d.reason, decided_by = $2,"
     " waitlist_order = waitlisted.waitlist_order, version = a.version + 1, update_time = now()"
     " FROM allocation_decisions d LEFT JOIN waitlisted USING (application_id)"
     " WHERE d.run_id = $1::uuid AND a.id = d.application_id"},
#define OSAN_DECISION_COLUMNS                                                                \
  "ordinal, application_id::text AS application_id, school_code, student_key, section_name," \
  " outcome, waitlist_position, lottery_number, reason FROM allocation_decisions"            \
  " WHERE run_id = $1::uuid"
    // $2: after this ordinal, $3: limit; $4: section name, $5: school code.
    {"run_decisions",
     "SELECT " OSAN_DECISION_COLUMNS " AND ordinal > $2 ORDER BY ordinal LIMIT $3"},
    {"run_decisions_of_section",
     "SELECT " OSAN_DECISION_COLUMNS " AND ordinal > $2 AND section_name = $4"
     " AND ($5 = '' OR school_code = $5) ORDER BY ordinal LIMIT $3"},
    {"run_decisions_of_school",
     "SELECT " OSAN_DECISION_COLUMNS " AND ordinal > $2 AND school_code = $4"
     " ORDER BY ordinal LIMIT $3"},
#undef OSAN_DECISION_COLUMNS

    {"operation_insert",
     "INSERT INTO allocation_operations (id, term_id, done, operation)"
     " VALUES ($1::uuid, $2, $3, $4)"},
    {"operation_get",
     "SELECT operation, NOT done AND update_time < now() - make_interval(secs => $2)"
     " FROM allocation_operations WHERE id = $1::uuid"},
    {"operation_hold", "SELECT done FROM allocation_operations WHERE id = $1::uuid FOR KEY SHARE"},
    {"operation_update",
     "UPDATE allocation_operations SET done = $2, operation = $3, update_time = now()"
     " WHERE id = $1::uuid AND NOT done"},
    {"operation_abandon",
     "UPDATE allocation_operations SET done = true, operation = $2, update_time = now()"
     " WHERE id = (SELECT id FROM allocation_operations WHERE id = $1::uuid AND NOT done"
     "  AND update_time < now() - make_interval(secs => $3) FOR UPDATE SKIP LOCKED)"},
};

#undef OSAN_LIVE_STATES
#undef OSAN_APPLICATION_COLUMNS

std::string Bytes(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

// A student of `school` from OSAN_STUDENT_COLUMNS. The grade is left to the
// caller, who knows the school year it is asked for.
v1::Student ReadStudent(const std::string& school, const pqxx::row& row) {
  v1::Student student;
  student.set_student_key(row["student_key"].as<std::string>());
  student.set_name(StudentId{school, student.student_key()}.name());
  student.set_entry_year(row["entry_year"].as<int>());
  student.set_display_name(row["display_name"].as<std::string>());
  student.set_etag(row["version"].as<std::string>());
  *student.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row["create_micros"].as<int64_t>());
  return student;
}

absl::StatusOr<ApplicationRecord> ReadApplication(const pqxx::row& row) {
  ApplicationRecord record;
  record.id = row[kApplicationId].as<std::string>();
  record.school_code = row[kSchoolCode].as<std::string>();
  record.student_key = row[kStudentKey].as<std::string>();
  record.term_id = row[kTermId].as<std::string>();
  record.section_id = row[kSectionId].as<std::string>();
  record.credits = row[kCredits].as<int>();
  if (!record.section.ParseFromString(Bytes(row[kSectionSnapshot]))) {
    return absl::InternalError("stored section snapshot unreadable");
  }
  v1::Application& application = record.application;
  application.set_name(ApplicationName(record.id));
  application.set_student(StudentId{record.school_code, record.student_key}.name());
  application.set_section(row[kSectionName].as<std::string>());
  application.set_host(absl::StrCat("institutions/", row[kHostCode].as<std::string>()));
  application.set_term(absl::StrCat("terms/", record.term_id));
  application.set_preference_rank(row[kPreferenceRank].as<int>());
  v1::ApplicationState state;
  if (!v1::ApplicationState_Parse(row[kState].as<std::string>(), &state)) {
    return absl::InternalError("stored application state unreadable");
  }
  application.set_state(state);
  application.set_reason(row[kReason].as<std::string>());
  application.set_decided_by(row[kDecidedBy].as<std::string>());
  record.version = row[kVersion].as<int64_t>();
  application.set_etag(absl::StrCat(record.version));
  *application.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[kCreateMicros].as<int64_t>());
  *application.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(row[kUpdateMicros].as<int64_t>());
  application.set_waitlist_position(row[kWaitlistPosition].as<int>());
  return record;
}

absl::StatusOr<std::vector<ApplicationRecord>> ReadApplications(const pqxx::result& rows) {
  std::vector<ApplicationRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    OSAN_ASSIGN_OR_RETURN(ApplicationRecord record, ReadApplication(row));
    records.push_back(std::move(record));
  }
  return records;
}

std::optional<std::string> StateFilter(v1::ApplicationState state) {
  if (state == v1::APPLICATION_STATE_UNSPECIFIED) {
    return std::nullopt;
  }
  return v1::ApplicationState_Name(state);
}

}  // namespace

const std::vector<db::Statement>& Statements() { return kStatements; }

// ----- Students -------------------------------------------------------------

absl::Status PgRecords::InsertStudent(const std::string& school, const v1::Student& student) {
  const pqxx::result inserted = tx_.exec_prepared("student_insert", school, student.student_key(),
                                                  student.entry_year(), student.display_name());
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat(StudentId{school, student.student_key()}.name(), " already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Student> PgRecords::GetStudent(const std::string& school, const std::string& key,
                                                  Lock lock) {
  const pqxx::result rows = tx_.exec_prepared(
      lock == Lock::kForUpdate ? "student_get_locked" : "student_get", school, key);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat(StudentId{school, key}.name(), " not found"));
  }
  return ReadStudent(school, rows[0]);
}

absl::StatusOr<Page<v1::Student>> PgRecords::ListStudents(const std::string& school,
                                                          const std::string& after, int limit) {
  const pqxx::result rows = tx_.exec_prepared("student_list", school, after, limit + 1);
  return PageOfRows<v1::Student>(
      rows, limit, [&](const pqxx::row& row) { return ReadStudent(school, row); },
      [&](const pqxx::row& last) { return ReadStudent(school, last).student_key(); });
}

// ----- Applications ---------------------------------------------------------

absl::Status PgRecords::InsertApplication(const ApplicationRecord& record) {
  const v1::Application& application = record.application;
  const std::string host = InstitutionCodeOf(application.host());
  tx_.exec_prepared0("application_insert", record.id, record.school_code, record.student_key,
                     record.term_id, record.section_id, application.section(), host, record.credits,
                     pqxx::binarystring(record.section.SerializeAsString()),
                     application.preference_rank(), v1::ApplicationState_Name(application.state()),
                     application.reason(), application.decided_by());
  OSAN_ASSIGN_OR_RETURN(const ApplicationRecord stored, GetApplication(record.id, Lock::kNone));
  tx_.exec_prepared0("event_insert", record.id, record.school_code, host,
                     pqxx::binarystring(stored.application.SerializeAsString()));
  return absl::OkStatus();
}

absl::StatusOr<ApplicationRecord> PgRecords::GetApplication(const std::string& id, Lock lock) {
  const pqxx::result rows = tx_.exec_prepared(
      lock == Lock::kForUpdate ? "application_get_locked" : "application_get", id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat(ApplicationName(id), " not found"));
  }
  return ReadApplication(rows[0]);
}

absl::StatusOr<std::vector<ApplicationRecord>> PgRecords::LiveApplications(
    const std::string& school, const std::string& key, const std::string& term_id) {
  return ReadApplications(tx_.exec_prepared("application_live_of_student", school, key, term_id));
}

absl::StatusOr<v1::Application> PgRecords::SetState(const std::string& id,
                                                    v1::ApplicationState state,
                                                    const std::string& reason,
                                                    const std::string& decided_by) {
  tx_.exec_prepared0("application_set_state", id, v1::ApplicationState_Name(state), reason,
                     decided_by);
  OSAN_ASSIGN_OR_RETURN(const ApplicationRecord stored, GetApplication(id, Lock::kNone));
  tx_.exec_prepared0("event_insert", id, stored.school_code,
                     InstitutionCodeOf(stored.application.host()),
                     pqxx::binarystring(stored.application.SerializeAsString()));
  return stored.application;
}

absl::StatusOr<Page<v1::Application>> PgRecords::ListApplications(const std::string& school_code,
                                                                  const std::string& section_id,
                                                                  v1::ApplicationState state,
                                                                  const std::string& after,
                                                                  int limit) {
  const pqxx::result rows = school_code.empty()
                                ? tx_.exec_prepared("application_list_section", section_id,
                                                    StateFilter(state), after, limit + 1)
                                : tx_.exec_prepared("application_list_school", school_code,
                                                    StateFilter(state), after, limit + 1);
  return PageOfRows<v1::Application>(
      rows, limit,
      [](const pqxx::row& row) -> absl::StatusOr<v1::Application> {
        OSAN_ASSIGN_OR_RETURN(ApplicationRecord record, ReadApplication(row));
        return std::move(record.application);
      },
      [](const pqxx::row& last) { return last[17].as<std::string>(); });
}

absl::StatusOr<std::vector<ApplicationRecord>> PgRecords::LiveApplicationsOfSection(
    const std::string& section_id) {
  return ReadApplications(tx_.exec_prepared("application_live_of_section", section_id));
}

absl::StatusOr<int> PgRecords::EnrolledCount(const std::string& school, const std::string& key,
                                             const std::string& term_id) {
  return tx_.exec_prepared1("application_enrolled_count", school, key, term_id)[0].as<int>();
}

absl::StatusOr<std::vector<ApplicationRecord>> PgRecords::Waitlist(const std::string& section_id) {
  return ReadApplications(tx_.exec_prepared("application_waitlist", section_id));
}

absl::StatusOr<Page<v1::RosterEntry>> PgRecords::Roster(const std::string& section_id,
                                                        const std::string& after, int limit) {
  // A position is "{waitlisted 0|1}/{waitlist order}/{id}/{display name}"
  // (the name last: it may hold any character).
  int waitlisted = -1;
  int64_t ordinal = 0;
  std::string id = "00000000-0000-0000-0000-000000000000";
  std::string display_name;
  if (!after.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(after, absl::MaxSplits('/', 3));
    if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &waitlisted) ||
        !absl::SimpleAtoi(parts[1], &ordinal)) {
      return InvalidField("page_token", "malformed position");
    }
    id = parts[2];
    display_name = parts[3];
  }
  const pqxx::result rows =
      tx_.exec_prepared("roster", section_id, waitlisted, ordinal, display_name, id, limit + 1);
  return PageOfRows<v1::RosterEntry>(
      rows, limit,
      [](const pqxx::row& row) {
        v1::RosterEntry entry;
        const std::string school = row["school_code"].as<std::string>();
        entry.set_application(ApplicationName(row["id"].as<std::string>()));
        entry.set_student(StudentId{school, row["student_key"].as<std::string>()}.name());
        entry.set_display_name(row["display_name"].as<std::string>());
        entry.set_entry_year(row["entry_year"].as<int>());
        entry.set_home_school(absl::StrCat("institutions/", school));
        v1::ApplicationState state = v1::APPLICATION_STATE_UNSPECIFIED;
        v1::ApplicationState_Parse(row["state"].as<std::string>(), &state);
        entry.set_state(state);
        entry.set_waitlist_position(row["position"].as<int>());
        return entry;
      },
      [](const pqxx::row& last) {
        return absl::StrCat(last["waitlisted"].as<int>(), "/", last["ordinal"].as<int64_t>(), "/",
                            last["id"].as<std::string>(), "/",
                            last["display_name"].as<std::string>());
      });
}

absl::StatusOr<int> PgRecords::RosterEnrolled(const std::string& section_id) {
  return tx_.exec_prepared1("roster_enrolled", section_id)[0].as<int>();
}

absl::StatusOr<Page<v1::ApplicationCount>> PgRecords::CountApplications(const std::string& term_id,
                                                                        const std::string& after,
                                                                        int limit) {
  // A position is "{section id}/{school code}/{state}".
  std::vector<std::string> position = {"00000000-0000-0000-0000-000000000000", "", ""};
  if (!after.empty()) {
    position = absl::StrSplit(after, absl::MaxSplits('/', 2));
    if (position.size() != 3) {
      return InvalidField("page_token", "malformed position");
    }
  }
  const pqxx::result rows = tx_.exec_prepared("application_counts", term_id, position[0],
                                              position[1], position[2], limit + 1);
  return PageOfRows<v1::ApplicationCount>(
      rows, limit,
      [&](const pqxx::row& row) {
        v1::ApplicationCount count;
        count.set_section(absl::StrCat("terms/", term_id, "/sections/", row[0].as<std::string>()));
        count.set_home_school(absl::StrCat("institutions/", row[1].as<std::string>()));
        v1::ApplicationState state = v1::APPLICATION_STATE_UNSPECIFIED;
        v1::ApplicationState_Parse(row[2].as<std::string>(), &state);
        count.set_state(state);
        count.set_count(row[3].as<int>());
        return count;
      },
      [](const pqxx::row& last) {
        return absl::StrCat(last[0].as<std::string>(), "/", last[1].as<std::string>(), "/",
                            last[2].as<std::string>());
      });
}

// ----- Batches --------------------------------------------------------------

namespace {

std::pair<std::string, std::string> StudentColumns(const std::vector<StudentRef>& students) {
  std::vector<std::string> schools;
  std::vector<std::string> keys;
  for (const auto& [school, key] : students) {
    schools.push_back(school);
    keys.push_back(key);
  }
  return {db::TextArray(schools), db::TextArray(keys)};
}

}  // namespace

absl::StatusOr<std::map<StudentRef, v1::Student>> PgRecords::LockStudents(
    const std::vector<StudentRef>& students) {
  const auto [schools, keys] = StudentColumns(students);
  std::map<StudentRef, v1::Student> found;
  for (const auto& row : tx_.exec_prepared("students_lock", schools, keys)) {
    const std::string school = row["school_code"].as<std::string>();
    v1::Student student = ReadStudent(school, row);
    found.emplace(StudentRef{school, student.student_key()}, std::move(student));
  }
  return found;
}

absl::StatusOr<std::map<StudentRef, std::vector<ApplicationRecord>>> PgRecords::LiveApplicationsOf(
    const std::string& term_id, const std::vector<StudentRef>& students) {
  const auto [schools, keys] = StudentColumns(students);
  OSAN_ASSIGN_OR_RETURN(auto records, ReadApplications(tx_.exec_prepared(
                                          "application_live_of_students", term_id, schools, keys)));
  std::map<StudentRef, std::vector<ApplicationRecord>> by_student;
  for (auto& record : records) {
    by_student[{record.school_code, record.student_key}].push_back(std::move(record));
  }
  return by_student;
}

absl::StatusOr<std::map<StudentRef, int>> PgRecords::EnrolledCounts(
    const std::string& term_id, const std::vector<StudentRef>& students) {
  const auto [schools, keys] = StudentColumns(students);
  std::map<StudentRef, int> counts;
  for (const auto& row : tx_.exec_prepared("application_enrolled_counts", term_id, schools, keys)) {
    counts[{row[0].as<std::string>(), row[1].as<std::string>()}] = row[2].as<int>();
  }
  return counts;
}

absl::StatusOr<std::map<std::string, int>> PgRecords::EnrolledBySchool(
    const std::string& section_id) {
  OSAN_ASSIGN_OR_RETURN(auto counts, EnrolledBySchoolOf({section_id}));
  return std::move(counts[section_id]);
}

absl::StatusOr<int> PgRecords::WaitlistLength(const std::string& section_id) {
  OSAN_ASSIGN_OR_RETURN(auto lengths, WaitlistLengths({section_id}));
  return lengths[section_id];
}

absl::Status PgRecords::InsertApplications(const std::vector<ApplicationRecord>& records) {
  if (records.empty()) {
    return absl::OkStatus();
  }
  std::vector<std::string> ids, schools, keys, ranks, states, reasons, events, deciders;
  for (const ApplicationRecord& record : records) {
    ids.push_back(record.id);
    schools.push_back(record.school_code);
    keys.push_back(record.student_key);
    ranks.push_back(absl::StrCat(record.application.preference_rank()));
    states.push_back(v1::ApplicationState_Name(record.application.state()));
    reasons.push_back(record.application.reason());
    events.push_back(absl::BytesToHexString(record.application.SerializeAsString()));
    deciders.push_back(record.application.decided_by());
  }
  const ApplicationRecord& first = records.front();
  tx_.exec_prepared0("application_insert_many", db::TextArray(ids), db::TextArray(schools),
                     db::TextArray(keys), db::TextArray(ranks), db::TextArray(states),
                     db::TextArray(reasons), db::TextArray(events), first.term_id, first.section_id,
                     first.application.section(), InstitutionCodeOf(first.application.host()),
                     first.credits, pqxx::binarystring(first.section.SerializeAsString()),
                     db::TextArray(deciders));
  return absl::OkStatus();
}

// ----- Seats ----------------------------------------------------------------

absl::StatusOr<Seats> PgRecords::LockSeats(const std::string& section_id, int capacity) {
  tx_.exec_prepared0("seats_ensure", section_id, capacity);
  const pqxx::row row = tx_.exec_prepared1("seats_lock", section_id, capacity);
  return Seats{row[0].as<int>(), row[1].as<int>()};
}

absl::Status PgRecords::SetEnrolled(const std::string& section_id, int enrolled) {
  return SetEnrolledOf({{section_id, enrolled}});
}

absl::StatusOr<std::vector<v1::SeatCount>> PgRecords::SeatCounts(const std::string& term_id) {
  std::vector<v1::SeatCount> counts;
  for (const auto& row : tx_.exec_prepared("seats_of_term", term_id)) {
    v1::SeatCount& count = counts.emplace_back();
    count.set_section(row[0].as<std::string>());
    count.set_capacity(row[1].as<int>());
    count.set_enrolled(row[2].as<int>());
    count.set_waitlisted(row[3].as<int>());
  }
  return counts;
}

// ----- Allocation runs ------------------------------------------------------

absl::Status PgRecords::InsertAllocationRun(const std::string& id, const std::string& term_id,
                                            const v1::AllocationRun& run) {
  tx_.exec_prepared0("run_insert", id, term_id, pqxx::binarystring(run.SerializeAsString()));
  return absl::OkStatus();
}

absl::StatusOr<bool> PgRecords::LockTermForAllocation(const std::string& term_id) {
  return tx_.exec_prepared1("run_term_lock", term_id)[0].as<bool>();
}

absl::StatusOr<std::vector<Candidate>> PgRecords::LockAllocationCandidates(
    const std::string& term_id, const std::vector<std::string>& section_ids) {
  std::vector<Candidate> candidates;
  const pqxx::result rows =
      tx_.exec_prepared("run_candidates", term_id, db::TextArray(section_ids));
  candidates.reserve(rows.size());
  for (const auto& row : rows) {
    OSAN_ASSIGN_OR_RETURN(ApplicationRecord record, ReadApplication(row));
    candidates.push_back({std::move(record), row["entry_year"].as<int>()});
  }
  return candidates;
}

namespace {

// The keys and values of `map` as two PostgreSQL array literals.
std::pair<std::string, std::string> ArraysOf(const std::map<std::string, int>& map) {
  std::vector<std::string> keys, values;
  for (const auto& [key, value] : map) {
    keys.push_back(key);
    values.push_back(absl::StrCat(value));
  }
  return {db::TextArray(keys), db::TextArray(values)};
}

}  // namespace

absl::StatusOr<std::map<std::string, Seats>> PgRecords::LockSeatsOf(
    const std::map<std::string, int>& capacity) {
  const auto [ids, capacities] = ArraysOf(capacity);
  tx_.exec_prepared0("run_seats_ensure", ids, capacities);
  std::map<std::string, Seats> seats;
  for (const auto& row : tx_.exec_prepared("run_seats_lock", ids)) {
    const std::string id = row[0].as<std::string>();
    seats[id] = Seats{std::max(row[1].as<int>(), capacity.at(id)), row[2].as<int>()};
  }
  tx_.exec_prepared0("run_seats_raise", ids, capacities);
  return seats;
}

absl::StatusOr<std::map<std::string, std::map<std::string, int>>> PgRecords::EnrolledBySchoolOf(
    const std::vector<std::string>& section_ids) {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const auto& row : tx_.exec_prepared("run_enrolled_by_school", db::TextArray(section_ids))) {
    counts[row[0].as<std::string>()][row[1].as<std::string>()] = row[2].as<int>();
  }
  return counts;
}

absl::StatusOr<std::map<std::string, int>> PgRecords::WaitlistLengths(
    const std::vector<std::string>& section_ids) {
  std::map<std::string, int> lengths;
  for (const auto& row : tx_.exec_prepared("run_waitlist_lengths", db::TextArray(section_ids))) {
    lengths[row[0].as<std::string>()] = row[1].as<int>();
  }
  return lengths;
}

absl::Status PgRecords::SetEnrolledOf(const std::map<std::string, int>& enrolled) {
  const auto [ids, counts] = ArraysOf(enrolled);
  tx_.exec_prepared0("run_seats_set", ids, counts);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PgRecords::TransactionMicros() {
  return tx_.exec_prepared1("run_now")[0].as<int64_t>();
}

absl::Status PgRecords::ApplyAllocation(const std::string& run_id, const std::string& decided_by,
                                        const std::vector<AllocationDecisionRow>& decisions,
                                        const std::vector<v1::Application>& after) {
  // COPY (not a prepared statement): one stream per table instead of a
  // statement per row.
  pqxx::stream_to decision_rows(
      tx_, "allocation_decisions",
      std::vector<std::string>{"run_id", "ordinal", "application_id", "school_code", "student_key",
                               "section_name", "outcome", "waitlist_position", "lottery_number",
                               "reason"});
  for (size_t i = 0; i < decisions.size(); ++i) {
    const AllocationDecisionRow& d = decisions[i];
    decision_rows << std::make_tuple(run_id, static_cast<int>(i + 1), d.application_id,
                                     d.school_code, d.student_key, d.section_name,
                                     v1::ApplicationState_Name(d.outcome), d.waitlist_position,
                                     d.lottery_number, d.reason);
  }
  decision_rows.complete();
  tx_.exec_prepared0("run_apply", run_id, decided_by);
  pqxx::stream_to events(
      tx_, "application_events",
      std::vector<std::string>{"application_id", "school_code", "host_code", "application"});
  for (size_t i = 0; i < decisions.size() && i < after.size(); ++i) {
    events << std::make_tuple(
        decisions[i].application_id, decisions[i].school_code, InstitutionCodeOf(after[i].host()),
        absl::StrCat("\\x", absl::BytesToHexString(after[i].SerializeAsString())));
  }
  events.complete();
  return absl::OkStatus();
}

absl::StatusOr<Page<v1::AllocationDecision>> PgRecords::ListAllocationDecisions(
    const std::string& run_id, const std::string& section_name, const std::string& school_code,
    const std::string& after, int limit) {
  int ordinal = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &ordinal)) {
    return InvalidField("page_token", "malformed position");
  }
  const pqxx::result rows =
      !section_name.empty() ? tx_.exec_prepared("run_decisions_of_section", run_id, ordinal,
                                                limit + 1, section_name, school_code)
      : !school_code.empty()
          ? tx_.exec_prepared("run_decisions_of_school", run_id, ordinal, limit + 1, school_code)
          : tx_.exec_prepared("run_decisions", run_id, ordinal, limit + 1);
  return PageOfRows<v1::AllocationDecision>(
      rows, limit,
      [](const pqxx::row& row) {
        v1::AllocationDecision decision;
        decision.set_application(ApplicationName(row["application_id"].as<std::string>()));
        decision.set_student(
            StudentId{row["school_code"].as<std::string>(), row["student_key"].as<std::string>()}
                .name());
        decision.set_section(row["section_name"].as<std::string>());
        v1::ApplicationState outcome = v1::APPLICATION_STATE_UNSPECIFIED;
        v1::ApplicationState_Parse(row["outcome"].as<std::string>(), &outcome);
        decision.set_outcome(outcome);
        decision.set_waitlist_position(row["waitlist_position"].as<int>());
        decision.set_lottery_number(row["lottery_number"].as<int>());
        decision.set_reason(row["reason"].as<std::string>());
        return decision;
      },
      [](const pqxx::row& last) { return last["ordinal"].as<std::string>(); });
}

absl::StatusOr<v1::AllocationRun> PgRecords::GetAllocationRun(const std::string& id) {
  const pqxx::result rows = tx_.exec_prepared("run_get", id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("allocationRuns/", id, " not found"));
  }
  v1::AllocationRun run;
  if (!run.ParseFromString(Bytes(rows[0][0]))) {
    return absl::InternalError("stored allocation run unreadable");
  }
  return run;
}

// ----- Allocation operations ------------------------------------------------

namespace {
double Seconds(absl::Duration duration) { return absl::ToDoubleSeconds(duration); }
}  // namespace

absl::Status PgRecords::InsertAllocationOperation(const std::string& id, const std::string& term_id,
                                                  const v1::AllocationOperation& operation) {
  tx_.exec_prepared0("operation_insert", id, term_id, operation.done(),
                     pqxx::binarystring(operation.SerializeAsString()));
  return absl::OkStatus();
}

absl::StatusOr<StoredOperation> PgRecords::GetAllocationOperation(const std::string& id,
                                                                  absl::Duration grace) {
  const pqxx::result rows = tx_.exec_prepared("operation_get", id, Seconds(grace));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("operations/", id, " not found"));
  }
  StoredOperation stored;
  if (!stored.operation.ParseFromString(Bytes(rows[0][0]))) {
    return absl::InternalError("stored allocation operation unreadable");
  }
  stored.quiet = rows[0][1].as<bool>();
  return stored;
}

absl::Status PgRecords::HoldAllocationOperation(const std::string& id) {
  const pqxx::result rows = tx_.exec_prepared("operation_hold", id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("operations/", id, " not found"));
  }
  if (rows[0][0].as<bool>()) {
    return absl::FailedPreconditionError(absl::StrCat("operations/", id, " is already done"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> PgRecords::UpdateAllocationOperation(
    const std::string& id, const v1::AllocationOperation& operation) {
  return tx_.exec_prepared("operation_update", id, operation.done(),
                           pqxx::binarystring(operation.SerializeAsString()))
             .affected_rows() == 1;
}

absl::StatusOr<bool> PgRecords::AbandonAllocationOperation(const std::string& id,
                                                           const v1::AllocationOperation& failed,
                                                           absl::Duration grace) {
  return tx_.exec_prepared("operation_abandon", id, pqxx::binarystring(failed.SerializeAsString()),
                           Seconds(grace))
             .affected_rows() == 1;
}

// ----- Change feed ----------------------------------------------------------

absl::StatusOr<std::vector<v1::ChangeEvent>> PgRecords::ReadEvents(const FeedCursor& after,
                                                                   const FeedFilter& filter,
                                                                   int limit) {
  std::vector<v1::ChangeEvent> events;
  for (const auto& row : tx_.exec_prepared("event_read", after.txid, after.seq, filter.everything,
                                           filter.school_code, filter.host_code, limit)) {
    v1::ChangeEvent event;
    event.set_cursor(FeedCursor{row[0].as<std::string>(), row[1].as<int64_t>()}.Encode());
    if (!event.mutable_application()->ParseFromString(Bytes(row[2]))) {
      return absl::InternalError("stored event unreadable");
    }
    *event.mutable_commit_time() = TimeUtil::MicrosecondsToTimestamp(row[3].as<int64_t>());
    events.push_back(std::move(event));
  }
  return events;
}

// ----- Savepoints -----------------------------------------------------------

absl::Status PgRecords::Savepoint(absl::FunctionRef<absl::Status(Records&)> body) {
  pqxx::subtransaction savepoint(transaction_, "savepoint");
  PgRecords nested(savepoint);
  try {
    const absl::Status status = body(nested);
    if (status.ok()) {
      savepoint.commit();
    } else {
      savepoint.abort();
    }
    return status;
  } catch (const pqxx::unique_violation&) {
    savepoint.abort();
    return LiveApplicationExists();
  }
}

}  // namespace osan::enrollment::store
