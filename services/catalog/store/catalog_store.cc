#include "services/catalog/store/catalog_store.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/names.h"
#include "common/status.h"
#include "services/catalog/domain/rules.h"

namespace osan::catalog::store {
namespace {

// Every resource query selects these four columns first.
#define OSAN_RESOURCE_COLUMNS(t)         \
  t ".doc::text, " t                     \
    ".version, "                         \
    "(extract(epoch FROM " t             \
    ".create_time) * 1000000)::bigint, " \
    "(extract(epoch FROM " t ".update_time) * 1000000)::bigint"

// Sections the public may see; mirrors IsPubliclyVisible and IsRecognised.
#define OSAN_PUBLIC_CONDITION                                                        \
  " s.state IN ('PUBLISHED', 'ENROLLMENT_OPEN', 'ENROLLMENT_CLOSED', 'IN_PROGRESS')" \
  " AND c.recognition_state IN ('NOT_REQUIRED', 'APPROVED') "

// The name of the programme funding section `s`; mirrors FundingProgramme.
#define OSAN_FUNDING_PROGRAMME                                             \
  "COALESCE(NULLIF(s.doc->>'programme', ''), (SELECT fc.doc->>'programme'" \
  " FROM courses fc WHERE fc.id = s.course_id))"

#define OSAN_PUBLIC_SELECT                                                               \
  "SELECT s.doc::text, c.doc::text, i.doc::text, s.term_id, p.doc::text FROM sections s" \
  " JOIN courses c ON c.id = s.course_id JOIN institutions i ON i.code = s.host_code"    \
  " LEFT JOIN programmes p ON 'programmes/' || p.id = " OSAN_FUNDING_PROGRAMME           \
  " WHERE" OSAN_PUBLIC_CONDITION

const std::vector<db::Statement> kStatements = {
    {"institution_insert", "INSERT INTO institutions (code, kind, doc) VALUES ($1, $2, $3::jsonb)"},
    {"institution_get",
     "SELECT " OSAN_RESOURCE_COLUMNS("i") " FROM institutions i WHERE code = $1"},
    {"institution_get_locked",
     "SELECT " OSAN_RESOURCE_COLUMNS("i") " FROM institutions i WHERE code = $1 FOR UPDATE"},
    {"institution_list",
     "SELECT " OSAN_RESOURCE_COLUMNS(
         "i") ", i.code FROM institutions i"
              " WHERE ($1::text IS NULL OR kind = $1) AND code > $2 ORDER BY code LIMIT $3"},
    {"institution_update",
     "UPDATE institutions i SET doc = $2::jsonb, version = version + 1, update_time = now()"
     " WHERE code = $1 RETURNING " OSAN_RESOURCE_COLUMNS("i")},

    {"term_insert",
     "INSERT INTO terms (id, year, semester, application_start, doc)"
     " VALUES ($1, $2, $3, to_timestamp($4), $5::jsonb)"},
    {"term_get", "SELECT " OSAN_RESOURCE_COLUMNS("t") " FROM terms t WHERE id = $1"},
    {"term_get_locked",
     "SELECT " OSAN_RESOURCE_COLUMNS("t") " FROM terms t WHERE id = $1 FOR UPDATE"},
    {"term_list", "SELECT " OSAN_RESOURCE_COLUMNS(
                      "t") ", t.id FROM terms t"
                           " WHERE ($1::int IS NULL OR year = $1) AND ($2 = '' OR id < $2)"
                           " ORDER BY id DESC LIMIT $3"},
    {"term_update",
     "UPDATE terms t SET doc = $2::jsonb, application_start = to_timestamp($3),"
     " version = version + 1, update_time = now()"
     " WHERE id = $1 RETURNING " OSAN_RESOURCE_COLUMNS("t")},
    {"term_current",
     "(SELECT id FROM terms WHERE application_start <= to_timestamp($1)"
     "  ORDER BY application_start DESC LIMIT 1)"
     " UNION ALL "
     "(SELECT id FROM terms WHERE application_start > to_timestamp($1)"
     "  ORDER BY application_start LIMIT 1)"
     " LIMIT 1"},

    {"course_insert",
     "INSERT INTO courses (id, host_code, title, category, delivery_mode, recognition_state, doc)"
     " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb)"},
    {"course_get", "SELECT " OSAN_RESOURCE_COLUMNS("c") " FROM courses c WHERE id = $1::uuid"},
    {"course_get_locked",
     "SELECT " OSAN_RESOURCE_COLUMNS("c") " FROM courses c WHERE id = $1::uuid FOR UPDATE"},
    {"course_list",
     "SELECT " OSAN_RESOURCE_COLUMNS(
         "c") ", c.id::text FROM courses c"
              " WHERE ($1::text IS NULL OR host_code = $1) AND ($2::text IS NULL OR "
              "recognition_state = $2)"
              " AND id > COALESCE(NULLIF($3, '')::uuid, '00000000-0000-0000-0000-000000000000')"
              " ORDER BY id LIMIT $4"},
    {"course_update",
     "UPDATE courses c SET doc = $2::jsonb, title = $3, delivery_mode = $4,"
     " recognition_state = $5, category = $6, version = version + 1, update_time = now()"
     " WHERE id = $1::uuid RETURNING " OSAN_RESOURCE_COLUMNS("c")},

    {"programme_insert",
     "INSERT INTO programmes (id, year, doc) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO "
     "NOTHING"},
    {"programme_get", "SELECT " OSAN_RESOURCE_COLUMNS("p") " FROM programmes p WHERE id = $1"},
    {"programme_get_locked",
     "SELECT " OSAN_RESOURCE_COLUMNS("p") " FROM programmes p WHERE id = $1 FOR UPDATE"},
    {"programme_list",
     "SELECT " OSAN_RESOURCE_COLUMNS(
         "p") ", p.id FROM programmes p"
              " WHERE ($1::int IS NULL OR year = $1) AND id > $2 ORDER BY id LIMIT $3"},
    {"programme_update",
     "UPDATE programmes p SET doc = $2::jsonb, version = version + 1, update_time = now()"
     " WHERE id = $1 RETURNING " OSAN_RESOURCE_COLUMNS("p")},

    {"section_insert",
     "INSERT INTO sections (id, term_id, course_id, host_code, state, capacity, weekdays, doc)"
     " VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7::integer[], $8::jsonb)"},
    {"section_get", "SELECT " OSAN_RESOURCE_COLUMNS("s") " FROM sections s WHERE id = $1::uuid"},
    {"section_get_locked",
     "SELECT " OSAN_RESOURCE_COLUMNS("s") " FROM sections s WHERE id = $1::uuid FOR UPDATE"},
    {"section_list",
     "SELECT " OSAN_RESOURCE_COLUMNS(
         "s") ", s.id::text FROM sections s"
              " WHERE ($1::text IS NULL OR term_id = $1) AND ($2::text IS NULL OR host_code = $2)"
              " AND ($3::text IS NULL OR state = $3)"
              " AND ($6::text IS NULL OR " OSAN_FUNDING_PROGRAMME " = $6)"
              " AND id > COALESCE(NULLIF($4, '')::uuid, '00000000-0000-0000-0000-000000000000')"
              " ORDER BY id LIMIT $5"},
    {"section_list_live_of_course",
     "SELECT " OSAN_RESOURCE_COLUMNS(
         "s") " FROM sections s WHERE course_id = $1::uuid"
              " AND state NOT IN ('CANCELLED', 'COMPLETED') ORDER BY id FOR UPDATE"},
    {"section_list_live_of_term",
     "SELECT " OSAN_RESOURCE_COLUMNS(
         "s") ", (c.doc->>'credits')::integer FROM sections s"
              " JOIN courses c ON c.id = s.course_id WHERE s.term_id = $1"
              " AND s.state NOT IN ('CANCELLED', 'COMPLETED') ORDER BY s.id FOR UPDATE OF s"},
    {"section_update",
     "UPDATE sections s SET doc = $2::jsonb, state = $3, capacity = $4, weekdays = $5::integer[],"
     " version = version + 1, update_time = now()"
     " WHERE id = $1::uuid RETURNING " OSAN_RESOURCE_COLUMNS("s")},

    {"public_all", OSAN_PUBLIC_SELECT},
    {"term_all", "SELECT " OSAN_RESOURCE_COLUMNS("t") ", t.id FROM terms t ORDER BY t.id"},
    {"institution_display_names", "SELECT code, doc->>'display_name' FROM institutions"},
    {"listing_version", "SELECT epoch || '.' || counter FROM listing_version"},
};

#undef OSAN_PUBLIC_SELECT
#undef OSAN_FUNDING_PROGRAMME
#undef OSAN_PUBLIC_CONDITION
#undef OSAN_RESOURCE_COLUMNS

std::string ToJson(google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // The message always comes from our own validated types: this cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// JSON of `resource` without its output-only bookkeeping fields.
template <class Resource>
std::string StoredJson(const Resource& resource) {
  Resource copy = resource;
  copy.clear_etag();
  copy.clear_create_time();
  copy.clear_update_time();
  return ToJson(copy);
}

absl::Status FromJson(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // rows written by newer versions stay readable
  if (!google::protobuf::util::JsonStringToMessage(json, message, options).ok()) {
    return absl::InternalError("stored resource unreadable");
  }
  return absl::OkStatus();
}

// Decodes the OSAN_RESOURCE_COLUMNS of `row`.
template <class Resource>
absl::StatusOr<Resource> Decode(const pqxx::row& row) {
  Resource resource;
  if (auto status = FromJson(row[0].as<std::string>(), &resource); !status.ok()) {
    return status;
  }
  resource.set_etag(row[1].as<std::string>());
  *resource.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[2].as<int64_t>());
  *resource.mutable_update_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[3].as<int64_t>());
  return resource;
}

template <class Resource>
absl::StatusOr<Resource> GetOne(pqxx::transaction_base& tx, const char* statement,
                                const std::string& key, absl::string_view what) {
  const pqxx::result rows = tx.exec_prepared(statement, key);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat(what, " not found"));
  }
  return Decode<Resource>(rows[0]);
}

// Decodes a page from rows holding one more than `limit` (the look-ahead that
// tells whether another page follows); the key is the column after the four
// resource columns.
template <class Resource>
absl::StatusOr<Page<Resource>> DecodePage(const pqxx::result& rows, int limit) {
  return PageOfRows<Resource>(
      rows, limit, [](const pqxx::row& row) { return Decode<Resource>(row); },
      [](const pqxx::row& row) { return row[4].as<std::string>(); });
}

template <class Enum>
std::optional<std::string> EnumFilter(Enum value, const std::string& (*name)(Enum)) {
  if (value == Enum{}) {
    return std::nullopt;
  }
  return name(value);
}

std::optional<std::string> TextFilter(const std::string& value) {
  if (value.empty()) {
    return std::nullopt;
  }
  return value;
}

// A PostgreSQL integer[] literal.
std::string IntArray(const std::vector<int>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

}  // namespace

const std::vector<db::Statement>& Statements() { return kStatements; }

// ----- Institutions ---------------------------------------------------------

absl::Status PgRecords::InsertInstitution(const std::string& code,
                                          const v1::Institution& institution) {
  const pqxx::result existing = tx_.exec_prepared("institution_get", code);
  if (!existing.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("institutions/", code, " already exists"));
  }
  tx_.exec_prepared0("institution_insert", code, v1::InstitutionKind_Name(institution.kind()),
                     StoredJson(institution));
  return absl::OkStatus();
}

absl::StatusOr<v1::Institution> PgRecords::GetInstitution(const std::string& code, Lock lock) {
  return GetOne<v1::Institution>(
      tx_, lock == Lock::kForUpdate ? "institution_get_locked" : "institution_get", code,
      InstitutionName(code));
}

absl::StatusOr<Page<v1::Institution>> PgRecords::ListInstitutions(v1::InstitutionKind kind,
                                                                  const std::string& after,
                                                                  int limit) {
  return DecodePage<v1::Institution>(
      tx_.exec_prepared("institution_list", EnumFilter(kind, &v1::InstitutionKind_Name), after,
                        limit + 1),
      limit);
}

absl::StatusOr<v1::Institution> PgRecords::UpdateInstitution(const std::string& code,
                                                             const v1::Institution& institution) {
  return Decode<v1::Institution>(
      tx_.exec_prepared1("institution_update", code, StoredJson(institution)));
}

// ----- Terms ----------------------------------------------------------------

absl::Status PgRecords::InsertTerm(const std::string& id, const v1::Term& term) {
  const pqxx::result existing = tx_.exec_prepared("term_get", id);
  if (!existing.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("terms/", id, " already exists"));
  }
  tx_.exec_prepared0("term_insert", id, term.year(), term.semester(),
                     term.application_window().start_unix(), StoredJson(term));
  return absl::OkStatus();
}

absl::StatusOr<v1::Term> PgRecords::GetTerm(const std::string& id, Lock lock) {
  return GetOne<v1::Term>(tx_, lock == Lock::kForUpdate ? "term_get_locked" : "term_get", id,
                          absl::StrCat("terms/", id));
}

absl::StatusOr<Page<v1::Term>> PgRecords::ListTerms(int year, const std::string& before,
                                                    int limit) {
  return DecodePage<v1::Term>(
      tx_.exec_prepared("term_list", year == 0 ? std::nullopt : std::optional<int>(year), before,
                        limit + 1),
      limit);
}

absl::StatusOr<v1::Term> PgRecords::UpdateTerm(const std::string& id, const v1::Term& term) {
  return Decode<v1::Term>(tx_.exec_prepared1("term_update", id, StoredJson(term),
                                             term.application_window().start_unix()));
}

absl::StatusOr<std::string> PgRecords::CurrentTermId(int64_t now_unix) {
  const pqxx::result rows = tx_.exec_prepared("term_current", now_unix);
  if (rows.empty()) {
    return absl::NotFoundError("no terms have been created yet");
  }
  return rows[0][0].as<std::string>();
}

// ----- Courses --------------------------------------------------------------

absl::Status PgRecords::InsertCourse(const std::string& id, const v1::Course& course) {
  OSAN_ASSIGN_OR_RETURN(const std::string host_code, ParseInstitutionName("host", course.host()));
  tx_.exec_prepared0("course_insert", id, host_code, course.title(),
                     v1::Category_Name(course.category()),
                     v1::DeliveryMode_Name(course.delivery_mode()),
                     v1::RecognitionState_Name(course.recognition().state()), StoredJson(course));
  return absl::OkStatus();
}

absl::StatusOr<v1::Course> PgRecords::GetCourse(const std::string& id, Lock lock) {
  return GetOne<v1::Course>(tx_, lock == Lock::kForUpdate ? "course_get_locked" : "course_get", id,
                            CourseName(id));
}

absl::StatusOr<Page<v1::Course>> PgRecords::ListCourses(const std::string& host_code,
                                                        v1::RecognitionState state,
                                                        const std::string& after, int limit) {
  return DecodePage<v1::Course>(
      tx_.exec_prepared("course_list", TextFilter(host_code),
                        EnumFilter(state, &v1::RecognitionState_Name), after, limit + 1),
      limit);
}

absl::StatusOr<v1::Course> PgRecords::UpdateCourse(const std::string& id,
                                                   const v1::Course& course) {
  return Decode<v1::Course>(
      tx_.exec_prepared1("course_update", id, StoredJson(course), course.title(),
                         v1::DeliveryMode_Name(course.delivery_mode()),
                         v1::RecognitionState_Name(course.recognition().state()),
                         v1::Category_Name(course.category())));
}

// ----- Programmes -----------------------------------------------------------

absl::Status PgRecords::InsertProgramme(const std::string& id, const v1::Programme& programme) {
  const pqxx::result inserted =
      tx_.exec_prepared("programme_insert", id, programme.year(), StoredJson(programme));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat(ProgrammeName(id), " already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Programme> PgRecords::GetProgramme(const std::string& id, Lock lock) {
  return GetOne<v1::Programme>(tx_,
                               lock == Lock::kForUpdate ? "programme_get_locked" : "programme_get",
                               id, ProgrammeName(id));
}

absl::StatusOr<Page<v1::Programme>> PgRecords::ListProgrammes(int year, const std::string& after,
                                                              int limit) {
  return DecodePage<v1::Programme>(
      tx_.exec_prepared("programme_list", year == 0 ? std::nullopt : std::optional<int>(year),
                        after, limit + 1),
      limit);
}

absl::StatusOr<v1::Programme> PgRecords::UpdateProgramme(const std::string& id,
                                                         const v1::Programme& programme) {
  return Decode<v1::Programme>(tx_.exec_prepared1("programme_update", id, StoredJson(programme)));
}

// ----- Sections -------------------------------------------------------------

absl::Status PgRecords::InsertSection(const std::string& id, const std::string& term_id,
                                      const std::string& course_id, const std::string& host_code,
                                      const v1::Section& section) {
  tx_.exec_prepared0("section_insert", id, term_id, course_id, host_code,
                     v1::SectionState_Name(section.state()), section.capacity(),
                     IntArray(MeetingWeekdays(section)), StoredJson(section));
  return absl::OkStatus();
}

absl::StatusOr<v1::Section> PgRecords::GetSection(const std::string& id, Lock lock) {
  return GetOne<v1::Section>(tx_, lock == Lock::kForUpdate ? "section_get_locked" : "section_get",
                             id, absl::StrCat("section ", id));
}

absl::StatusOr<Page<v1::Section>> PgRecords::ListSections(const SectionFilter& filter,
                                                          const std::string& after, int limit) {
  return DecodePage<v1::Section>(
      tx_.exec_prepared("section_list", TextFilter(filter.term_id), TextFilter(filter.host_code),
                        EnumFilter(filter.state, &v1::SectionState_Name), after, limit + 1,
                        TextFilter(filter.programme)),
      limit);
}

absl::StatusOr<std::vector<v1::Section>> PgRecords::LiveSectionsOfCourse(
    const std::string& course_id) {
  std::vector<v1::Section> sections;
  for (const auto& row : tx_.exec_prepared("section_list_live_of_course", course_id)) {
    OSAN_ASSIGN_OR_RETURN(v1::Section section, Decode<v1::Section>(row));
    sections.push_back(std::move(section));
  }
  return sections;
}

absl::StatusOr<std::vector<std::pair<v1::Section, int>>> PgRecords::LiveSectionsOfTerm(
    const std::string& term_id) {
  std::vector<std::pair<v1::Section, int>> sections;
  for (const auto& row : tx_.exec_prepared("section_list_live_of_term", term_id)) {
    OSAN_ASSIGN_OR_RETURN(v1::Section section, Decode<v1::Section>(row));
    sections.emplace_back(std::move(section), row[4].as<int>());
  }
  return sections;
}

absl::StatusOr<v1::Section> PgRecords::UpdateSection(const std::string& id,
                                                     const v1::Section& section) {
  return Decode<v1::Section>(tx_.exec_prepared1(
      "section_update", id, StoredJson(section), v1::SectionState_Name(section.state()),
      section.capacity(), IntArray(MeetingWeekdays(section))));
}

// ----- Public listing -------------------------------------------------------

absl::StatusOr<std::string> PgRecords::ListingVersion() {
  return tx_.exec_prepared1("listing_version")[0].as<std::string>();
}

absl::StatusOr<PublicListingData> PgRecords::ReadPublicListing() {
  tx_.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  PublicListingData data;
  OSAN_ASSIGN_OR_RETURN(data.version, ListingVersion());
  std::map<std::string, v1::Term> terms_by_id;
  for (const auto& row : tx_.exec_prepared("term_all")) {
    OSAN_ASSIGN_OR_RETURN(v1::Term term, Decode<v1::Term>(row));
    data.terms.push_back(term);
    terms_by_id[row[4].as<std::string>()] = std::move(term);
  }
  std::map<std::string, std::string> display_names;
  for (const auto& row : tx_.exec_prepared("institution_display_names")) {
    display_names[InstitutionName(row[0].as<std::string>())] = row[1].as<std::string>("");
  }
  for (const auto& row : tx_.exec_prepared("public_all")) {
    v1::Section section;
    v1::Course course;
    v1::Institution host;
    OSAN_RETURN_IF_ERROR(FromJson(row[0].as<std::string>(), &section));
    OSAN_RETURN_IF_ERROR(FromJson(row[1].as<std::string>(), &course));
    OSAN_RETURN_IF_ERROR(FromJson(row[2].as<std::string>(), &host));
    v1::Programme programme;
    if (!row[4].is_null()) {
      OSAN_RETURN_IF_ERROR(FromJson(row[4].as<std::string>(), &programme));
    }
    v1::PublicSection view = ToPublicSection(section, course, host, programme);
    const auto term = terms_by_id.find(row[3].as<std::string>());
    if (term == terms_by_id.end()) {
      return absl::InternalError("a section's term is missing");
    }
    AddHowToApply(section, term->second, display_names, &view);
    data.sections.push_back(std::move(view));
  }
  return data;
}

}  // namespace osan::catalog::store
