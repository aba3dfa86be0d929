// credit-record against real PostgreSQL, with catalog and enrollment running
// beside it (tests/support/credit_exchange.h): the rules of the record as the
// database seeds them, finalization (every planned session held, each
// student's cohort deciding the rule row, the recognised course version and
// the remarks by host), minimum-achievement support (preventive, remedial,
// additional study, one kind never clearing another's shortfall), amendments
// (re-decided keeping the support recorded, statistics re-issued to the rest
// of the section) and bad input (a precise status naming the field, nothing
// written). Also the programmes (사업) that fund courses and sections, and
// their reports (ReportService), through the API and `osanctl`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/names.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "services/credit/domain/rules.h"
#include "services/credit/store/credit_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/credit_exchange.h"

namespace osan {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
namespace rv1 = credit::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kAcademy;
using testing::kCity;
using testing::kOffice;
using testing::kSchoolA;
using testing::kSchoolB;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kOnlineSchool[] = "GG-ONLINE";

auth::Role RoleOf(const std::string& code) {
  return absl::StartsWith(code, "J10-") ? auth::v1::SCHOOL : auth::v1::ACADEMY;
}

std::string HostOf(const cv1::Section& section) { return InstitutionCodeOf(section.host()); }

int TermYear() {
  return static_cast<int>(absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year());
}

std::vector<int> Open(const rv1::ResultPackage& package) {
  return {package.open_shortfalls().begin(), package.open_shortfalls().end()};
}

class CreditApiTest : public ::testing::Test {
 protected:
  CreditApiTest() { suite_.exchange().CreateBasics(); }

  std::string Id() { return absl::StrCat("credit-api-", ++counter_); }

  // Calls `method` of `stub` as `institution` (SCHOOL for J10- codes, else
  // ACADEMY).
  template <class Stub, class Request, class Response>
  absl::StatusOr<Response> As(const std::string& institution, Stub& stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                           Response*),
                              const Request& request) {
    return suite_.clients().Call(stub, method, institution, RoleOf(institution), request);
  }
  template <class Request, class Response>
  absl::StatusOr<Response> Credit(const std::string& institution,
                                  grpc::Status (rv1::CreditService::Stub::*method)(
                                      grpc::ClientContext*, const Request&, Response*),
                                  const Request& request) {
    return As(institution, suite_.credit(), method, request);
  }

  // A one-credit course of `host` and a FIRST_COME section of it open for
  // enrolment; a course taught outside school is recognised first. Zero
  // `sessions` lets the catalog plan them (credits × the sessions per credit
  // of the curricula `grades` admit).
  cv1::Section Offer(const std::string& host, const std::string& title, cv1::Category category,
                     cv1::SubjectArea area, std::vector<int> grades,
                     cv1::DeliveryMode mode = cv1::IN_PERSON, int sessions = 0,
                     cv1::Course* course_out = nullptr) {
    cv1::CreateCourseRequest course;
    course.mutable_course()->set_title(title);
    course.mutable_course()->set_category(category);
    course.mutable_course()->set_subject_area(area);
    course.mutable_course()->set_delivery_mode(mode);
    course.mutable_course()->set_credits(1);
    course.mutable_course()->set_host(absl::StrCat("institutions/", host));
    course.set_request_id(Id());
    auto created =
        As(host, suite_.exchange().catalog(), &cv1::CatalogService::Stub::CreateCourse, course);
    EXPECT_TRUE(created.ok()) << created.status();
    if (created.ok() && created->recognition().state() == cv1::PENDING) {
      cv1::ReviewRecognitionRequest review;
      review.set_name(created->name());
      review.set_decision(cv1::APPROVED);
      review.set_etag(created->etag());
      review.set_request_id(Id());
      created = suite_.clients().Call(suite_.exchange().catalog(),
                                      &cv1::CatalogService::Stub::ReviewRecognition, kOffice,
                                      auth::v1::EDU_OFFICE, review);
      EXPECT_TRUE(created.ok()) << created.status();
    }
    if (course_out != nullptr && created.ok()) {
      *course_out = *created;
    }
    cv1::CreateSectionRequest request;
    request.set_parent(absl::StrCat("terms/", TermYear(), "-1"));
    cv1::Section& section = *request.mutable_section();
    section.set_course(created.ok() ? created->name() : "");
    section.set_capacity(10);
    section.set_sessions(sessions);
    auto* meeting = section.add_weekly_meetings();
    meeting->set_weekday(static_cast<cv1::Weekday>(cv1::MONDAY + (counter_ % 5)));
    meeting->mutable_start_time()->set_hours(16);
    meeting->mutable_end_time()->set_hours(19);
    meeting->mutable_end_time()->set_minutes(20);
    if (mode != cv1::ONLINE_REALTIME) {
      section.set_location("실습실");
    }
    section.set_allocation_policy(cv1::FIRST_COME);
    section.set_host_share_cap_percent(100);
    for (const int grade : grades) {
      section.add_eligible_grades(grade);
    }
    request.set_request_id(Id());
    auto offered =
        As(host, suite_.exchange().catalog(), &cv1::CatalogService::Stub::CreateSection, request);
    EXPECT_TRUE(offered.ok()) << offered.status();
    if (!offered.ok()) {
      return cv1::Section();
    }
    suite_.exchange().Transition(*offered, cv1::PUBLISHED);
    suite_.exchange().Transition(*offered, cv1::ENROLLMENT_OPEN);
    return *offered;
  }

  // A student of `school` in `grade` (of the current school year), enrolled
  // in `section`.
  std::string Enroll(const std::string& school, const std::string& key, int grade,
                     const cv1::Section& section) {
    const ev1::Student student = suite_.exchange().CreateStudent(school, key, grade);
    ev1::Application application;
    const grpc::Status status =
        suite_.exchange().Apply(student.name(), section.name(), 1, true, &application);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(application.state(), ev1::ENROLLED);
    return student.name();
  }

  void Start(const cv1::Section& section) {
    suite_.exchange().Transition(section, cv1::ENROLLMENT_CLOSED);
    suite_.exchange().Transition(section, cv1::IN_PROGRESS);
  }

  // Records sessions `first`..`last` of `section`: each student PRESENT
  // unless `status(student, session)` says otherwise.
  void Record(
      const cv1::Section& section, int first, int last, const std::vector<std::string>& students,
      const std::function<rv1::AttendanceStatus(const std::string&, int)>& status = nullptr) {
    const absl::CivilDay start = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600));
    for (int session = first; session <= last; ++session) {
      rv1::RecordAttendanceRequest request;
      request.set_section(section.name());
      request.set_session_number(session);
      const absl::CivilDay day = start + session;
      request.mutable_date()->set_year(static_cast<int>(day.year()));
      request.mutable_date()->set_month(day.month());
      request.mutable_date()->set_day(day.day());
      for (const std::string& student : students) {
        rv1::AttendanceMark& mark = *request.add_marks();
        mark.set_student(student);
        mark.set_status(status ? status(student, session) : rv1::PRESENT);
      }
      request.set_request_id(Id());
      const auto recorded =
          Credit(HostOf(section), &rv1::CreditService::Stub::RecordAttendance, request);
      ASSERT_TRUE(recorded.ok()) << "session " << session << ": " << recorded.status();
    }
  }

  // Every planned session of `section`.
  void RecordAll(
      const cv1::Section& section, const std::vector<std::string>& students,
      const std::function<rv1::AttendanceStatus(const std::string&, int)>& status = nullptr) {
    ASSERT_GT(section.sessions(), 0);
    Record(section, 1, section.sessions(), students, status);
  }

  void Assess(const cv1::Section& section, const std::string& student, double raw_score,
              double rate) {
    rv1::RecordAssessmentRequest request;
    request.mutable_assessment()->set_section(section.name());
    request.mutable_assessment()->set_student(student);
    request.mutable_assessment()->set_raw_score(raw_score);
    request.mutable_assessment()->set_achievement_rate(rate);
    request.mutable_assessment()->set_notes("탐구 과제를 수행함.");
    request.set_request_id(Id());
    const auto recorded =
        Credit(HostOf(section), &rv1::CreditService::Stub::RecordAssessment, request);
    ASSERT_TRUE(recorded.ok()) << recorded.status();
  }

  absl::StatusOr<rv1::FinalizeSectionResponse> Finalize(const cv1::Section& section) {
    rv1::FinalizeSectionRequest request;
    request.set_section(section.name());
    request.set_request_id(Id());
    return Credit(HostOf(section), &rv1::CreditService::Stub::FinalizeSection, request);
  }

  // The results of a finalized section by student.
  std::map<std::string, rv1::LedgerEntry> Finalized(const cv1::Section& section) {
    const auto finalized = Finalize(section);
    EXPECT_TRUE(finalized.ok()) << finalized.status();
    std::map<std::string, rv1::LedgerEntry> results;
    if (finalized.ok()) {
      for (const rv1::LedgerEntry& entry : finalized->entries()) {
        results[entry.package().student()] = entry;
      }
    }
    return results;
  }

  absl::StatusOr<rv1::LedgerEntry> Remediate(const cv1::Section& section,
                                             const rv1::LedgerEntry& entry,
                                             rv1::RemediationKind kind, bool satisfied) {
    rv1::RecordRemediationRequest request;
    request.set_entry(entry.name());
    request.set_kind(kind);
    request.set_satisfied(satisfied);
    request.set_notes(satisfied ? "과제 3건 제출" : "미참여");
    request.set_request_id(Id());
    return Credit(HostOf(section), &rv1::CreditService::Stub::RecordRemediation, request);
  }

  absl::StatusOr<rv1::SupportRecord> Prevent(const cv1::Section& section,
                                             const std::string& student, const std::string& notes) {
    rv1::RecordPreventiveInstructionRequest request;
    request.set_section(section.name());
    request.set_student(student);
    request.set_notes(notes);
    request.set_request_id(Id());
    return Credit(HostOf(section), &rv1::CreditService::Stub::RecordPreventiveInstruction, request);
  }

  std::vector<rv1::LedgerEntry> History(const cv1::Section& section, const std::string& entry) {
    rv1::GetLedgerHistoryRequest request;
    request.set_entry(entry);
    const auto history =
        Credit(HostOf(section), &rv1::CreditService::Stub::GetLedgerHistory, request);
    EXPECT_TRUE(history.ok()) << history.status();
    return history.ok() ? std::vector<rv1::LedgerEntry>(history->versions().begin(),
                                                        history->versions().end())
                        : std::vector<rv1::LedgerEntry>();
  }

  testing::CreditExchange suite_;
  int counter_ = 0;
};

// ----- The rules as the database holds them ---------------------------------

TEST_F(CreditApiTest, SeededRulesNameTheirSourcesAndSelectAsPublished) {
  pqxx::connection connection(suite_.credit_service().database().url());
  for (const db::Statement& statement : credit::store::Statements()) {
    connection.prepare(statement.name, statement.sql);
  }
  pqxx::work tx(connection);
  credit::store::PgRecords records(tx);
  const auto rules = records.LoadRules();
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_THAT(*rules, SizeIs(5));
  for (const rv1::CompletionRule& rule : *rules) {
    EXPECT_FALSE(rule.source().empty());
    EXPECT_FALSE(rule.marks_source().empty());
  }
  struct Case {
    int entry_year, school_year;
    cv1::Category category;
    std::string curriculum;
    int first_year;
    rv1::SubjectKind kind;
    bool attendance, achievement;
    std::string source;
  };
  const std::vector<Case> cases = {
      {2024, 2025, cv1::COMMON, "2015", 2018, rv1::ANY_SUBJECT, true, false, "2015 개정"},
      {2024, 2026, cv1::CAREER_ELECTIVE, "2015", 2018, rv1::ANY_SUBJECT, true, false, "2015 개정"},
      {2025, 2025, cv1::CAREER_ELECTIVE, "2022", 2025, rv1::ANY_SUBJECT, true, true, "2024-09"},
      {2025, 2025, cv1::COMMON, "2022", 2025, rv1::ANY_SUBJECT, true, true, "2024-09"},
      {2025, 2026, cv1::COMMON, "2022", 2026, rv1::COMMON_SUBJECT, true, true, "2026-01-28"},
      {2025, 2026, cv1::GENERAL_ELECTIVE, "2022", 2026, rv1::ELECTIVE_SUBJECT, true, false,
       "2026-01-28"},
      {2026, 2027, cv1::CONVERGENCE_ELECTIVE, "2022", 2026, rv1::ELECTIVE_SUBJECT, true, false,
       "2026-01-28"},
      {2025, 2026, cv1::LIBERAL_ARTS, "2022", 2025, rv1::LIBERAL_ARTS_SUBJECT, true, false, "교양"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.entry_year, " entrant, ", c.school_year, ", ",
                              cv1::Category_Name(c.category)));
    const auto rule = credit::RuleForStudent(*rules, "s", c.entry_year, c.school_year, c.category);
    ASSERT_TRUE(rule.ok()) << rule.status();
    EXPECT_EQ(rule->curriculum(), c.curriculum);
    EXPECT_EQ(rule->first_school_year(), c.first_year);
    EXPECT_EQ(rule->subject_kind(), c.kind);
    EXPECT_EQ(rule->requires_attendance(), c.attendance);
    EXPECT_EQ(rule->requires_achievement(), c.achievement);
    EXPECT_THAT(rule->source(), HasSubstr(c.source));
  }
  // Marks: "I" below 40 where achievement counts, the lowest level for
  // attendance-only electives and 2015 cohorts.
  const auto common = credit::RuleForStudent(*rules, "s", 2025, 2026, cv1::COMMON);
  const auto elective = credit::RuleForStudent(*rules, "s", 2025, 2026, cv1::CAREER_ELECTIVE);
  const auto old = credit::RuleForStudent(*rules, "s", 2024, 2026, cv1::COMMON);
  ASSERT_TRUE(common.ok() && elective.ok() && old.ok());
  EXPECT_EQ(credit::AssessedLevel(*common, credit::Scale::kFiveLevels, 30), "I");
  EXPECT_EQ(credit::AssessedLevel(*elective, credit::Scale::kFiveLevels, 30), "E");
  EXPECT_EQ(credit::AssessedLevel(*elective, credit::Scale::kThreeLevels, 30), "C");
  EXPECT_EQ(credit::AssessedLevel(*old, credit::Scale::kFiveLevels, 30), "E");

  const auto labels = records.LoadRemarksLabels();
  ASSERT_TRUE(labels.ok()) << labels.status();
  for (const auto& [kind, mode, label] :
       std::vector<std::tuple<cv1::InstitutionKind, cv1::DeliveryMode, std::string>>{
           {cv1::HIGH_SCHOOL, cv1::IN_PERSON, "공동교육과정"},
           {cv1::HIGH_SCHOOL, cv1::ONLINE_REALTIME, "공동교육과정(온라인)"},
           {cv1::ONLINE_SCHOOL, cv1::ONLINE_REALTIME, "온라인학교"},
           {cv1::CITY_ACADEMY, cv1::ONLINE_REALTIME, "학교 밖 교육"},
           {cv1::LEARNING_SITE, cv1::IN_PERSON, "학교 밖 교육"},
           {cv1::UNIVERSITY, cv1::BLENDED, "학교 밖 교육"}}) {
    const auto selected = credit::SelectRemarks(*labels, kind, mode, 2026);
    ASSERT_TRUE(selected.ok()) << selected.status();
    EXPECT_EQ(selected->label, label);
    EXPECT_FALSE(selected->source.empty());
  }
  const auto kinds = records.LoadSupportKinds();
  ASSERT_TRUE(kinds.ok()) << kinds.status();
  const auto study = credit::SelectSupportKind(*kinds, rv1::ADDITIONAL_STUDY, 2026);
  const auto remedial = credit::SelectSupportKind(*kinds, rv1::REMEDIAL_INSTRUCTION, 2026);
  const auto preventive = credit::SelectSupportKind(*kinds, rv1::PREVENTIVE_INSTRUCTION, 2026);
  ASSERT_TRUE(study.ok() && remedial.ok() && preventive.ok());
  EXPECT_EQ(study->clears, rv1::ATTENDANCE);
  EXPECT_EQ(study->remarks_note, "출석률 미달로 인한 추가학습 실시");
  EXPECT_EQ(remedial->clears, rv1::ACHIEVEMENT);
  EXPECT_EQ(preventive->clears, rv1::SHORTFALL_UNSPECIFIED);
}

// ----- Finalization ----------------------------------------------------------

TEST_F(CreditApiTest, FinalizationWaitsForEveryPlannedSession) {
  // Grades 1-2 only: the 2022 curriculum's 16 sessions for one credit.
  const cv1::Section section =
      Offer(kSchoolA, "공통수학1 보충", cv1::COMMON, cv1::MATHEMATICS, {1, 2});
  ASSERT_EQ(section.sessions(), 16);
  const std::string student = Enroll(kSchoolB, "b-16", 2, section);
  Start(section);
  Record(section, 1, 1, {student});
  Assess(section, student, 90, 92);

  const auto refused = Finalize(section);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("16 sessions planned, 1 held"));
  EXPECT_THAT(refused.status().message(), HasSubstr("make-up sessions are recorded as sessions"));
  // Nothing was written: the section still takes attendance and nothing is
  // pending at the home school.
  rv1::ListPendingResultsRequest pending;
  pending.set_parent(absl::StrCat("schools/", kSchoolB));
  const auto none = Credit(kSchoolB, &rv1::CreditService::Stub::ListPendingResults, pending);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(none->entries(), IsEmpty());

  Record(section, 2, 15, {student});
  EXPECT_THAT(Finalize(section).status().message(), HasSubstr("16 sessions planned, 15 held"));
  Record(section, 16, 16, {student});
  rv1::ListAttendanceRequest list;
  list.set_section(section.name());
  const auto attendance = Credit(kSchoolA, &rv1::CreditService::Stub::ListAttendance, list);
  ASSERT_TRUE(attendance.ok());
  EXPECT_EQ(attendance->sessions_held(), 16);
  // Pages of 5: sessions 1..16 in order, each page counting all 16 held.
  list.set_page_size(5);
  std::vector<int> sessions;
  for (int i = 0; i < 10; ++i) {
    const auto page = Credit(kSchoolA, &rv1::CreditService::Stub::ListAttendance, list);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->sessions_held(), 16);
    for (const auto& session : page->sessions()) {
      sessions.push_back(session.session_number());
    }
    if (page->next_page_token().empty()) {
      break;
    }
    list.set_page_token(page->next_page_token());
  }
  ASSERT_THAT(sessions, SizeIs(16));
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(sessions[i], i + 1);
  }

  auto results = Finalized(section);
  ASSERT_THAT(results, SizeIs(1));
  const rv1::ResultPackage& package = results[student].package();
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.attendance().sessions_held(), 16);
  EXPECT_EQ(package.attendance().sessions_planned(), 16);
  EXPECT_EQ(package.attendance().attended(), 16);
  EXPECT_EQ(package.credits_earned(), 1);
  // Sessions beyond the plan are not sessions of the section.
  rv1::RecordAttendanceRequest extra;
  extra.set_section(section.name());
  extra.set_session_number(17);
  extra.mutable_date()->set_year(TermYear());
  extra.mutable_date()->set_month(3);
  extra.mutable_date()->set_day(3);
  extra.set_request_id(Id());
  EXPECT_EQ(Credit(kSchoolA, &rv1::CreditService::Stub::RecordAttendance, extra).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CreditApiTest, BothCohortsInOneSectionAreDecidedByTheirOwnRows) {
  // Grades 2 and 3: a 2025 entrant (2022 curriculum) and a 2024 entrant
  // (2015 curriculum) in one common subject, both at 30% with full attendance.
  const cv1::Section section = Offer(kSchoolA, "통합과학1", cv1::COMMON, cv1::SCIENCE, {2, 3});
  ASSERT_EQ(section.sessions(), 17);  // 2015 cohorts count 17 per unit
  const std::string newer = Enroll(kSchoolA, "g2", 2, section);
  const std::string older = Enroll(kSchoolB, "g3", 3, section);
  Start(section);
  RecordAll(section, {newer, older});
  Assess(section, newer, 35, 30);
  Assess(section, older, 35, 30);
  auto results = Finalized(section);
  ASSERT_THAT(results, SizeIs(2));

  const rv1::ResultPackage& n = results[newer].package();
  EXPECT_EQ(n.entry_year(), TermYear() - 1);
  EXPECT_EQ(n.rule().curriculum(), "2022");
  EXPECT_EQ(n.rule().first_school_year(), 2026);
  EXPECT_EQ(n.rule().subject_kind(), rv1::COMMON_SUBJECT);
  EXPECT_TRUE(n.rule().requires_achievement());
  EXPECT_THAT(n.rule().source(), HasSubstr("국가교육위원회"));
  EXPECT_EQ(n.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(n.achievement_level(), "I");
  EXPECT_THAT(Open(n), ElementsAre(rv1::ACHIEVEMENT));
  EXPECT_EQ(n.credits_earned(), 0);

  const rv1::ResultPackage& o = results[older].package();
  EXPECT_EQ(o.entry_year(), TermYear() - 2);
  EXPECT_EQ(o.rule().curriculum(), "2015");
  EXPECT_FALSE(o.rule().requires_achievement());
  EXPECT_THAT(o.rule().source(), HasSubstr("2015 개정 교육과정"));
  EXPECT_EQ(o.outcome(), rv1::COMPLETED);
  EXPECT_EQ(o.achievement_level(), "E");
  EXPECT_EQ(o.credits_earned(), 1);

  // The section's statistics, in percent, the same on both results.
  for (const rv1::ResultPackage* package : {&n, &o}) {
    EXPECT_EQ(package->student_count(), 2);
    EXPECT_DOUBLE_EQ(package->course_mean(), 35);
    EXPECT_DOUBLE_EQ(package->level_distribution_percent().at("E"), 50.0);
    EXPECT_DOUBLE_EQ(package->level_distribution_percent().at("I"), 50.0);
    EXPECT_DOUBLE_EQ(package->level_distribution_percent().at("A"), 0.0);
    EXPECT_EQ(package->remarks(), "공동교육과정");
    EXPECT_EQ(package->rank(), "·");
  }

  // The transcript shows the deciding row through its results.
  rv1::GetTranscriptRequest transcript;
  transcript.set_student(older);
  const auto shown = Credit(kSchoolB, &rv1::CreditService::Stub::GetTranscript, transcript);
  ASSERT_TRUE(shown.ok()) << shown.status();
  ASSERT_THAT(shown->results(), SizeIs(1));
  EXPECT_EQ(shown->results(0).package().rule().curriculum(), "2015");
  EXPECT_EQ(shown->subject_credits(), 1);
}

TEST_F(CreditApiTest, A2026ElectiveAtThirtyPercentWithFullAttendanceIsCompleted) {
  const cv1::Section section =
      Offer(kSchoolA, "데이터 과학", cv1::CAREER_ELECTIVE, cv1::LIFE_AND_LIBERAL, {1, 2});
  const cv1::Section arts =
      Offer(kSchoolB, "음악 감상과 비평", cv1::CAREER_ELECTIVE, cv1::ARTS, {1, 2});
  const std::string student = Enroll(kSchoolA, "e30", 2, section);
  const std::string artist = Enroll(kSchoolA, "a30", 2, arts);
  Start(section);
  Start(arts);
  RecordAll(section, {student});
  RecordAll(arts, {artist});
  Assess(section, student, 31, 30);
  Assess(arts, artist, 31, 30);

  const rv1::ResultPackage five = Finalized(section)[student].package();
  EXPECT_EQ(five.outcome(), rv1::COMPLETED);
  EXPECT_EQ(five.achievement_level(), "E");
  EXPECT_NE(five.achievement_level(), five.rule().incomplete_mark());
  EXPECT_EQ(five.credits_earned(), 1);
  EXPECT_EQ(five.rule().subject_kind(), rv1::ELECTIVE_SUBJECT);
  EXPECT_FALSE(five.rule().requires_achievement());
  const rv1::ResultPackage three = Finalized(arts)[artist].package();
  EXPECT_EQ(three.outcome(), rv1::COMPLETED);
  EXPECT_EQ(three.achievement_level(), "C");
  EXPECT_DOUBLE_EQ(three.level_distribution_percent().at("C"), 100.0);
}

TEST_F(CreditApiTest, CoursesTaughtOutsideSchoolEarnTheRecognisedVersionsCredits) {
  // Planned for two credits from the start, so that the host may raise them.
  cv1::Course course;
  const cv1::Section section = Offer(kAcademy, "반도체 공정 실습", cv1::CAREER_ELECTIVE,
                                     cv1::VOCATIONAL, {1, 2}, cv1::IN_PERSON, 32, &course);
  ASSERT_EQ(course.recognition().state(), cv1::APPROVED);
  const std::string recognised_etag = course.recognition().approved().course_etag();
  ASSERT_FALSE(recognised_etag.empty());
  const std::string student = Enroll(kSchoolB, "semi", 2, section);
  Start(section);

  // The host changes the course after enrolment: back to review, the
  // recognised version kept.
  cv1::UpdateCourseRequest update;
  *update.mutable_course() = course;
  update.mutable_course()->set_credits(2);
  update.mutable_course()->set_title("반도체 공정 실습 (심화)");
  update.mutable_update_mask()->add_paths("credits");
  update.mutable_update_mask()->add_paths("title");
  update.set_request_id(Id());
  const auto changed =
      As(kAcademy, suite_.exchange().catalog(), &cv1::CatalogService::Stub::UpdateCourse, update);
  ASSERT_TRUE(changed.ok()) << changed.status();
  ASSERT_EQ(changed->recognition().state(), cv1::PENDING);
  ASSERT_NE(changed->etag(), recognised_etag);

  RecordAll(section, {student});
  Assess(section, student, 88, 85);
  const rv1::ResultPackage package = Finalized(section)[student].package();
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.credits(), 1);
  EXPECT_EQ(package.credits_earned(), 1);
  EXPECT_EQ(package.title(), "반도체 공정 실습");
  EXPECT_EQ(package.course_etag(), recognised_etag);
  EXPECT_EQ(package.remarks(), "학교 밖 교육");
  EXPECT_EQ(package.host_display_name(), "AI코딩에듀랩");
}

TEST_F(CreditApiTest, RemarksFollowTheHostAndDeliveryMode) {
  cv1::CreateInstitutionRequest online;
  online.mutable_institution()->set_kind(cv1::ONLINE_SCHOOL);
  online.mutable_institution()->set_display_name("경기온라인학교");
  online.mutable_institution()->set_host_code(kOnlineSchool);
  online.set_request_id(Id());
  ASSERT_TRUE(suite_.clients()
                  .Call(suite_.exchange().catalog(), &cv1::CatalogService::Stub::CreateInstitution,
                        kCity, auth::v1::CITY, online)
                  .ok());
  const cv1::Section realtime =
      Offer(kSchoolA, "기하", cv1::CAREER_ELECTIVE, cv1::MATHEMATICS, {1, 2}, cv1::ONLINE_REALTIME);
  const cv1::Section school = Offer(kOnlineSchool, "인공지능 수학", cv1::CAREER_ELECTIVE,
                                    cv1::MATHEMATICS, {1, 2}, cv1::ONLINE_REALTIME);
  const std::string a = Enroll(kSchoolB, "rt", 2, realtime);
  const std::string b = Enroll(kSchoolB, "os", 2, school);
  for (const auto& [section, student] :
       std::vector<std::pair<cv1::Section, std::string>>{{realtime, a}, {school, b}}) {
    Start(section);
    RecordAll(section, {student});
    Assess(section, student, 80, 80);
  }
  EXPECT_EQ(Finalized(realtime)[a].package().remarks(), "공동교육과정(온라인)");
  const rv1::ResultPackage online_school = Finalized(school)[b].package();
  EXPECT_EQ(online_school.remarks(), "온라인학교");
  EXPECT_EQ(online_school.delivery_label(), "온라인학교");
  EXPECT_EQ(online_school.host_display_name(), "경기온라인학교");
}

// ----- Minimum-achievement support ------------------------------------------

TEST_F(CreditApiTest, PreventiveInstructionIsRecordedDuringTheTermAndChangesNoResult) {
  const cv1::Section section = Offer(kSchoolA, "공통국어2", cv1::COMMON, cv1::KOREAN, {1, 2});
  const std::string weak = Enroll(kSchoolA, "p1", 2, section);
  const std::string strong = Enroll(kSchoolB, "p2", 2, section);
  Start(section);

  const auto first = Prevent(section, weak, "기초 어휘 학습지 지도");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->kind(), rv1::PREVENTIVE_INSTRUCTION);
  EXPECT_EQ(first->label(), "예방지도");
  EXPECT_EQ(first->shortfall(), rv1::SHORTFALL_UNSPECIFIED);
  EXPECT_EQ(first->student(), weak);
  EXPECT_EQ(first->recorded_by(), kSchoolA);
  EXPECT_FALSE(first->source().empty());
  ASSERT_TRUE(Prevent(section, weak, "방과후 읽기 지도").ok());
  ASSERT_TRUE(Prevent(section, strong, "심화 읽기 안내").ok());

  // Bad input: a precise status, nothing recorded.
  const auto no_notes = Prevent(section, weak, "");
  EXPECT_EQ(no_notes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_notes.status().message(), HasSubstr("notes"));
  const auto bad_student = Prevent(section, "students/x", "지도");
  EXPECT_EQ(bad_student.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_student.status().message(), HasSubstr("student"));
  const std::string stranger = suite_.exchange().CreateStudent(kSchoolB, "p3", 2).name();
  EXPECT_EQ(Prevent(section, stranger, "지도").status().code(),
            absl::StatusCode::kFailedPrecondition);
  rv1::RecordPreventiveInstructionRequest foreign;
  foreign.set_section(section.name());
  foreign.set_student(weak);
  foreign.set_notes("지도");
  foreign.set_request_id(Id());
  EXPECT_EQ(Credit(kAcademy, &rv1::CreditService::Stub::RecordPreventiveInstruction, foreign)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  RecordAll(section, {weak, strong});
  Assess(section, weak, 55, 52);
  Assess(section, strong, 90, 91);
  auto results = Finalized(section);
  const rv1::ResultPackage& w = results[weak].package();
  EXPECT_EQ(w.outcome(), rv1::COMPLETED);
  EXPECT_EQ(w.achievement_level(), "E");
  EXPECT_EQ(w.remarks(), "공동교육과정");
  ASSERT_THAT(w.support(), SizeIs(2));
  EXPECT_EQ(w.support(0).notes(), "기초 어휘 학습지 지도");
  EXPECT_EQ(w.support(1).notes(), "방과후 읽기 지도");
  ASSERT_THAT(results[strong].package().support(), SizeIs(1));
  EXPECT_EQ(results[strong].package().support(0).notes(), "심화 읽기 안내");

  // After finalization preventive instruction is refused.
  const auto late = Prevent(section, weak, "늦은 지도");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("finalized"));
}

TEST_F(CreditApiTest, RemedialInstructionClearsOnlyAnAchievementShortfall) {
  const cv1::Section section = Offer(kSchoolA, "공통수학2", cv1::COMMON, cv1::MATHEMATICS, {1, 2});
  const std::string student = Enroll(kSchoolB, "r1", 2, section);
  Start(section);
  ASSERT_TRUE(Prevent(section, student, "학기 중 기초 개념 지도").ok());
  RecordAll(section, {student});
  Assess(section, student, 33, 30);
  const rv1::LedgerEntry entry = Finalized(section)[student];
  ASSERT_EQ(entry.package().outcome(), rv1::REMEDIATION_REQUIRED);
  ASSERT_THAT(Open(entry.package()), ElementsAre(rv1::ACHIEVEMENT));
  EXPECT_EQ(entry.package().achievement_level(), "I");

  // The wrong kind is refused, naming the kind, and writes nothing.
  const auto wrong = Remediate(section, entry, rv1::ADDITIONAL_STUDY, true);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.status().message(), HasSubstr("kind"));
  EXPECT_THAT(wrong.status().message(), HasSubstr("ACHIEVEMENT"));
  EXPECT_THAT(wrong.status().message(), HasSubstr("REMEDIAL_INSTRUCTION"));
  const auto preventive = Remediate(section, entry, rv1::PREVENTIVE_INSTRUCTION, true);
  EXPECT_EQ(preventive.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(preventive.status().message(), HasSubstr("kind"));
  const auto unspecified = Remediate(section, entry, rv1::REMEDIATION_KIND_UNSPECIFIED, true);
  EXPECT_EQ(unspecified.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(History(section, entry.name()), SizeIs(1));

  const auto remedied = Remediate(section, entry, rv1::REMEDIAL_INSTRUCTION, true);
  ASSERT_TRUE(remedied.ok()) << remedied.status();
  const rv1::ResultPackage& package = remedied->package();
  EXPECT_EQ(remedied->version(), 2);
  EXPECT_EQ(package.outcome(), rv1::COMPLETED);
  EXPECT_EQ(package.achievement_level(), "E");
  EXPECT_EQ(package.credits_earned(), 1);
  EXPECT_THAT(Open(package), IsEmpty());
  EXPECT_THAT(package.outcome_reason(), HasSubstr("보충지도 이수"));
  ASSERT_THAT(package.support(), SizeIs(2));
  EXPECT_EQ(package.support(0).kind(), rv1::PREVENTIVE_INSTRUCTION);
  EXPECT_EQ(package.support(1).kind(), rv1::REMEDIAL_INSTRUCTION);
  EXPECT_EQ(package.support(1).shortfall(), rv1::ACHIEVEMENT);
  EXPECT_TRUE(package.support(1).satisfied());
  // Nothing more is due.
  EXPECT_EQ(Remediate(section, *remedied, rv1::REMEDIAL_INSTRUCTION, true).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CreditApiTest, AdditionalStudyClearsOnlyAnAttendanceShortfallAndIsNoted) {
  const cv1::Section section =
      Offer(kSchoolA, "인공지능 기초", cv1::CAREER_ELECTIVE, cv1::LIFE_AND_LIBERAL, {1, 2});
  ASSERT_EQ(section.sessions(), 16);
  const std::string absent = Enroll(kSchoolB, "s1", 2, section);
  const std::string failing = Enroll(kSchoolB, "s2", 2, section);
  Start(section);
  // 10 of 16 attended: short of two thirds (11); the other student 9 of 16.
  RecordAll(section, {absent, failing}, [&](const std::string& student, int session) {
    const int attends = student == absent ? 10 : 9;
    return session <= attends ? rv1::PRESENT : rv1::ABSENT;
  });
  Assess(section, absent, 72, 75);
  Assess(section, failing, 72, 75);
  auto results = Finalized(section);
  const rv1::LedgerEntry entry = results[absent];
  ASSERT_EQ(entry.package().outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_EQ(entry.package().outcome_reason(), "출석 2/3 미달 (10/16회)");
  ASSERT_THAT(Open(entry.package()), ElementsAre(rv1::ATTENDANCE));
  EXPECT_EQ(entry.package().attendance().absent(), 6);

  const auto wrong = Remediate(section, entry, rv1::REMEDIAL_INSTRUCTION, true);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.status().message(), HasSubstr("ADDITIONAL_STUDY"));
  EXPECT_THAT(History(section, entry.name()), SizeIs(1));

  const auto studied = Remediate(section, entry, rv1::ADDITIONAL_STUDY, true);
  ASSERT_TRUE(studied.ok()) << studied.status();
  EXPECT_EQ(studied->package().outcome(), rv1::COMPLETED);
  EXPECT_EQ(studied->package().achievement_level(), "C");  // the grade stands
  EXPECT_EQ(studied->package().remarks(), "공동교육과정, 출석률 미달로 인한 추가학습 실시");
  EXPECT_EQ(studied->package().credits_earned(), 1);

  // Not satisfied: not completed, with the incomplete mark.
  const auto failed = Remediate(section, results[failing], rv1::ADDITIONAL_STUDY, false);
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->package().outcome(), rv1::NOT_COMPLETED);
  EXPECT_EQ(failed->package().achievement_level(), "I");
  EXPECT_EQ(failed->package().credits_earned(), 0);
  EXPECT_EQ(failed->package().remarks(), "공동교육과정");
  EXPECT_EQ(Remediate(section, *failed, rv1::ADDITIONAL_STUDY, true).status().code(),
            absl::StatusCode::kFailedPrecondition);
  rv1::GetTranscriptRequest transcript;
  transcript.set_student(failing);
  const auto shown = Credit(kSchoolB, &rv1::CreditService::Stub::GetTranscript, transcript);
  ASSERT_TRUE(shown.ok());
  EXPECT_THAT(shown->not_completed(), SizeIs(1));
}

// ----- Amendments ------------------------------------------------------------

TEST_F(CreditApiTest, AmendingARateReDecidesAndKeepsTheSupportRecorded) {
  const cv1::Section section = Offer(kSchoolA, "한국사1", cv1::COMMON, cv1::KOREAN_HISTORY, {1, 2});
  const std::string student = Enroll(kSchoolB, "k1", 2, section);
  Start(section);
  ASSERT_TRUE(Prevent(section, student, "출석 독려 상담").ok());
  RecordAll(section, {student}, [](const std::string&, int session) {
    return session <= 8 ? rv1::PRESENT : rv1::ABSENT;
  });
  Assess(section, student, 70, 75);
  const rv1::LedgerEntry entry = Finalized(section)[student];
  ASSERT_THAT(Open(entry.package()), ElementsAre(rv1::ATTENDANCE));
  const auto studied = Remediate(section, entry, rv1::ADDITIONAL_STUDY, true);
  ASSERT_TRUE(studied.ok()) << studied.status();
  ASSERT_EQ(studied->package().outcome(), rv1::COMPLETED);

  // The rate was mis-scored: 30%. Achievement now falls short; attendance
  // stays cleared by the additional study already recorded.
  rv1::AmendResultRequest amend;
  amend.set_entry(entry.name());
  amend.set_achievement_rate(30);
  amend.set_reason("채점 오류 정정");
  amend.set_evidence_ref("학업성적관리위원회 2026-07 회의록");
  amend.set_request_id(Id());
  const auto amended = Credit(kSchoolA, &rv1::CreditService::Stub::AmendResult, amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  const rv1::ResultPackage& package = amended->package();
  EXPECT_EQ(amended->version(), 3);
  EXPECT_EQ(package.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(Open(package), ElementsAre(rv1::ACHIEVEMENT));
  EXPECT_EQ(package.achievement_level(), "I");
  EXPECT_EQ(package.remarks(), "공동교육과정, 출석률 미달로 인한 추가학습 실시");
  ASSERT_THAT(package.support(), SizeIs(2));
  EXPECT_EQ(package.support(0).kind(), rv1::PREVENTIVE_INSTRUCTION);
  EXPECT_EQ(package.support(1).kind(), rv1::ADDITIONAL_STUDY);
  EXPECT_EQ(amended->reason(), "채점 오류 정정");
  EXPECT_EQ(amended->evidence_ref(), "학업성적관리위원회 2026-07 회의록");

  // Additional study cannot clear it; remedial instruction does.
  EXPECT_EQ(Remediate(section, *amended, rv1::ADDITIONAL_STUDY, true).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const auto remedied = Remediate(section, *amended, rv1::REMEDIAL_INSTRUCTION, true);
  ASSERT_TRUE(remedied.ok()) << remedied.status();
  EXPECT_EQ(remedied->package().outcome(), rv1::COMPLETED);
  EXPECT_EQ(remedied->package().achievement_level(), "E");
  EXPECT_THAT(remedied->package().support(), SizeIs(3));
  const std::vector<rv1::LedgerEntry> all = History(section, entry.name());
  ASSERT_THAT(all, SizeIs(4));
  // Pages of 3: versions 1..3, then 4 and the end.
  rv1::GetLedgerHistoryRequest paged;
  paged.set_entry(entry.name());
  paged.set_page_size(3);
  const auto first = Credit(HostOf(section), &rv1::CreditService::Stub::GetLedgerHistory, paged);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(first->versions(), SizeIs(3));
  EXPECT_EQ(first->versions(2).version(), 3);
  paged.set_page_token(first->next_page_token());
  const auto rest = Credit(HostOf(section), &rv1::CreditService::Stub::GetLedgerHistory, paged);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_THAT(rest->versions(), SizeIs(1));
  EXPECT_EQ(rest->versions(0).version(), all[3].version());
  EXPECT_THAT(rest->next_page_token(), IsEmpty());
}

TEST_F(CreditApiTest, AmendingAScoreReissuesTheSectionsStatisticsToTheOthers) {
  const cv1::Section section =
      Offer(kSchoolA, "확률과 통계", cv1::GENERAL_ELECTIVE, cv1::MATHEMATICS, {1, 2});
  const std::string s1 = Enroll(kSchoolA, "m1", 2, section);
  const std::string s2 = Enroll(kSchoolB, "m2", 2, section);
  const std::string s3 = Enroll(kSchoolB, "m3", 2, section);
  Start(section);
  RecordAll(section, {s1, s2, s3});
  Assess(section, s1, 90, 92);
  Assess(section, s2, 80, 85);
  Assess(section, s3, 70, 72);
  auto results = Finalized(section);
  ASSERT_THAT(results, SizeIs(3));
  EXPECT_DOUBLE_EQ(results[s2].package().course_mean(), 80);
  EXPECT_DOUBLE_EQ(results[s2].package().level_distribution_percent().at("A"), 33.3);
  EXPECT_DOUBLE_EQ(results[s2].package().level_distribution_percent().at("B"), 33.3);
  EXPECT_DOUBLE_EQ(results[s2].package().level_distribution_percent().at("C"), 33.3);

  // School B enters its results and acknowledges them.
  for (const std::string& student : {s2, s3}) {
    rv1::AcknowledgeResultRequest ack;
    ack.set_entry(results[student].name());
    ack.set_version(1);
    ack.set_request_id(Id());
    ASSERT_TRUE(Credit(kSchoolB, &rv1::CreditService::Stub::AcknowledgeResult, ack).ok());
  }
  rv1::ListPendingResultsRequest pending;
  pending.set_parent(absl::StrCat("schools/", kSchoolB));
  ASSERT_THAT(Credit(kSchoolB, &rv1::CreditService::Stub::ListPendingResults, pending)->entries(),
              IsEmpty());

  // Bad amendments: a precise status naming the field, nothing written.
  rv1::AmendResultRequest bad;
  bad.set_entry(results[s1].name());
  bad.set_achievement_rate(120);
  bad.set_reason("정정");
  bad.set_evidence_ref("회의록");
  bad.set_request_id(Id());
  const auto out_of_range = Credit(kSchoolA, &rv1::CreditService::Stub::AmendResult, bad);
  EXPECT_EQ(out_of_range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out_of_range.status().message(), HasSubstr("achievement_rate"));
  bad.clear_achievement_rate();
  bad.set_raw_score(50);
  bad.clear_evidence_ref();
  const auto no_evidence = Credit(kSchoolA, &rv1::CreditService::Stub::AmendResult, bad);
  EXPECT_EQ(no_evidence.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_evidence.status().message(), HasSubstr("evidence_ref"));
  EXPECT_THAT(History(section, results[s1].name()), SizeIs(1));
  EXPECT_THAT(History(section, results[s2].name()), SizeIs(1));

  // s1's score and rate were 60 and 55: the mean and distribution change.
  rv1::AmendResultRequest amend;
  amend.set_entry(results[s1].name());
  amend.set_raw_score(60);
  amend.set_achievement_rate(55);
  amend.set_reason("채점 오류 정정");
  amend.set_evidence_ref("재채점 기록 2026-07-15");
  amend.set_request_id(Id());
  const auto amended = Credit(kSchoolA, &rv1::CreditService::Stub::AmendResult, amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->package().achievement_level(), "E");
  EXPECT_DOUBLE_EQ(amended->package().course_mean(), 70);
  EXPECT_DOUBLE_EQ(amended->package().level_distribution_percent().at("A"), 0.0);
  EXPECT_DOUBLE_EQ(amended->package().level_distribution_percent().at("E"), 33.3);

  for (const std::string& student : {s2, s3}) {
    SCOPED_TRACE(student);
    const std::vector<rv1::LedgerEntry> history = History(section, results[student].name());
    ASSERT_THAT(history, SizeIs(2));
    const rv1::LedgerEntry& reissued = history[1];
    EXPECT_EQ(reissued.version(), 2);
    EXPECT_EQ(reissued.reason(), "채점 오류 정정");
    EXPECT_EQ(reissued.evidence_ref(), "재채점 기록 2026-07-15");
    EXPECT_FALSE(reissued.acknowledged());
    EXPECT_DOUBLE_EQ(reissued.package().course_mean(), 70);
    EXPECT_DOUBLE_EQ(reissued.package().level_distribution_percent().at("A"), 0.0);
    EXPECT_DOUBLE_EQ(reissued.package().level_distribution_percent().at("E"), 33.3);
    // Only the statistics changed.
    EXPECT_EQ(reissued.package().raw_score(), history[0].package().raw_score());
    EXPECT_EQ(reissued.package().achievement_level(), history[0].package().achievement_level());
    EXPECT_EQ(reissued.package().outcome(), history[0].package().outcome());
  }
  // Pending again at the home school, and in its feed.
  const auto again = Credit(kSchoolB, &rv1::CreditService::Stub::ListPendingResults, pending);
  ASSERT_TRUE(again.ok());
  ASSERT_THAT(again->entries(), SizeIs(2));
  for (const rv1::LedgerEntry& entry : again->entries()) {
    EXPECT_EQ(entry.version(), 2);
  }
  // In pages of one: the same entries, in the same order, then the end.
  pending.set_page_size(1);
  const auto first = Credit(kSchoolB, &rv1::CreditService::Stub::ListPendingResults, pending);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(first->entries(), SizeIs(1));
  EXPECT_EQ(first->entries(0).name(), again->entries(0).name());
  ASSERT_FALSE(first->next_page_token().empty());
  pending.set_page_token(first->next_page_token());
  const auto second = Credit(kSchoolB, &rv1::CreditService::Stub::ListPendingResults, pending);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_THAT(second->entries(), SizeIs(1));
  EXPECT_EQ(second->entries(0).name(), again->entries(1).name());
  EXPECT_THAT(second->next_page_token(), IsEmpty());
  EXPECT_EQ(
      Credit(kSchoolA, &rv1::CreditService::Stub::ListPendingResults, pending).status().code(),
      absl::StatusCode::kPermissionDenied)
      << "another school cannot read school B's pages";
  pending.clear_page_size();
  pending.clear_page_token();

  // A change of notes alone changes no statistics: nothing re-issued.
  rv1::AmendResultRequest notes;
  notes.set_entry(results[s1].name());
  notes.set_notes("확률 모델링 프로젝트를 완성함.");
  notes.set_reason("세특 보완");
  notes.set_evidence_ref("교과협의회 회의록");
  notes.set_request_id(Id());
  ASSERT_TRUE(Credit(kSchoolA, &rv1::CreditService::Stub::AmendResult, notes).ok());
  EXPECT_THAT(History(section, results[s1].name()), SizeIs(3));
  EXPECT_THAT(History(section, results[s2].name()), SizeIs(2));
}

// ----- Export ---------------------------------------------------------------

TEST_F(CreditApiTest, ExportCountsSessionsAndNamesTheRule) {
  const cv1::Section section =
      Offer(kSchoolA, "실용 통계", cv1::CONVERGENCE_ELECTIVE, cv1::MATHEMATICS, {1, 2});
  const std::string student = Enroll(kSchoolB, "x1", 2, section);
  Start(section);
  RecordAll(section, {student});
  Assess(section, student, 81, 82);
  ASSERT_THAT(Finalized(section), SizeIs(1));
  rv1::ExportPendingResultsRequest request;
  request.set_parent(absl::StrCat("schools/", kSchoolB));
  const auto csv = Credit(kSchoolB, &rv1::CreditService::Stub::ExportPendingResults, request);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->csv(), HasSubstr("수업 횟수,출석 횟수"));
  EXPECT_THAT(csv->csv(), Not(HasSubstr("수업일수")));
  EXPECT_THAT(csv->csv(), HasSubstr("A:0.0% B:100.0% C:0.0% D:0.0% E:0.0%"));
  EXPECT_THAT(csv->csv(), HasSubstr(",16,16,0,"));
  EXPECT_THAT(csv->csv(), HasSubstr("2022 개정,출석 2/3 이상,"));
  EXPECT_THAT(csv->csv(), HasSubstr("국가교육위원회"));
}

// ----- Programmes and their reports -----------------------------------------

// The text of `path` inside the .xlsx (zip) `workbook`, read with unzip.
std::string XlsxPart(const std::string& workbook, const std::string& path) {
  char file[] = "/tmp/osan-report-test-XXXXXX";
  const int fd = mkstemp(file);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(file, std::ios::binary) << workbook;
  std::string text;
  if (FILE* pipe = popen(absl::StrCat("unzip -p ", file, " ", path).c_str(), "r")) {
    char buffer[4096];
    size_t read = 0;
    while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
      text.append(buffer, read);
    }
    pclose(pipe);
  }
  std::remove(file);
  return text;
}

class ProgrammeReportTest : public CreditApiTest {
 protected:
  template <class Request, class Response>
  absl::StatusOr<Response> AsCity(grpc::Status (cv1::CatalogService::Stub::*method)(
                                      grpc::ClientContext*, const Request&, Response*),
                                  const Request& request) {
    return suite_.clients().Call(suite_.exchange().catalog(), method, kCity, auth::v1::CITY,
                                 request);
  }

  cv1::CreateProgrammeRequest NewProgramme(const std::string& id) {
    cv1::CreateProgrammeRequest request;
    request.set_programme_id(id);
    request.mutable_programme()->set_display_name("오산형 학점제");
    request.mutable_programme()->set_year(TermYear());
    request.mutable_programme()->set_annex(absl::StrCat(TermYear(), " 부속서 2"));
    request.mutable_programme()->set_funder(cv1::CITY);
    request.mutable_programme()->set_budget_krw(480000000);
    request.set_request_id(Id());
    return request;
  }

  absl::StatusOr<rv1::ProgrammeReport> Report(const std::string& institution, auth::Role role,
                                              const std::string& programme,
                                              rv1::ExportFormat format) {
    rv1::GetProgrammeReportRequest request;
    request.set_programme(programme);
    request.set_term(absl::StrCat("terms/", TermYear(), "-1"));
    request.set_format(format);
    auto stub = rv1::ReportService::NewStub(suite_.credit_service().channel());
    return suite_.clients().Call(*stub, &rv1::ReportService::Stub::GetProgrammeReport, institution,
                                 role, request);
  }

  testing::CliRun Osanctl(std::vector<std::string> args, const std::string& institution,
                          auth::Role role) {
    args.push_back(
        absl::StrCat("--catalog=127.0.0.1:", suite_.exchange().catalog_service().port()));
    args.push_back(absl::StrCat("--credit=127.0.0.1:", suite_.credit_service().port()));
    args.push_back(absl::StrCat("--token=", testing::TestKeys::Get().Token(institution, role)));
    return testing::RunProgram(OSAN_OSANCTL, args);
  }
};

TEST_F(ProgrammeReportTest, TheCityAndTheOfficeManageProgrammesAndEveryoneReadsThem) {
  const cv1::CreateProgrammeRequest request = NewProgramme("osan-credit");
  const auto created = AsCity(&cv1::CatalogService::Stub::CreateProgramme, request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "programmes/osan-credit");
  EXPECT_EQ(created->budget_krw(), 480000000);
  // A retry answers the first result; the id taken is ALREADY_EXISTS.
  const auto retried = AsCity(&cv1::CatalogService::Stub::CreateProgramme, request);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->etag(), created->etag());
  EXPECT_EQ(AsCity(&cv1::CatalogService::Stub::CreateProgramme, NewProgramme("osan-credit"))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);

  // Bad input names the field; a school may not create one.
  cv1::CreateProgrammeRequest bad = NewProgramme("no-funder");
  bad.mutable_programme()->clear_funder();
  auto refused = AsCity(&cv1::CatalogService::Stub::CreateProgramme, bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("funder: is required"));
  bad = NewProgramme("Bad_Id");
  refused = AsCity(&cv1::CatalogService::Stub::CreateProgramme, bad);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("programme_id: must be 3..63"));
  bad = NewProgramme("too-rich");
  bad.mutable_programme()->set_budget_krw(-1);
  refused = AsCity(&cv1::CatalogService::Stub::CreateProgramme, bad);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("budget_krw: must be between 0 and 10000000000000"));
  const auto by_school = As(kSchoolA, suite_.exchange().catalog(),
                            &cv1::CatalogService::Stub::CreateProgramme, NewProgramme("school"));
  EXPECT_EQ(by_school.status().code(), absl::StatusCode::kPermissionDenied);

  // The office updates it; a stale etag is ABORTED.
  cv1::UpdateProgrammeRequest update;
  update.mutable_programme()->set_name(created->name());
  update.mutable_programme()->set_etag(created->etag());
  update.mutable_programme()->set_budget_krw(500000000);
  update.mutable_update_mask()->add_paths("budget_krw");
  update.set_request_id(Id());
  const auto updated = suite_.clients().Call(suite_.exchange().catalog(),
                                             &cv1::CatalogService::Stub::UpdateProgramme, kOffice,
                                             auth::v1::EDU_OFFICE, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->budget_krw(), 500000000);
  update.set_request_id(Id());
  EXPECT_EQ(AsCity(&cv1::CatalogService::Stub::UpdateProgramme, update).status().code(),
            absl::StatusCode::kAborted);

  // Any host reads them.
  cv1::ListProgrammesRequest list;
  list.set_year(TermYear());
  const auto listed =
      As(kAcademy, suite_.exchange().catalog(), &cv1::CatalogService::Stub::ListProgrammes, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->programmes_size(), 1);
  EXPECT_EQ(listed->programmes(0).budget_krw(), 500000000);
}

TEST_F(ProgrammeReportTest, ReportsCountSectionsApplicationsAndResultsBySchoolAndHost) {
  ASSERT_TRUE(
      AsCity(&cv1::CatalogService::Stub::CreateProgramme, NewProgramme("osan-credit")).ok());
  const std::string programme = "programmes/osan-credit";
  const cv1::Section funded =
      Offer(kSchoolA, "보고서 물리", cv1::CAREER_ELECTIVE, cv1::SCIENCE, {2});
  const cv1::Section own = Offer(kAcademy, "보고서 코딩", cv1::CAREER_ELECTIVE, cv1::SCIENCE, {2});
  const cv1::Section cancelled =
      Offer(kSchoolA, "보고서 폐강", cv1::CAREER_ELECTIVE, cv1::SCIENCE, {2});
  const cv1::Section other = Offer(kSchoolB, "다른 사업", cv1::CAREER_ELECTIVE, cv1::SCIENCE, {2});

  // Courses name the programme; a section names its own after opening.
  cv1::UpdateCourseRequest course;
  course.mutable_course()->set_name(funded.course());
  course.mutable_course()->set_programme("programmes/missing");
  course.mutable_update_mask()->add_paths("programme");
  course.set_request_id(Id());
  auto changed =
      As(kSchoolA, suite_.exchange().catalog(), &cv1::CatalogService::Stub::UpdateCourse, course);
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(changed.status().message()),
              HasSubstr("course.programme: programmes/missing does not exist"));
  course.mutable_course()->set_programme("osan-credit");
  course.set_request_id(Id());
  changed =
      As(kSchoolA, suite_.exchange().catalog(), &cv1::CatalogService::Stub::UpdateCourse, course);
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kInvalidArgument);
  for (const cv1::Section* section : {&funded, &cancelled}) {
    course.mutable_course()->set_name(section->course());
    course.mutable_course()->set_programme(programme);
    course.set_request_id(Id());
    changed =
        As(kSchoolA, suite_.exchange().catalog(), &cv1::CatalogService::Stub::UpdateCourse, course);
    ASSERT_TRUE(changed.ok()) << changed.status();
  }
  cv1::UpdateSectionRequest section;
  section.mutable_section()->set_name(own.name());
  section.mutable_section()->set_programme(programme);
  section.mutable_update_mask()->add_paths("programme");
  section.set_request_id(Id());
  ASSERT_TRUE(
      As(kAcademy, suite_.exchange().catalog(), &cv1::CatalogService::Stub::UpdateSection, section)
          .ok());

  // The public listing shows who funds it.
  cv1::GetPublicSectionRequest get_public;
  get_public.set_name(own.name());
  auto public_stub =
      cv1::PublicListingService::NewStub(suite_.exchange().catalog_service().channel());
  grpc::ClientContext context;
  cv1::PublicSection shown;
  ASSERT_TRUE(public_stub->GetPublicSection(&context, get_public, &shown).ok());
  EXPECT_EQ(shown.programme(), programme);
  EXPECT_EQ(shown.programme_display_name(), "오산형 학점제");
  EXPECT_EQ(shown.funder_display_name(), "오산시");

  const std::string a1 = Enroll(kSchoolA, "rep-a1", 2, funded);
  const std::string b1 = Enroll(kSchoolB, "rep-b1", 2, funded);
  Enroll(kSchoolB, "rep-b2", 2, own);
  Enroll(kSchoolB, "rep-b3", 2, other);
  cv1::TransitionSectionRequest cancel;
  cancel.set_name(cancelled.name());
  cancel.set_target_state(cv1::CANCELLED);
  cancel.set_reason("강사 사정");
  cancel.set_request_id(Id());
  ASSERT_TRUE(As(kSchoolA, suite_.exchange().catalog(),
                 &cv1::CatalogService::Stub::TransitionSection, cancel)
                  .ok());
  Start(funded);
  RecordAll(funded, {a1, b1});
  Assess(funded, a1, 90, 90);
  Assess(funded, b1, 85, 85);
  const auto results = Finalized(funded);
  ASSERT_EQ(results.size(), 2u);

  EXPECT_EQ(
      Report(kSchoolA, auth::v1::SCHOOL, programme, rv1::EXPORT_FORMAT_UNSPECIFIED).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Report(kCity, auth::v1::CITY, "programmes/missing", rv1::EXPORT_FORMAT_UNSPECIFIED)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  const auto report =
      Report(kOffice, auth::v1::EDU_OFFICE, programme, rv1::EXPORT_FORMAT_UNSPECIFIED);
  ASSERT_TRUE(report.ok()) << report.status();
  const rv1::ReportCounts& total = report->total();
  EXPECT_EQ(total.sections_opened(), 2);
  EXPECT_EQ(total.sections_cancelled(), 1);
  EXPECT_EQ(total.applicants(), 3);
  EXPECT_EQ(total.enrolled(), 3);
  EXPECT_EQ(total.completed(), 2);
  EXPECT_EQ(total.credits_earned(), 2);
  std::map<std::string, rv1::ReportCounts> schools, hosts;
  for (const auto& row : report->by_school()) {
    schools[row.institution()] = row.counts();
  }
  for (const auto& row : report->by_host()) {
    hosts[row.institution()] = row.counts();
  }
  const std::string school_a = absl::StrCat("institutions/", kSchoolA);
  const std::string school_b = absl::StrCat("institutions/", kSchoolB);
  const std::string academy = absl::StrCat("institutions/", kAcademy);
  ASSERT_EQ(schools.size(), 2u);
  EXPECT_EQ(schools[school_a].applicants(), 1);
  EXPECT_EQ(schools[school_a].completed(), 1);
  EXPECT_EQ(schools[school_b].applicants(), 2);  // not the other programme's student
  EXPECT_EQ(schools[school_b].enrolled(), 2);
  EXPECT_EQ(schools[school_b].credits_earned(), 1);
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[school_a].sections_opened(), 1);
  EXPECT_EQ(hosts[school_a].sections_cancelled(), 1);
  EXPECT_EQ(hosts[school_a].completed(), 2);
  EXPECT_EQ(hosts[academy].sections_opened(), 1);
  EXPECT_EQ(hosts[academy].enrolled(), 1);
  EXPECT_EQ(hosts[academy].completed(), 0);

  const auto csv = Report(kCity, auth::v1::CITY, programme, rv1::CSV);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->content(), HasSubstr("요약\r\n사업,사업명,학기,개설 강좌,폐강 강좌,신청 인원,"
                                        "수강 인원,이수 인원,취득 학점\r\n"));
  EXPECT_THAT(csv->content(), HasSubstr(absl::StrCat("\r\n학교별\r\n학교 코드,학교명,신청 인원")));
  EXPECT_THAT(csv->content(), HasSubstr(absl::StrCat(kSchoolB, ",성호고등학교,2,2,1,1\r\n")));

  const auto xlsx = Report(kCity, auth::v1::CITY, programme, rv1::XLSX);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  ASSERT_EQ(xlsx->content().substr(0, 2), "PK");
  const std::string workbook = XlsxPart(xlsx->content(), "xl/workbook.xml");
  EXPECT_THAT(workbook, HasSubstr("name=\"요약\""));
  EXPECT_THAT(workbook, HasSubstr("name=\"학교별\""));
  EXPECT_THAT(workbook, HasSubstr("name=\"기관별\""));
  EXPECT_THAT(XlsxPart(xlsx->content(), "xl/sharedStrings.xml"), HasSubstr("취득 학점"));
  // 요약's counts are numbers in the workbook: 2 opened, 1 cancelled, 3 applied.
  const std::string summary = XlsxPart(xlsx->content(), "xl/worksheets/sheet1.xml");
  EXPECT_THAT(summary, HasSubstr("<v>2</v></c><c r=\"E2\" s=\"2\"><v>1</v>"));
}

TEST_F(ProgrammeReportTest, OsanctlManagesProgrammesAndWritesReportsAndResultWorkbooks) {
  const testing::CliRun created =
      Osanctl({"programmes", "create", "guitar", "--display_name=1인 1악기 기타 교실",
               absl::StrCat("--year=", TermYear()), "--annex=부속서 3", "--funder=EDU_OFFICE",
               "--budget=60000000"},
              kCity, auth::v1::CITY);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("programmes/guitar"));
  EXPECT_THAT(created.out, HasSubstr("화성오산교육지원청"));
  EXPECT_THAT(created.out, HasSubstr("60,000,000원"));
  const testing::CliRun denied = Osanctl({"programmes", "create", "denied", "--display_name=x",
                                          "--year=2027", "--annex=x", "--funder=CITY"},
                                         kSchoolA, auth::v1::SCHOOL);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("PERMISSION_DENIED"));
  const testing::CliRun updated =
      Osanctl({"programmes", "update", "programmes/guitar", "--budget=65000000"}, kOffice,
              auth::v1::EDU_OFFICE);
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_THAT(updated.out, HasSubstr("65,000,000원"));
  const testing::CliRun listed = Osanctl({"programmes", "list"}, kAcademy, auth::v1::ACADEMY);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("1 programme(s)"));

  const std::string term = absl::StrCat("--term=terms/", TermYear(), "-1");
  const testing::CliRun shown = Osanctl(
      {"reports", "programme", "--programme=programmes/guitar", term}, kCity, auth::v1::CITY);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("1인 1악기 기타 교실 (programmes/guitar)"));
  const std::string out = absl::StrCat(::testing::TempDir(), "/report.xlsx");
  const testing::CliRun written = Osanctl({"reports", "programme", "--programme=programmes/guitar",
                                           term, "--format=xlsx", absl::StrCat("--out=", out)},
                                          kCity, auth::v1::CITY);
  ASSERT_EQ(written.exit_code, 0) << written.err;
  std::ifstream file(out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(XlsxPart(bytes, "xl/workbook.xml"), HasSubstr("name=\"기관별\""));

  // The home school's pending results as a workbook beside the CSV.
  const cv1::Section section =
      Offer(kSchoolA, "엑셀 성적", cv1::CAREER_ELECTIVE, cv1::SCIENCE, {2});
  const std::string student = Enroll(kSchoolB, "xlsx-b1", 2, section);
  Start(section);
  RecordAll(section, {student});
  Assess(section, student, 88, 88);
  ASSERT_EQ(Finalized(section).size(), 1u);
  const std::string results = absl::StrCat(::testing::TempDir(), "/results.xlsx");
  const testing::CliRun exported =
      Osanctl({"results", "export", absl::StrCat("--school=", kSchoolB), "--format=xlsx",
               absl::StrCat("--out=", results)},
              kSchoolB, auth::v1::SCHOOL);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::ifstream results_file(results, std::ios::binary);
  const std::string results_bytes((std::istreambuf_iterator<char>(results_file)),
                                  std::istreambuf_iterator<char>());
  EXPECT_THAT(XlsxPart(results_bytes, "xl/workbook.xml"), HasSubstr("name=\"미반영 성적\""));
  const std::string strings = XlsxPart(results_bytes, "xl/sharedStrings.xml");
  EXPECT_THAT(strings, HasSubstr("세부능력 및 특기사항"));
  EXPECT_THAT(strings, HasSubstr("엑셀 성적"));
}

}  // namespace
}  // namespace osan
