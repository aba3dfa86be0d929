// The catalog's use cases on the store's in-memory twin: every use case, who
// may call it, what it refuses and what it leaves in the records, without
// PostgreSQL. The SQL and the gRPC wiring are tested by
// tests/integration/catalog_api_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/paging.h"
#include "common/server.h"
#include "services/catalog/api/catalog.h"
#include "services/catalog/api/public_listing.h"
#include "services/catalog/store/memory_records.h"

namespace osan::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kCity[] = "OSAN-CITY";
constexpr char kOffice[] = "HSOS-EDU";
constexpr char kSchool[] = "J10-7531001";
constexpr char kAcademy[] = "OSAN-AICODING";
constexpr char kTerm[] = "terms/2026-1";

template <class T>
absl::StatusCode CodeOf(const absl::StatusOr<T>& result) {
  return result.status().code();
}

class CatalogUseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listing = PublicListing::Start(&store_, PageTokens(kSecret), {absl::Hours(1)});
    ASSERT_TRUE(listing.ok()) << listing.status();
    listing_ = *std::move(listing);
    catalog_ = std::make_unique<Catalog>(&store_, PageTokens(kSecret), listing_.get());
    ASSERT_TRUE(catalog_->AddRootInstitutions().ok());
  }

  // A call by `institution` acting as `role`, on 2026-03-01.
  static server::CallContext As(const std::string& institution, auth::Role role) {
    server::CallContext call;
    call.principal = auth::Principal{institution, role};
    call.now = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 9, 0, 0), absl::UTCTimeZone());
    return call;
  }
  static server::CallContext City() { return As(kCity, auth::v1::CITY); }
  static server::CallContext Office() { return As(kOffice, auth::v1::EDU_OFFICE); }
  static server::CallContext School() { return As(kSchool, auth::v1::SCHOOL); }
  static server::CallContext Academy() { return As(kAcademy, auth::v1::ACADEMY); }

  std::string Id() { return absl::StrCat("request-", ++requests_); }

  v1::CreateInstitutionRequest SchoolRequest(const std::string& school_code,
                                             const std::string& name) {
    v1::CreateInstitutionRequest request;
    request.mutable_institution()->set_kind(v1::HIGH_SCHOOL);
    request.mutable_institution()->set_display_name(name);
    request.mutable_institution()->set_office_code("J10");
    request.mutable_institution()->set_school_code(school_code);
    request.set_request_id(Id());
    return request;
  }

  // Two schools, an academy and the 2026 spring term.
  void CreateBasics() {
    ASSERT_TRUE(catalog_->CreateInstitution(City(), SchoolRequest("7531001", "매홀고등학교")).ok());
    ASSERT_TRUE(catalog_->CreateInstitution(City(), SchoolRequest("7531002", "성호고등학교")).ok());
    v1::CreateInstitutionRequest academy;
    academy.mutable_institution()->set_kind(v1::CITY_ACADEMY);
    academy.mutable_institution()->set_display_name("AI코딩에듀랩");
    academy.mutable_institution()->set_host_code(kAcademy);
    academy.set_request_id(Id());
    ASSERT_TRUE(catalog_->CreateInstitution(City(), academy).ok());
    const auto term = catalog_->CreateTerm(City(), TermRequest(2026, 1));
    ASSERT_TRUE(term.ok()) << term.status();
  }

  v1::CreateTermRequest TermRequest(int year, int semester) {
    const int64_t now = absl::ToUnixSeconds(City().now);
    const absl::CivilDay day(year, semester == 1 ? 3 : 8, 2);
    const auto set = [](type::v1::Date* date, absl::CivilDay d) {
      date->set_year(static_cast<int>(d.year()));
      date->set_month(d.month());
      date->set_day(d.day());
    };
    v1::CreateTermRequest request;
    v1::Term& term = *request.mutable_term();
    term.set_year(year);
    term.set_semester(semester);
    term.mutable_application_window()->set_start_unix(now - 3600 + (year - 2026) * 31536000);
    term.mutable_application_window()->set_end_unix(now + 30 * 86400 + (year - 2026) * 31536000);
    set(term.mutable_classes_start(), day);
    set(term.mutable_classes_end(), day + 120);
    set(term.mutable_drop_deadline(), day + 20);
    set(term.mutable_results_due(), day + 130);
    request.set_request_id(Id());
    return request;
  }

  v1::CreateCourseRequest CourseRequest(const std::string& host, const std::string& title) {
    v1::CreateCourseRequest request;
    v1::Course& course = *request.mutable_course();
    course.set_title(title);
    course.set_category(v1::CAREER_ELECTIVE);
    course.set_subject_area(v1::LIFE_AND_LIBERAL);
    course.set_delivery_mode(v1::IN_PERSON);
    course.set_host(absl::StrCat("institutions/", host));
    course.set_credits(1);
    request.set_request_id(Id());
    return request;
  }

  v1::CreateSectionRequest SectionRequest(const v1::Course& course) {
    v1::CreateSectionRequest request;
    request.set_parent(kTerm);
    v1::Section& section = *request.mutable_section();
    section.set_course(course.name());
    section.set_capacity(20);
    v1::WeeklyMeeting& meeting = *section.add_weekly_meetings();
    meeting.set_weekday(v1::TUESDAY);
    meeting.mutable_start_time()->set_hours(18);
    meeting.mutable_end_time()->set_hours(19);
    meeting.mutable_end_time()->set_minutes(40);
    section.set_location("실습실");
    section.set_allocation_policy(v1::FIRST_COME);
    section.set_host_share_cap_percent(100);
    request.set_request_id(Id());
    return request;
  }

  // A course of the school and a section of it in DRAFT.
  v1::Section SchoolSection() {
    const auto course = catalog_->CreateCourse(School(), CourseRequest(kSchool, "데이터 과학"));
    EXPECT_TRUE(course.ok()) << course.status();
    const auto section = catalog_->CreateSection(School(), SectionRequest(*course));
    EXPECT_TRUE(section.ok()) << section.status();
    return section.value_or(v1::Section());
  }

  absl::StatusOr<v1::Section> Transition(const v1::Section& section, v1::SectionState state) {
    v1::TransitionSectionRequest request;
    request.set_name(section.name());
    request.set_target_state(state);
    request.set_request_id(Id());
    return catalog_->TransitionSection(As(InstitutionCodeOf(section.host()), auth::v1::SCHOOL),
                                       request);
  }

  static constexpr char kSecret[] = "page-token-secret-0123456789";
  store::MemoryStore store_;
  std::unique_ptr<PublicListing> listing_;
  std::unique_ptr<Catalog> catalog_;
  int requests_ = 0;
};

// ----- Institutions ------------------------------------------------------------

TEST_F(CatalogUseCasesTest, RootInstitutionsAreAddedOnceAndAdmitted) {
  ASSERT_TRUE(catalog_->AddRootInstitutions().ok());
  v1::ListInstitutionsRequest request;
  const auto listed = catalog_->ListInstitutions(City(), request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->institutions(), SizeIs(2));
  EXPECT_EQ(listed->institutions(0).name(), "institutions/HSOS-EDU");
  EXPECT_EQ(listed->institutions(1).name(), "institutions/OSAN-CITY");
  EXPECT_TRUE(catalog_->Admit(City().principal.value()).ok());
  EXPECT_FALSE(catalog_->Admit(School().principal.value()).ok());  // not registered yet
}

TEST_F(CatalogUseCasesTest, CreateInstitutionIsTheCitysAndNamesTheSchoolByItsCodes) {
  const auto by_school = catalog_->CreateInstitution(School(), SchoolRequest("7531001", "매홀고"));
  EXPECT_EQ(CodeOf(by_school), absl::StatusCode::kPermissionDenied);

  const v1::CreateInstitutionRequest request = SchoolRequest("7531001", "매홀고등학교");
  const auto created = catalog_->CreateInstitution(City(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), absl::StrCat("institutions/", kSchool));
  EXPECT_EQ(created->etag(), "1");
  const auto retried = catalog_->CreateInstitution(City(), request);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->name(), created->name());
  EXPECT_EQ(CodeOf(catalog_->CreateInstitution(City(), SchoolRequest("7531001", "다른 이름"))),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(catalog_->Admit(School().principal.value()).ok());

  v1::GetInstitutionRequest get;
  get.set_name(created->name());
  const auto read = catalog_->GetInstitution(School(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->display_name(), "매홀고등학교");
  get.set_name("institutions/J10-0000000");
  EXPECT_EQ(CodeOf(catalog_->GetInstitution(School(), get)), absl::StatusCode::kNotFound);
}

TEST_F(CatalogUseCasesTest, ListInstitutionsPagesByKind) {
  CreateBasics();
  v1::ListInstitutionsRequest request;
  request.set_kind(v1::HIGH_SCHOOL);
  request.set_page_size(1);
  std::vector<std::string> names;
  do {
    const auto page = catalog_->ListInstitutions(City(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& institution : page->institutions()) {
      names.push_back(institution.name());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(names, ElementsAre("institutions/J10-7531001", "institutions/J10-7531002"));
  request.set_kind(static_cast<v1::InstitutionKind>(999));
  EXPECT_EQ(CodeOf(catalog_->ListInstitutions(City(), request)),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CatalogUseCasesTest, UpdateInstitutionChecksTheEtagAndTheMask) {
  CreateBasics();
  v1::UpdateInstitutionRequest request;
  request.mutable_institution()->set_name(absl::StrCat("institutions/", kSchool));
  request.mutable_institution()->set_address("경기도 오산시 매홀로 1");
  request.mutable_institution()->set_etag("7");
  request.mutable_update_mask()->add_paths("address");
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->UpdateInstitution(City(), request)), absl::StatusCode::kAborted);
  request.mutable_institution()->set_etag("1");
  request.set_request_id(Id());
  const auto updated = catalog_->UpdateInstitution(City(), request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->address(), "경기도 오산시 매홀로 1");
  EXPECT_EQ(updated->display_name(), "매홀고등학교");
  EXPECT_EQ(updated->etag(), "2");
  request.mutable_institution()->set_etag("2");
  request.mutable_update_mask()->set_paths(0, "no_such_field");
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->UpdateInstitution(City(), request)),
            absl::StatusCode::kInvalidArgument);
}

// ----- Terms ----------------------------------------------------------------------

TEST_F(CatalogUseCasesTest, TermsAreCreatedByTheCityAndListedNewestFirst) {
  CreateBasics();
  EXPECT_EQ(CodeOf(catalog_->CreateTerm(School(), TermRequest(2026, 2))),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(catalog_->CreateTerm(City(), TermRequest(2026, 2)).ok());
  EXPECT_EQ(CodeOf(catalog_->CreateTerm(City(), TermRequest(2026, 2))),
            absl::StatusCode::kAlreadyExists);

  v1::GetTermRequest get;
  get.set_name("terms/2026-2");
  const auto term = catalog_->GetTerm(School(), get);
  ASSERT_TRUE(term.ok()) << term.status();
  EXPECT_EQ(term->semester(), 2);

  v1::ListTermsRequest list;
  list.set_page_size(1);
  std::vector<std::string> names;
  do {
    const auto page = catalog_->ListTerms(School(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& listed : page->terms()) {
      names.push_back(listed.name());
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_THAT(names, ElementsAre("terms/2026-2", "terms/2026-1"));
}

TEST_F(CatalogUseCasesTest, UpdateTermChangesWhatTheMaskNames) {
  CreateBasics();
  v1::GetTermRequest get;
  get.set_name(kTerm);
  const auto term = catalog_->GetTerm(City(), get);
  ASSERT_TRUE(term.ok());
  v1::UpdateTermRequest request;
  *request.mutable_term() = *term;
  request.mutable_term()->mutable_drop_deadline()->set_day(25);
  request.mutable_update_mask()->add_paths("drop_deadline");
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->UpdateTerm(School(), request)), absl::StatusCode::kPermissionDenied);
  const auto updated = catalog_->UpdateTerm(City(), request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->drop_deadline().day(), 25);
  EXPECT_EQ(updated->etag(), "2");
}

// ----- Courses and recognition ------------------------------------------------------

TEST_F(CatalogUseCasesTest, CoursesOfSchoolsNeedNoRecognitionAndAcademiesWaitForTheOffice) {
  CreateBasics();
  EXPECT_EQ(CodeOf(catalog_->CreateCourse(School(), CourseRequest(kAcademy, "남의 과목"))),
            absl::StatusCode::kPermissionDenied);
  const auto school = catalog_->CreateCourse(School(), CourseRequest(kSchool, "데이터 과학"));
  ASSERT_TRUE(school.ok()) << school.status();
  EXPECT_EQ(school->recognition().state(), v1::NOT_REQUIRED);
  const auto academy = catalog_->CreateCourse(Academy(), CourseRequest(kAcademy, "인공지능 기초"));
  ASSERT_TRUE(academy.ok()) << academy.status();
  EXPECT_EQ(academy->recognition().state(), v1::PENDING);

  v1::ListCoursesRequest pending;
  pending.set_recognition_state(v1::PENDING);
  const auto waiting = catalog_->ListCourses(Office(), pending);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  ASSERT_THAT(waiting->courses(), SizeIs(1));
  EXPECT_EQ(waiting->courses(0).name(), academy->name());

  v1::ReviewRecognitionRequest review;
  review.set_name(academy->name());
  review.set_decision(v1::APPROVED);
  review.set_etag(academy->etag());
  review.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->ReviewRecognition(City(), review)),
            absl::StatusCode::kPermissionDenied);
  const auto approved = catalog_->ReviewRecognition(Office(), review);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->recognition().state(), v1::APPROVED);
  EXPECT_EQ(approved->recognition().approved().title(), "인공지능 기초");

  v1::GetCourseRequest get;
  get.set_name(academy->name());
  const auto read = catalog_->GetCourse(School(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->recognition().state(), v1::APPROVED);
}

TEST_F(CatalogUseCasesTest, UpdateCourseIsTheHostsAndKeepsTheEtag) {
  CreateBasics();
  const auto course = catalog_->CreateCourse(School(), CourseRequest(kSchool, "데이터 과학"));
  ASSERT_TRUE(course.ok());
  v1::UpdateCourseRequest request;
  request.mutable_course()->set_name(course->name());
  request.mutable_course()->set_title("데이터 과학과 통계");
  request.mutable_course()->set_etag(course->etag());
  request.mutable_update_mask()->add_paths("title");
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->UpdateCourse(Academy(), request)),
            absl::StatusCode::kPermissionDenied);
  const auto updated = catalog_->UpdateCourse(School(), request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title(), "데이터 과학과 통계");
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->UpdateCourse(School(), request)), absl::StatusCode::kAborted);
}

// ----- Programmes ---------------------------------------------------------------

TEST_F(CatalogUseCasesTest, ProgrammesAreTheCitysAndListedByYear) {
  CreateBasics();
  v1::CreateProgrammeRequest request;
  request.set_programme_id("joint-2026");
  request.mutable_programme()->set_display_name("오산 공동교육과정");
  request.mutable_programme()->set_year(2026);
  request.mutable_programme()->set_annex("부속서 1");
  request.mutable_programme()->set_funder(v1::CITY);
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->CreateProgramme(School(), request)),
            absl::StatusCode::kPermissionDenied);
  const auto created = catalog_->CreateProgramme(City(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "programmes/joint-2026");
  request.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->CreateProgramme(City(), request)), absl::StatusCode::kAlreadyExists);

  v1::GetProgrammeRequest get;
  get.set_name(created->name());
  EXPECT_TRUE(catalog_->GetProgramme(School(), get).ok());
  v1::ListProgrammesRequest list;
  list.set_year(2026);
  const auto listed = catalog_->ListProgrammes(School(), list);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(listed->programmes(), SizeIs(1));
  list.set_year(2027);
  EXPECT_THAT(catalog_->ListProgrammes(School(), list)->programmes(), SizeIs(0));

  v1::UpdateProgrammeRequest update;
  update.mutable_programme()->set_name(created->name());
  update.mutable_programme()->set_annex("부속서 2");
  update.mutable_update_mask()->add_paths("annex");
  update.set_request_id(Id());
  const auto updated = catalog_->UpdateProgramme(City(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->annex(), "부속서 2");
  EXPECT_EQ(updated->display_name(), "오산 공동교육과정");
}

// ----- Sections --------------------------------------------------------------------

TEST_F(CatalogUseCasesTest, CreateSectionIsTheHostsInAnExistingTerm) {
  CreateBasics();
  const auto course = catalog_->CreateCourse(School(), CourseRequest(kSchool, "데이터 과학"));
  ASSERT_TRUE(course.ok());
  EXPECT_EQ(CodeOf(catalog_->CreateSection(Academy(), SectionRequest(*course))),
            absl::StatusCode::kPermissionDenied);
  v1::CreateSectionRequest no_term = SectionRequest(*course);
  no_term.set_parent("terms/2030-1");
  EXPECT_EQ(CodeOf(catalog_->CreateSection(School(), no_term)), absl::StatusCode::kNotFound);
  v1::CreateSectionRequest full = SectionRequest(*course);
  full.mutable_section()->set_capacity(0);
  EXPECT_EQ(CodeOf(catalog_->CreateSection(School(), full)), absl::StatusCode::kInvalidArgument);

  const auto section = catalog_->CreateSection(School(), SectionRequest(*course));
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_EQ(section->state(), v1::DRAFT);
  EXPECT_EQ(section->host(), course->host());
  EXPECT_THAT(section->name(), HasSubstr("terms/2026-1/sections/"));

  v1::GetSectionRequest get;
  get.set_name(section->name());
  const auto read = catalog_->GetSection(Academy(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->capacity(), 20);
  const auto facts = catalog_->GetSectionFacts(Academy(), get);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->course().title(), "데이터 과학");
  EXPECT_EQ(facts->term().name(), kTerm);
}

TEST_F(CatalogUseCasesTest, ListSectionsFiltersByTermHostAndState) {
  CreateBasics();
  const v1::Section draft = SchoolSection();
  const v1::Section published = SchoolSection();
  ASSERT_TRUE(Transition(published, v1::PUBLISHED).ok());
  v1::ListSectionsRequest request;
  request.set_parent(kTerm);
  request.set_state(v1::PUBLISHED);
  const auto listed = catalog_->ListSections(School(), request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->sections(), SizeIs(1));
  EXPECT_EQ(listed->sections(0).name(), published.name());
  request.clear_state();
  request.set_host(absl::StrCat("institutions/", kSchool));
  request.set_page_size(1);
  std::vector<std::string> names;
  do {
    const auto page = catalog_->ListSections(School(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& section : page->sections()) {
      names.push_back(section.name());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(names, SizeIs(2));
  request.set_host(absl::StrCat("institutions/", kAcademy));
  EXPECT_THAT(catalog_->ListSections(School(), request)->sections(), SizeIs(0));
}

TEST_F(CatalogUseCasesTest, UpdateSectionAndTransitionsFollowTheLifecycle) {
  CreateBasics();
  const v1::Section section = SchoolSection();
  v1::UpdateSectionRequest update;
  update.mutable_section()->set_name(section.name());
  update.mutable_section()->set_capacity(25);
  update.mutable_section()->set_etag(section.etag());
  update.mutable_update_mask()->add_paths("capacity");
  update.set_request_id(Id());
  EXPECT_EQ(CodeOf(catalog_->UpdateSection(Academy(), update)),
            absl::StatusCode::kPermissionDenied);
  const auto updated = catalog_->UpdateSection(School(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->capacity(), 25);

  EXPECT_EQ(CodeOf(Transition(section, v1::IN_PROGRESS)), absl::StatusCode::kFailedPrecondition);
  const auto published = Transition(section, v1::PUBLISHED);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state(), v1::PUBLISHED);
  const auto open = Transition(section, v1::ENROLLMENT_OPEN);
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(open->state(), v1::ENROLLMENT_OPEN);
}

// ----- The public listing ----------------------------------------------------------

TEST_F(CatalogUseCasesTest, ThePublicListingShowsPublishedSectionsAfterEachWrite) {
  CreateBasics();
  const v1::Section section = SchoolSection();
  v1::GetPublicSectionRequest get;
  get.set_name(section.name());
  const server::CallContext visitor;
  EXPECT_EQ(CodeOf(listing_->GetPublicSection(visitor, get)), absl::StatusCode::kNotFound);

  ASSERT_TRUE(Transition(section, v1::PUBLISHED).ok());
  const auto shown = listing_->GetPublicSection(visitor, get);
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(shown->title(), "데이터 과학");
  EXPECT_EQ(shown->host_display_name(), "매홀고등학교");

  v1::ListPublicSectionsRequest list;
  list.set_term(kTerm);
  const auto page = listing_->ListPublicSections(visitor, list);
  ASSERT_TRUE(page.ok()) << page.status();
  v1::ListPublicSectionsResponse response;
  ASSERT_TRUE(response.ParseFromString(**page));
  ASSERT_THAT(response.sections(), SizeIs(1));
  EXPECT_EQ(response.sections(0).name(), section.name());
}

}  // namespace
}  // namespace osan::catalog
