// A whole semester, end to end: catalog, enrollment and credit-record run as
// separate processes over their own databases in the throwaway PostgreSQL,
// and the test walks one term through their public APIs only:
//   the city and hosts publish courses (one out-of-school course approved by
//   the office); three schools register students and apply; home schools
//   approve; allocation runs; hosts record attendance and assessments (one
//   student needs remediation and passes it, one fails it); sections are
//   finalized; each home school's feed delivers exactly its results; they
//   acknowledge; a result is amended and acknowledged again; transcripts
//   show the right totals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "tests/support/service_process.h"

namespace osan {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
namespace rv1 = credit::v1;
using testing::ContextWithToken;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::TestKeys;

constexpr char kCity[] = "OSAN-CITY";
constexpr char kOffice[] = "HSOS-EDU";
constexpr char kSchoolA[] = "J10-7531001";
constexpr char kSchoolB[] = "J10-7531002";
constexpr char kSchoolC[] = "J10-7531003";
constexpr char kAcademy[] = "OSAN-AICODING";
constexpr char kMaker[] = "OSAN-MAKER";

std::string Token(const std::string& code, auth::Role role) {
  return TestKeys::Get().Token(code, role);
}
std::string School(const std::string& code) { return Token(code, auth::v1::SCHOOL); }

// Calls `method` on `stub` as `token`, asserting success unless `expected`
// says otherwise; returns the response.
template <class Stub, class Request, class Response>
Response Call(Stub& stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const std::string& token, const Request& request,
              grpc::StatusCode expected = grpc::StatusCode::OK) {
  Response response;
  auto context = ContextWithToken(token);
  const grpc::Status status = (stub.*method)(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), expected) << status.error_message();
  return response;
}

class SemesterTest : public ::testing::Test {
 protected:
  SemesterTest() {
    const std::string key_file = testing::WriteSecretFile(TestKeys::Get().private_key_pem());
    catalog_process_ = std::make_unique<testing::ServiceProcess>(
        OSAN_CATALOG_SERVER, std::map<std::string, std::string>{});
    enrollment_process_ = std::make_unique<testing::ServiceProcess>(
        OSAN_ENROLLMENT_SERVER,
        std::map<std::string, std::string>{{"OSAN_CATALOG_ADDRESS", catalog_process_->address()},
                                           {"OSAN_SERVICE_SIGNING_KEY", key_file}});
    credit_process_ = std::make_unique<testing::ServiceProcess>(
        OSAN_CREDIT_SERVER, std::map<std::string, std::string>{
                                {"OSAN_CATALOG_ADDRESS", catalog_process_->address()},
                                {"OSAN_ENROLLMENT_ADDRESS", enrollment_process_->address()},
                                {"OSAN_SERVICE_SIGNING_KEY", key_file}});
    const auto channel = [](const std::string& address) {
      return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    };
    catalog_ = cv1::CatalogService::NewStub(channel(catalog_process_->address()));
    enrollment_ = ev1::EnrollmentService::NewStub(channel(enrollment_process_->address()));
    credit_ = rv1::CreditService::NewStub(channel(credit_process_->address()));
  }

  std::string Id() { return absl::StrCat("e2e-", ++request_counter_); }

  void CreateInstitution(cv1::InstitutionKind kind, const std::string& code,
                         const std::string& name) {
    cv1::CreateInstitutionRequest request;
    request.mutable_institution()->set_kind(kind);
    request.mutable_institution()->set_display_name(name);
    if (kind == cv1::HIGH_SCHOOL) {
      request.mutable_institution()->set_office_code(code.substr(0, 3));
      request.mutable_institution()->set_school_code(code.substr(4));
    } else {
      request.mutable_institution()->set_host_code(code);
    }
    request.set_request_id(Id());
    Call(*catalog_, &cv1::CatalogService::Stub::CreateInstitution, Token(kCity, auth::v1::CITY),
         request);
  }

  cv1::Section Offer(const std::string& host, auth::Role role, const std::string& title,
                     cv1::Category category, cv1::SubjectArea area, cv1::AllocationPolicy policy,
                     cv1::Weekday weekday, bool approve_recognition = false) {
    cv1::CreateCourseRequest course;
    course.mutable_course()->set_title(title);
    course.mutable_course()->set_category(category);
    course.mutable_course()->set_subject_area(area);
    course.mutable_course()->set_delivery_mode(cv1::IN_PERSON);
    course.mutable_course()->set_host(absl::StrCat("institutions/", host));
    course.set_request_id(Id());
    const cv1::Course created =
        Call(*catalog_, &cv1::CatalogService::Stub::CreateCourse, Token(host, role), course);
    if (approve_recognition) {
      cv1::ReviewRecognitionRequest review;
      review.set_name(created.name());
      review.set_decision(cv1::APPROVED);
      review.set_request_id(Id());
      Call(*catalog_, &cv1::CatalogService::Stub::ReviewRecognition,
           Token(kOffice, auth::v1::EDU_OFFICE), review);
    }
    cv1::CreateSectionRequest request;
    request.set_parent(term_);
    cv1::Section* section = request.mutable_section();
    section->set_course(created.name());
    section->set_capacity(10);
    auto* meeting = section->add_weekly_meetings();
    meeting->set_weekday(weekday);
    meeting->mutable_start_time()->set_hours(16);
    meeting->mutable_end_time()->set_hours(17);
    meeting->mutable_end_time()->set_minutes(40);
    section->set_location("실습실");
    section->set_allocation_policy(policy);
    request.set_request_id(Id());
    const cv1::Section draft =
        Call(*catalog_, &cv1::CatalogService::Stub::CreateSection, Token(host, role), request);
    Move(draft, role, {cv1::PUBLISHED, cv1::ENROLLMENT_OPEN});
    return draft;
  }

  void Move(const cv1::Section& section, auth::Role role,
            std::initializer_list<cv1::SectionState> states) {
    for (const cv1::SectionState state : states) {
      cv1::TransitionSectionRequest request;
      request.set_name(section.name());
      request.set_target_state(state);
      request.set_request_id(Id());
      Call(*catalog_, &cv1::CatalogService::Stub::TransitionSection,
           Token(section.host().substr(13), role), request);
    }
  }

  std::string Student(const std::string& school, const std::string& key, const std::string& name) {
    ev1::CreateStudentRequest request;
    request.set_parent(absl::StrCat("schools/", school));
    request.mutable_student()->set_student_key(key);
    request.mutable_student()->set_grade_level(2);
    request.mutable_student()->set_entry_year(2025);
    request.mutable_student()->set_display_name(name);
    request.set_request_id(Id());
    return Call(*enrollment_, &ev1::EnrollmentService::Stub::CreateStudent, School(school), request)
        .name();
  }

  ev1::Application Apply(const std::string& student, const cv1::Section& section, int rank,
                         bool approve) {
    ev1::SubmitApplicationRequest request;
    request.mutable_application()->set_student(student);
    request.mutable_application()->set_section(section.name());
    request.mutable_application()->set_preference_rank(rank);
    request.set_approve(approve);
    request.set_request_id(Id());
    return Call(*enrollment_, &ev1::EnrollmentService::Stub::SubmitApplication,
                School(student.substr(8, 11)), request);
  }

  // Records `held` sessions; `absent` students miss the sessions numbered
  // above their value in the map.
  void Attendance(const cv1::Section& section, auth::Role role, int held,
                  const std::vector<std::string>& students,
                  const std::map<std::string, int>& attends_until) {
    for (int session = 1; session <= held; ++session) {
      rv1::RecordAttendanceRequest request;
      request.set_section(section.name());
      request.set_session_number(session);
      request.mutable_date()->set_year(2027);
      request.mutable_date()->set_month(3);
      request.mutable_date()->set_day(session + 1);
      for (const std::string& student : students) {
        auto* mark = request.add_marks();
        mark->set_student(student);
        const auto it = attends_until.find(student);
        mark->set_status(it != attends_until.end() && session > it->second ? rv1::ABSENT
                                                                           : rv1::PRESENT);
      }
      request.set_request_id(Id());
      Call(*credit_, &rv1::CreditService::Stub::RecordAttendance,
           Token(section.host().substr(13), role), request);
    }
  }

  void Assess(const cv1::Section& section, auth::Role role, const std::string& student,
              double score, double rate) {
    rv1::RecordAssessmentRequest request;
    request.mutable_assessment()->set_section(section.name());
    request.mutable_assessment()->set_student(student);
    request.mutable_assessment()->set_raw_score(score);
    request.mutable_assessment()->set_achievement_rate(rate);
    request.mutable_assessment()->set_notes("프로젝트 수행 능력이 우수함.");
    request.set_request_id(Id());
    Call(*credit_, &rv1::CreditService::Stub::RecordAssessment,
         Token(section.host().substr(13), role), request);
  }

  rv1::FinalizeSectionResponse Finalize(const cv1::Section& section, auth::Role role) {
    rv1::FinalizeSectionRequest request;
    request.set_section(section.name());
    request.set_request_id(Id());
    return Call(*credit_, &rv1::CreditService::Stub::FinalizeSection,
                Token(section.host().substr(13), role), request);
  }

  // The school's result feed, read until `expected` events arrived (delivery
  // waits for older transactions in the cluster) or 10 s passed.
  std::vector<rv1::ResultEvent> Results(const std::string& school, size_t expected,
                                        const std::string& cursor = "") {
    std::vector<rv1::ResultEvent> events;
    std::string position = cursor;
    for (int i = 0; i < 200 && events.size() < expected; ++i) {
      rv1::WatchResultsRequest request;
      request.set_cursor(position);
      auto context = ContextWithToken(School(school));
      auto reader = credit_->WatchResults(context.get(), request);
      rv1::ResultEvent event;
      while (reader->Read(&event)) {
        position = event.cursor();
        events.push_back(event);
      }
      EXPECT_TRUE(reader->Finish().ok());
      if (events.size() < expected) {
        absl::SleepFor(absl::Milliseconds(50));
      }
    }
    return events;
  }

  rv1::Acknowledgement Acknowledge(const std::string& school, const rv1::LedgerEntry& entry,
                                   grpc::StatusCode expected = grpc::StatusCode::OK) {
    rv1::AcknowledgeResultRequest request;
    request.set_entry(entry.name());
    request.set_version(entry.version());
    request.set_request_id(Id());
    return Call(*credit_, &rv1::CreditService::Stub::AcknowledgeResult, School(school), request,
                expected);
  }

  rv1::Transcript Transcript(const std::string& student) {
    rv1::GetTranscriptRequest request;
    request.set_student(student);
    return Call(*credit_, &rv1::CreditService::Stub::GetTranscript, School(student.substr(8, 11)),
                request);
  }

  std::unique_ptr<testing::ServiceProcess> catalog_process_, enrollment_process_, credit_process_;
  std::unique_ptr<cv1::CatalogService::Stub> catalog_;
  std::unique_ptr<ev1::EnrollmentService::Stub> enrollment_;
  std::unique_ptr<rv1::CreditService::Stub> credit_;
  std::string term_;
  int request_counter_ = 0;
};

TEST_F(SemesterTest, OneTermFromPublicationToTranscripts) {
  // ----- The city, the office and the hosts publish the term's courses.
  CreateInstitution(cv1::HIGH_SCHOOL, kSchoolA, "매홀고등학교");
  CreateInstitution(cv1::HIGH_SCHOOL, kSchoolB, "성호고등학교");
  CreateInstitution(cv1::HIGH_SCHOOL, kSchoolC, "세교고등학교");
  CreateInstitution(cv1::CITY_ACADEMY, kAcademy, "AI코딩에듀랩");
  CreateInstitution(cv1::LEARNING_SITE, kMaker, "오산메이커교육센터");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600));
  cv1::CreateTermRequest term;
  term.mutable_term()->set_year(static_cast<int>(today.year()));
  term.mutable_term()->set_semester(1);
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  term.mutable_term()->mutable_application_window()->set_start_unix(now - 3600);
  term.mutable_term()->mutable_application_window()->set_end_unix(now + 30 * 86400);
  const auto set = [](type::v1::Date* date, absl::CivilDay day) {
    date->set_year(static_cast<int>(day.year()));
    date->set_month(day.month());
    date->set_day(day.day());
  };
  set(term.mutable_term()->mutable_classes_start(), today + 1);
  set(term.mutable_term()->mutable_classes_end(), today + 120);
  set(term.mutable_term()->mutable_drop_deadline(), today + 20);
  set(term.mutable_term()->mutable_results_due(), today + 130);
  term.set_request_id(Id());
  term_ =
      Call(*catalog_, &cv1::CatalogService::Stub::CreateTerm, Token(kCity, auth::v1::CITY), term)
          .name();

  const cv1::Section ai = Offer(kAcademy, auth::v1::ACADEMY, "인공지능 기초", cv1::CAREER_ELECTIVE,
                                cv1::LIFE_AND_LIBERAL, cv1::FIRST_COME, cv1::TUESDAY);
  const cv1::Section calculus = Offer(kSchoolA, auth::v1::SCHOOL, "미적분Ⅱ", cv1::CAREER_ELECTIVE,
                                      cv1::MATHEMATICS, cv1::LOTTERY, cv1::WEDNESDAY);
  const cv1::Section maker =
      Offer(kMaker, auth::v1::ACADEMY, "자동제어기기제작", cv1::OUT_OF_SCHOOL, cv1::VOCATIONAL,
            cv1::FIRST_COME, cv1::SATURDAY, /*approve_recognition=*/true);

  // ----- Three schools register students and apply; home schools approve.
  const std::string a1 = Student(kSchoolA, "a1", "김민준");
  const std::string a2 = Student(kSchoolA, "a2", "이서연");
  const std::string b1 = Student(kSchoolB, "b1", "최예은");
  const std::string b2 = Student(kSchoolB, "b2", "정도윤");
  const std::string c1 = Student(kSchoolC, "c1", "강하은");
  EXPECT_EQ(Apply(a1, ai, 1, true).state(), ev1::ENROLLED);
  EXPECT_EQ(Apply(a1, calculus, 2, true).state(), ev1::APPROVED);
  const ev1::Application b1_ai = Apply(b1, ai, 1, false);
  EXPECT_EQ(b1_ai.state(), ev1::SUBMITTED);
  ev1::DecideApplicationRequest approve;
  approve.set_name(b1_ai.name());
  approve.set_request_id(Id());
  EXPECT_EQ(Call(*enrollment_, &ev1::EnrollmentService::Stub::ApproveApplication, School(kSchoolB),
                 approve)
                .state(),
            ev1::ENROLLED);
  EXPECT_EQ(Apply(b2, calculus, 1, true).state(), ev1::APPROVED);
  EXPECT_EQ(Apply(c1, ai, 1, true).state(), ev1::ENROLLED);
  EXPECT_EQ(Apply(c1, maker, 2, true).state(), ev1::ENROLLED);
  EXPECT_EQ(Apply(a2, maker, 1, true).state(), ev1::ENROLLED);

  // ----- Allocation at the lottery section's close; classes begin.
  Move(calculus, auth::v1::SCHOOL, {cv1::ENROLLMENT_CLOSED});
  ev1::RunAllocationRequest allocation;
  allocation.set_term(term_);
  allocation.set_seed(2027);
  allocation.set_request_id(Id());
  const ev1::AllocationRun run = Call(*enrollment_, &ev1::EnrollmentService::Stub::RunAllocation,
                                      Token(kCity, auth::v1::CITY), allocation);
  ASSERT_THAT(run.decisions(), SizeIs(2));
  for (const auto& decision : run.decisions()) {
    EXPECT_EQ(decision.outcome(), ev1::ENROLLED);
  }
  Move(ai, auth::v1::ACADEMY, {cv1::ENROLLMENT_CLOSED, cv1::IN_PROGRESS});
  Move(calculus, auth::v1::SCHOOL, {cv1::IN_PROGRESS});
  Move(maker, auth::v1::ACADEMY, {cv1::ENROLLMENT_CLOSED, cv1::IN_PROGRESS});

  // ----- Hosts take attendance and assess. Only the host may.
  rv1::RecordAttendanceRequest foreign;
  foreign.set_section(ai.name());
  foreign.set_session_number(1);
  foreign.mutable_date()->set_year(2027);
  foreign.mutable_date()->set_month(3);
  foreign.mutable_date()->set_day(2);
  foreign.set_request_id(Id());
  Call(*credit_, &rv1::CreditService::Stub::RecordAttendance, Token(kMaker, auth::v1::ACADEMY),
       foreign, grpc::StatusCode::PERMISSION_DENIED);
  Call(*credit_, &rv1::CreditService::Stub::RecordAttendance, School(kSchoolA), foreign,
       grpc::StatusCode::PERMISSION_DENIED);

  // b1 attends 3 of 6 held sessions (short of two thirds).
  Attendance(ai, auth::v1::ACADEMY, 6, {a1, b1, c1}, {{b1, 3}});
  Assess(ai, auth::v1::ACADEMY, a1, 92, 91);
  Assess(ai, auth::v1::ACADEMY, b1, 70, 65);
  Assess(ai, auth::v1::ACADEMY, c1, 81, 80);
  Attendance(calculus, auth::v1::SCHOOL, 4, {a1, b2}, {});
  Assess(calculus, auth::v1::SCHOOL, a1, 88, 85);
  Assess(calculus, auth::v1::SCHOOL, b2, 75, 72);
  // a2 attends 2 of 5 held sessions at the maker centre.
  Attendance(maker, auth::v1::ACADEMY, 5, {a2, c1}, {{a2, 2}});
  Assess(maker, auth::v1::ACADEMY, a2, 60, 55);
  Assess(maker, auth::v1::ACADEMY, c1, 90, 95);

  // ----- Finalization under the year's rules.
  const auto ai_results = Finalize(ai, auth::v1::ACADEMY);
  ASSERT_THAT(ai_results.entries(), SizeIs(3));
  EXPECT_EQ(ai_results.student_count(), 3);
  EXPECT_DOUBLE_EQ(ai_results.course_mean(), 81.0);
  std::map<std::string, rv1::LedgerEntry> by_student;
  for (const auto& entry : ai_results.entries()) {
    by_student[entry.package().student()] = entry;
    EXPECT_EQ(entry.package().rank(), "·");
    EXPECT_EQ(entry.package().remarks(), "공동교육과정");
    EXPECT_EQ(entry.package().host_display_name(), "AI코딩에듀랩");
  }
  EXPECT_EQ(by_student[a1].package().outcome(), rv1::COMPLETED);
  EXPECT_EQ(by_student[a1].package().achievement_level(), "A");
  EXPECT_EQ(by_student[a1].package().credits_earned(), 4);
  EXPECT_EQ(by_student[b1].package().outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(by_student[b1].package().outcome_reason(), HasSubstr("3/6"));
  const auto calculus_results = Finalize(calculus, auth::v1::SCHOOL);
  ASSERT_THAT(calculus_results.entries(), SizeIs(2));
  const auto maker_results = Finalize(maker, auth::v1::ACADEMY);
  for (const auto& entry : maker_results.entries()) {
    by_student[absl::StrCat(entry.package().student(), "/maker")] = entry;
    EXPECT_EQ(entry.package().remarks(), "학교 밖 교육");
  }
  EXPECT_EQ(by_student[absl::StrCat(a2, "/maker")].package().outcome(), rv1::REMEDIATION_REQUIRED);
  // Finalizing twice is refused; records of a finalized section are frozen.
  rv1::FinalizeSectionRequest again;
  again.set_section(ai.name());
  again.set_request_id(Id());
  Call(*credit_, &rv1::CreditService::Stub::FinalizeSection, Token(kAcademy, auth::v1::ACADEMY),
       again, grpc::StatusCode::FAILED_PRECONDITION);

  // ----- Remediation: b1 completes additional study; a2 does not.
  rv1::RecordRemediationRequest remediation;
  remediation.set_entry(by_student[b1].name());
  remediation.set_kind(rv1::ADDITIONAL_STUDY);
  remediation.set_satisfied(true);
  remediation.set_notes("추가학습 과제 3건 제출 완료");
  remediation.set_request_id(Id());
  const rv1::LedgerEntry b1_done = Call(*credit_, &rv1::CreditService::Stub::RecordRemediation,
                                        Token(kAcademy, auth::v1::ACADEMY), remediation);
  EXPECT_EQ(b1_done.version(), 2);
  EXPECT_EQ(b1_done.package().outcome(), rv1::COMPLETED);
  remediation.set_entry(by_student[absl::StrCat(a2, "/maker")].name());
  remediation.set_satisfied(false);
  remediation.set_notes("추가학습 미참여");
  remediation.set_request_id(Id());
  const rv1::LedgerEntry a2_failed = Call(*credit_, &rv1::CreditService::Stub::RecordRemediation,
                                          Token(kMaker, auth::v1::ACADEMY), remediation);
  EXPECT_EQ(a2_failed.package().outcome(), rv1::NOT_COMPLETED);
  EXPECT_EQ(a2_failed.package().credits_earned(), 0);

  // ----- Each home school's feed delivers exactly its own results.
  // A: a1 ×2 (AI, calculus), a2 ×2 (maker v1, v2). B: b1 ×2, b2. C: c1 ×2.
  const auto feed_a = Results(kSchoolA, 4);
  const auto feed_b = Results(kSchoolB, 3);
  const auto feed_c = Results(kSchoolC, 2);
  EXPECT_THAT(feed_a, SizeIs(4));
  EXPECT_THAT(feed_b, SizeIs(3));
  EXPECT_THAT(feed_c, SizeIs(2));
  for (const auto& [school, feed] :
       std::vector<std::pair<std::string, std::vector<rv1::ResultEvent>>>{
           {kSchoolA, feed_a}, {kSchoolB, feed_b}, {kSchoolC, feed_c}}) {
    for (const auto& event : feed) {
      EXPECT_TRUE(absl::StartsWith(event.entry().package().student(),
                                   absl::StrCat("schools/", school, "/")))
          << event.entry().package().student();
    }
  }
  // Another school cannot read a student's transcript or history.
  rv1::GetTranscriptRequest foreign_transcript;
  foreign_transcript.set_student(a1);
  Call(*credit_, &rv1::CreditService::Stub::GetTranscript, School(kSchoolB), foreign_transcript,
       grpc::StatusCode::PERMISSION_DENIED);
  rv1::GetLedgerHistoryRequest foreign_history;
  foreign_history.set_entry(by_student[a1].name());
  Call(*credit_, &rv1::CreditService::Stub::GetLedgerHistory, School(kSchoolC), foreign_history,
       grpc::StatusCode::PERMISSION_DENIED);

  // ----- Home schools acknowledge what they entered into NEIS.
  for (const auto& [school, feed] :
       std::vector<std::pair<std::string, std::vector<rv1::ResultEvent>>>{
           {kSchoolA, feed_a}, {kSchoolB, feed_b}, {kSchoolC, feed_c}}) {
    std::map<std::string, rv1::LedgerEntry> latest;
    for (const auto& event : feed) {
      if (latest[event.entry().name()].version() < event.entry().version()) {
        latest[event.entry().name()] = event.entry();
      }
    }
    for (const auto& [name, entry] : latest) {
      EXPECT_EQ(Acknowledge(school, entry).version(), entry.version());
    }
    rv1::ListPendingResultsRequest pending;
    pending.set_parent(absl::StrCat("schools/", school));
    EXPECT_THAT(
        Call(*credit_, &rv1::CreditService::Stub::ListPendingResults, School(school), pending)
            .entries(),
        SizeIs(0));
  }
  // A superseded version cannot be acknowledged.
  Acknowledge(kSchoolB, by_student[b1], grpc::StatusCode::FAILED_PRECONDITION);

  // ----- An amendment needs a fresh acknowledgement.
  const rv1::LedgerEntry calculus_a1 = calculus_results.entries(0).package().student() == a1
                                           ? calculus_results.entries(0)
                                           : calculus_results.entries(1);
  rv1::AmendResultRequest amend;
  amend.set_entry(calculus_a1.name());
  amend.set_notes("미분방정식 탐구 보고서를 우수하게 작성함.");
  amend.set_reason("세특 기재 오류 정정");
  amend.set_evidence_ref("학업성적관리위원회 2027-07 회의록");
  amend.set_request_id(Id());
  Call(*credit_, &rv1::CreditService::Stub::AmendResult, Token(kAcademy, auth::v1::ACADEMY), amend,
       grpc::StatusCode::PERMISSION_DENIED);
  amend.set_request_id(Id());
  const rv1::LedgerEntry amended =
      Call(*credit_, &rv1::CreditService::Stub::AmendResult, School(kSchoolA), amend);
  EXPECT_EQ(amended.version(), 2);
  rv1::ListPendingResultsRequest pending_a;
  pending_a.set_parent("schools/J10-7531001");
  const auto pending =
      Call(*credit_, &rv1::CreditService::Stub::ListPendingResults, School(kSchoolA), pending_a);
  ASSERT_THAT(pending.entries(), SizeIs(1));
  EXPECT_EQ(pending.entries(0).version(), 2);
  rv1::ExportPendingResultsRequest export_request;
  export_request.set_parent("schools/J10-7531001");
  const std::string csv = Call(*credit_, &rv1::CreditService::Stub::ExportPendingResults,
                               School(kSchoolA), export_request)
                              .csv();
  EXPECT_THAT(csv, HasSubstr("세부능력 및 특기사항"));
  EXPECT_THAT(csv, HasSubstr("미적분Ⅱ"));
  EXPECT_THAT(csv, HasSubstr("미분방정식 탐구 보고서"));
  const auto after_amendment = Results(kSchoolA, 1, feed_a.back().cursor());
  ASSERT_THAT(after_amendment, SizeIs(1));
  EXPECT_EQ(after_amendment[0].entry().version(), 2);
  Acknowledge(kSchoolA, amended);
  rv1::GetLedgerHistoryRequest history;
  history.set_entry(calculus_a1.name());
  const auto versions =
      Call(*credit_, &rv1::CreditService::Stub::GetLedgerHistory, School(kSchoolA), history);
  ASSERT_THAT(versions.versions(), SizeIs(2));
  EXPECT_EQ(versions.versions(0).package().notes(), "프로젝트 수행 능력이 우수함.");
  EXPECT_TRUE(versions.versions(1).acknowledged());

  // ----- Transcripts.
  const rv1::Transcript a1_transcript = Transcript(a1);
  EXPECT_EQ(a1_transcript.subject_credits(), 8);
  EXPECT_EQ(a1_transcript.subject_credits_required(), 174);
  EXPECT_EQ(a1_transcript.total_required(), 192);
  EXPECT_EQ(a1_transcript.korean_math_english(), 4);
  EXPECT_THAT(a1_transcript.results(), SizeIs(2));
  const rv1::Transcript a2_transcript = Transcript(a2);
  EXPECT_EQ(a2_transcript.subject_credits(), 0);
  ASSERT_THAT(a2_transcript.not_completed(), SizeIs(1));
  EXPECT_THAT(a2_transcript.not_completed(0), HasSubstr("자동제어기기제작"));
  EXPECT_EQ(Transcript(b1).subject_credits(), 4);
  EXPECT_EQ(Transcript(c1).subject_credits(), 8);

  // ----- All three services stop cleanly.
  EXPECT_EQ(credit_process_->Stop(), 0);
  EXPECT_EQ(enrollment_process_->Stop(), 0);
  EXPECT_EQ(catalog_process_->Stop(), 0);
}

}  // namespace
}  // namespace osan
