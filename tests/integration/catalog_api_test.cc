// The catalog service over gRPC, against a real PostgreSQL database and a real
// server on port 0: every RPC's success path, invalid input, authentication
// and object-level authorization.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "tests/support/reflection_client.h"
#include "tests/support/test_env.h"

namespace osan::catalog {
namespace {

using testing::ContextWithToken;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using testing::TestKeys;

constexpr char kCity[] = "OSAN-CITY";
constexpr char kOffice[] = "HSOS-EDU";
constexpr char kMaehol[] = "J10-7531001";   // 매홀고
constexpr char kSeongho[] = "J10-7531002";  // 성호고
constexpr char kEduLab[] = "OSAN-AICODING";

std::string Token(const std::string& institution, auth::Role role) {
  return TestKeys::Get().Token(institution, role);
}

// Calls `method` on `stub` with `token`; returns the status and fills `response`.
template <class Stub, class Request, class Response>
grpc::Status Invoke(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
  auto context = ContextWithToken(token);
  return (stub->*method)(context.get(), request, response);
}

class CatalogApiTest : public ::testing::Test {
 protected:
  CatalogApiTest()
      : service_(CatalogDefinition()),
        catalog_(v1::CatalogService::NewStub(service_.channel())),
        listing_(v1::PublicListingService::NewStub(service_.channel())),
        city_(Token(kCity, auth::v1::CITY)),
        office_(Token(kOffice, auth::v1::EDU_OFFICE)),
        maehol_(Token(kMaehol, auth::v1::SCHOOL)),
        seongho_(Token(kSeongho, auth::v1::SCHOOL)),
        edulab_(Token(kEduLab, auth::v1::ACADEMY)) {}

  template <class Request, class Response>
  grpc::Status Call(grpc::Status (v1::CatalogService::Stub::*method)(grpc::ClientContext*,
                                                                     const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    return Invoke(catalog_.get(), method, token, request, response);
  }

  static std::string NextRequestId() {
    static int counter = 0;
    return absl::StrCat("req-", ++counter);
  }

  v1::Institution School(const std::string& school_code, const std::string& display_name) {
    v1::Institution school;
    school.set_kind(v1::HIGH_SCHOOL);
    school.set_display_name(display_name);
    school.set_office_code("J10");
    school.set_school_code(school_code);
    school.set_area("세교");
    return school;
  }

  v1::Institution CreateInstitution(const v1::Institution& institution) {
    v1::CreateInstitutionRequest request;
    *request.mutable_institution() = institution;
    request.set_request_id(NextRequestId());
    v1::Institution created;
    const grpc::Status status =
        Call(&v1::CatalogService::Stub::CreateInstitution, city_, request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  void CreateInstitutions() {
    CreateInstitution(School("7531001", "매홀고등학교"));
    CreateInstitution(School("7531002", "성호고등학교"));
    v1::Institution lab;
    lab.set_kind(v1::CITY_ACADEMY);
    lab.set_display_name("AI코딩에듀랩");
    lab.set_host_code(kEduLab);
    CreateInstitution(lab);
  }

  static v1::Term TermMessage(int year, int semester) {
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    v1::Term term;
    term.set_year(year);
    term.set_semester(semester);
    term.mutable_application_window()->set_start_unix(now - 86400);
    term.mutable_application_window()->set_end_unix(now + 86400);
    auto set_date = [](type::v1::Date* date, int y, int m, int d) {
      date->set_year(y);
      date->set_month(m);
      date->set_day(d);
    };
    const int month = semester == 1 ? 3 : 8;
    set_date(term.mutable_classes_start(), year + 1, month, 2);
    set_date(term.mutable_classes_end(), year + 1, month + 4, 20);
    set_date(term.mutable_drop_deadline(), year + 1, month, 20);
    set_date(term.mutable_results_due(), year + 1, month + 4, 30);
    return term;
  }

  v1::Term CreateTerm(int year, int semester) {
    v1::CreateTermRequest request;
    *request.mutable_term() = TermMessage(year, semester);
    request.set_request_id(NextRequestId());
    v1::Term created;
    const grpc::Status status =
        Call(&v1::CatalogService::Stub::CreateTerm, city_, request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  static v1::Course CourseMessage(const std::string& host, const std::string& title,
                                  v1::Category category = v1::CAREER_ELECTIVE) {
    v1::Course course;
    course.set_title(title);
    course.set_category(category);
    course.set_subject_area(v1::LIFE_AND_LIBERAL);
    // Two credits: SectionMessage's one 100-minute meeting a week holds about
    // 40 periods over a term, and two credits need 32 (34 for 2015 cohorts).
    course.set_credits(2);
    course.set_delivery_mode(v1::IN_PERSON);
    course.set_host(absl::StrCat("institutions/", host));
    course.set_description(absl::StrCat(title, " 공동교육과정"));
    return course;
  }

  // Approves `course` as the education office; returns the course as approved.
  v1::Course Recognise(const v1::Course& course) {
    v1::ReviewRecognitionRequest review;
    review.set_name(course.name());
    review.set_decision(v1::APPROVED);
    review.set_etag(course.etag());
    review.set_request_id(NextRequestId());
    v1::Course approved;
    const grpc::Status status =
        Call(&v1::CatalogService::Stub::ReviewRecognition, office_, review, &approved);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return approved;
  }

  // A course `token` creates, recognised by the office if its host is not a school.
  v1::Course CreateListableCourse(const std::string& token, const v1::Course& course) {
    const v1::Course created = CreateCourse(token, course);
    return created.recognition().state() == v1::PENDING ? Recognise(created) : created;
  }

  v1::Course CreateCourse(const std::string& token, const v1::Course& course) {
    v1::CreateCourseRequest request;
    *request.mutable_course() = course;
    request.set_request_id(NextRequestId());
    v1::Course created;
    const grpc::Status status =
        Call(&v1::CatalogService::Stub::CreateCourse, token, request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  static v1::Section SectionMessage(const std::string& course, v1::Weekday weekday) {
    v1::Section section;
    section.set_course(course);
    section.set_capacity(20);
    section.set_min_enrollment(5);
    auto* meeting = section.add_weekly_meetings();
    meeting->set_weekday(weekday);
    meeting->mutable_start_time()->set_hours(16);
    meeting->mutable_end_time()->set_hours(17);
    meeting->mutable_end_time()->set_minutes(40);
    section.set_location("본관 2층 정보실");
    section.set_instructor_display_name("김교사");
    section.set_allocation_policy(v1::FIRST_COME);
    return section;
  }

  grpc::Status TryCreateSection(const std::string& token, const std::string& term,
                                const v1::Section& section, v1::Section* created) {
    v1::CreateSectionRequest request;
    request.set_parent(term);
    *request.mutable_section() = section;
    request.set_request_id(NextRequestId());
    return Call(&v1::CatalogService::Stub::CreateSection, token, request, created);
  }

  v1::Section CreateSection(const std::string& token, const std::string& term,
                            const v1::Section& section) {
    v1::Section created;
    const grpc::Status status = TryCreateSection(token, term, section, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  grpc::Status Transition(const std::string& token, const std::string& name,
                          v1::SectionState target, v1::Section* result,
                          const std::string& reason = "") {
    v1::TransitionSectionRequest request;
    request.set_name(name);
    request.set_target_state(target);
    request.set_reason(reason);
    request.set_request_id(NextRequestId());
    return Call(&v1::CatalogService::Stub::TransitionSection, token, request, result);
  }

  // A course of Maehol with one section in `term`, its enrolment open.
  std::pair<v1::Course, v1::Section> OpenMaeholSection(const v1::Term& term,
                                                       const std::string& title) {
    const v1::Course course = CreateCourse(maehol_, CourseMessage(kMaehol, title));
    const v1::Section section =
        CreateSection(maehol_, term.name(), SectionMessage(course.name(), v1::MONDAY));
    v1::Section moved;
    EXPECT_TRUE(Transition(maehol_, section.name(), v1::PUBLISHED, &moved).ok());
    EXPECT_TRUE(Transition(maehol_, section.name(), v1::ENROLLMENT_OPEN, &moved).ok());
    return {course, moved};
  }

  // Rows in the named table: a direct look at what was written.
  int64_t CountRows(const std::string& table) {
    pqxx::connection connection(service_.database().url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(absl::StrCat("SELECT count(*) FROM ", table))[0].as<int64_t>();
  }

  testing::TestService service_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::unique_ptr<v1::PublicListingService::Stub> listing_;
  const std::string city_, office_, maehol_, seongho_, edulab_;
};

// ----- Serving basics -------------------------------------------------------

TEST_F(CatalogApiTest, HealthReportsServingForEveryService) {
  auto health = grpc::health::v1::Health::NewStub(service_.channel());
  for (const std::string name :
       {"", "osan.catalog.v1.CatalogService", "osan.catalog.v1.PublicListingService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(name);
    grpc::health::v1::HealthCheckResponse response;
    auto context = ContextWithToken("");
    ASSERT_TRUE(health->Check(context.get(), request, &response).ok()) << name;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << name;
  }
}

// While its database takes no connections, the catalog reports NOT_SERVING
// and calls fail with UNAVAILABLE; once it takes them again, SERVING without a
// restart, and the first call succeeds (the pool's sessions, ended by the
// database, are replaced before use).
TEST_F(CatalogApiTest, HealthFollowsTheDatabaseAndTheFirstCallAfterItSucceeds) {
  CreateInstitutions();
  using grpc::health::v1::HealthCheckResponse;
  auto health = grpc::health::v1::Health::NewStub(service_.channel());
  const auto reaches = [&](HealthCheckResponse::ServingStatus wanted) {
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    for (;;) {
      grpc::health::v1::HealthCheckRequest request;
      request.set_service("osan.catalog.v1.CatalogService");
      HealthCheckResponse response;
      auto context = ContextWithToken("");
      if (health->Check(context.get(), request, &response).ok() && response.status() == wanted) {
        return true;
      }
      if (absl::Now() > give_up) {
        return false;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  };
  v1::GetInstitutionRequest get;
  get.set_name(absl::StrCat("institutions/", kMaehol));
  v1::Institution institution;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetInstitution, city_, get, &institution).ok());

  // From the cluster's own database: a database cannot close itself.
  const std::string url = service_.database().url();
  pqxx::connection admin(absl::StrCat(url.substr(0, url.rfind('/')), "/postgres"));
  pqxx::nontransaction tx(admin);
  const std::string name = url.substr(url.rfind('/') + 1);
  const std::string database = tx.quote_name(name);
  const auto end_other_sessions = [&] {
    tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                   name);
  };
  tx.exec0(absl::StrCat("ALTER DATABASE ", database, " WITH ALLOW_CONNECTIONS false"));
  end_other_sessions();
  EXPECT_TRUE(reaches(HealthCheckResponse::NOT_SERVING));
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetInstitution, city_, get, &institution).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  tx.exec0(absl::StrCat("ALTER DATABASE ", database, " WITH ALLOW_CONNECTIONS true"));
  EXPECT_TRUE(reaches(HealthCheckResponse::SERVING));
  // Sessions opened since end as a restart would end them: the first call
  // still succeeds.
  end_other_sessions();
  const grpc::Status first =
      Call(&v1::CatalogService::Stub::GetInstitution, city_, get, &institution);
  EXPECT_TRUE(first.ok()) << first.error_message();
  EXPECT_EQ(institution.name(), get.name());
}

TEST_F(CatalogApiTest, ReflectionListsCatalogServices) {
  auto names = testing::ListServicesByReflection(service_.channel());
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ::testing::IsSupersetOf({"osan.catalog.v1.CatalogService",
                                               "osan.catalog.v1.PublicListingService",
                                               "grpc.health.v1.Health"}));
}

TEST_F(CatalogApiTest, MigrationsAreRecordedAndNotReapplied) {
  EXPECT_GE(CountRows("schema_migrations"), 1);
  auto second = db::ApplyMigrations(service_.database().url(), *CatalogDefinition().migrations);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, 0);
}

// ----- Authentication -------------------------------------------------------

TEST_F(CatalogApiTest, MissingForgedAndExpiredTokensAreUnauthenticated) {
  v1::GetTermRequest request;
  request.set_name("terms/2026-1");
  v1::Term term;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetTerm, "", request, &term).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // Signed by a key the server does not trust.
  auto other = auth::GenerateKeyPair();
  ASSERT_TRUE(other.ok());
  auto forger = auth::TokenSigner::Create(other->private_key_pem);
  ASSERT_TRUE(forger.ok());
  auto forged = forger->Issue({kCity, auth::v1::CITY}, absl::Now(), absl::Hours(1));
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetTerm, *forged, request, &term).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  auto expired = TestKeys::Get().signer().Issue({kCity, auth::v1::CITY},
                                                absl::Now() - absl::Hours(3), absl::Hours(1));
  ASSERT_TRUE(expired.ok());
  const grpc::Status status = Call(&v1::CatalogService::Stub::GetTerm, *expired, request, &term);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("expired"));

  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetTerm, "not-a-token", request, &term).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CatalogApiTest, PublicListingNeedsNoToken) {
  CreateTerm(2026, 1);
  v1::ListPublicSectionsRequest request;
  v1::ListPublicSectionsResponse response;
  auto context = ContextWithToken("");
  const grpc::Status status = listing_->ListPublicSections(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.term(), "terms/2026-1");
}

// ----- Institutions ---------------------------------------------------------

TEST_F(CatalogApiTest, InstitutionsCreateGetListUpdate) {
  CreateInstitutions();
  v1::GetInstitutionRequest get;
  get.set_name(absl::StrCat("institutions/", kMaehol));
  v1::Institution maehol;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetInstitution, seongho_, get, &maehol).ok());
  EXPECT_EQ(maehol.code(), kMaehol);
  EXPECT_EQ(maehol.display_name(), "매홀고등학교");
  EXPECT_EQ(maehol.etag(), "1");

  v1::ListInstitutionsRequest list;
  list.set_kind(v1::HIGH_SCHOOL);
  list.set_page_size(1);
  v1::ListInstitutionsResponse page1, page2;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::ListInstitutions, maehol_, list, &page1).ok());
  ASSERT_THAT(page1.institutions(), SizeIs(1));
  ASSERT_FALSE(page1.next_page_token().empty());
  list.set_page_token(page1.next_page_token());
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::ListInstitutions, maehol_, list, &page2).ok());
  ASSERT_THAT(page2.institutions(), SizeIs(1));
  EXPECT_EQ(page2.institutions(0).code(), kSeongho);
  EXPECT_TRUE(page2.next_page_token().empty());
  // The token serves only the institution it was issued to.
  v1::ListInstitutionsResponse refused;
  const grpc::Status reused =
      Call(&v1::CatalogService::Stub::ListInstitutions, seongho_, list, &refused);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reused.error_message(), HasSubstr("issued to another caller"));

  v1::UpdateInstitutionRequest update;
  update.mutable_institution()->set_name(maehol.name());
  update.mutable_institution()->set_etag(maehol.etag());
  update.mutable_institution()->set_address("경기도 오산시");
  update.mutable_update_mask()->add_paths("address");
  update.set_request_id(NextRequestId());
  v1::Institution updated;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateInstitution, city_, update, &updated).ok());
  EXPECT_EQ(updated.address(), "경기도 오산시");
  EXPECT_EQ(updated.display_name(), "매홀고등학교");
  EXPECT_EQ(updated.etag(), "2");

  // The same etag again is stale now.
  update.set_request_id(NextRequestId());
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::UpdateInstitution, city_, update, &updated).error_code(),
      grpc::StatusCode::ABORTED);
}

TEST_F(CatalogApiTest, OnlyCityAndOfficeManageInstitutions) {
  CreateInstitutions();  // so that the school and the academy are refused by role
  const int before = CountRows("institutions");
  v1::CreateInstitutionRequest request;
  *request.mutable_institution() = School("7531003", "세교고등학교");
  request.set_request_id("a");
  v1::Institution created;
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::CreateInstitution, maehol_, request, &created).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::CreateInstitution, edulab_, request, &created).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CountRows("institutions"), before);
  EXPECT_TRUE(Call(&v1::CatalogService::Stub::CreateInstitution, office_, request, &created).ok());
}

TEST_F(CatalogApiTest, DuplicateInstitutionIsAlreadyExists) {
  CreateInstitution(School("7531001", "매홀고등학교"));
  v1::CreateInstitutionRequest request;
  *request.mutable_institution() = School("7531001", "다른 이름");
  request.set_request_id("another-id");
  v1::Institution created;
  const grpc::Status status =
      Call(&v1::CatalogService::Stub::CreateInstitution, city_, request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr("institutions/J10-7531001"));
}

TEST_F(CatalogApiTest, InvalidInstitutionNamesTheFieldAndWritesNothing) {
  const int roots = CountRows("institutions");  // the city and the office
  struct Case {
    std::function<void(v1::Institution*)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](v1::Institution* i) { i->set_school_code("12345"); }, "school_code"},
      {[](v1::Institution* i) { i->set_office_code("j10"); }, "office_code"},
      {[](v1::Institution* i) { i->set_display_name(""); }, "display_name"},
      {[](v1::Institution* i) { i->set_kind(v1::INSTITUTION_KIND_UNSPECIFIED); }, "kind"},
      {[](v1::Institution* i) { i->set_display_name(std::string(101, 'x')); }, "display_name"},
      {[](v1::Institution* i) { i->set_host_code("ABC"); }, "host_code"},
  };
  for (const Case& c : cases) {
    v1::CreateInstitutionRequest request;
    *request.mutable_institution() = School("7531001", "매홀고등학교");
    c.spoil(request.mutable_institution());
    request.set_request_id(NextRequestId());
    v1::Institution created;
    const grpc::Status status =
        Call(&v1::CatalogService::Stub::CreateInstitution, city_, request, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(status.error_message(), ::testing::StartsWith(c.field));
  }
  EXPECT_EQ(CountRows("institutions"), roots);
}

// ----- Idempotency ----------------------------------------------------------

TEST_F(CatalogApiTest, RetryWithSameRequestIdReturnsFirstResult) {
  CreateInstitutions();
  v1::CreateCourseRequest request;
  *request.mutable_course() = CourseMessage(kEduLab, "인공지능 기초");
  request.set_request_id("create-ai-basics");
  v1::Course first, second;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::CreateCourse, edulab_, request, &first).ok());
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::CreateCourse, edulab_, request, &second).ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(CountRows("courses"), 1);

  // The same id with a different request is refused, not silently answered.
  request.mutable_course()->set_title("데이터 과학");
  v1::Course third;
  const grpc::Status status =
      Call(&v1::CatalogService::Stub::CreateCourse, edulab_, request, &third);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(CountRows("courses"), 1);
}

TEST_F(CatalogApiTest, MutationWithoutRequestIdIsInvalid) {
  v1::CreateTermRequest request;
  *request.mutable_term() = TermMessage(2026, 1);
  v1::Term term;
  const grpc::Status status = Call(&v1::CatalogService::Stub::CreateTerm, city_, request, &term);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("request_id"));
  EXPECT_EQ(CountRows("terms"), 0);
}

// ----- Terms ----------------------------------------------------------------

TEST_F(CatalogApiTest, TermsCreateGetListUpdate) {
  CreateInstitutions();
  const v1::Term created = CreateTerm(2026, 1);
  EXPECT_EQ(created.name(), "terms/2026-1");
  CreateTerm(2026, 2);

  v1::GetTermRequest get;
  get.set_name("terms/2026-2");
  v1::Term term;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetTerm, maehol_, get, &term).ok());
  EXPECT_EQ(term.semester(), 2);

  v1::ListTermsRequest list;
  list.set_year(2026);
  v1::ListTermsResponse terms;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::ListTerms, maehol_, list, &terms).ok());
  ASSERT_THAT(terms.terms(), SizeIs(2));
  EXPECT_EQ(terms.terms(0).name(), "terms/2026-2");  // newest first

  v1::UpdateTermRequest update;
  *update.mutable_term() = term;
  update.mutable_term()->mutable_drop_deadline()->set_day(25);
  update.mutable_update_mask()->add_paths("drop_deadline");
  update.set_request_id(NextRequestId());
  v1::Term updated;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateTerm, office_, update, &updated).ok());
  EXPECT_EQ(updated.drop_deadline().day(), 25);

  // A drop deadline after classes end is refused and changes nothing.
  update.mutable_term()->set_etag(updated.etag());
  update.mutable_term()->mutable_drop_deadline()->set_year(2030);
  update.set_request_id(NextRequestId());
  const grpc::Status status = Call(&v1::CatalogService::Stub::UpdateTerm, office_, update, &term);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("drop_deadline"));
  get.set_name("terms/2026-2");
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetTerm, maehol_, get, &term).ok());
  EXPECT_EQ(term.drop_deadline().day(), 25);
  EXPECT_EQ(term.etag(), updated.etag());
}

TEST_F(CatalogApiTest, MalformedNamesAreInvalidAndMissingOnesNotFound) {
  CreateInstitutions();
  v1::GetTermRequest get;
  v1::Term term;
  get.set_name("terms/2026-3");
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetTerm, maehol_, get, &term).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  get.set_name("terms/2031-1");
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetTerm, maehol_, get, &term).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetSectionRequest section_request;
  section_request.set_name("terms/2026-1/sections/not-a-uuid");
  v1::Section section;
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::GetSection, maehol_, section_request, &section).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

// The section with its course and term in one call: the same as the three
// reads, and the same refusals as GetSection.
TEST_F(CatalogApiTest, SectionFactsAreTheSectionItsCourseAndItsTerm) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course ai = CreateListableCourse(edulab_, CourseMessage(kEduLab, "인공지능 기초"));
  const v1::Section section =
      CreateSection(edulab_, term.name(), SectionMessage(ai.name(), v1::TUESDAY));
  v1::GetSectionRequest request;
  request.set_name(section.name());
  v1::SectionFacts facts;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetSectionFacts, maehol_, request, &facts).ok());
  EXPECT_EQ(facts.section().SerializeAsString(), section.SerializeAsString());
  v1::GetCourseRequest get_course;
  get_course.set_name(ai.name());
  v1::Course course;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetCourse, maehol_, get_course, &course).ok());
  EXPECT_EQ(facts.course().SerializeAsString(), course.SerializeAsString());
  v1::GetTermRequest get_term;
  get_term.set_name(term.name());
  v1::Term read_term;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetTerm, maehol_, get_term, &read_term).ok());
  EXPECT_EQ(facts.term().SerializeAsString(), read_term.SerializeAsString());

  request.set_name("terms/2026-1/sections/not-a-uuid");
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetSectionFacts, maehol_, request, &facts).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_name("terms/2026-1/sections/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetSectionFacts, maehol_, request, &facts).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The section under another term is not found either.
  request.set_name(
      absl::StrCat("terms/2026-2/sections/", section.name().substr(section.name().rfind('/') + 1)));
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetSectionFacts, maehol_, request, &facts).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_name(section.name());
  EXPECT_EQ(Call(&v1::CatalogService::Stub::GetSectionFacts, "", request, &facts).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// ----- Courses and recognition ----------------------------------------------

TEST_F(CatalogApiTest, HostCreatesCourseWithDefaults) {
  CreateInstitutions();
  v1::Course course = CourseMessage(kMaehol, "음악 감상과 비평", v1::GENERAL_ELECTIVE);
  course.set_subject_area(v1::ARTS);
  course.set_credits(0);
  const v1::Course created = CreateCourse(maehol_, course);
  EXPECT_EQ(created.credits(), 3);
  EXPECT_EQ(created.recognition().state(), v1::NOT_REQUIRED);

  v1::GetCourseRequest get;
  get.set_name(created.name());
  v1::Course read;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetCourse, seongho_, get, &read).ok());
  EXPECT_EQ(read.title(), "음악 감상과 비평");

  v1::ListCoursesRequest list;
  list.set_host(absl::StrCat("institutions/", kMaehol));
  v1::ListCoursesResponse courses;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::ListCourses, seongho_, list, &courses).ok());
  EXPECT_THAT(courses.courses(), SizeIs(1));
}

TEST_F(CatalogApiTest, NoInstitutionCreatesOrEditsAnotherHostsCourse) {
  CreateInstitutions();
  v1::CreateCourseRequest request;
  *request.mutable_course() = CourseMessage(kMaehol, "기하");
  request.set_request_id("x1");
  v1::Course created;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::CreateCourse, seongho_, request, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(&v1::CatalogService::Stub::CreateCourse, office_, request, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CountRows("courses"), 0);

  const v1::Course course = CreateCourse(city_, CourseMessage(kMaehol, "기하"));
  v1::UpdateCourseRequest update;
  update.mutable_course()->set_name(course.name());
  update.mutable_course()->set_title("바뀐 제목");
  update.mutable_update_mask()->add_paths("title");
  update.set_request_id("x2");
  v1::Course updated;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateCourse, seongho_, update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateCourse, maehol_, update, &updated).ok());
  EXPECT_EQ(updated.title(), "바뀐 제목");
}

TEST_F(CatalogApiTest, CourseForUnknownHostIsInvalid) {
  v1::CreateCourseRequest request;
  *request.mutable_course() = CourseMessage("J10-7539999", "기하");
  request.set_request_id("x1");
  v1::Course created;
  const grpc::Status status =
      Call(&v1::CatalogService::Stub::CreateCourse, city_, request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("host"));
}

TEST_F(CatalogApiTest, OnlyTheOfficeReviewsCoursesTaughtOutsideSchool) {
  CreateInstitutions();
  // An academy's course under its real category still awaits review.
  const v1::Course course =
      CreateCourse(edulab_, CourseMessage(kEduLab, "반려동물관리", v1::CAREER_ELECTIVE));
  EXPECT_EQ(course.recognition().state(), v1::PENDING);

  v1::ReviewRecognitionRequest review;
  review.set_name(course.name());
  review.set_decision(v1::APPROVED);
  review.set_request_id("review-1");
  v1::Course reviewed;
  for (const std::string* token : {&maehol_, &city_, &edulab_}) {
    EXPECT_EQ(
        Call(&v1::CatalogService::Stub::ReviewRecognition, *token, review, &reviewed).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  review.set_decision(v1::REJECTED);
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::ReviewRecognition, office_, review, &reviewed).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT)
      << "a rejection needs a reason";
  review.set_decision(v1::APPROVED);
  review.set_request_id("review-2");
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::ReviewRecognition, office_, review, &reviewed).ok());
  EXPECT_EQ(reviewed.recognition().state(), v1::APPROVED);
  EXPECT_EQ(reviewed.recognition().reviewer(), kOffice);
  EXPECT_EQ(reviewed.recognition().approved().credits(), 2);
  EXPECT_EQ(reviewed.recognition().approved().course_etag(), course.etag());

  // Reviewing again is a state error; a school's course needs no review.
  review.set_request_id("review-3");
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::ReviewRecognition, office_, review, &reviewed).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  const v1::Course subject = CreateCourse(maehol_, CourseMessage(kMaehol, "데이터 과학"));
  EXPECT_EQ(subject.recognition().state(), v1::NOT_REQUIRED);
  review.set_name(subject.name());
  review.set_request_id("review-4");
  EXPECT_EQ(
      Call(&v1::CatalogService::Stub::ReviewRecognition, office_, review, &reviewed).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

// ----- Sections -------------------------------------------------------------

TEST_F(CatalogApiTest, SectionLifecycleAndPublicListing) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course ai = CreateListableCourse(edulab_, CourseMessage(kEduLab, "인공지능 기초"));
  const v1::Section draft =
      CreateSection(edulab_, term.name(), SectionMessage(ai.name(), v1::TUESDAY));
  EXPECT_EQ(draft.state(), v1::DRAFT);
  // Two credits for every grade in 2026: the 2024 cohort's 2015 curriculum
  // counts 17 sessions a unit.
  EXPECT_EQ(draft.sessions(), 34);
  EXPECT_EQ(draft.host(), absl::StrCat("institutions/", kEduLab));
  EXPECT_THAT(draft.name(), ::testing::StartsWith("terms/2026-1/sections/"));

  v1::ListPublicSectionsRequest list;
  v1::ListPublicSectionsResponse listed;
  auto context = ContextWithToken("");
  ASSERT_TRUE(listing_->ListPublicSections(context.get(), list, &listed).ok());
  EXPECT_THAT(listed.sections(), SizeIs(0)) << "drafts are not public";

  v1::Section section;
  ASSERT_TRUE(Transition(edulab_, draft.name(), v1::PUBLISHED, &section).ok());
  EXPECT_EQ(Transition(edulab_, draft.name(), v1::COMPLETED, &section).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Transition(edulab_, draft.name(), v1::ENROLLMENT_OPEN, &section).ok());
  EXPECT_EQ(section.state(), v1::ENROLLMENT_OPEN);

  context = ContextWithToken("");
  ASSERT_TRUE(listing_->ListPublicSections(context.get(), list, &listed).ok());
  ASSERT_THAT(listed.sections(), SizeIs(1));
  const v1::PublicSection& shown = listed.sections(0);
  EXPECT_EQ(shown.title(), "인공지능 기초");
  EXPECT_EQ(shown.host_display_name(), "AI코딩에듀랩");
  EXPECT_EQ(shown.capacity(), 20);
  EXPECT_EQ(shown.state(), v1::ENROLLMENT_OPEN);
  EXPECT_THAT(shown.weekly_meetings(), Not(IsEmpty()));
  EXPECT_EQ(shown.host(), "institutions/OSAN-AICODING");
  EXPECT_THAT(shown.description(), IsEmpty()) << "the basic view leaves the details out";
  EXPECT_THAT(shown.term(), IsEmpty());

  v1::GetPublicSectionRequest get;
  get.set_name(draft.name());
  v1::PublicSection one;
  context = ContextWithToken("");
  ASSERT_TRUE(listing_->GetPublicSection(context.get(), get, &one).ok());
  EXPECT_EQ(one.name(), draft.name());
  EXPECT_THAT(one.description(), Not(IsEmpty()));
  EXPECT_EQ(one.term(), term.name());

  list.set_view(v1::PUBLIC_SECTION_VIEW_FULL);
  context = ContextWithToken("");
  ASSERT_TRUE(listing_->ListPublicSections(context.get(), list, &listed).ok());
  ASSERT_THAT(listed.sections(), SizeIs(1));
  EXPECT_EQ(listed.sections(0).SerializeAsString(), one.SerializeAsString())
      << "the full view is what GetPublicSection answers";
  list.set_view(static_cast<v1::PublicSectionView>(7));
  context = ContextWithToken("");
  const grpc::Status unknown_view = listing_->ListPublicSections(context.get(), list, &listed);
  EXPECT_EQ(unknown_view.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(unknown_view.error_message(), HasSubstr("view"));

  ASSERT_TRUE(Transition(edulab_, draft.name(), v1::CANCELLED, &section, "신청 인원 부족").ok());
  EXPECT_EQ(section.cancel_reason(), "신청 인원 부족");
  context = ContextWithToken("");
  EXPECT_EQ(listing_->GetPublicSection(context.get(), get, &one).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CatalogApiTest, OnlyTheHostOrCityChangesASection) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course course = CreateCourse(maehol_, CourseMessage(kMaehol, "미적분Ⅱ"));
  v1::Section created;
  EXPECT_EQ(
      TryCreateSection(seongho_, term.name(), SectionMessage(course.name(), v1::MONDAY), &created)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CountRows("sections"), 0);
  const v1::Section section =
      CreateSection(maehol_, term.name(), SectionMessage(course.name(), v1::MONDAY));

  v1::UpdateSectionRequest update;
  update.mutable_section()->set_name(section.name());
  update.mutable_section()->set_capacity(30);
  update.mutable_update_mask()->add_paths("capacity");
  update.set_request_id("u1");
  v1::Section updated;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateSection, seongho_, update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateSection, edulab_, update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::Section moved;
  EXPECT_EQ(Transition(seongho_, section.name(), v1::PUBLISHED, &moved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateSection, city_, update, &updated).ok());
  EXPECT_EQ(updated.capacity(), 30);
}

TEST_F(CatalogApiTest, SectionUpdatesFollowTheLifecycle) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Section section = OpenMaeholSection(term, "기하").second;
  ASSERT_FALSE(HasFailure());

  v1::UpdateSectionRequest update;
  update.mutable_section()->set_name(section.name());
  update.mutable_section()->set_allocation_policy(v1::LOTTERY);
  update.mutable_update_mask()->add_paths("allocation_policy");
  update.set_request_id("u1");
  v1::Section updated;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateSection, maehol_, update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  update.Clear();
  update.mutable_section()->set_name(section.name());
  update.mutable_section()->set_capacity(10);
  update.mutable_update_mask()->add_paths("capacity");
  update.set_request_id("u2");
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateSection, maehol_, update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "capacity cannot shrink once enrolment opened";
  update.mutable_section()->set_capacity(25);
  update.set_request_id("u3");
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateSection, maehol_, update, &updated).ok());
  EXPECT_EQ(updated.capacity(), 25);

  // An update mask naming an unknown or output-only field is invalid.
  update.mutable_update_mask()->set_paths(0, "state");
  update.set_request_id("u4");
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateSection, maehol_, update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CatalogApiTest, InvalidSectionsNameTheFieldAndWriteNothing) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course course = CreateCourse(maehol_, CourseMessage(kMaehol, "기하"));
  struct Case {
    std::function<void(v1::Section*)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](v1::Section* s) { s->set_capacity(0); }, "capacity"},
      {[](v1::Section* s) { s->set_capacity(501); }, "capacity"},
      {[](v1::Section* s) { s->set_min_enrollment(21); }, "min_enrollment"},
      {[](v1::Section* s) { s->clear_weekly_meetings(); }, "weekly_meetings"},
      {[](v1::Section* s) { s->mutable_weekly_meetings(0)->mutable_end_time()->set_hours(15); },
       "weekly_meetings[0]"},
      {[](v1::Section* s) { s->set_location(""); }, "location"},
      {[](v1::Section* s) { s->add_eligible_grades(4); }, "eligible_grades"},
      {[](v1::Section* s) { s->add_eligible_schools("J10-7531001"); }, "eligible_schools"},
      {[](v1::Section* s) { s->set_allocation_policy(v1::ALLOCATION_POLICY_UNSPECIFIED); },
       "allocation_policy"},
      {[](v1::Section* s) { s->set_per_school_cap(40); }, "per_school_cap"},
      {[](v1::Section* s) { s->set_course("courses/nope"); }, "section.course"},
  };
  for (const Case& c : cases) {
    v1::Section section = SectionMessage(course.name(), v1::MONDAY);
    c.spoil(&section);
    v1::Section created;
    const grpc::Status status = TryCreateSection(maehol_, term.name(), section, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(status.error_message(), ::testing::StartsWith(c.field)) << status.error_message();
  }
  v1::Section created;
  EXPECT_EQ(
      TryCreateSection(maehol_, "terms/2099-1", SectionMessage(course.name(), v1::MONDAY), &created)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CountRows("sections"), 0);
}

TEST_F(CatalogApiTest, AcademySectionIsPublishedOnlyAfterApproval) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course course =
      CreateCourse(edulab_, CourseMessage(kEduLab, "자동제어기기제작", v1::CAREER_ELECTIVE));
  const v1::Section section =
      CreateSection(edulab_, term.name(), SectionMessage(course.name(), v1::SATURDAY));
  v1::Section moved;
  EXPECT_EQ(Transition(edulab_, section.name(), v1::PUBLISHED, &moved).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ReviewRecognitionRequest review;
  review.set_name(course.name());
  review.set_decision(v1::APPROVED);
  review.set_request_id("ok");
  v1::Course approved;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::ReviewRecognition, office_, review, &approved).ok());
  EXPECT_TRUE(Transition(edulab_, section.name(), v1::PUBLISHED, &moved).ok());
}

TEST_F(CatalogApiTest, TheOutOfSchoolCategoryIsRefused) {
  CreateInstitutions();
  v1::CreateCourseRequest request;
  *request.mutable_course() = CourseMessage(kEduLab, "반려동물관리", v1::OUT_OF_SCHOOL);
  request.set_request_id("oos");
  v1::Course created;
  const grpc::Status status =
      Call(&v1::CatalogService::Stub::CreateCourse, edulab_, request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("category"));
  EXPECT_EQ(CountRows("courses"), 0);
}

TEST_F(CatalogApiTest, ChangingWhatWasRecognisedSendsTheCourseBackToReview) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course approved =
      CreateListableCourse(edulab_, CourseMessage(kEduLab, "인공지능 기초"));
  ASSERT_EQ(approved.recognition().state(), v1::APPROVED);
  const v1::Section section =
      CreateSection(edulab_, term.name(), SectionMessage(approved.name(), v1::TUESDAY));

  // The description is not what the office recognises.
  v1::UpdateCourseRequest update;
  *update.mutable_course() = approved;
  update.mutable_course()->set_description("설명을 고쳤습니다.");
  update.mutable_update_mask()->add_paths("description");
  update.set_request_id(NextRequestId());
  v1::Course updated;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateCourse, edulab_, update, &updated).ok());
  EXPECT_EQ(updated.recognition().state(), v1::APPROVED);

  // Credits are: back to review, the recognised version kept.
  *update.mutable_course() = updated;
  update.mutable_course()->set_credits(1);
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("credits");
  update.set_request_id(NextRequestId());
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateCourse, edulab_, update, &updated).ok());
  EXPECT_EQ(updated.credits(), 1);
  EXPECT_EQ(updated.recognition().state(), v1::PENDING);
  EXPECT_THAT(updated.recognition().reason(), ::testing::HasSubstr("credits"));
  EXPECT_EQ(updated.recognition().approved().credits(), 2);

  // Approved again: the new version is the recognised one.
  const v1::Course again = Recognise(updated);
  EXPECT_EQ(again.recognition().approved().credits(), 1);

  // A section's sessions are part of it too.
  v1::UpdateSectionRequest sessions;
  *sessions.mutable_section() = section;
  sessions.mutable_section()->set_sessions(36);
  sessions.mutable_update_mask()->add_paths("sessions");
  sessions.set_request_id(NextRequestId());
  v1::Section changed;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateSection, edulab_, sessions, &changed).ok());
  EXPECT_EQ(changed.sessions(), 36);
  v1::GetCourseRequest get;
  get.set_name(again.name());
  v1::Course read;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::GetCourse, edulab_, get, &read).ok());
  EXPECT_EQ(read.recognition().state(), v1::PENDING);
  EXPECT_THAT(read.recognition().reason(), ::testing::HasSubstr("sessions"));
}

TEST_F(CatalogApiTest, SectionsMustHoldTheirSessions) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);  // classes 2027-03-02 .. 2027-07-20
  v1::Course message = CourseMessage(kMaehol, "물리학 실험");
  message.set_credits(4);
  const v1::Course course = CreateCourse(maehol_, message);
  v1::Section section;
  const grpc::Status refused =
      TryCreateSection(maehol_, term.name(), SectionMessage(course.name(), v1::TUESDAY), &section);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(),
              ::testing::HasSubstr(
                  "weekly_meetings: 42 periods fit between 2027-03-02 and 2027-07-20; 68 needed"));
  EXPECT_EQ(CountRows("sections"), 0);

  // A second meeting a week holds them.
  v1::Section twice = SectionMessage(course.name(), v1::TUESDAY);
  *twice.add_weekly_meetings() = twice.weekly_meetings(0);
  twice.mutable_weekly_meetings(1)->set_weekday(v1::THURSDAY);
  const v1::Section created = CreateSection(maehol_, term.name(), twice);
  EXPECT_EQ(created.sessions(), 68);

  // Dropping it again is refused, and so is planning fewer sessions than the credits need.
  v1::UpdateSectionRequest update;
  *update.mutable_section() = created;
  update.mutable_section()->mutable_weekly_meetings()->RemoveLast();
  update.mutable_update_mask()->add_paths("weekly_meetings");
  update.set_request_id(NextRequestId());
  v1::Section updated;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateSection, maehol_, update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  *update.mutable_section() = created;
  update.mutable_section()->set_sessions(64);
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("sessions");
  update.set_request_id(NextRequestId());
  const grpc::Status fewer =
      Call(&v1::CatalogService::Stub::UpdateSection, maehol_, update, &updated);
  EXPECT_EQ(fewer.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(fewer.error_message(), ::testing::StartsWith("sessions"));

  // Nor can the course take more credits than its sections can deliver.
  v1::UpdateCourseRequest credits;
  *credits.mutable_course() = course;
  credits.mutable_course()->set_credits(5);
  credits.mutable_update_mask()->add_paths("credits");
  credits.set_request_id(NextRequestId());
  v1::Course raised;
  const grpc::Status too_many =
      Call(&v1::CatalogService::Stub::UpdateCourse, maehol_, credits, &raised);
  EXPECT_EQ(too_many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(too_many.error_message(), ::testing::StartsWith("credits"));

  // Nor can the term's dates take them away: 8 Tuesdays off leave 66 periods.
  v1::UpdateTermRequest dates;
  *dates.mutable_term() = term;
  for (const int day : {2, 9, 16, 23, 30}) {
    type::v1::Date* date = dates.mutable_term()->add_non_teaching_dates();
    date->set_year(2027);
    date->set_month(3);
    date->set_day(day);
  }
  for (const int day : {6, 13, 20}) {
    type::v1::Date* date = dates.mutable_term()->add_non_teaching_dates();
    date->set_year(2027);
    date->set_month(4);
    date->set_day(day);
  }
  dates.mutable_update_mask()->add_paths("non_teaching_dates");
  dates.set_request_id(NextRequestId());
  v1::Term changed;
  const grpc::Status short_term =
      Call(&v1::CatalogService::Stub::UpdateTerm, city_, dates, &changed);
  EXPECT_EQ(short_term.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(short_term.error_message(), ::testing::HasSubstr(created.name()));
  // One Tuesday off leaves 80: fine.
  dates.mutable_term()->mutable_non_teaching_dates()->DeleteSubrange(1, 7);
  dates.set_request_id(NextRequestId());
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateTerm, city_, dates, &changed).ok());
  EXPECT_THAT(changed.non_teaching_dates(), ::testing::SizeIs(1));
}

TEST_F(CatalogApiTest, ASchoolsCourseIsFrozenOnceEnrolmentOpened) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course course = OpenMaeholSection(term, "기하").first;
  ASSERT_FALSE(HasFailure());
  v1::UpdateCourseRequest update;
  *update.mutable_course() = course;
  update.mutable_course()->set_credits(1);
  update.mutable_update_mask()->add_paths("credits");
  update.set_request_id(NextRequestId());
  v1::Course updated;
  EXPECT_EQ(Call(&v1::CatalogService::Stub::UpdateCourse, maehol_, update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CatalogApiTest, PublicListingPagesTwentyRowsByDefault) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const v1::Course course = CreateListableCourse(edulab_, CourseMessage(kEduLab, "인공지능 기초"));
  for (int i = 0; i < 21; ++i) {
    const v1::Section section =
        CreateSection(edulab_, term.name(), SectionMessage(course.name(), v1::TUESDAY));
    v1::Section moved;
    ASSERT_TRUE(Transition(edulab_, section.name(), v1::PUBLISHED, &moved).ok());
  }
  v1::ListPublicSectionsRequest request;
  v1::ListPublicSectionsResponse first;
  auto context = ContextWithToken("");
  ASSERT_TRUE(listing_->ListPublicSections(context.get(), request, &first).ok());
  EXPECT_THAT(first.sections(), SizeIs(20));
  request.set_page_token(first.next_page_token());
  v1::ListPublicSectionsResponse rest;
  context = ContextWithToken("");
  ASSERT_TRUE(listing_->ListPublicSections(context.get(), request, &rest).ok());
  EXPECT_THAT(rest.sections(), SizeIs(1));
  EXPECT_THAT(rest.next_page_token(), IsEmpty());
}

TEST_F(CatalogApiTest, PublicListingFiltersAndPages) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  struct Offer {
    std::string host_token, host, title;
    v1::Category category;
    v1::Weekday weekday;
  };
  const std::vector<Offer> offers = {
      {edulab_, kEduLab, "인공지능 기초", v1::CAREER_ELECTIVE, v1::TUESDAY},
      {edulab_, kEduLab, "데이터 과학", v1::CAREER_ELECTIVE, v1::THURSDAY},
      {maehol_, kMaehol, "실용 통계", v1::CONVERGENCE_ELECTIVE, v1::TUESDAY},
      {seongho_, kSeongho, "기하", v1::CAREER_ELECTIVE, v1::WEDNESDAY},
  };
  for (const Offer& offer : offers) {
    const v1::Course course = CreateListableCourse(
        offer.host_token, CourseMessage(offer.host, offer.title, offer.category));
    const v1::Section section =
        CreateSection(offer.host_token, term.name(), SectionMessage(course.name(), offer.weekday));
    v1::Section moved;
    ASSERT_TRUE(Transition(offer.host_token, section.name(), v1::PUBLISHED, &moved).ok());
  }

  const auto titles = [&](v1::ListPublicSectionsRequest request) {
    v1::ListPublicSectionsResponse response;
    auto context = ContextWithToken("");
    const grpc::Status status = listing_->ListPublicSections(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> result;
    for (const auto& section : response.sections()) {
      result.push_back(section.title());
    }
    return result;
  };
  v1::ListPublicSectionsRequest request;
  request.set_term(term.name());
  EXPECT_THAT(titles(request), ElementsAre("기하", "데이터 과학", "실용 통계", "인공지능 기초"));
  request.set_weekday(v1::TUESDAY);
  EXPECT_THAT(titles(request), ElementsAre("실용 통계", "인공지능 기초"));
  request.set_host(absl::StrCat("institutions/", kEduLab));
  EXPECT_THAT(titles(request), ElementsAre("인공지능 기초"));
  request.Clear();
  request.set_category(v1::CONVERGENCE_ELECTIVE);
  EXPECT_THAT(titles(request), ElementsAre("실용 통계"));
  request.Clear();
  request.set_keyword("과학");
  EXPECT_THAT(titles(request), ElementsAre("데이터 과학"));
  request.set_keyword("공동교육");  // matches descriptions
  EXPECT_THAT(titles(request), SizeIs(4));
  request.set_keyword("100%_");  // LIKE wildcards are taken literally
  EXPECT_THAT(titles(request), SizeIs(0));

  // Pages of one, in order, then the end.
  request.Clear();
  request.set_page_size(1);
  std::vector<std::string> paged;
  for (int i = 0; i < 10; ++i) {
    v1::ListPublicSectionsResponse response;
    auto context = ContextWithToken("");
    ASSERT_TRUE(listing_->ListPublicSections(context.get(), request, &response).ok());
    for (const auto& section : response.sections()) {
      paged.push_back(section.title());
    }
    if (response.next_page_token().empty()) {
      break;
    }
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(paged, ElementsAre("기하", "데이터 과학", "실용 통계", "인공지능 기초"));

  // A tampered token, or one reused with other filters, is refused.
  request.Clear();
  request.set_page_size(1);
  v1::ListPublicSectionsResponse first;
  auto context = ContextWithToken("");
  ASSERT_TRUE(listing_->ListPublicSections(context.get(), request, &first).ok());
  std::string tampered = first.next_page_token();
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  request.set_page_token(tampered);
  v1::ListPublicSectionsResponse refused;
  context = ContextWithToken("");
  EXPECT_EQ(listing_->ListPublicSections(context.get(), request, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_page_token(first.next_page_token());
  request.set_category(v1::CAREER_ELECTIVE);
  context = ContextWithToken("");
  EXPECT_EQ(listing_->ListPublicSections(context.get(), request, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CatalogApiTest, PublicListingRejectsBadFilters) {
  v1::ListPublicSectionsRequest request;
  v1::ListPublicSectionsResponse response;
  request.set_keyword(std::string(51, 'a'));
  auto context = ContextWithToken("");
  EXPECT_EQ(listing_->ListPublicSections(context.get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.Clear();
  request.set_page_size(-1);
  context = ContextWithToken("");
  EXPECT_EQ(listing_->ListPublicSections(context.get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.Clear();
  request.set_term("2026-1");
  context = ContextWithToken("");
  EXPECT_EQ(listing_->ListPublicSections(context.get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CatalogApiTest, PublicSectionsShowHostAreaEligibleSchoolsAndApplicationWindow) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  v1::Institution updated_lab;
  v1::UpdateInstitutionRequest address;
  address.mutable_institution()->set_name(absl::StrCat("institutions/", kEduLab));
  address.mutable_institution()->set_area("세교");
  address.mutable_institution()->set_address("경기도 오산시 세마역로 20");
  address.mutable_update_mask()->add_paths("area");
  address.mutable_update_mask()->add_paths("address");
  address.set_request_id(NextRequestId());
  ASSERT_TRUE(
      Call(&v1::CatalogService::Stub::UpdateInstitution, city_, address, &updated_lab).ok());
  const v1::Course ai = CreateListableCourse(edulab_, CourseMessage(kEduLab, "인공지능 기초"));
  v1::Section message = SectionMessage(ai.name(), v1::TUESDAY);
  message.add_eligible_schools(absl::StrCat("institutions/", kMaehol));
  message.add_eligible_schools(absl::StrCat("institutions/", kSeongho));
  const v1::Section section = CreateSection(edulab_, term.name(), message);
  v1::Section moved;
  ASSERT_TRUE(Transition(edulab_, section.name(), v1::PUBLISHED, &moved).ok());

  v1::GetPublicSectionRequest get;
  get.set_name(section.name());
  v1::PublicSection shown;
  auto context = ContextWithToken("");
  ASSERT_TRUE(listing_->GetPublicSection(context.get(), get, &shown).ok());
  EXPECT_EQ(shown.host_area(), "세교");
  EXPECT_EQ(shown.host_address(), "경기도 오산시 세마역로 20");
  EXPECT_THAT(shown.eligible_school_names(), ElementsAre("매홀고등학교", "성호고등학교"));
  EXPECT_EQ(shown.application_open_time().seconds(), term.application_window().start_unix());
  EXPECT_EQ(shown.application_close_time().seconds(), term.application_window().end_unix());
}

// A listing of `term` from `stub`, without a token.
v1::ListPublicSectionsResponse ListTerm(v1::PublicListingService::Stub& stub,
                                        const std::string& term,
                                        const std::string& known_version = "") {
  v1::ListPublicSectionsRequest request;
  request.set_term(term);
  request.set_known_version(known_version);
  v1::ListPublicSectionsResponse response;
  auto context = ContextWithToken("");
  const grpc::Status status = stub.ListPublicSections(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::vector<std::string> Titles(const v1::ListPublicSectionsResponse& response) {
  std::vector<std::string> titles;
  for (const auto& section : response.sections()) {
    titles.push_back(section.title());
  }
  return titles;
}

TEST_F(CatalogApiTest, PageTokensFollowTheListingRequestAsSent) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  OpenMaeholSection(term, "기하");
  OpenMaeholSection(term, "미적분");
  // The current term by default, then by name: the same page, but each
  // token continues its own request.
  for (const std::string& named : {std::string(), term.name()}) {
    v1::ListPublicSectionsRequest request;
    request.set_term(named);
    request.set_page_size(1);
    v1::ListPublicSectionsResponse first;
    auto context = ContextWithToken("");
    ASSERT_TRUE(listing_->ListPublicSections(context.get(), request, &first).ok());
    ASSERT_FALSE(first.next_page_token().empty());
    request.set_page_token(first.next_page_token());
    v1::ListPublicSectionsResponse second;
    context = ContextWithToken("");
    const grpc::Status status = listing_->ListPublicSections(context.get(), request, &second);
    ASSERT_TRUE(status.ok()) << named << ": " << status.error_message();
    EXPECT_THAT(Titles(second), ElementsAre("미적분")) << named;
  }
}

// Two catalog replicas on one database, as production runs them: writes go
// through the first, the listing is read from the second, which learns of
// them only through the database's listing version.
class PublicListingReplicaTest : public CatalogApiTest {
 protected:
  // The documented bound (public_listing.h: the refresh interval, 250 ms,
  // plus one read of the listing; within 1 s), with a margin for a loaded
  // test machine.
  static constexpr absl::Duration kBound = absl::Seconds(3);

  PublicListingReplicaTest()
      : replica_(
            CatalogDefinition(),
            [this](ServiceConfig& config) { config.database_url = service_.database().url(); }),
        replica_listing_(v1::PublicListingService::NewStub(replica_.channel())) {}

  // Lists `term` on the replica until `done(titles)` holds; false if it did
  // not within kBound.
  bool ReplicaListsWithinBound(const std::string& term,
                               const std::function<bool(const std::vector<std::string>&)>& done) {
    const absl::Time deadline = absl::Now() + kBound;
    while (absl::Now() < deadline) {
      if (done(Titles(ListTerm(*replica_listing_, term)))) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  testing::TestService replica_;
  std::unique_ptr<v1::PublicListingService::Stub> replica_listing_;
};

TEST_F(PublicListingReplicaTest, AnotherReplicaListsChangesWithinTheBound) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const auto [course, section] = OpenMaeholSection(term, "기하");
  EXPECT_TRUE(ReplicaListsWithinBound(term.name(), [](const std::vector<std::string>& titles) {
    return titles == std::vector<std::string>{"기하"};
  })) << "a new published section appears";

  v1::UpdateCourseRequest update;
  update.mutable_course()->set_name(course.name());
  update.mutable_course()->set_description("도형과 벡터");
  update.mutable_update_mask()->add_paths("description");
  update.set_request_id(NextRequestId());
  v1::Course updated;
  ASSERT_TRUE(Call(&v1::CatalogService::Stub::UpdateCourse, maehol_, update, &updated).ok());
  const v1::Course other = CreateCourse(maehol_, CourseMessage(kMaehol, "미적분"));
  const v1::Section draft =
      CreateSection(maehol_, term.name(), SectionMessage(other.name(), v1::FRIDAY));
  v1::Section moved;
  ASSERT_TRUE(Transition(maehol_, draft.name(), v1::PUBLISHED, &moved).ok());
  ASSERT_TRUE(ReplicaListsWithinBound(
      term.name(), [](const std::vector<std::string>& titles) { return titles.size() == 2; }));
  v1::GetPublicSectionRequest get;
  get.set_name(section.name());
  v1::PublicSection shown;
  auto context = ContextWithToken("");
  ASSERT_TRUE(replica_listing_->GetPublicSection(context.get(), get, &shown).ok());
  EXPECT_EQ(shown.description(), "도형과 벡터") << "a course's change shows";

  // A title change is written straight to the database, as another
  // replica's transaction would be: only the listing version tells.
  {
    pqxx::connection connection(service_.database().url());
    pqxx::work tx(connection);
    tx.exec_params0(
        "UPDATE courses SET title = $2, doc = jsonb_set(doc, '{title}', to_jsonb($2::text))"
        " WHERE id = $1::uuid",
        other.name().substr(std::string("courses/").size()), "미적분 II");
    tx.commit();
  }
  EXPECT_TRUE(ReplicaListsWithinBound(term.name(), [](const std::vector<std::string>& titles) {
    return titles == std::vector<std::string>{"기하", "미적분 II"};
  })) << "a title change shows";

  ASSERT_TRUE(Transition(maehol_, section.name(), v1::CANCELLED, &moved, "신청 인원 부족").ok());
  EXPECT_TRUE(ReplicaListsWithinBound(term.name(), [](const std::vector<std::string>& titles) {
    return titles == std::vector<std::string>{"미적분 II"};
  })) << "a cancelled section disappears";
  context = ContextWithToken("");
  EXPECT_EQ(replica_listing_->GetPublicSection(context.get(), get, &shown).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A replica whose refresher reads the listing nearly all the time (every
// millisecond after any change): its own writes must still be listed by the
// very next call, not by the snapshot the refresher was reading when they
// were committed.
TEST_F(CatalogApiTest, EachOwnWriteIsListedByTheNextCallWhileTheRefresherReads) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  const auto [course, section] = OpenMaeholSection(term, "기하");
  CatalogOptions busy_refresher;
  busy_refresher.listing.refresh_interval = absl::Milliseconds(1);
  testing::TestService busy(CatalogDefinition(busy_refresher), [this](ServiceConfig& config) {
    config.database_url = service_.database().url();
  });
  auto busy_catalog = v1::CatalogService::NewStub(busy.channel());
  auto busy_listing = v1::PublicListingService::NewStub(busy.channel());
  v1::GetPublicSectionRequest get;
  get.set_name(section.name());
  for (int i = 0; i < 60; ++i) {
    const std::string description = absl::StrCat("도형과 벡터 ", i);
    v1::UpdateCourseRequest update;
    update.mutable_course()->set_name(course.name());
    update.mutable_course()->set_description(description);
    update.mutable_update_mask()->add_paths("description");
    update.set_request_id(NextRequestId());
    v1::Course updated;
    ASSERT_TRUE(Invoke(busy_catalog.get(), &v1::CatalogService::Stub::UpdateCourse, maehol_, update,
                       &updated)
                    .ok());
    v1::PublicSection shown;
    auto context = ContextWithToken("");
    ASSERT_TRUE(busy_listing->GetPublicSection(context.get(), get, &shown).ok());
    ASSERT_EQ(shown.description(), description) << "write " << i;
  }
}

TEST_F(PublicListingReplicaTest, AKnownVersionIsAnsweredNotModifiedUntilTheListingChanges) {
  CreateInstitutions();
  const v1::Term term = CreateTerm(2026, 1);
  OpenMaeholSection(term, "기하");
  // The replica has caught up once it holds the version of the replica that
  // wrote (it may first list the section published but not yet open).
  const std::string written = ListTerm(*listing_, term.name()).version();
  ASSERT_TRUE(ReplicaListsWithinBound(term.name(), [&](const std::vector<std::string>&) {
    return ListTerm(*replica_listing_, term.name()).version() == written;
  }));
  const v1::ListPublicSectionsResponse first = ListTerm(*replica_listing_, term.name());
  ASSERT_FALSE(first.version().empty());
  EXPECT_FALSE(first.not_modified());

  const v1::ListPublicSectionsResponse again =
      ListTerm(*replica_listing_, term.name(), first.version());
  EXPECT_TRUE(again.not_modified());
  EXPECT_EQ(again.version(), first.version());
  EXPECT_EQ(again.term(), term.name());
  EXPECT_THAT(again.sections(), SizeIs(0));
  // Both replicas hold the same version of the same listing.
  EXPECT_TRUE(ListTerm(*listing_, term.name(), first.version()).not_modified());

  OpenMaeholSection(term, "미적분");
  ASSERT_TRUE(ReplicaListsWithinBound(
      term.name(), [](const std::vector<std::string>& titles) { return titles.size() == 2; }));
  const v1::ListPublicSectionsResponse changed =
      ListTerm(*replica_listing_, term.name(), first.version());
  EXPECT_FALSE(changed.not_modified());
  EXPECT_NE(changed.version(), first.version());
  EXPECT_THAT(Titles(changed), ElementsAre("기하", "미적분"));
}

}  // namespace
}  // namespace osan::catalog
