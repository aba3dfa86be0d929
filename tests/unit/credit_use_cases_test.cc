// Credit-record's use cases on the store's in-memory twin and peers that
// answer from memory: every use case, its checks and what it leaves in the
// records, without PostgreSQL or another service. The SQL and the wiring are
// tested by tests/integration/credit_api_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/paging.h"
#include "common/server.h"
#include "services/credit/api/credit.h"
#include "services/credit/api/peers.h"
#include "services/credit/api/report.h"
#include "services/credit/store/memory_records.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kHost[] = "J10-7531001";
constexpr char kHome[] = "J10-7531002";
constexpr char kOtherSchool[] = "J10-7531003";
constexpr char kCity[] = "OSAN-CITY";
constexpr char kTerm[] = "terms/2026-1";
constexpr char kSection[] = "terms/2026-1/sections/11111111-1111-4111-8111-111111111111";
constexpr char kProgramme[] = "programmes/joint-2026";
const std::string kStrong = absl::StrCat("schools/", kHome, "/students/s1");
const std::string kWeak = absl::StrCat("schools/", kHome, "/students/s2");

// The rows of 002_record_rules.sql this term's results need: the 2022
// curriculum's common-subject rule from 2026 and its support kinds.
store::RuleRows Rules() {
  store::RuleRows rows;
  v1::CompletionRule& common = rows.completion.emplace_back();
  common.set_curriculum("2022");
  common.set_first_school_year(2026);
  common.set_subject_kind(v1::COMMON_SUBJECT);
  common.set_requires_attendance(true);
  common.set_attendance_numerator(2);
  common.set_attendance_denominator(3);
  common.set_requires_achievement(true);
  common.set_minimum_achievement_rate(40);
  common.set_below_minimum_level(v1::INCOMPLETE_MARK);
  common.set_remedied_level(v1::LOWEST_LEVEL);
  common.set_incomplete_level(v1::INCOMPLETE_MARK);
  common.set_incomplete_mark("I");
  common.set_source("2026-01-28 국가교육위원회 결정");
  common.set_marks_source("2025학년도 학교생활기록부 기재요령");
  rows.remarks.push_back(
      {cv1::HIGH_SCHOOL, cv1::DELIVERY_MODE_UNSPECIFIED, 2018, "공동교육과정", "기재요령"});
  rows.support.push_back(
      {v1::PREVENTIVE_INSTRUCTION, 2025, "예방지도", v1::SHORTFALL_UNSPECIFIED, "", "보장지도"});
  rows.support.push_back(
      {v1::REMEDIAL_INSTRUCTION, 2025, "보충지도", v1::ACHIEVEMENT, "", "보장지도"});
  rows.support.push_back({v1::ADDITIONAL_STUDY, 2025, "추가학습", v1::ATTENDANCE,
                          "출석률 미달로 인한 추가학습 실시", "보장지도"});
  return rows;
}

// Catalog and enrollment as maps; a name not in them is NOT_FOUND.
class MemoryPeers final : public Peers {
 public:
  absl::StatusOr<catalog::SectionFacts> Section(const std::string& name, absl::Time) override {
    return Find(sections, name);
  }
  absl::StatusOr<cv1::Institution> Institution(const std::string& name, absl::Time) override {
    return Find(institutions, name);
  }
  absl::StatusOr<cv1::Programme> Programme(const std::string& name, absl::Time) override {
    return Find(programmes, name);
  }
  absl::StatusOr<std::vector<cv1::Section>> TermSections(const std::string& term,
                                                         const cv1::ListSectionsRequest& filter,
                                                         absl::Time) override {
    std::vector<cv1::Section> found;
    for (const auto& [name, facts] : sections) {
      if (facts.term.name() == term && facts.section.programme() == filter.programme()) {
        found.push_back(facts.section);
      }
    }
    return found;
  }
  absl::StatusOr<ev1::Roster> Roster(const std::string& section, const std::string&,
                                     absl::Time) override {
    return Find(rosters, section);
  }
  absl::StatusOr<ev1::CountApplicationsResponse> CountApplications(const std::string& term,
                                                                   const std::string&,
                                                                   absl::Time) override {
    return Find(counts, term);
  }

  std::map<std::string, catalog::SectionFacts> sections;
  std::map<std::string, cv1::Institution> institutions;
  std::map<std::string, cv1::Programme> programmes;
  std::map<std::string, ev1::Roster> rosters;
  std::map<std::string, ev1::CountApplicationsResponse> counts;

 private:
  template <class T>
  static absl::StatusOr<T> Find(const std::map<std::string, T>& map, const std::string& name) {
    const auto it = map.find(name);
    if (it == map.end()) {
      return absl::NotFoundError(absl::StrCat(name, " not found"));
    }
    return it->second;
  }
};

class CreditUseCasesTest : public ::testing::Test {
 protected:
  CreditUseCasesTest()
      : store_(store::MemoryRecords(Rules())),
        credit_(&store_, PageTokens("page-token-secret-0123456789"), &peers_),
        reports_(&store_, &peers_) {
    catalog::SectionFacts facts;
    facts.term.set_name(kTerm);
    facts.term.set_year(2026);
    facts.course.set_title("공통수학1");
    facts.course.set_category(cv1::COMMON);
    facts.course.set_credits(4);
    facts.course.mutable_recognition()->set_state(cv1::NOT_REQUIRED);
    facts.section.set_name(kSection);
    facts.section.set_host(absl::StrCat("institutions/", kHost));
    facts.section.set_sessions(3);
    facts.section.set_programme(kProgramme);
    peers_.sections[kSection] = facts;
    cv1::Institution& host = peers_.institutions[facts.section.host()];
    host.set_name(facts.section.host());
    host.set_kind(cv1::HIGH_SCHOOL);
    host.set_display_name("오산고등학교");
    peers_.programmes[kProgramme].set_name(kProgramme);
    peers_.programmes[kProgramme].set_display_name("오산 공동교육과정");
    ev1::Roster& roster = peers_.rosters[kSection];
    for (const std::string& student : {kStrong, kWeak}) {
      ev1::RosterEntry& entry = *roster.add_entries();
      entry.set_student(student);
      entry.set_state(ev1::ENROLLED);
      entry.set_entry_year(2025);
      entry.set_home_school(absl::StrCat("institutions/", kHome));
    }
    ev1::RosterEntry& waiting = *roster.add_entries();
    waiting.set_student(absl::StrCat("schools/", kHome, "/students/s3"));
    waiting.set_state(ev1::WAITLISTED);
  }

  // A call by `institution` acting as `role`, at a fixed time.
  static server::CallContext As(const std::string& institution, auth::Role role) {
    server::CallContext call;
    call.principal = auth::Principal{institution, role};
    call.now = absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), absl::UTCTimeZone());
    return call;
  }
  static server::CallContext Host() { return As(kHost, auth::v1::SCHOOL); }
  static server::CallContext Home() { return As(kHome, auth::v1::SCHOOL); }

  std::string Id() { return absl::StrCat("request-", ++requests_); }

  v1::RecordAttendanceRequest Attendance(int session, v1::AttendanceStatus weak_status) {
    v1::RecordAttendanceRequest request;
    request.set_section(kSection);
    request.set_session_number(session);
    request.mutable_date()->set_year(2026);
    request.mutable_date()->set_month(3);
    request.mutable_date()->set_day(2 + session);
    v1::AttendanceMark& strong = *request.add_marks();
    strong.set_student(kStrong);
    strong.set_status(v1::PRESENT);
    v1::AttendanceMark& weak = *request.add_marks();
    weak.set_student(kWeak);
    weak.set_status(weak_status);
    request.set_request_id(Id());
    return request;
  }

  v1::RecordAssessmentRequest Assessment(const std::string& student, double rate) {
    v1::RecordAssessmentRequest request;
    v1::Assessment& assessment = *request.mutable_assessment();
    assessment.set_section(kSection);
    assessment.set_student(student);
    assessment.set_raw_score(rate);
    assessment.set_achievement_rate(rate);
    assessment.set_notes("탐구 과제를 수행함.");
    request.set_request_id(Id());
    return request;
  }

  // Every session held with everyone present; the strong student at 80%,
  // the weak one at 30% (short of the common subject's 40%).
  void HoldTheTerm() {
    for (int session = 1; session <= 3; ++session) {
      ASSERT_TRUE(credit_.RecordAttendance(Host(), Attendance(session, v1::PRESENT)).ok());
    }
    ASSERT_TRUE(credit_.RecordAssessment(Host(), Assessment(kStrong, 80)).ok());
    ASSERT_TRUE(credit_.RecordAssessment(Host(), Assessment(kWeak, 30)).ok());
  }

  // The finalized results by student.
  std::map<std::string, v1::LedgerEntry> Finalize() {
    v1::FinalizeSectionRequest request;
    request.set_section(kSection);
    request.set_request_id(Id());
    const auto finalized = credit_.FinalizeSection(Host(), request);
    EXPECT_TRUE(finalized.ok()) << finalized.status();
    std::map<std::string, v1::LedgerEntry> results;
    if (finalized.ok()) {
      for (const v1::LedgerEntry& entry : finalized->entries()) {
        results[entry.package().student()] = entry;
      }
    }
    return results;
  }

  v1::RecordRemediationRequest Remediation(const v1::LedgerEntry& entry, v1::RemediationKind kind) {
    v1::RecordRemediationRequest request;
    request.set_entry(entry.name());
    request.set_kind(kind);
    request.set_satisfied(true);
    request.set_notes("과제 3건 제출");
    request.set_request_id(Id());
    return request;
  }

  int LedgerVersions() const { return store_.Committed().LedgerVersions(); }

  MemoryPeers peers_;
  store::MemoryStore store_;
  Credit credit_;
  Reports reports_;
  int requests_ = 0;
};

// ----- Attendance ------------------------------------------------------------

TEST_F(CreditUseCasesTest, RecordAttendanceVersionsCorrectionsAndReplaysRetries) {
  const v1::RecordAttendanceRequest first = Attendance(1, v1::ABSENT);
  const auto recorded = credit_.RecordAttendance(Host(), first);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->version(), 1);
  EXPECT_EQ(recorded->name(), absl::StrCat(kSection, "/sessions/1"));
  EXPECT_EQ(recorded->recorded_by(), kHost);

  const auto retried = credit_.RecordAttendance(Host(), first);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->version(), 1);

  v1::RecordAttendanceRequest correction = Attendance(1, v1::PRESENT);
  const auto unexplained = credit_.RecordAttendance(Host(), correction);
  EXPECT_EQ(unexplained.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unexplained.status().message(), HasSubstr("reason"));
  correction.set_reason("출석부 오기 정정");
  correction.set_request_id(Id());
  const auto corrected = credit_.RecordAttendance(Host(), correction);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->version(), 2);
}

TEST_F(CreditUseCasesTest, RecordAttendanceRefusesOthersAndIncompleteMarks) {
  const auto foreign = credit_.RecordAttendance(Home(), Attendance(1, v1::PRESENT));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);

  v1::RecordAttendanceRequest partial = Attendance(1, v1::PRESENT);
  partial.mutable_marks()->RemoveLast();
  const auto missing = credit_.RecordAttendance(Host(), partial);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("mark every enrolled student (1 of 2)"));

  v1::RecordAttendanceRequest stranger = Attendance(1, v1::PRESENT);
  stranger.mutable_marks(1)->set_student(absl::StrCat("schools/", kHome, "/students/s3"));
  EXPECT_EQ(credit_.RecordAttendance(Host(), stranger).status().code(),
            absl::StatusCode::kInvalidArgument);

  const auto beyond = credit_.RecordAttendance(Host(), Attendance(4, v1::PRESENT));
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kInvalidArgument);

  v1::ListAttendanceRequest list;
  list.set_section(kSection);
  const auto listed = credit_.ListAttendance(Host(), list);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->sessions_held(), 0);
}

TEST_F(CreditUseCasesTest, ListAttendancePagesTheLatestOrEveryVersion) {
  HoldTheTerm();
  v1::RecordAttendanceRequest correction = Attendance(2, v1::ABSENT);
  correction.set_reason("정정");
  ASSERT_TRUE(credit_.RecordAttendance(Host(), correction).ok());

  v1::ListAttendanceRequest request;
  request.set_section(kSection);
  request.set_page_size(2);
  std::vector<std::pair<int, int>> seen;
  do {
    const auto page = credit_.ListAttendance(Host(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->sessions_held(), 3);
    for (const auto& session : page->sessions()) {
      seen.emplace_back(session.session_number(), session.version());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(seen, ElementsAre(std::make_pair(1, 1), std::make_pair(2, 2), std::make_pair(3, 1)));

  request.set_include_history(true);
  request.set_page_size(10);
  const auto history = credit_.ListAttendance(Host(), request);
  ASSERT_TRUE(history.ok());
  EXPECT_THAT(history->sessions(), SizeIs(4));

  EXPECT_EQ(credit_.ListAttendance(Home(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// ----- Assessment and preventive instruction ---------------------------------

TEST_F(CreditUseCasesTest, RecordAssessmentDecidesTheLevelUnderTheCohortsRule) {
  const auto weak = credit_.RecordAssessment(Host(), Assessment(kWeak, 30));
  ASSERT_TRUE(weak.ok()) << weak.status();
  EXPECT_EQ(weak->achievement_level(), "I");  // below 40% in a common subject
  EXPECT_EQ(weak->version(), 1);
  const auto strong = credit_.RecordAssessment(Host(), Assessment(kStrong, 95));
  ASSERT_TRUE(strong.ok());
  EXPECT_EQ(strong->achievement_level(), "A");

  const auto unexplained = credit_.RecordAssessment(Host(), Assessment(kWeak, 45));
  EXPECT_EQ(unexplained.status().code(), absl::StatusCode::kInvalidArgument);
  v1::RecordAssessmentRequest correction = Assessment(kWeak, 45);
  correction.mutable_assessment()->set_reason("채점 오류 정정");
  const auto corrected = credit_.RecordAssessment(Host(), correction);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->version(), 2);

  const auto waiting = credit_.RecordAssessment(
      Host(), Assessment(absl::StrCat("schools/", kHome, "/students/s3"), 50));
  EXPECT_EQ(waiting.status().code(), absl::StatusCode::kFailedPrecondition);
  const auto out_of_range = credit_.RecordAssessment(Host(), Assessment(kStrong, 101));
  EXPECT_EQ(out_of_range.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CreditUseCasesTest, PreventiveInstructionIsCarriedIntoTheResult) {
  v1::RecordPreventiveInstructionRequest request;
  request.set_section(kSection);
  request.set_student(kWeak);
  request.set_notes("기초 개념 복습");
  request.set_request_id(Id());
  const auto recorded = credit_.RecordPreventiveInstruction(Host(), request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->label(), "예방지도");
  EXPECT_EQ(recorded->student(), kWeak);

  HoldTheTerm();
  const auto results = Finalize();
  ASSERT_EQ(results.count(kWeak), 1u);
  ASSERT_THAT(results.at(kWeak).package().support(), SizeIs(1));
  EXPECT_EQ(results.at(kWeak).package().support(0).notes(), "기초 개념 복습");
  EXPECT_THAT(results.at(kStrong).package().support(), SizeIs(0));

  request.set_request_id(Id());
  EXPECT_EQ(credit_.RecordPreventiveInstruction(Host(), request).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// ----- Finalization -------------------------------------------------------------

TEST_F(CreditUseCasesTest, FinalizeSectionNeedsEverySessionAndAssessment) {
  v1::FinalizeSectionRequest request;
  request.set_section(kSection);
  request.set_request_id(Id());
  ASSERT_TRUE(credit_.RecordAttendance(Host(), Attendance(1, v1::PRESENT)).ok());
  const auto early = credit_.FinalizeSection(Host(), request);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);

  for (int session = 2; session <= 3; ++session) {
    ASSERT_TRUE(credit_.RecordAttendance(Host(), Attendance(session, v1::PRESENT)).ok());
  }
  ASSERT_TRUE(credit_.RecordAssessment(Host(), Assessment(kStrong, 80)).ok());
  request.set_request_id(Id());
  const auto unassessed = credit_.FinalizeSection(Host(), request);
  EXPECT_EQ(unassessed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unassessed.status().message(), HasSubstr(kWeak));
  EXPECT_EQ(LedgerVersions(), 0);
}

TEST_F(CreditUseCasesTest, FinalizeSectionDecidesEachResultOnceWithTheSectionsStatistics) {
  HoldTheTerm();
  v1::FinalizeSectionRequest request;
  request.set_section(kSection);
  request.set_request_id(Id());
  const auto finalized = credit_.FinalizeSection(Host(), request);
  ASSERT_TRUE(finalized.ok()) << finalized.status();
  EXPECT_EQ(finalized->student_count(), 2);
  EXPECT_DOUBLE_EQ(finalized->course_mean(), 55);
  std::map<std::string, v1::ResultPackage> packages;
  for (const auto& entry : finalized->entries()) {
    EXPECT_EQ(entry.version(), 1);
    packages[entry.package().student()] = entry.package();
  }
  ASSERT_EQ(packages.size(), 2u);
  EXPECT_EQ(packages[kStrong].outcome(), v1::COMPLETED);
  EXPECT_EQ(packages[kStrong].credits_earned(), 4);
  EXPECT_EQ(packages[kStrong].remarks(), "공동교육과정");
  EXPECT_EQ(packages[kStrong].host_display_name(), "오산고등학교");
  EXPECT_EQ(packages[kWeak].outcome(), v1::REMEDIATION_REQUIRED);
  EXPECT_EQ(packages[kWeak].credits_earned(), 0);
  EXPECT_EQ(LedgerVersions(), 2);

  // A retry replays the response; a new request is refused; the term's
  // records are closed.
  const auto retried = credit_.FinalizeSection(Host(), request);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->entries(0).name(), finalized->entries(0).name());
  request.set_request_id(Id());
  EXPECT_EQ(credit_.FinalizeSection(Host(), request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(credit_.RecordAttendance(Host(), Attendance(1, v1::PRESENT)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(credit_.RecordAssessment(Host(), Assessment(kWeak, 50)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LedgerVersions(), 2);
}

// ----- Changing results ----------------------------------------------------------

TEST_F(CreditUseCasesTest, RecordRemediationClearsOnlyTheShortfallItsKindClears) {
  HoldTheTerm();
  const auto results = Finalize();
  const v1::LedgerEntry weak = results.at(kWeak);

  const auto wrong_kind =
      credit_.RecordRemediation(Host(), Remediation(weak, v1::ADDITIONAL_STUDY));
  EXPECT_EQ(wrong_kind.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong_kind.status().message(), HasSubstr("cleared by 보충지도"));
  const auto not_due =
      credit_.RecordRemediation(Host(), Remediation(results.at(kStrong), v1::REMEDIAL_INSTRUCTION));
  EXPECT_EQ(not_due.status().code(), absl::StatusCode::kFailedPrecondition);
  const auto by_home =
      credit_.RecordRemediation(Home(), Remediation(weak, v1::REMEDIAL_INSTRUCTION));
  EXPECT_EQ(by_home.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(LedgerVersions(), 2);

  const auto remedied =
      credit_.RecordRemediation(Host(), Remediation(weak, v1::REMEDIAL_INSTRUCTION));
  ASSERT_TRUE(remedied.ok()) << remedied.status();
  EXPECT_EQ(remedied->version(), 2);
  EXPECT_EQ(remedied->package().outcome(), v1::COMPLETED);
  EXPECT_EQ(remedied->package().achievement_level(), "E");  // the lowest level once remedied
  EXPECT_EQ(remedied->package().credits_earned(), 4);
  EXPECT_THAT(remedied->reason(), HasSubstr("보충지도 이수"));
}

TEST_F(CreditUseCasesTest, AmendResultReissuesTheStatisticsOfEveryOtherResult) {
  HoldTheTerm();
  const auto results = Finalize();
  v1::AmendResultRequest request;
  request.set_entry(results.at(kWeak).name());
  request.set_achievement_rate(50);
  request.set_raw_score(50);
  request.set_reason("채점 오류");
  request.set_evidence_ref("성적 정정 위원회 2026-07-01");
  request.set_request_id(Id());

  EXPECT_EQ(credit_.AmendResult(Home(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(LedgerVersions(), 2);

  const auto amended = credit_.AmendResult(Host(), request);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->version(), 2);
  EXPECT_EQ(amended->package().outcome(), v1::COMPLETED);
  EXPECT_DOUBLE_EQ(amended->package().course_mean(), 65);
  // The strong student's result carries the new mean as its version 2.
  EXPECT_EQ(LedgerVersions(), 4);
  v1::GetLedgerHistoryRequest history;
  history.set_entry(results.at(kStrong).name());
  const auto strong = credit_.GetLedgerHistory(Home(), history);
  ASSERT_TRUE(strong.ok()) << strong.status();
  ASSERT_THAT(strong->versions(), SizeIs(2));
  EXPECT_DOUBLE_EQ(strong->versions(1).package().course_mean(), 65);
  EXPECT_EQ(strong->versions(1).evidence_ref(), "성적 정정 위원회 2026-07-01");

  v1::AmendResultRequest empty;
  empty.set_entry(results.at(kWeak).name());
  empty.set_reason("x");
  empty.set_evidence_ref("y");
  empty.set_request_id(Id());
  EXPECT_EQ(credit_.AmendResult(Host(), empty).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CreditUseCasesTest, GetLedgerHistoryIsForTheHomeSchoolAndTheHostOnly) {
  HoldTheTerm();
  const auto results = Finalize();
  ASSERT_TRUE(
      credit_.RecordRemediation(Host(), Remediation(results.at(kWeak), v1::REMEDIAL_INSTRUCTION))
          .ok());
  v1::GetLedgerHistoryRequest request;
  request.set_entry(results.at(kWeak).name());
  request.set_page_size(1);
  std::vector<int> versions;
  do {
    const auto page = credit_.GetLedgerHistory(Home(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& version : page->versions()) {
      versions.push_back(version.version());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(versions, ElementsAre(1, 2));

  request.set_page_size(0);
  EXPECT_TRUE(credit_.GetLedgerHistory(Host(), request).ok());
  EXPECT_EQ(credit_.GetLedgerHistory(As(kOtherSchool, auth::v1::SCHOOL), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.set_entry("ledger/22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(credit_.GetLedgerHistory(Home(), request).status().code(), absl::StatusCode::kNotFound);
  request.set_entry("ledger/x");
  EXPECT_EQ(credit_.GetLedgerHistory(Home(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ----- Results for home schools --------------------------------------------------

TEST_F(CreditUseCasesTest, AcknowledgeResultTakesTheLatestVersionFromTheHomeSchool) {
  HoldTheTerm();
  const auto results = Finalize();
  v1::AcknowledgeResultRequest request;
  request.set_entry(results.at(kStrong).name());
  request.set_version(2);
  request.set_request_id(Id());
  EXPECT_EQ(credit_.AcknowledgeResult(Home(), request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  request.set_version(1);
  request.set_request_id(Id());
  EXPECT_EQ(credit_.AcknowledgeResult(Host(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.set_request_id(Id());
  const auto acknowledged = credit_.AcknowledgeResult(Home(), request);
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status();
  EXPECT_EQ(acknowledged->acknowledged_by(), kHome);
  EXPECT_EQ(acknowledged->acknowledge_time().seconds(), absl::ToUnixSeconds(Home().now));

  v1::ListPendingResultsRequest pending;
  pending.set_parent(absl::StrCat("schools/", kHome));
  const auto listed = credit_.ListPendingResults(Home(), pending);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->entries(), SizeIs(1));
  EXPECT_EQ(listed->entries(0).package().student(), kWeak);
}

TEST_F(CreditUseCasesTest, ListAndExportPendingResultsForTheHomeSchoolOnly) {
  HoldTheTerm();
  Finalize();
  v1::ListPendingResultsRequest request;
  request.set_parent(absl::StrCat("schools/", kHome));
  request.set_page_size(1);
  std::vector<std::string> students;
  do {
    const auto page = credit_.ListPendingResults(Home(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& entry : page->entries()) {
      students.push_back(entry.package().student());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(students, SizeIs(2));
  EXPECT_EQ(credit_.ListPendingResults(Host(), request).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::ExportPendingResultsRequest exported;
  exported.set_parent(absl::StrCat("schools/", kHome));
  exported.set_format(v1::CSV);
  const auto csv = credit_.ExportPendingResults(Home(), exported);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->csv(), HasSubstr("공통수학1"));
  EXPECT_THAT(csv->csv(), HasSubstr(kWeak));
  exported.set_format(v1::XLSX);
  const auto xlsx = credit_.ExportPendingResults(Home(), exported);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  EXPECT_EQ(xlsx->xlsx().substr(0, 2), "PK");  // a zip: the workbook
  EXPECT_EQ(credit_.ExportPendingResults(Host(), exported).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CreditUseCasesTest, GetTranscriptCountsCompletedCreditsAndListsWhatIsPending) {
  HoldTheTerm();
  Finalize();
  v1::GetTranscriptRequest request;
  request.set_student(kStrong);
  const auto strong = credit_.GetTranscript(Home(), request);
  ASSERT_TRUE(strong.ok()) << strong.status();
  EXPECT_EQ(strong->credits_by_category().at("COMMON"), 4);
  EXPECT_THAT(strong->results(), SizeIs(1));

  request.set_student(kWeak);
  const auto weak = credit_.GetTranscript(Home(), request);
  ASSERT_TRUE(weak.ok());
  EXPECT_THAT(weak->remediation_pending(), ElementsAre("공통수학1 (terms/2026-1)"));
  EXPECT_EQ(weak->credits_by_category().count("COMMON"), 0u);
  EXPECT_EQ(credit_.GetTranscript(Host(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CreditUseCasesTest, ReadResultsFollowsTheFeedFromACursor) {
  HoldTheTerm();
  const auto results = Finalize();
  const auto first = credit_.ReadResults(Home(), "", 1);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(*first, SizeIs(1));
  const auto rest = credit_.ReadResults(Home(), first->back().cursor());
  ASSERT_TRUE(rest.ok());
  ASSERT_THAT(*rest, SizeIs(1));
  EXPECT_NE(rest->front().entry().name(), first->front().entry().name());
  const auto none = credit_.ReadResults(As(kOtherSchool, auth::v1::SCHOOL), "");
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, SizeIs(0));
  EXPECT_EQ(credit_.ReadResults(As(kCity, auth::v1::CITY), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(credit_.ReadResults(Home(), "not-a-cursor").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ----- Reports ---------------------------------------------------------------------

TEST_F(CreditUseCasesTest, ProgrammeReportCountsResultsForTheCityOnly) {
  HoldTheTerm();
  Finalize();
  ev1::CountApplicationsResponse& counts = peers_.counts[kTerm];
  ev1::ApplicationCount& enrolled = *counts.add_counts();
  enrolled.set_section(kSection);
  enrolled.set_home_school(absl::StrCat("institutions/", kHome));
  enrolled.set_state(ev1::ENROLLED);
  enrolled.set_count(2);

  v1::GetProgrammeReportRequest request;
  request.set_programme(kProgramme);
  request.set_term(kTerm);
  const auto report = reports_.GetProgrammeReport(As(kCity, auth::v1::CITY), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->programme_display_name(), "오산 공동교육과정");
  EXPECT_EQ(report->total().enrolled(), 2);
  EXPECT_EQ(report->total().completed(), 1);
  EXPECT_EQ(report->total().credits_earned(), 4);
  EXPECT_EQ(reports_.GetProgrammeReport(Home(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.set_programme("programmes/none");
  EXPECT_EQ(reports_.GetProgrammeReport(As(kCity, auth::v1::CITY), request).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace osan::credit
