#include "tools/demo/semester_walk.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/names.h"
#include "common/status.h"
#include "services/enrollment/client/allocation_wait.h"

namespace osan::demo {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
namespace rv1 = credit::v1;

const absl::TimeZone kKorea = absl::FixedTimeZone(9 * 60 * 60);

void SetDate(type::v1::Date* date, absl::CivilDay day) {
  date->set_year(static_cast<int>(day.year()));
  date->set_month(day.month());
  date->set_day(day.day());
}

auth::Role RoleOf(const std::string& code) {
  return code.rfind("J10-", 0) == 0 ? auth::v1::SCHOOL : auth::v1::ACADEMY;
}

std::string HostCode(const cv1::Section& section) { return InstitutionCodeOf(section.host()); }

// The steps of the walk, sharing the clients and a request-id counter.
class Walker {
 public:
  Walker(Clients& clients, const WalkOptions& options) : c_(clients), options_(options) {}

  absl::StatusOr<Semester> Walk();

 private:
  std::string Id() { return absl::StrCat(options_.request_prefix, "-", ++counter_); }
  void Say(const std::string& line) {
    if (options_.progress) {
      options_.progress(line);
    }
  }

  absl::Status Institution(cv1::InstitutionKind kind, const std::string& code,
                           const std::string& name);
  absl::StatusOr<std::string> Term();
  absl::StatusOr<cv1::Section> Offer(const std::string& host, const std::string& title,
                                     cv1::Category category, cv1::SubjectArea area,
                                     cv1::AllocationPolicy policy, cv1::Weekday weekday,
                                     bool approve_recognition);
  absl::Status Move(const cv1::Section& section, std::initializer_list<cv1::SectionState> states);
  absl::StatusOr<std::string> Student(const std::string& school, const std::string& key,
                                      const std::string& name);
  absl::StatusOr<ev1::Application> Apply(const std::string& student, const cv1::Section& section,
                                         int rank, bool approve);
  // Holds every planned session of `section` (as the catalog plans it now),
  // each student present except for their last `absences` sessions.
  absl::Status Attendance(const cv1::Section& section, const std::vector<std::string>& students,
                          const std::map<std::string, int>& absences);
  absl::StatusOr<rv1::SupportRecord> Prevent(const cv1::Section& section,
                                             const std::string& student, const std::string& notes);
  absl::Status Assess(const cv1::Section& section, const std::string& student, double score,
                      double rate, const std::string& notes);
  absl::StatusOr<rv1::LedgerEntry> Remediate(const rv1::LedgerEntry& entry, const std::string& host,
                                             rv1::RemediationKind kind, bool satisfied,
                                             const std::string& notes);
  // Reads the school's feed until `expected` events (delivery waits for
  // older transactions in the cluster), then acknowledges each entry's
  // latest version.
  absl::StatusOr<std::vector<rv1::ResultEvent>> ReadAndAcknowledge(const std::string& school,
                                                                   size_t expected,
                                                                   const std::string& cursor);

  Clients& c_;
  const WalkOptions options_;
  int counter_ = 0;
  Semester semester_;
};

absl::Status Walker::Institution(cv1::InstitutionKind kind, const std::string& code,
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
  return c_
      .Call(c_.catalog(), &cv1::CatalogService::Stub::CreateInstitution, kCity, auth::v1::CITY,
            request)
      .status();
}

absl::StatusOr<std::string> Walker::Term() {
  const absl::Time now = absl::Now();
  const absl::CivilDay today = absl::ToCivilDay(now, kKorea);
  cv1::CreateTermRequest request;
  cv1::Term& term = *request.mutable_term();
  term.set_year(options_.year);
  term.set_semester(options_.semester);
  // Opened a month ago, so that a later term whose window opened since stays
  // the public listing's current term.
  term.mutable_application_window()->set_start_unix(absl::ToUnixSeconds(now) - 30 * 86400);
  term.mutable_application_window()->set_end_unix(absl::ToUnixSeconds(now) + 7 * 86400);
  SetDate(term.mutable_classes_start(), today + 1);
  SetDate(term.mutable_classes_end(), today + 120);
  SetDate(term.mutable_drop_deadline(), today + 20);
  SetDate(term.mutable_results_due(), today + 130);
  request.set_request_id(Id());
  OSAN_ASSIGN_OR_RETURN(const cv1::Term created,
                        c_.Call(c_.catalog(), &cv1::CatalogService::Stub::CreateTerm, kCity,
                                auth::v1::CITY, request));
  return created.name();
}

absl::StatusOr<cv1::Section> Walker::Offer(const std::string& host, const std::string& title,
                                           cv1::Category category, cv1::SubjectArea area,
                                           cv1::AllocationPolicy policy, cv1::Weekday weekday,
                                           bool approve_recognition) {
  cv1::CreateCourseRequest course;
  course.mutable_course()->set_title(title);
  course.mutable_course()->set_category(category);
  course.mutable_course()->set_subject_area(area);
  course.mutable_course()->set_delivery_mode(cv1::IN_PERSON);
  course.mutable_course()->set_host(absl::StrCat("institutions/", host));
  // Two credits: 32 sessions (34 where a 2015-curriculum cohort is admitted),
  // which the weekly meeting below holds over the term's 17 weeks.
  course.mutable_course()->set_credits(2);
  course.mutable_course()->set_description(absl::StrCat(title, " (", semester_.term, ")"));
  course.set_request_id(Id());
  OSAN_ASSIGN_OR_RETURN(
      const cv1::Course created,
      c_.Call(c_.catalog(), &cv1::CatalogService::Stub::CreateCourse, host, RoleOf(host), course));
  if (approve_recognition) {
    cv1::ReviewRecognitionRequest review;
    review.set_name(created.name());
    review.set_decision(cv1::APPROVED);
    review.set_reason("학점 인정 기준 충족");
    review.set_request_id(Id());
    OSAN_RETURN_IF_ERROR(c_.Call(c_.catalog(), &cv1::CatalogService::Stub::ReviewRecognition,
                                 kOffice, auth::v1::EDU_OFFICE, review)
                             .status());
  }
  cv1::CreateSectionRequest request;
  request.set_parent(semester_.term);
  cv1::Section& section = *request.mutable_section();
  section.set_course(created.name());
  section.set_capacity(10);
  auto* meeting = section.add_weekly_meetings();
  meeting->set_weekday(weekday);
  meeting->mutable_start_time()->set_hours(16);
  meeting->mutable_end_time()->set_hours(19);
  meeting->mutable_end_time()->set_minutes(20);  // four periods
  section.set_location("실습실");
  section.set_allocation_policy(policy);
  request.set_request_id(Id());
  OSAN_ASSIGN_OR_RETURN(const cv1::Section draft,
                        c_.Call(c_.catalog(), &cv1::CatalogService::Stub::CreateSection, host,
                                RoleOf(host), request));
  OSAN_RETURN_IF_ERROR(Move(draft, {cv1::PUBLISHED, cv1::ENROLLMENT_OPEN}));
  return draft;
}

absl::Status Walker::Move(const cv1::Section& section,
                          std::initializer_list<cv1::SectionState> states) {
  for (const cv1::SectionState state : states) {
    cv1::TransitionSectionRequest request;
    request.set_name(section.name());
    request.set_target_state(state);
    request.set_request_id(Id());
    OSAN_RETURN_IF_ERROR(c_.Call(c_.catalog(), &cv1::CatalogService::Stub::TransitionSection,
                                 HostCode(section), RoleOf(HostCode(section)), request)
                             .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Walker::Student(const std::string& school, const std::string& key,
                                            const std::string& name) {
  ev1::CreateStudentRequest request;
  request.set_parent(absl::StrCat("schools/", school));
  request.mutable_student()->set_student_key(absl::StrCat(options_.request_prefix, "-", key));
  request.mutable_student()->set_grade_level(2);
  request.mutable_student()->set_entry_year(options_.year - 1);
  request.mutable_student()->set_display_name(name);
  request.set_request_id(Id());
  OSAN_ASSIGN_OR_RETURN(const ev1::Student created,
                        c_.Call(c_.enrollment(), &ev1::EnrollmentService::Stub::CreateStudent,
                                school, auth::v1::SCHOOL, request));
  semester_.students[key] = created.name();
  return created.name();
}

absl::StatusOr<ev1::Application> Walker::Apply(const std::string& student,
                                               const cv1::Section& section, int rank,
                                               bool approve) {
  const std::string school = student.substr(8, student.find("/students/") - 8);
  ev1::SubmitApplicationRequest request;
  request.mutable_application()->set_student(student);
  request.mutable_application()->set_section(section.name());
  request.mutable_application()->set_preference_rank(rank);
  request.set_approve(approve);
  request.set_request_id(Id());
  return c_.Call(c_.enrollment(), &ev1::EnrollmentService::Stub::SubmitApplication, school,
                 auth::v1::SCHOOL, request);
}

absl::Status Walker::Attendance(const cv1::Section& section,
                                const std::vector<std::string>& students,
                                const std::map<std::string, int>& absences) {
  cv1::GetSectionRequest get;
  get.set_name(section.name());
  OSAN_ASSIGN_OR_RETURN(const cv1::Section planned,
                        c_.Call(c_.catalog(), &cv1::CatalogService::Stub::GetSection,
                                HostCode(section), RoleOf(HostCode(section)), get));
  const int sessions = planned.sessions();
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), kKorea);
  for (int session = 1; session <= sessions; ++session) {
    credit::v1::RecordAttendanceRequest request;
    request.set_section(section.name());
    request.set_session_number(session);
    SetDate(request.mutable_date(), today + session);
    for (const std::string& student : students) {
      auto* mark = request.add_marks();
      mark->set_student(student);
      const auto it = absences.find(student);
      const bool absent = it != absences.end() && session > sessions - it->second;
      // One late arrival: late counts as attended.
      mark->set_status(absent ? rv1::ABSENT : session == 2 ? rv1::LATE : rv1::PRESENT);
    }
    request.set_request_id(Id());
    OSAN_RETURN_IF_ERROR(c_.Call(c_.credit(), &rv1::CreditService::Stub::RecordAttendance,
                                 HostCode(section), RoleOf(HostCode(section)), request)
                             .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<rv1::SupportRecord> Walker::Prevent(const cv1::Section& section,
                                                   const std::string& student,
                                                   const std::string& notes) {
  rv1::RecordPreventiveInstructionRequest request;
  request.set_section(section.name());
  request.set_student(student);
  request.set_notes(notes);
  request.set_request_id(Id());
  return c_.Call(c_.credit(), &rv1::CreditService::Stub::RecordPreventiveInstruction,
                 HostCode(section), RoleOf(HostCode(section)), request);
}

absl::Status Walker::Assess(const cv1::Section& section, const std::string& student, double score,
                            double rate, const std::string& notes) {
  rv1::RecordAssessmentRequest request;
  request.mutable_assessment()->set_section(section.name());
  request.mutable_assessment()->set_student(student);
  request.mutable_assessment()->set_raw_score(score);
  request.mutable_assessment()->set_achievement_rate(rate);
  request.mutable_assessment()->set_notes(notes);
  request.set_request_id(Id());
  return c_
      .Call(c_.credit(), &rv1::CreditService::Stub::RecordAssessment, HostCode(section),
            RoleOf(HostCode(section)), request)
      .status();
}

absl::StatusOr<rv1::LedgerEntry> Walker::Remediate(const rv1::LedgerEntry& entry,
                                                   const std::string& host,
                                                   rv1::RemediationKind kind, bool satisfied,
                                                   const std::string& notes) {
  rv1::RecordRemediationRequest request;
  request.set_entry(entry.name());
  request.set_kind(kind);
  request.set_satisfied(satisfied);
  request.set_notes(notes);
  request.set_request_id(Id());
  return c_.Call(c_.credit(), &rv1::CreditService::Stub::RecordRemediation, host, RoleOf(host),
                 request);
}

absl::StatusOr<std::vector<rv1::ResultEvent>> Walker::ReadAndAcknowledge(
    const std::string& school, size_t expected, const std::string& cursor) {
  std::vector<rv1::ResultEvent> events;
  std::string position = cursor;
  for (int i = 0; i < 200 && events.size() < expected; ++i) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + c_.Token(school, auth::v1::SCHOOL));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    rv1::WatchResultsRequest request;
    request.set_cursor(position);
    auto reader = c_.credit().WatchResults(&context, request);
    rv1::ResultEvent event;
    while (reader->Read(&event)) {
      position = event.cursor();
      events.push_back(event);
    }
    const grpc::Status status = reader->Finish();
    if (!status.ok()) {
      return FromGrpcStatus(status, "WatchResults");
    }
    if (events.size() < expected) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  std::map<std::string, rv1::LedgerEntry> latest;
  for (const auto& event : events) {
    if (latest[event.entry().name()].version() < event.entry().version()) {
      latest[event.entry().name()] = event.entry();
    }
  }
  for (const auto& [name, entry] : latest) {
    rv1::AcknowledgeResultRequest request;
    request.set_entry(name);
    request.set_version(entry.version());
    request.set_request_id(Id());
    OSAN_RETURN_IF_ERROR(c_.Call(c_.credit(), &rv1::CreditService::Stub::AcknowledgeResult, school,
                                 auth::v1::SCHOOL, request)
                             .status());
  }
  return events;
}

absl::StatusOr<Semester> Walker::Walk() {
  if (options_.create_institutions) {
    OSAN_RETURN_IF_ERROR(Institution(cv1::HIGH_SCHOOL, kSchoolA, "매홀고등학교"));
    OSAN_RETURN_IF_ERROR(Institution(cv1::HIGH_SCHOOL, kSchoolB, "성호고등학교"));
    OSAN_RETURN_IF_ERROR(Institution(cv1::HIGH_SCHOOL, kSchoolC, "세교고등학교"));
    OSAN_RETURN_IF_ERROR(Institution(cv1::CITY_ACADEMY, kAcademy, "AI코딩에듀랩"));
    OSAN_RETURN_IF_ERROR(Institution(cv1::LEARNING_SITE, kMaker, "오산메이커교육센터"));
  }
  OSAN_ASSIGN_OR_RETURN(semester_.term, Term());
  Say(absl::StrCat("semester walk in ", semester_.term));
  OSAN_ASSIGN_OR_RETURN(
      semester_.ai, Offer(kAcademy, "인공지능 기초", cv1::CAREER_ELECTIVE, cv1::LIFE_AND_LIBERAL,
                          cv1::FIRST_COME, cv1::TUESDAY, true));
  OSAN_ASSIGN_OR_RETURN(semester_.calculus,
                        Offer(kSchoolA, "공통수학2", cv1::COMMON, cv1::MATHEMATICS, cv1::LOTTERY,
                              cv1::WEDNESDAY, false));
  OSAN_ASSIGN_OR_RETURN(semester_.maker,
                        Offer(kMaker, "자동제어기기제작", cv1::CAREER_ELECTIVE, cv1::VOCATIONAL,
                              cv1::FIRST_COME, cv1::SATURDAY, true));
  Say("  published 3 courses (two taught outside school, recognised by the office)");

  OSAN_ASSIGN_OR_RETURN(const std::string a1, Student(kSchoolA, "a1", "김민준"));
  OSAN_ASSIGN_OR_RETURN(const std::string a2, Student(kSchoolA, "a2", "이서연"));
  OSAN_ASSIGN_OR_RETURN(const std::string b1, Student(kSchoolB, "b1", "최예은"));
  OSAN_ASSIGN_OR_RETURN(const std::string b2, Student(kSchoolB, "b2", "정도윤"));
  OSAN_ASSIGN_OR_RETURN(const std::string c1, Student(kSchoolC, "c1", "강하은"));
  const auto record = [&](const std::string& key,
                          const absl::StatusOr<ev1::Application>& result) -> absl::Status {
    OSAN_RETURN_IF_ERROR(result.status());
    semester_.applied[key] = result->state();
    return absl::OkStatus();
  };
  OSAN_RETURN_IF_ERROR(record("a1/ai", Apply(a1, semester_.ai, 1, true)));
  OSAN_RETURN_IF_ERROR(record("a1/calculus", Apply(a1, semester_.calculus, 2, true)));
  OSAN_ASSIGN_OR_RETURN(const ev1::Application b1_ai, Apply(b1, semester_.ai, 1, false));
  ev1::DecideApplicationRequest approve;
  approve.set_name(b1_ai.name());
  approve.set_request_id(Id());
  OSAN_RETURN_IF_ERROR(
      record("b1/ai", c_.Call(c_.enrollment(), &ev1::EnrollmentService::Stub::ApproveApplication,
                              kSchoolB, auth::v1::SCHOOL, approve)));
  OSAN_RETURN_IF_ERROR(record("b2/calculus", Apply(b2, semester_.calculus, 1, true)));
  OSAN_RETURN_IF_ERROR(record("c1/ai", Apply(c1, semester_.ai, 1, true)));
  OSAN_RETURN_IF_ERROR(record("c1/maker", Apply(c1, semester_.maker, 2, true)));
  OSAN_RETURN_IF_ERROR(record("a2/maker", Apply(a2, semester_.maker, 1, true)));
  Say("  5 students of 3 schools applied; home schools approved");

  OSAN_RETURN_IF_ERROR(Move(semester_.calculus, {cv1::ENROLLMENT_CLOSED}));
  ev1::RunAllocationRequest allocation;
  allocation.set_term(semester_.term);
  allocation.set_seed(2027);
  allocation.set_request_id(Id());
  OSAN_ASSIGN_OR_RETURN(const ev1::AllocationOperation operation,
                        c_.Call(c_.enrollment(), &ev1::EnrollmentService::Stub::RunAllocation,
                                kCity, auth::v1::CITY, allocation));
  OSAN_ASSIGN_OR_RETURN(
      semester_.allocation,
      enrollment::AwaitAllocation(
          operation,
          [this](const std::string& name) {
            ev1::GetAllocationOperationRequest get;
            get.set_name(name);
            return c_.Call(c_.enrollment(), &ev1::EnrollmentService::Stub::GetAllocationOperation,
                           kCity, auth::v1::CITY, get);
          },
          absl::Now() + absl::Seconds(60), [](const ev1::AllocationOperation&) {}));
  ev1::ListAllocationDecisionsRequest decisions;
  decisions.set_parent(semester_.allocation.name());
  OSAN_ASSIGN_OR_RETURN(
      const ev1::ListAllocationDecisionsResponse decided,
      c_.Call(c_.enrollment(), &ev1::EnrollmentService::Stub::ListAllocationDecisions, kCity,
              auth::v1::CITY, decisions));
  semester_.allocation_decisions.assign(decided.decisions().begin(), decided.decisions().end());
  OSAN_RETURN_IF_ERROR(Move(semester_.ai, {cv1::ENROLLMENT_CLOSED, cv1::IN_PROGRESS}));
  OSAN_RETURN_IF_ERROR(Move(semester_.calculus, {cv1::IN_PROGRESS}));
  OSAN_RETURN_IF_ERROR(Move(semester_.maker, {cv1::ENROLLMENT_CLOSED, cv1::IN_PROGRESS}));
  Say(absl::StrCat("  allocation ", semester_.allocation.name(), " (seed 2027); classes began"));

  // b2 is at risk in calculus: preventive instruction during the term.
  OSAN_ASSIGN_OR_RETURN(semester_.preventive,
                        Prevent(semester_.calculus, b2, "방과후 기초 개념 보충 (4회)"));
  // Every planned session is held; b1 misses the last 14 of ai and a2 the
  // last 14 of maker: short of two thirds.
  OSAN_RETURN_IF_ERROR(Attendance(semester_.ai, {a1, b1, c1}, {{b1, 14}}));
  OSAN_RETURN_IF_ERROR(Assess(semester_.ai, a1, 92, 91, "자연어 처리 프로젝트를 주도함."));
  OSAN_RETURN_IF_ERROR(Assess(semester_.ai, b1, 70, 65, "이미지 분류 모델을 구현함."));
  OSAN_RETURN_IF_ERROR(Assess(semester_.ai, c1, 81, 80, "데이터 전처리에 강점을 보임."));
  OSAN_RETURN_IF_ERROR(Attendance(semester_.calculus, {a1, b2}, {}));
  OSAN_RETURN_IF_ERROR(Assess(semester_.calculus, a1, 88, 85, "프로젝트 수행 능력이 우수함."));
  OSAN_RETURN_IF_ERROR(Assess(semester_.calculus, b2, 38, 35, "기본 개념을 반복 학습함."));
  OSAN_RETURN_IF_ERROR(Attendance(semester_.maker, {a2, c1}, {{a2, 14}}));
  OSAN_RETURN_IF_ERROR(Assess(semester_.maker, a2, 60, 55, "센서 회로를 설계함."));
  OSAN_RETURN_IF_ERROR(Assess(semester_.maker, c1, 90, 95, "자동 급수 장치를 완성함."));
  Say("  hosts held every planned session, gave preventive instruction, recorded assessments");

  for (const auto& [course, section] : std::vector<std::pair<std::string, const cv1::Section*>>{
           {"ai", &semester_.ai}, {"calculus", &semester_.calculus}, {"maker", &semester_.maker}}) {
    credit::v1::FinalizeSectionRequest request;
    request.set_section(section->name());
    request.set_request_id(Id());
    OSAN_ASSIGN_OR_RETURN(semester_.finalized[course],
                          c_.Call(c_.credit(), &rv1::CreditService::Stub::FinalizeSection,
                                  HostCode(*section), RoleOf(HostCode(*section)), request));
  }
  const auto entry_of = [&](const std::string& course,
                            const std::string& student) -> absl::StatusOr<rv1::LedgerEntry> {
    for (const auto& entry : semester_.finalized[course].entries()) {
      if (entry.package().student() == student) {
        return entry;
      }
    }
    return absl::NotFoundError(absl::StrCat("no result for ", student, " in ", course));
  };
  Say("  sections finalized, each student under the rule of their cohort and the year");

  OSAN_ASSIGN_OR_RETURN(const rv1::LedgerEntry b1_ai_result, entry_of("ai", b1));
  OSAN_ASSIGN_OR_RETURN(semester_.remediation_passed,
                        Remediate(b1_ai_result, kAcademy, rv1::ADDITIONAL_STUDY, true,
                                  "추가학습 과제 3건 제출 완료"));
  OSAN_ASSIGN_OR_RETURN(const rv1::LedgerEntry a2_maker_result, entry_of("maker", a2));
  OSAN_ASSIGN_OR_RETURN(
      semester_.remediation_failed,
      Remediate(a2_maker_result, kMaker, rv1::ADDITIONAL_STUDY, false, "추가학습 미참여"));
  OSAN_ASSIGN_OR_RETURN(const rv1::LedgerEntry b2_calculus_result, entry_of("calculus", b2));
  const auto& open = b2_calculus_result.package().open_shortfalls();
  const bool remedial_due = std::find(open.begin(), open.end(), rv1::ACHIEVEMENT) != open.end();
  if (remedial_due) {
    OSAN_ASSIGN_OR_RETURN(semester_.remedial_passed,
                          Remediate(b2_calculus_result, HostCode(semester_.calculus),
                                    rv1::REMEDIAL_INSTRUCTION, true, "보충지도 5시간 이수"));
  }
  Say(absl::StrCat("  additional study: one passed, one not completed; remedial instruction: ",
                   remedial_due ? "passed" : "not due under the student's rule"));

  // A: a1 ×2, a2 ×2 (with additional study); B: b1 ×2, b2 (×2 with remedial
  // instruction); C: c1 ×2.
  for (const auto& [school, expected] : std::vector<std::pair<std::string, size_t>>{
           {kSchoolA, 4}, {kSchoolB, remedial_due ? 4 : 3}, {kSchoolC, 2}}) {
    OSAN_ASSIGN_OR_RETURN(semester_.feeds[school], ReadAndAcknowledge(school, expected, ""));
  }
  Say("  home schools read their result feeds and acknowledged");

  OSAN_ASSIGN_OR_RETURN(const rv1::LedgerEntry calculus_a1, entry_of("calculus", a1));
  rv1::AmendResultRequest amend;
  amend.set_entry(calculus_a1.name());
  amend.set_notes("미분방정식 탐구 보고서를 우수하게 작성함.");
  amend.set_reason("세특 기재 오류 정정");
  amend.set_evidence_ref("학업성적관리위원회 회의록");
  amend.set_request_id(Id());
  OSAN_ASSIGN_OR_RETURN(semester_.amended,
                        c_.Call(c_.credit(), &rv1::CreditService::Stub::AmendResult, kSchoolA,
                                auth::v1::SCHOOL, amend));
  OSAN_ASSIGN_OR_RETURN(const auto after,
                        ReadAndAcknowledge(kSchoolA, 1, semester_.feeds[kSchoolA].back().cursor()));
  if (after.empty() || after.back().entry().version() != semester_.amended.version()) {
    return absl::InternalError("the amendment did not reach the home school's feed");
  }
  semester_.amended.set_acknowledged(true);
  Say("  one result amended and acknowledged again");
  return semester_;
}

}  // namespace

Clients::Clients(const auth::TokenSigner& signer, std::shared_ptr<grpc::Channel> catalog,
                 std::shared_ptr<grpc::Channel> enrollment, std::shared_ptr<grpc::Channel> credit)
    : signer_(signer),
      catalog_(catalog::v1::CatalogService::NewStub(std::move(catalog))),
      enrollment_(enrollment::v1::EnrollmentService::NewStub(std::move(enrollment))),
      credit_(credit::v1::CreditService::NewStub(std::move(credit))) {}

std::string Clients::Token(const std::string& institution, auth::Role role) const {
  auto token = signer_.Issue({institution, role}, absl::Now(), absl::Minutes(10));
  return token.ok() ? *token : "";
}

absl::StatusOr<Semester> WalkSemester(Clients& clients, const WalkOptions& options) {
  return Walker(clients, options).Walk();
}

}  // namespace osan::demo
