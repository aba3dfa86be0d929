#include "tests/support/exchange_fixture.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/curriculum.h"
#include "common/names.h"
#include "services/catalog/api/catalog_service.h"
#include "services/enrollment/api/enrollment_service.h"
#include "services/enrollment/client/allocation_wait.h"
#include "services/enrollment/domain/rules.h"

namespace osan::testing {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;

void Expect(const grpc::Status& status, const char* what) {
  ASSERT_TRUE(status.ok()) << what << ": " << status.error_message();
}

auth::Role HostRole(const std::string& code) {
  return code.rfind("J10-", 0) == 0 ? auth::v1::SCHOOL : auth::v1::ACADEMY;
}

// The school year of the test term: this year (in Korea).
int TermYear() {
  return static_cast<int>(absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year());
}

}  // namespace

Exchange::Exchange(const std::function<void(ServiceConfig&)>& configure_enrollment,
                   const enrollment::EnrollmentOptions& options,
                   const std::function<void(ServiceConfig&)>& configure_catalog) {
  catalog_service_ = std::make_unique<TestService>(catalog::CatalogDefinition(), configure_catalog);
  const int catalog_port = catalog_service_->port();
  enrollment_service_ = std::make_unique<TestService>(
      enrollment::EnrollmentDefinition(options), [&](ServiceConfig& config) {
        config.catalog_address = absl::StrCat("127.0.0.1:", catalog_port);
        config.service_signing_key_pem = TestKeys::Get().service_private_key_pem("SVC-ENROLLMENT");
        if (configure_enrollment) {
          configure_enrollment(config);
        }
      });
  catalog_ = cv1::CatalogService::NewStub(catalog_service_->channel());
  enrollment_ = ev1::EnrollmentService::NewStub(enrollment_service_->channel());
  enrollment_database_url_ = enrollment_service_->database().url();
}

Exchange::Exchange(std::shared_ptr<grpc::Channel> catalog,
                   std::shared_ptr<grpc::Channel> enrollment, std::string enrollment_database_url)
    : catalog_(cv1::CatalogService::NewStub(catalog)),
      enrollment_(ev1::EnrollmentService::NewStub(enrollment)),
      enrollment_database_url_(std::move(enrollment_database_url)) {}

std::string Exchange::NextRequestId() { return absl::StrCat("req-", ++request_counter_); }

void Exchange::CreateBasics() {
  const std::string city = Token(kCity, auth::v1::CITY);
  for (const auto& [code, name] : {std::pair<std::string, std::string>{"7531001", "매홀고등학교"},
                                   {"7531002", "성호고등학교"}}) {
    cv1::CreateInstitutionRequest request;
    request.mutable_institution()->set_kind(cv1::HIGH_SCHOOL);
    request.mutable_institution()->set_display_name(name);
    request.mutable_institution()->set_office_code("J10");
    request.mutable_institution()->set_school_code(code);
    request.set_request_id(NextRequestId());
    cv1::Institution created;
    auto context = ContextWithToken(city);
    Expect(catalog_->CreateInstitution(context.get(), request, &created), "school");
  }
  cv1::CreateInstitutionRequest academy;
  academy.mutable_institution()->set_kind(cv1::CITY_ACADEMY);
  academy.mutable_institution()->set_display_name("AI코딩에듀랩");
  academy.mutable_institution()->set_host_code(kAcademy);
  academy.set_request_id(NextRequestId());
  cv1::Institution created;
  auto context = ContextWithToken(city);
  Expect(catalog_->CreateInstitution(context.get(), academy, &created), "academy");

  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600));
  const auto set = [](type::v1::Date* date, absl::CivilDay day) {
    date->set_year(static_cast<int>(day.year()));
    date->set_month(day.month());
    date->set_day(day.day());
  };
  cv1::CreateTermRequest term;
  term.mutable_term()->set_year(TermYear());
  term.mutable_term()->set_semester(1);
  term.mutable_term()->mutable_application_window()->set_start_unix(now - 3600);
  term.mutable_term()->mutable_application_window()->set_end_unix(now + 30 * 86400);
  set(term.mutable_term()->mutable_classes_start(), today + 1);
  set(term.mutable_term()->mutable_classes_end(), today + 120);
  set(term.mutable_term()->mutable_drop_deadline(), today + 20);
  set(term.mutable_term()->mutable_results_due(), today + 130);
  term.set_request_id(NextRequestId());
  cv1::Term created_term;
  context = ContextWithToken(city);
  Expect(catalog_->CreateTerm(context.get(), term, &created_term), "term");
}

cv1::Section Exchange::CreateSection(const std::string& host, const std::string& title,
                                     cv1::AllocationPolicy policy, int capacity,
                                     cv1::Weekday weekday, int start_hour, cv1::SectionState state,
                                     int min_enrollment) {
  const std::string token = Token(host, HostRole(host));
  cv1::CreateCourseRequest course_request;
  cv1::Course* course = course_request.mutable_course();
  course->set_title(title);
  course->set_category(cv1::CAREER_ELECTIVE);
  course->set_subject_area(cv1::LIFE_AND_LIBERAL);
  course->set_delivery_mode(cv1::IN_PERSON);
  course->set_host(absl::StrCat("institutions/", host));
  // One credit: the term's 17 weeks of one 100-minute meeting hold 34
  // periods, and a credit needs 16 sessions (17 for 2015-curriculum cohorts).
  course->set_credits(1);
  course_request.set_request_id(NextRequestId());
  cv1::Course created_course;
  auto context = ContextWithToken(token);
  EXPECT_TRUE(catalog_->CreateCourse(context.get(), course_request, &created_course).ok());
  if (created_course.recognition().state() == cv1::PENDING) {
    // Taught outside school: the education office recognises it first.
    cv1::ReviewRecognitionRequest review;
    review.set_name(created_course.name());
    review.set_decision(cv1::APPROVED);
    review.set_etag(created_course.etag());
    review.set_request_id(NextRequestId());
    context = ContextWithToken(Token(kOffice, auth::v1::EDU_OFFICE));
    const grpc::Status reviewed =
        catalog_->ReviewRecognition(context.get(), review, &created_course);
    EXPECT_TRUE(reviewed.ok()) << reviewed.error_message();
  }

  cv1::CreateSectionRequest request;
  request.set_parent(absl::StrCat(
      "terms/", absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year(), "-1"));
  cv1::Section* section = request.mutable_section();
  section->set_course(created_course.name());
  section->set_capacity(capacity);
  section->set_min_enrollment(min_enrollment);
  auto* meeting = section->add_weekly_meetings();
  meeting->set_weekday(weekday);
  meeting->mutable_start_time()->set_hours(start_hour);
  meeting->mutable_end_time()->set_hours(start_hour + 1);
  meeting->mutable_end_time()->set_minutes(40);
  section->set_location("실습실");
  section->set_allocation_policy(policy);
  section->set_host_share_cap_percent(100);
  request.set_request_id(NextRequestId());
  cv1::Section created;
  context = ContextWithToken(token);
  const grpc::Status status = catalog_->CreateSection(context.get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const cv1::SectionState next :
       {cv1::PUBLISHED, cv1::ENROLLMENT_OPEN, cv1::ENROLLMENT_CLOSED, cv1::IN_PROGRESS}) {
    if (next > state) {
      break;
    }
    Transition(created, next);
  }
  created.set_state(state);
  return created;
}

void Exchange::Transition(const cv1::Section& section, cv1::SectionState state) {
  const std::string host = InstitutionCodeOf(section.host());
  cv1::TransitionSectionRequest request;
  request.set_name(section.name());
  request.set_target_state(state);
  request.set_request_id(NextRequestId());
  cv1::Section moved;
  auto context = ContextWithToken(Token(host, HostRole(host)));
  const grpc::Status status = catalog_->TransitionSection(context.get(), request, &moved);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

ev1::Student Exchange::CreateStudent(const std::string& school, const std::string& key, int grade) {
  ev1::Student created;
  const grpc::Status status = CreateStudentAs(auth::v1::SCHOOL, school, key, grade, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

grpc::Status Exchange::CreateStudentAs(auth::Role role, const std::string& school,
                                       const std::string& key, int grade, ev1::Student* created) {
  ev1::CreateStudentRequest request;
  request.set_parent(absl::StrCat("schools/", school));
  request.mutable_student()->set_student_key(key);
  request.mutable_student()->set_entry_year(curriculum::EntryYearOfGrade(grade, TermYear()));
  request.mutable_student()->set_display_name(absl::StrCat("학생 ", key));
  request.set_request_id(NextRequestId());
  auto context = ContextWithToken(Token(school, role));
  return enrollment_->CreateStudent(context.get(), request, created);
}

grpc::Status Exchange::Apply(const std::string& student, const std::string& section, int rank,
                             bool approve, ev1::Application* application,
                             const std::string& request_id) {
  const std::string school = ParseStudentName("student", student).value().school;
  ev1::SubmitApplicationRequest request;
  request.mutable_application()->set_student(student);
  request.mutable_application()->set_section(section);
  request.mutable_application()->set_preference_rank(rank);
  request.set_approve(approve);
  request.set_request_id(request_id.empty() ? NextRequestId() : request_id);
  auto context = ContextWithToken(Token(school, auth::v1::SCHOOL));
  return enrollment_->SubmitApplication(context.get(), request, application);
}

std::vector<enrollment::v1::ChangeEvent> Exchange::ReadChangesOnce(const std::string& token,
                                                                   const std::string& cursor) {
  enrollment::v1::WatchChangesRequest request;
  request.set_cursor(cursor);
  auto context = ContextWithToken(token);
  auto reader = enrollment_->WatchChanges(context.get(), request);
  std::vector<enrollment::v1::ChangeEvent> events;
  enrollment::v1::ChangeEvent event;
  while (reader->Read(&event)) {
    events.push_back(event);
  }
  const grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  return events;
}

std::vector<enrollment::v1::ChangeEvent> Exchange::ReadChanges(const std::string& token,
                                                               size_t expected,
                                                               const std::string& cursor) {
  std::vector<enrollment::v1::ChangeEvent> events;
  std::string position = cursor;
  for (int i = 0; i < 200 && events.size() < expected; ++i) {
    for (auto& event : ReadChangesOnce(token, position)) {
      position = event.cursor();
      events.push_back(std::move(event));
    }
    if (events.size() < expected) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  return events;
}

absl::StatusOr<ev1::AllocationRun> Exchange::AwaitAllocation(
    const ev1::AllocationOperation& operation, const std::string& token, absl::Duration timeout) {
  return enrollment::AwaitAllocation(
      operation,
      [&](const std::string& name) -> absl::StatusOr<ev1::AllocationOperation> {
        ev1::GetAllocationOperationRequest get;
        get.set_name(name);
        ev1::AllocationOperation polled;
        auto context = ContextWithToken(token);
        const grpc::Status status =
            enrollment_->GetAllocationOperation(context.get(), get, &polled);
        if (!status.ok()) {
          return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                              status.error_message());
        }
        return polled;
      },
      absl::Now() + timeout, [](const ev1::AllocationOperation&) {});
}

int64_t Exchange::QueryEnrollment(const std::string& sql) {
  pqxx::connection connection(enrollment_database_url_);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int64_t>();
}

}  // namespace osan::testing
