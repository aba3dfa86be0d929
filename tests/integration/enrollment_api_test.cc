// Enrollment over gRPC with a real catalog server and real PostgreSQL:
// students, applications and their checks, first-come seats, waitlists,
// drops, allocation, rosters, the change feed, authorization, and catalog
// outages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/enrollment/api/enrollment_service.h"
#include "tests/support/exchange_fixture.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;
using testing::ContextWithToken;
using ::testing::HasSubstr;
using testing::kAcademy;
using testing::kCity;
using testing::kSchoolA;
using testing::kSchoolB;
using ::testing::SizeIs;

class EnrollmentApiTest : public ::testing::Test {
 protected:
  explicit EnrollmentApiTest(const EnrollmentOptions& options = {}) : exchange_(nullptr, options) {}
  void SetUp() override { exchange_.CreateBasics(); }

  std::string SchoolToken(const std::string& school) {
    return exchange_.Token(school, auth::v1::SCHOOL);
  }

  grpc::Status Decide(grpc::Status (v1::EnrollmentService::Stub::*method)(
                          grpc::ClientContext*, const v1::DecideApplicationRequest&,
                          v1::Application*),
                      const std::string& token, const std::string& name, const std::string& reason,
                      v1::Application* result) {
    v1::DecideApplicationRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_request_id(exchange_.NextRequestId());
    auto context = ContextWithToken(token);
    return (exchange_.enrollment().*method)(context.get(), request, result);
  }

  grpc::Status Drop(const std::string& token, const std::string& name, v1::Application* result) {
    v1::DropEnrollmentRequest request;
    request.set_name(name);
    request.set_reason("학생 요청");
    request.set_request_id(exchange_.NextRequestId());
    auto context = ContextWithToken(token);
    return exchange_.enrollment().DropEnrollment(context.get(), request, result);
  }

  grpc::Status Roster(const std::string& token, const std::string& section, v1::Roster* roster) {
    v1::ListRosterRequest request;
    request.set_section(section);
    auto context = ContextWithToken(token);
    return exchange_.enrollment().ListRoster(context.get(), request, roster);
  }

  v1::Application Get(const std::string& token, const std::string& name) {
    v1::GetApplicationRequest request;
    request.set_name(name);
    v1::Application application;
    auto context = ContextWithToken(token);
    EXPECT_TRUE(exchange_.enrollment().GetApplication(context.get(), request, &application).ok());
    return application;
  }

  // A first-come section of `host` whose fields named in `paths` are set as in `changes`
  // before its enrolment opens.
  cv1::Section OpenFirstCome(const std::string& host, const std::string& title, int capacity,
                             cv1::Weekday weekday, cv1::Section changes,
                             const std::vector<std::string>& paths) {
    const cv1::Section section =
        exchange_.CreateSection(host, title, cv1::FIRST_COME, capacity, weekday, 18, cv1::DRAFT);
    cv1::UpdateSectionRequest update;
    changes.set_name(section.name());
    *update.mutable_section() = changes;
    for (const std::string& path : paths) {
      update.mutable_update_mask()->add_paths(path);
    }
    update.set_request_id(exchange_.NextRequestId());
    cv1::Section updated;
    auto context = ContextWithToken(
        exchange_.Token(host, host == kAcademy ? auth::v1::ACADEMY : auth::v1::SCHOOL));
    EXPECT_TRUE(exchange_.catalog().UpdateSection(context.get(), update, &updated).ok());
    exchange_.Transition(section, cv1::PUBLISHED);
    exchange_.Transition(section, cv1::ENROLLMENT_OPEN);
    return section;
  }

  absl::StatusOr<v1::AllocationRun> AwaitOperation(const v1::AllocationOperation& operation,
                                                   const std::string& token) {
    return exchange_.AwaitAllocation(operation, token);
  }

  // The same for a run expected to succeed.
  v1::AllocationRun AwaitRun(const v1::AllocationOperation& operation, const std::string& token) {
    const absl::StatusOr<v1::AllocationRun> run = AwaitOperation(operation, token);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.value_or(v1::AllocationRun());
  }

  std::vector<v1::ChangeEvent> Feed(const std::string& token, size_t expected,
                                    const std::string& cursor = "") {
    return exchange_.ReadChanges(token, expected, cursor);
  }

  testing::Exchange exchange_;
};

// ----- Students -------------------------------------------------------------

TEST_F(EnrollmentApiTest, StudentsAreSeenOnlyByTheirSchool) {
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-001");
  EXPECT_EQ(student.name(), "schools/J10-7531001/students/s-001");

  v1::GetStudentRequest get;
  get.set_name(student.name());
  v1::Student read;
  auto context = ContextWithToken(SchoolToken(kSchoolA));
  ASSERT_TRUE(exchange_.enrollment().GetStudent(context.get(), get, &read).ok());
  EXPECT_EQ(read.display_name(), "학생 s-001");

  for (const std::string& token : {SchoolToken(kSchoolB), exchange_.Token(kCity, auth::v1::CITY),
                                   exchange_.Token(kAcademy, auth::v1::ACADEMY)}) {
    context = ContextWithToken(token);
    EXPECT_EQ(exchange_.enrollment().GetStudent(context.get(), get, &read).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ListStudentsRequest list;
    list.set_parent("schools/J10-7531001");
    v1::ListStudentsResponse students;
    context = ContextWithToken(token);
    EXPECT_EQ(exchange_.enrollment().ListStudents(context.get(), list, &students).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(EnrollmentApiTest, ResidentNumbersAndMalformedKeysAreRefusedAndNeverAudited) {
  for (const std::string& key :
       {std::string("0701013234567"), std::string("070101-3234567"), std::string("900101.1234567"),
        std::string("900101_1234567"), std::string(1 << 20, 'k'), std::string("학생 키"),
        std::string("bad\x01key")}) {
    v1::CreateStudentRequest request;
    request.set_parent("schools/J10-7531001");
    request.mutable_student()->set_student_key(key);
    request.mutable_student()->set_grade_level(2);
    request.mutable_student()->set_entry_year(2025);
    request.mutable_student()->set_display_name("홍길동");
    request.set_request_id(exchange_.NextRequestId());
    v1::Student created;
    auto context = ContextWithToken(SchoolToken(kSchoolA));
    const grpc::Status status =
        exchange_.enrollment().CreateStudent(context.get(), request, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << key.substr(0, 20);
    EXPECT_THAT(status.error_message(), HasSubstr("student_key"));
  }
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM students"), 0);
  // The permanent audit trail names no refused key.
  EXPECT_EQ(exchange_.QueryEnrollment(
                "SELECT count(*) FROM audit_log WHERE action = 'EnrollmentService.CreateStudent'"),
            0);
}

// ----- First come, waitlist, drops ------------------------------------------

TEST_F(EnrollmentApiTest, FirstComeFillsSeatsThenWaitlistsAndADropPromotes) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 2, cv1::TUESDAY, 18);
  std::vector<v1::Application> applications(3);
  for (int i = 0; i < 3; ++i) {
    const v1::Student student = exchange_.CreateStudent(kSchoolA, absl::StrCat("s-", i));
    ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &applications[i]).ok());
  }
  EXPECT_EQ(applications[0].state(), v1::ENROLLED);
  EXPECT_EQ(applications[1].state(), v1::ENROLLED);
  EXPECT_EQ(applications[2].state(), v1::WAITLISTED);
  EXPECT_EQ(applications[2].waitlist_position(), 1);

  v1::Roster roster;
  ASSERT_TRUE(Roster(exchange_.Token(kAcademy, auth::v1::ACADEMY), section.name(), &roster).ok());
  EXPECT_EQ(roster.enrolled(), 2);
  ASSERT_THAT(roster.entries(), SizeIs(3));
  EXPECT_EQ(roster.entries(0).display_name(), "학생 s-0");
  EXPECT_EQ(roster.entries(2).state(), v1::WAITLISTED);
  // The host sees a student's name only once the student is enrolled.
  EXPECT_EQ(roster.entries(2).display_name(), "");
  EXPECT_EQ(roster.entries(2).student(), applications[2].student());
  // In pages of one: the same entries in the same order, each page with the
  // whole section's count and the waitlist positions of the whole roster.
  v1::ListRosterRequest paged;
  paged.set_section(section.name());
  paged.set_page_size(1);
  std::vector<v1::RosterEntry> pages;
  for (int i = 0; i < 5; ++i) {
    v1::Roster page;
    auto context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::ACADEMY));
    const grpc::Status status = exchange_.enrollment().ListRoster(context.get(), paged, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(page.enrolled(), 2);
    pages.insert(pages.end(), page.entries().begin(), page.entries().end());
    if (page.next_page_token().empty()) {
      break;
    }
    paged.set_page_token(page.next_page_token());
  }
  ASSERT_THAT(pages, SizeIs(3));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(pages[i].application(), roster.entries(i).application());
  }
  EXPECT_EQ(pages[2].waitlist_position(), 1);

  v1::Application dropped;
  ASSERT_TRUE(Drop(SchoolToken(kSchoolA), applications[0].name(), &dropped).ok());
  EXPECT_EQ(dropped.state(), v1::DROPPED);
  EXPECT_THAT(dropped.reason(), HasSubstr("학생 요청"));
  EXPECT_EQ(Get(SchoolToken(kSchoolA), applications[2].name()).state(), v1::ENROLLED);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT enrolled FROM section_seats"), 2);
  ASSERT_TRUE(Roster(exchange_.Token(kAcademy, auth::v1::ACADEMY), section.name(), &roster).ok());
  ASSERT_THAT(roster.entries(), SizeIs(2));
  EXPECT_EQ(roster.entries(1).display_name(), "학생 s-2") << "promoted, so now on the roster";
}

TEST_F(EnrollmentApiTest, FirstComeHonoursThePerSchoolCap) {
  cv1::Section changes;
  changes.set_per_school_cap(1);
  const cv1::Section section =
      OpenFirstCome(kAcademy, "프로그래밍", 3, cv1::FRIDAY, changes, {"per_school_cap"});

  v1::Application first, second, other;
  ASSERT_TRUE(
      exchange_
          .Apply(exchange_.CreateStudent(kSchoolA, "s-1").name(), section.name(), 1, true, &first)
          .ok());
  ASSERT_TRUE(
      exchange_
          .Apply(exchange_.CreateStudent(kSchoolA, "s-2").name(), section.name(), 1, true, &second)
          .ok());
  ASSERT_TRUE(
      exchange_
          .Apply(exchange_.CreateStudent(kSchoolB, "s-3").name(), section.name(), 1, true, &other)
          .ok());
  EXPECT_EQ(first.state(), v1::ENROLLED);
  EXPECT_EQ(second.state(), v1::WAITLISTED);
  EXPECT_THAT(second.reason(), HasSubstr("per-school cap of 1"));
  EXPECT_EQ(other.state(), v1::ENROLLED);

  // When school A's seat frees, its waitlisted student may take it.
  v1::Application dropped;
  ASSERT_TRUE(Drop(SchoolToken(kSchoolA), first.name(), &dropped).ok());
  EXPECT_EQ(Get(SchoolToken(kSchoolA), second.name()).state(), v1::ENROLLED);
}

TEST_F(EnrollmentApiTest, FirstComeHostShareCountsTheEnrolledClass) {
  cv1::Section changes;
  changes.set_host_share_cap_percent(50);
  const cv1::Section section =
      OpenFirstCome(kSchoolA, "고급 수학", 4, cv1::WEDNESDAY, changes, {"host_share_cap_percent"});
  const auto apply = [&](const std::string& school, const std::string& key) {
    v1::Application application;
    EXPECT_TRUE(exchange_
                    .Apply(exchange_.CreateStudent(school, key).name(), section.name(), 1, true,
                           &application)
                    .ok());
    return application;
  };
  // The host's own student alone would be 100% of the class: waits.
  const v1::Application host1 = apply(kSchoolA, "h-1");
  EXPECT_EQ(host1.state(), v1::WAITLISTED);
  EXPECT_THAT(host1.reason(), HasSubstr("host share cap"));
  EXPECT_THAT(host1.reason(), HasSubstr("at most 50% of the class (0 of 0 enrolled)"));
  // A guest enrols; the host student waiting is seated beside them (1 of 2).
  EXPECT_EQ(apply(kSchoolB, "g-1").state(), v1::ENROLLED);
  const v1::Application promoted = Get(SchoolToken(kSchoolA), host1.name());
  EXPECT_EQ(promoted.state(), v1::ENROLLED);
  EXPECT_THAT(promoted.reason(), HasSubstr("when the class grew"));
  // A second host student would make 2 of 3: waits for the next guest.
  const v1::Application host2 = apply(kSchoolA, "h-2");
  EXPECT_EQ(host2.state(), v1::WAITLISTED);
  EXPECT_EQ(apply(kSchoolB, "g-2").state(), v1::ENROLLED);
  EXPECT_EQ(Get(SchoolToken(kSchoolA), host2.name()).state(), v1::ENROLLED);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT enrolled FROM section_seats"), 4);
  EXPECT_EQ(exchange_.QueryEnrollment(
                "SELECT count(*) FROM applications WHERE state = 'ENROLLED' AND school_code = "
                "'J10-7531001'"),
            2);
}

TEST_F(EnrollmentApiTest, RostersAreForTheHostOnly) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "데이터 과학", cv1::FIRST_COME, 5, cv1::THURSDAY, 18);
  v1::Roster roster;
  for (const std::string& token : {SchoolToken(kSchoolA), exchange_.Token(kCity, auth::v1::CITY),
                                   exchange_.Token("OSAN-MAKER", auth::v1::ACADEMY)}) {
    EXPECT_EQ(Roster(token, section.name(), &roster).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(EnrollmentApiTest, OnlyTheHostOrHomeSchoolDrops) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 2, cv1::TUESDAY, 18);
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application application;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &application).ok());
  v1::Application result;
  EXPECT_EQ(Drop(SchoolToken(kSchoolB), application.name(), &result).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Drop(exchange_.Token(kAcademy, auth::v1::ACADEMY), application.name(), &result).ok());
  EXPECT_THAT(result.reason(), HasSubstr("by the host"));
  EXPECT_EQ(
      Drop(exchange_.Token(kAcademy, auth::v1::ACADEMY), application.name(), &result).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

// ----- Application checks ---------------------------------------------------

TEST_F(EnrollmentApiTest, ApplicationChecksRefuseWithReasonsAndWriteNothing) {
  const cv1::Section tuesday =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::LOTTERY, 10, cv1::TUESDAY, 18);
  const cv1::Section clash =
      exchange_.CreateSection(kSchoolB, "실용 통계", cv1::LOTTERY, 10, cv1::TUESDAY, 18);
  const cv1::Section draft =
      exchange_.CreateSection(kSchoolB, "기하", cv1::LOTTERY, 10, cv1::MONDAY, 16, cv1::DRAFT);
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application first;
  ASSERT_TRUE(exchange_.Apply(student.name(), tuesday.name(), 1, false, &first).ok());
  EXPECT_EQ(first.state(), v1::SUBMITTED);
  const int64_t events = exchange_.QueryEnrollment("SELECT count(*) FROM application_events");

  v1::Application refused;
  grpc::Status status = exchange_.Apply(student.name(), tuesday.name(), 2, false, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  status = exchange_.Apply(student.name(), clash.name(), 2, false, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("same time"));
  status = exchange_.Apply(student.name(), draft.name(), 2, false, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("not open"));
  status = exchange_.Apply(student.name(), tuesday.name(), 0, false, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  status =
      exchange_.Apply("schools/J10-7531001/students/nobody", tuesday.name(), 2, false, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = exchange_.Apply(student.name(), "terms/2026-1/sections/oops", 2, false, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Another school cannot apply for this student.
  v1::SubmitApplicationRequest foreign;
  foreign.mutable_application()->set_student(student.name());
  foreign.mutable_application()->set_section(clash.name());
  foreign.mutable_application()->set_preference_rank(3);
  foreign.set_request_id("foreign");
  auto context = ContextWithToken(SchoolToken(kSchoolB));
  EXPECT_EQ(exchange_.enrollment().SubmitApplication(context.get(), foreign, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM applications"), 1);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM application_events"), events);
}

TEST_F(EnrollmentApiTest, IneligibleGradeAndSchoolAreRefused) {
  const cv1::Section section = exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::LOTTERY, 10,
                                                       cv1::TUESDAY, 18, cv1::DRAFT);
  cv1::UpdateSectionRequest update;
  update.mutable_section()->set_name(section.name());
  update.mutable_section()->add_eligible_grades(3);
  update.mutable_section()->add_eligible_schools("institutions/J10-7531001");
  update.mutable_update_mask()->add_paths("eligible_grades");
  update.mutable_update_mask()->add_paths("eligible_schools");
  update.set_request_id("eligibility");
  cv1::Section updated;
  auto context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::ACADEMY));
  ASSERT_TRUE(exchange_.catalog().UpdateSection(context.get(), update, &updated).ok());
  exchange_.Transition(section, cv1::PUBLISHED);
  exchange_.Transition(section, cv1::ENROLLMENT_OPEN);

  v1::Application application;
  const v1::Student first_year = exchange_.CreateStudent(kSchoolA, "s-1", /*grade=*/1);
  grpc::Status status = exchange_.Apply(first_year.name(), section.name(), 1, false, &application);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("grade 1"));
  const v1::Student other_school = exchange_.CreateStudent(kSchoolB, "s-2", /*grade=*/3);
  status = exchange_.Apply(other_school.name(), section.name(), 1, false, &application);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("school"));
  const v1::Student eligible = exchange_.CreateStudent(kSchoolA, "s-3", /*grade=*/3);
  EXPECT_TRUE(exchange_.Apply(eligible.name(), section.name(), 1, false, &application).ok());
}

TEST_F(EnrollmentApiTest, HomeSchoolApprovesRejectsAndWithdraws) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::LOTTERY, 10, cv1::TUESDAY, 18);
  const v1::Student one = exchange_.CreateStudent(kSchoolA, "s-1");
  const v1::Student two = exchange_.CreateStudent(kSchoolA, "s-2");
  v1::Application a, b, result;
  ASSERT_TRUE(exchange_.Apply(one.name(), section.name(), 1, false, &a).ok());
  ASSERT_TRUE(exchange_.Apply(two.name(), section.name(), 1, false, &b).ok());

  EXPECT_EQ(Decide(&v1::EnrollmentService::Stub::ApproveApplication, SchoolToken(kSchoolB),
                   a.name(), "", &result)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Decide(&v1::EnrollmentService::Stub::ApproveApplication, SchoolToken(kSchoolA),
                     a.name(), "", &result)
                  .ok());
  EXPECT_EQ(result.state(), v1::APPROVED);
  EXPECT_EQ(Decide(&v1::EnrollmentService::Stub::RejectApplication, SchoolToken(kSchoolA), b.name(),
                   "", &result)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "a rejection needs a reason";
  ASSERT_TRUE(Decide(&v1::EnrollmentService::Stub::RejectApplication, SchoolToken(kSchoolA),
                     b.name(), "출결 불량", &result)
                  .ok());
  EXPECT_EQ(result.state(), v1::REJECTED);
  ASSERT_TRUE(Decide(&v1::EnrollmentService::Stub::WithdrawApplication, SchoolToken(kSchoolA),
                     a.name(), "", &result)
                  .ok());
  EXPECT_EQ(result.state(), v1::WITHDRAWN);
  EXPECT_EQ(Decide(&v1::EnrollmentService::Stub::ApproveApplication, SchoolToken(kSchoolA),
                   a.name(), "", &result)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Host screening does not apply to a lottery section.
  v1::Application c;
  ASSERT_TRUE(exchange_.Apply(two.name(), section.name(), 2, true, &c).ok());
  EXPECT_EQ(Decide(&v1::EnrollmentService::Stub::AcceptApplication,
                   exchange_.Token(kAcademy, auth::v1::ACADEMY), c.name(), "", &result)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EnrollmentApiTest, HostScreensItsApplicantsOnly) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "음악 전공 실기", cv1::HOST_SCREENING, 5, cv1::SATURDAY, 9);
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application application, result;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &application).ok());
  EXPECT_EQ(
      Decide(&v1::EnrollmentService::Stub::AcceptApplication,
             exchange_.Token("OSAN-MAKER", auth::v1::ACADEMY), application.name(), "", &result)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Decide(&v1::EnrollmentService::Stub::AcceptApplication,
                     exchange_.Token(kAcademy, auth::v1::ACADEMY), application.name(), "", &result)
                  .ok());
  EXPECT_EQ(result.state(), v1::HOST_ACCEPTED);
}

TEST_F(EnrollmentApiTest, RetriedSubmissionReturnsTheFirstResult) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 2, cv1::TUESDAY, 18);
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application first, second;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &first, "same-id").ok());
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &second, "same-id").ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(second.state(), v1::ENROLLED);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM applications"), 1);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT enrolled FROM section_seats"), 1);
}

// ----- Allocation -----------------------------------------------------------

TEST_F(EnrollmentApiTest, LotteryAllocationPlacesAndWaitlistsWithAnAuditRecord) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "데이터 과학", cv1::LOTTERY, 2, cv1::THURSDAY, 18);
  std::vector<v1::Application> applications(4);
  for (int i = 0; i < 4; ++i) {
    const v1::Student student =
        exchange_.CreateStudent(i % 2 == 0 ? kSchoolA : kSchoolB, absl::StrCat("s-", i));
    ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &applications[i]).ok());
    EXPECT_EQ(applications[i].state(), v1::APPROVED);
  }
  exchange_.Transition(section, cv1::ENROLLMENT_CLOSED);

  const std::string academy_token = exchange_.Token(kAcademy, auth::v1::ACADEMY);
  const auto before = exchange_.ReadChanges(
      academy_token,
      exchange_.QueryEnrollment(absl::StrCat(
          "SELECT count(*) FROM application_events WHERE host_code = '", kAcademy, "'")));
  ASSERT_FALSE(before.empty());

  v1::RunAllocationRequest request;
  request.set_term(section.name().substr(0, section.name().find("/sections/")));
  request.set_seed(42);
  request.set_request_id("allocation-1");
  v1::AllocationOperation operation;
  auto context = ContextWithToken(SchoolToken(kSchoolA));
  EXPECT_EQ(exchange_.enrollment().RunAllocation(context.get(), request, &operation).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string city = exchange_.Token(kCity, auth::v1::CITY);
  context = ContextWithToken(city);
  ASSERT_TRUE(exchange_.enrollment().RunAllocation(context.get(), request, &operation).ok());
  EXPECT_THAT(operation.name(), ::testing::StartsWith("operations/"));
  const v1::AllocationRun run = AwaitRun(operation, city);
  EXPECT_EQ(run.seed(), 42u);
  EXPECT_EQ(run.section_count(), 1);
  EXPECT_EQ(run.student_count(), 4);
  EXPECT_EQ(run.enrolled_count(), 2);
  EXPECT_EQ(run.waitlisted_count(), 2);
  EXPECT_EQ(run.not_placed_count(), 0);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT enrolled FROM section_seats"), 2);
  // The run's transaction recorded the students it decided on, as the city's
  // call.
  EXPECT_EQ(exchange_.QueryEnrollment(
                "SELECT count(DISTINCT student) FROM audit_log WHERE principal = 'OSAN-CITY'"
                " AND action = 'EnrollmentService.RunAllocation' AND result = 'OK'"),
            4);

  // The decisions, page by page, in the run's order: enrolled by lottery
  // number, then waitlisted by position.
  const std::string office = exchange_.Token("HSOS-EDU", auth::v1::EDU_OFFICE);
  v1::ListAllocationDecisionsRequest list;
  list.set_parent(run.name());
  list.set_page_size(3);
  v1::ListAllocationDecisionsResponse page;
  context = ContextWithToken(office);
  ASSERT_TRUE(exchange_.enrollment().ListAllocationDecisions(context.get(), list, &page).ok());
  ASSERT_THAT(page.decisions(), SizeIs(3));
  ASSERT_FALSE(page.next_page_token().empty());
  std::vector<v1::AllocationDecision> decisions(page.decisions().begin(), page.decisions().end());
  list.set_page_token(page.next_page_token());
  context = ContextWithToken(office);
  ASSERT_TRUE(exchange_.enrollment().ListAllocationDecisions(context.get(), list, &page).ok());
  ASSERT_THAT(page.decisions(), SizeIs(1));
  EXPECT_TRUE(page.next_page_token().empty());
  decisions.push_back(page.decisions(0));
  std::set<int> lottery_numbers;
  for (size_t i = 0; i < decisions.size(); ++i) {
    const v1::AllocationDecision& decision = decisions[i];
    EXPECT_EQ(decision.section(), section.name());
    EXPECT_EQ(decision.outcome(), i < 2 ? v1::ENROLLED : v1::WAITLISTED) << i;
    EXPECT_EQ(decision.waitlist_position(), i < 2 ? 0 : static_cast<int>(i) - 1) << i;
    EXPECT_FALSE(decision.reason().empty());
    lottery_numbers.insert(decision.lottery_number());
    // The application says the same, and so does its change event.
    v1::GetApplicationRequest get;
    get.set_name(decision.application());
    v1::Application application;
    context = ContextWithToken(academy_token);
    ASSERT_TRUE(exchange_.enrollment().GetApplication(context.get(), get, &application).ok());
    EXPECT_EQ(application.state(), decision.outcome());
    EXPECT_EQ(application.waitlist_position(), decision.waitlist_position());
    EXPECT_THAT(application.reason(), HasSubstr(decision.reason()));
  }
  EXPECT_EQ(decisions[0].lottery_number() < decisions[1].lottery_number(), true);
  EXPECT_EQ(lottery_numbers, (std::set<int>{1, 2, 3, 4}));
  const auto events = exchange_.ReadChanges(academy_token, 4, before.back().cursor());
  ASSERT_THAT(events, SizeIs(4));
  for (const v1::ChangeEvent& event : events) {
    v1::GetApplicationRequest get;
    get.set_name(event.application().name());
    v1::Application application;
    context = ContextWithToken(academy_token);
    ASSERT_TRUE(exchange_.enrollment().GetApplication(context.get(), get, &application).ok());
    EXPECT_EQ(event.application().DebugString(), application.DebugString());
  }

  // Filters: one home school's students; a section's.
  list.Clear();
  list.set_parent(run.name());
  list.set_home_school(absl::StrCat("institutions/", kSchoolA));
  context = ContextWithToken(office);
  ASSERT_TRUE(exchange_.enrollment().ListAllocationDecisions(context.get(), list, &page).ok());
  ASSERT_THAT(page.decisions(), SizeIs(2));
  for (const auto& decision : page.decisions()) {
    EXPECT_THAT(decision.student(), HasSubstr(kSchoolA));
  }
  list.set_home_school("");
  list.set_section(section.name());
  context = ContextWithToken(office);
  ASSERT_TRUE(exchange_.enrollment().ListAllocationDecisions(context.get(), list, &page).ok());
  EXPECT_THAT(page.decisions(), SizeIs(4));
  list.set_section("terms/2027-1");
  context = ContextWithToken(office);
  EXPECT_EQ(exchange_.enrollment().ListAllocationDecisions(context.get(), list, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // The same request id again returns the same operation and changes nothing.
  v1::AllocationOperation again;
  context = ContextWithToken(city);
  ASSERT_TRUE(exchange_.enrollment().RunAllocation(context.get(), request, &again).ok());
  EXPECT_EQ(again.name(), operation.name());
  EXPECT_TRUE(again.done());
  EXPECT_EQ(again.run().name(), run.name());
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM allocation_runs"), 1);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM allocation_decisions"), 4);

  v1::GetAllocationRunRequest get;
  get.set_name(run.name());
  v1::AllocationRun stored;
  context = ContextWithToken(office);
  ASSERT_TRUE(exchange_.enrollment().GetAllocationRun(context.get(), get, &stored).ok());
  EXPECT_EQ(stored.DebugString(), run.DebugString());
  get.set_name("allocationRuns/00000000-0000-0000-0000-000000000000");
  context = ContextWithToken(office);
  EXPECT_EQ(exchange_.enrollment().GetAllocationRun(context.get(), get, &stored).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// One run of a term at a time: while another holds the term, a run fails at
// once with FAILED_PRECONDITION and changes nothing; afterwards it runs.
TEST_F(EnrollmentApiTest, ASecondAllocationOfATermWaitsForTheFirst) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "데이터 과학", cv1::LOTTERY, 1, cv1::THURSDAY, 18);
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application application;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &application).ok());
  exchange_.Transition(section, cv1::ENROLLMENT_CLOSED);
  const std::string term = section.name().substr(0, section.name().find("/sections/"));

  // Another run (as another replica's would) holds the term.
  pqxx::connection other(exchange_.enrollment_service().database().url());
  pqxx::work holding(other);
  holding.exec(absl::StrCat("SELECT pg_advisory_xact_lock(1094, hashtext('",
                            term.substr(term.find('/') + 1), "'))"));
  const std::string city = exchange_.Token(kCity, auth::v1::CITY);
  v1::RunAllocationRequest request;
  request.set_term(term);
  request.set_request_id("while-another-runs");
  v1::AllocationOperation operation;
  auto context = ContextWithToken(city);
  ASSERT_TRUE(exchange_.enrollment().RunAllocation(context.get(), request, &operation).ok());
  const auto refused = AwaitOperation(operation, city);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("another allocation"));
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM allocation_runs"), 0);
  EXPECT_EQ(exchange_.QueryEnrollment("SELECT count(*) FROM applications WHERE state = 'APPROVED'"),
            1);

  holding.abort();
  request.set_request_id("after-the-other");
  context = ContextWithToken(city);
  ASSERT_TRUE(exchange_.enrollment().RunAllocation(context.get(), request, &operation).ok());
  const v1::AllocationRun run = AwaitRun(operation, city);
  EXPECT_EQ(run.enrolled_count(), 1);
}

// A run whose process died before it committed changed nothing; once its
// operation has been quiet past the grace, readers see it failed (ABORTED).
TEST_F(EnrollmentApiTest, AnInterruptedAllocationIsReportedFailedAndChangedNothing) {
  const std::string id = "5d0c6f1e-8a43-4c1f-9e0b-2b7c7c1d0a11";
  v1::AllocationOperation stuck;
  stuck.set_name(absl::StrCat("operations/", id));
  stuck.set_stage("allocating");
  stuck.set_percent(40);
  stuck.set_term("terms/2027-1");
  exchange_.QueryEnrollment(absl::StrCat(
      "WITH i AS (INSERT INTO allocation_operations (id, term_id, operation, update_time)"
      " VALUES ('",
      id, "', '2027-1', decode('", absl::BytesToHexString(stuck.SerializeAsString()),
      "', 'hex'), now() - interval '2 minutes') RETURNING 1) SELECT count(*) FROM i"));
  v1::GetAllocationOperationRequest get;
  get.set_name(stuck.name());
  v1::AllocationOperation read;
  auto context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
  ASSERT_TRUE(exchange_.enrollment().GetAllocationOperation(context.get(), get, &read).ok());
  EXPECT_TRUE(read.done());
  EXPECT_EQ(read.error().code(), static_cast<int>(grpc::StatusCode::ABORTED));
  EXPECT_THAT(read.error().message(), HasSubstr("nothing was changed"));
  EXPECT_EQ(read.stage(), "failed");
  // Said once, kept: the next reader sees the same.
  v1::AllocationOperation again;
  context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
  ASSERT_TRUE(exchange_.enrollment().GetAllocationOperation(context.get(), get, &again).ok());
  EXPECT_EQ(again.DebugString(), read.DebugString());

  // A quiet operation that a live transaction holds is left alone.
  const std::string held = "7e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
  stuck.set_name(absl::StrCat("operations/", held));
  exchange_.QueryEnrollment(absl::StrCat(
      "WITH i AS (INSERT INTO allocation_operations (id, term_id, operation, update_time)"
      " VALUES ('",
      held, "', '2027-1', decode('", absl::BytesToHexString(stuck.SerializeAsString()),
      "', 'hex'), now() - interval '2 minutes') RETURNING 1) SELECT count(*) FROM i"));
  pqxx::connection holder(exchange_.enrollment_service().database().url());
  pqxx::work hold(holder);
  hold.exec(
      absl::StrCat("SELECT 1 FROM allocation_operations WHERE id = '", held, "' FOR KEY SHARE"));
  get.set_name(stuck.name());
  context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
  ASSERT_TRUE(exchange_.enrollment().GetAllocationOperation(context.get(), get, &read).ok());
  EXPECT_FALSE(read.done());
  EXPECT_EQ(read.stage(), "allocating");

  get.set_name("operations/nope");
  context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
  EXPECT_EQ(exchange_.enrollment().GetAllocationOperation(context.get(), get, &read).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EnrollmentApiTest, UnderfilledSectionIsCancelledAndApplicantsKeepOtherApplications) {
  const cv1::Section small = exchange_.CreateSection(kAcademy, "제과제빵", cv1::FIRST_COME, 10,
                                                     cv1::FRIDAY, 16, cv1::ENROLLMENT_OPEN, 5);
  const cv1::Section other =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::LOTTERY, 10, cv1::TUESDAY, 18);
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application in_small, in_other;
  ASSERT_TRUE(exchange_.Apply(student.name(), small.name(), 1, true, &in_small).ok());
  ASSERT_TRUE(exchange_.Apply(student.name(), other.name(), 2, true, &in_other).ok());

  v1::CancelSectionRequest cancel;
  cancel.set_section(small.name());
  cancel.set_reason("최소 인원 미달");
  cancel.set_request_id("cancel-1");
  v1::CancelSectionResponse response;
  auto context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::ACADEMY));
  EXPECT_EQ(exchange_.enrollment().CancelSection(context.get(), cancel, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "enrolment is still open";
  exchange_.Transition(small, cv1::ENROLLMENT_CLOSED);
  context = ContextWithToken(SchoolToken(kSchoolB));
  EXPECT_EQ(exchange_.enrollment().CancelSection(context.get(), cancel, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::ACADEMY));
  const grpc::Status status =
      exchange_.enrollment().CancelSection(context.get(), cancel, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.cancelled_applications(), 1);
  EXPECT_EQ(Get(SchoolToken(kSchoolA), in_small.name()).state(), v1::SECTION_CANCELLED);
  EXPECT_EQ(Get(SchoolToken(kSchoolA), in_other.name()).state(), v1::APPROVED);
  // School A's events: the first-come application (enrolled at once), the
  // lottery one (approved), the cancellation.
  const auto events = Feed(SchoolToken(kSchoolA), 3);
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_EQ(events.back().application().state(), v1::SECTION_CANCELLED);
  // Someone else's section is refused from what enrollment already knows
  // (cached for 5 s), before it asks catalog anything: with catalog gone,
  // still refused.
  context = ContextWithToken(SchoolToken(kSchoolB));
  EXPECT_EQ(exchange_.enrollment().CancelSection(context.get(), cancel, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  exchange_.catalog_service().Shutdown();
  context = ContextWithToken(SchoolToken(kSchoolB));
  EXPECT_EQ(exchange_.enrollment().CancelSection(context.get(), cancel, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// ----- Change feed ----------------------------------------------------------

TEST_F(EnrollmentApiTest, FeedShowsEachSchoolItsOwnChangesInOrderAndResumes) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 5, cv1::TUESDAY, 18);
  const v1::Student a = exchange_.CreateStudent(kSchoolA, "s-a");
  const v1::Student b = exchange_.CreateStudent(kSchoolB, "s-b");
  v1::Application from_a, from_b;
  ASSERT_TRUE(exchange_.Apply(a.name(), section.name(), 1, true, &from_a).ok());
  ASSERT_TRUE(exchange_.Apply(b.name(), section.name(), 1, true, &from_b).ok());

  v1::Application dropped;
  ASSERT_TRUE(Drop(SchoolToken(kSchoolA), from_a.name(), &dropped).ok());

  const auto a_events = Feed(SchoolToken(kSchoolA), 2);
  ASSERT_THAT(a_events, SizeIs(2));  // enrolled (first come), then dropped
  for (const auto& event : a_events) {
    EXPECT_EQ(event.application().student(), a.name());
  }
  EXPECT_EQ(a_events.front().application().state(), v1::ENROLLED);
  EXPECT_EQ(a_events.back().application().state(), v1::DROPPED);
  EXPECT_THAT(Feed(SchoolToken(kSchoolB), 1), SizeIs(1));
  EXPECT_THAT(Feed(exchange_.Token(kAcademy, auth::v1::ACADEMY), 3), SizeIs(3));
  EXPECT_THAT(Feed(exchange_.Token("SVC-CREDIT", auth::v1::SERVICE), 3), SizeIs(3));

  // Resuming after the first event returns only the rest.
  const auto rest = exchange_.ReadChangesOnce(SchoolToken(kSchoolA), a_events.front().cursor());
  ASSERT_THAT(rest, SizeIs(1));
  EXPECT_EQ(rest.front().cursor(), a_events.back().cursor());

  v1::WatchChangesRequest bad;
  bad.set_cursor("not-a-cursor");
  auto context = ContextWithToken(SchoolToken(kSchoolA));
  auto reader = exchange_.enrollment().WatchChanges(context.get(), bad);
  v1::ChangeEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  context = ContextWithToken(exchange_.Token(kCity, auth::v1::CITY));
  reader = exchange_.enrollment().WatchChanges(context.get(), v1::WatchChangesRequest());
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// Transaction ids are ordered as numbers, across pages: 150 events of
// transaction 9 and 150 of transaction 10 (more than one page of 200) come
// out once each, 9's first. Ordered as text, "10" sorted before "9": a page
// boundary then repeated some events and the order was wrong.
TEST_F(EnrollmentApiTest, FeedOrdersTransactionIdsAsNumbersAcrossPages) {
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "데이터 과학", cv1::FIRST_COME, 5, cv1::THURSDAY, 18);
  v1::Application application;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &application).ok());
  ASSERT_EQ(
      exchange_.QueryEnrollment(
          "WITH e AS (INSERT INTO application_events (txid, application_id, school_code,"
          " host_code, application) SELECT (CASE WHEN g <= 150 THEN 9 ELSE 10 END)::text::xid8,"
          " application_id, school_code, host_code, application FROM generate_series(1, 300)"
          " g, (SELECT * FROM application_events ORDER BY seq LIMIT 1) f RETURNING 1)"
          " SELECT count(*) FROM e"),
      300);
  const int64_t total = exchange_.QueryEnrollment("SELECT count(*) FROM application_events");
  const auto events = exchange_.ReadChanges(exchange_.Token("SVC-CREDIT", auth::v1::SERVICE),
                                            static_cast<size_t>(total));
  ASSERT_THAT(events, SizeIs(total));
  std::pair<uint64_t, int64_t> previous{0, 0};
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string& cursor = events[i].cursor();
    std::pair<uint64_t, int64_t> at;
    ASSERT_TRUE(absl::SimpleAtoi(cursor.substr(0, cursor.find('.')), &at.first)) << cursor;
    ASSERT_TRUE(absl::SimpleAtoi(cursor.substr(cursor.find('.') + 1), &at.second)) << cursor;
    EXPECT_LT(previous, at) << "event " << i << " (" << cursor << ") out of order";
    previous = at;
    if (i < 150) {
      EXPECT_EQ(at.first, 9u) << i;
    } else if (i < 300) {
      EXPECT_EQ(at.first, 10u) << i;
    }
  }
}

// The batched feed carries the same events in the same order, at most 512
// KiB a message, each batch's cursor its last event's; a follower resumes
// after a batch.
TEST_F(EnrollmentApiTest, BatchedFeedCarriesTheSameEventsInTheSameOrder) {
  const v1::Student student = exchange_.CreateStudent(kSchoolA, "s-1");
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "데이터 과학", cv1::FIRST_COME, 5, cv1::THURSDAY, 18);
  v1::Application application;
  ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &application).ok());
  ASSERT_EQ(exchange_.QueryEnrollment(
                "WITH e AS (INSERT INTO application_events (application_id, school_code,"
                " host_code, application) SELECT application_id, school_code, host_code,"
                " application FROM generate_series(1, 5000) g,"
                " (SELECT * FROM application_events ORDER BY seq LIMIT 1) f RETURNING 1)"
                " SELECT count(*) FROM e"),
            5000);
  const int64_t total = exchange_.QueryEnrollment("SELECT count(*) FROM application_events");
  const std::string token = SchoolToken(kSchoolA);
  const auto events = Feed(token, static_cast<size_t>(total));
  ASSERT_THAT(events, SizeIs(total));

  // One pass of the batched feed after `cursor`, as a follower reads it.
  const auto batches_after = [&](const std::string& cursor) {
    v1::WatchChangesRequest request;
    request.set_cursor(cursor);
    auto context = ContextWithToken(token);
    auto reader = exchange_.enrollment().WatchChangeBatches(context.get(), request);
    std::vector<v1::ChangeEventBatch> batches;
    v1::ChangeEventBatch batch;
    while (reader->Read(&batch)) {
      batches.push_back(batch);
    }
    EXPECT_TRUE(reader->Finish().ok());
    return batches;
  };
  std::vector<v1::ChangeEventBatch> batches;
  for (int tries = 0; tries < 100; ++tries) {
    batches = batches_after("");
    size_t batched = 0;
    for (const auto& batch : batches) {
      batched += batch.events_size();
    }
    if (batched >= events.size()) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_GE(batches.size(), 3u);
  size_t next = 0;
  for (const v1::ChangeEventBatch& batch : batches) {
    ASSERT_GT(batch.events_size(), 0);
    EXPECT_LE(batch.ByteSizeLong(), 512u * 1024);
    EXPECT_EQ(batch.cursor(), batch.events(batch.events_size() - 1).cursor());
    for (const v1::ChangeEvent& event : batch.events()) {
      ASSERT_LT(next, events.size());
      EXPECT_EQ(event.DebugString(), events[next].DebugString()) << next;
      ++next;
    }
  }
  EXPECT_EQ(next, events.size());
  const auto resumed = batches_after(batches[0].cursor());
  ASSERT_FALSE(resumed.empty());
  EXPECT_EQ(resumed[0].events(0).cursor(), batches[1].events(0).cursor());
}

TEST_F(EnrollmentApiTest, FeedNeverSkipsACommittedChangeUnderConcurrentWriters) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::LOTTERY, 500, cv1::TUESDAY, 18);
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 15;
  std::vector<std::string> students;
  for (int i = 0; i < kWriters * kPerWriter; ++i) {
    students.push_back(exchange_.CreateStudent(kSchoolA, absl::StrCat("s-", i)).name());
  }
  std::atomic<bool> writing{true};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        v1::Application application;
        EXPECT_TRUE(
            exchange_.Apply(students[w * kPerWriter + i], section.name(), 1, false, &application)
                .ok());
      }
    });
  }
  // A reader polls with its cursor while the writers run, as a school would.
  std::vector<std::string> seen;
  std::string cursor;
  const auto poll = [&] {
    for (const auto& event :
         exchange_.ReadChangesOnce(exchange_.Token("SVC-CREDIT", auth::v1::SERVICE), cursor)) {
      seen.push_back(event.application().name());
      cursor = event.cursor();
    }
  };
  std::thread stopper([&] {
    for (auto& writer : writers) {
      writer.join();
    }
    writing = false;
  });
  while (writing) {
    poll();
  }
  stopper.join();
  // Delivery waits for every older transaction in the cluster to finish (other
  // tests' included), so catching up may take a moment; a skipped event would
  // never arrive.
  const size_t total =
      static_cast<size_t>(exchange_.QueryEnrollment("SELECT count(*) FROM application_events"));
  for (int i = 0; i < 200 && seen.size() < total; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    poll();
  }
  std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kWriters * kPerWriter));
  EXPECT_EQ(seen.size(), total) << "each event exactly once in one reader's pass";
}

// ----- Catalog outages ------------------------------------------------------

TEST(EnrollmentWithoutCatalogTest, CatalogDownIsUnavailableQuicklyAndWritesNothing) {
  testing::Exchange exchange([](ServiceConfig& config) {
    config.catalog_address = "127.0.0.1:1";  // nothing listens there
  });
  exchange.CreateBasics();
  // Enrollment cannot tell whether the caller's institution is registered:
  // it refuses (retry), never admits. The client's deadline is 10 s:
  // UNAVAILABLE (not DEADLINE_EXCEEDED) shows it answered without hanging.
  v1::CreateStudentRequest request;
  request.set_parent(absl::StrCat("schools/", kSchoolA));
  request.mutable_student()->set_student_key("s-1");
  request.mutable_student()->set_entry_year(2025);
  request.mutable_student()->set_display_name("학생 s-1");
  request.set_request_id("create-s-1");
  v1::Student student;
  auto context = ContextWithToken(exchange.Token(kSchoolA, auth::v1::SCHOOL));
  const grpc::Status created =
      exchange.enrollment().CreateStudent(context.get(), request, &student);
  EXPECT_EQ(created.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(created.error_message(), HasSubstr("retry"));
  v1::Application application;
  const grpc::Status status = exchange.Apply(
      absl::StrCat("schools/", kSchoolA, "/students/s-1"),
      "terms/2026-1/sections/3f2504e0-4f89-41d3-9a0c-0305e82c3301", 1, true, &application);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(exchange.QueryEnrollment("SELECT count(*) FROM students"), 0);
  EXPECT_EQ(exchange.QueryEnrollment("SELECT count(*) FROM applications"), 0);
}

// ----- Rules of the record ---------------------------------------------------

namespace rules_of_the_record {

// Enrollment reading catalog afresh on every call, so that a change in the
// catalog shows at once (in production it shows within the cache TTL).
EnrollmentOptions FreshCatalog() {
  EnrollmentOptions options;
  options.catalog_cache_ttl = absl::ZeroDuration();
  return options;
}

class RecordRulesTest : public EnrollmentApiTest {
 protected:
  RecordRulesTest() : EnrollmentApiTest(FreshCatalog()) {}

  // Reads the course `name` from catalog as the academy.
  cv1::Course GetCourse(const std::string& name) {
    cv1::GetCourseRequest request;
    request.set_name(name);
    cv1::Course course;
    auto context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::ACADEMY));
    EXPECT_TRUE(exchange_.catalog().GetCourse(context.get(), request, &course).ok());
    return course;
  }
};

TEST_F(RecordRulesTest, ACourseBackUnderReviewTakesNoApplicationsButKeepsItsStudents) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 10, cv1::TUESDAY, 16);
  const v1::Student enrolled = exchange_.CreateStudent(kSchoolA, "s-1");
  v1::Application application;
  ASSERT_TRUE(exchange_.Apply(enrolled.name(), section.name(), 1, true, &application).ok());
  ASSERT_EQ(application.state(), v1::ENROLLED);

  // The academy changes what the office recognised.
  const cv1::Course approved = GetCourse(section.course());
  ASSERT_EQ(approved.recognition().state(), cv1::APPROVED);
  cv1::UpdateCourseRequest update;
  *update.mutable_course() = approved;
  update.mutable_course()->set_title("인공지능 기초와 응용");
  update.mutable_update_mask()->add_paths("title");
  update.set_request_id(exchange_.NextRequestId());
  cv1::Course changed;
  auto context = ContextWithToken(exchange_.Token(kAcademy, auth::v1::ACADEMY));
  ASSERT_TRUE(exchange_.catalog().UpdateCourse(context.get(), update, &changed).ok());
  ASSERT_EQ(changed.recognition().state(), cv1::PENDING);

  const v1::Student late = exchange_.CreateStudent(kSchoolB, "s-2");
  v1::Application refused;
  const grpc::Status status = exchange_.Apply(late.name(), section.name(), 1, true, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("PENDING"));

  // The student already enrolled stays.
  v1::Roster roster;
  ASSERT_TRUE(Roster(exchange_.Token(kAcademy, auth::v1::ACADEMY), section.name(), &roster).ok());
  ASSERT_THAT(roster.entries(), SizeIs(1));
  EXPECT_EQ(roster.entries(0).student(), enrolled.name());
  EXPECT_EQ(roster.entries(0).state(), v1::ENROLLED);
}

TEST_F(RecordRulesTest, CohortsOfBothCurriculaShareASectionWithTheirOwnGrades) {
  // Grade 2 and grade 3 of the test term: one cohort a year apart.
  const cv1::Section section =
      exchange_.CreateSection(kSchoolA, "기하", cv1::FIRST_COME, 10, cv1::MONDAY, 16);
  const v1::Student second = exchange_.CreateStudent(kSchoolA, "s-2", /*grade=*/2);
  const v1::Student third = exchange_.CreateStudent(kSchoolB, "s-3", /*grade=*/3);
  EXPECT_EQ(third.entry_year() + 1, second.entry_year());
  v1::Application application;
  ASSERT_TRUE(exchange_.Apply(second.name(), section.name(), 1, true, &application).ok());
  ASSERT_TRUE(exchange_.Apply(third.name(), section.name(), 1, true, &application).ok());

  v1::Roster roster;
  ASSERT_TRUE(Roster(exchange_.Token(kSchoolA, auth::v1::SCHOOL), section.name(), &roster).ok());
  std::map<std::string, std::pair<int, int>> cohorts;  // student -> (entry year, grade)
  for (const auto& entry : roster.entries()) {
    cohorts[entry.student()] = {entry.entry_year(), entry.grade_level()};
  }
  EXPECT_EQ(cohorts[second.name()], std::make_pair(second.entry_year(), 2));
  EXPECT_EQ(cohorts[third.name()], std::make_pair(third.entry_year(), 3));
}

TEST_F(RecordRulesTest, AStudentPastGradeThreeCannotApply) {
  const cv1::Section section =
      exchange_.CreateSection(kSchoolA, "기하", cv1::FIRST_COME, 10, cv1::MONDAY, 16);
  const v1::Student graduated = exchange_.CreateStudent(kSchoolA, "s-4", /*grade=*/4);
  v1::Application application;
  const grpc::Status status =
      exchange_.Apply(graduated.name(), section.name(), 1, true, &application);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("not a high-school student"));
}

}  // namespace rules_of_the_record

// ----- Public seat counts ----------------------------------------------------

namespace public_seats {

// Seat counts read afresh on every call, so that each change shows at once
// (in production they are reused for 2 s).
EnrollmentOptions UncachedSeatCounts() {
  EnrollmentOptions options;
  options.seat_counts_ttl = absl::ZeroDuration();
  return options;
}

// The term's seat counts without a token.
grpc::Status ListSeatCounts(v1::PublicSeatsService::Stub& stub, const std::string& term,
                            v1::ListSeatCountsResponse* response) {
  v1::ListSeatCountsRequest request;
  request.set_term(term);
  auto context = ContextWithToken("");
  return stub.ListSeatCounts(context.get(), request, response);
}

class PublicSeatsTest : public EnrollmentApiTest {
 protected:
  explicit PublicSeatsTest(const EnrollmentOptions& options = UncachedSeatCounts())
      : EnrollmentApiTest(options),
        seats_(v1::PublicSeatsService::NewStub(exchange_.enrollment_service().channel())) {}

  // The section's counts as (capacity, enrolled, waitlisted); all -1 if the
  // section is not listed.
  std::tuple<int, int, int> CountsOf(const std::string& section) {
    v1::ListSeatCountsResponse response;
    const grpc::Status status = ListSeatCounts(*seats_, "terms/2026-1", &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.term(), "terms/2026-1");
    for (const v1::SeatCount& count : response.seats()) {
      if (count.section() == section) {
        return {count.capacity(), count.enrolled(), count.waitlisted()};
      }
    }
    return {-1, -1, -1};
  }

  std::unique_ptr<v1::PublicSeatsService::Stub> seats_;
};

TEST_F(PublicSeatsTest, CountsFollowEnrolmentsAndDropsWithoutAToken) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 2, cv1::TUESDAY, 18);
  const cv1::Section quiet =
      exchange_.CreateSection(kAcademy, "데이터 과학", cv1::FIRST_COME, 5, cv1::THURSDAY, 18);
  EXPECT_EQ(CountsOf(section.name()), std::make_tuple(-1, -1, -1)) << "no applications yet";

  std::vector<v1::Application> applications(3);
  for (int i = 0; i < 3; ++i) {
    const v1::Student student = exchange_.CreateStudent(kSchoolA, absl::StrCat("s-", i));
    ASSERT_TRUE(exchange_.Apply(student.name(), section.name(), 1, true, &applications[i]).ok());
  }
  EXPECT_EQ(CountsOf(section.name()), std::make_tuple(2, 2, 1));
  EXPECT_EQ(CountsOf(quiet.name()), std::make_tuple(-1, -1, -1));

  v1::Application dropped;
  ASSERT_TRUE(Drop(SchoolToken(kSchoolA), applications[0].name(), &dropped).ok());
  EXPECT_EQ(CountsOf(section.name()), std::make_tuple(2, 2, 0))
      << "the waitlisted student moved up";
  ASSERT_TRUE(Drop(SchoolToken(kSchoolA), applications[1].name(), &dropped).ok());
  EXPECT_EQ(CountsOf(section.name()), std::make_tuple(2, 1, 0));
}

TEST_F(PublicSeatsTest, MalformedTermsAreRefused) {
  for (const std::string term : {"", "2026-1", "terms/2026-3", "terms/2026-1/sections/x"}) {
    v1::ListSeatCountsResponse response;
    const grpc::Status status = ListSeatCounts(*seats_, term, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << term;
    EXPECT_THAT(status.error_message(), HasSubstr("term")) << term;
  }
}

class CachedSeatCountsTest : public PublicSeatsTest {
 protected:
  CachedSeatCountsTest() : PublicSeatsTest(EnrollmentOptions{}) {}
};

TEST_F(CachedSeatCountsTest, ACachedCountIsRenewedWithinItsLifetime) {
  const cv1::Section section =
      exchange_.CreateSection(kAcademy, "인공지능 기초", cv1::FIRST_COME, 5, cv1::TUESDAY, 18);
  v1::Application application;
  const v1::Student first = exchange_.CreateStudent(kSchoolA, "s-1");
  ASSERT_TRUE(exchange_.Apply(first.name(), section.name(), 1, true, &application).ok());
  ASSERT_EQ(CountsOf(section.name()), std::make_tuple(5, 1, 0));
  const v1::Student second = exchange_.CreateStudent(kSchoolA, "s-2");
  ASSERT_TRUE(exchange_.Apply(second.name(), section.name(), 1, true, &application).ok());
  // The documented lifetime (2 s), with a margin for a loaded test machine.
  const absl::Time deadline = absl::Now() + EnrollmentOptions{}.seat_counts_ttl + absl::Seconds(2);
  while (CountsOf(section.name()) != std::make_tuple(5, 2, 0) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(CountsOf(section.name()), std::make_tuple(5, 2, 0));
}

}  // namespace public_seats

}  // namespace
}  // namespace osan::enrollment
