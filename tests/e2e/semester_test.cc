// A whole semester, end to end: catalog, enrollment and credit-record run as
// separate processes over their own databases in the throwaway PostgreSQL,
// and the semester walk of the local demo (tools/demo/semester_walk.h) goes
// through one term using their public APIs only:
//   the city and hosts publish courses (those taught outside school
//   recognised by the office); three schools register students and apply;
//   home schools approve; allocation runs; hosts hold every planned session,
//   give preventive instruction and record assessments; sections are
//   finalized under each student's rule; one student passes additional study
//   and one fails it, one passes remedial instruction; each home school's
//   feed delivers exactly its results; they acknowledge; a result is amended
//   and acknowledged again, and a score amendment re-issues the section's
//   statistics; transcripts show the right totals.
// The test then checks what the walk produced, and probes authorization.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/enrollment/domain/rules.h"
#include "tests/support/service_process.h"
#include "tools/demo/semester_walk.h"

namespace osan {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
namespace rv1 = credit::v1;
using demo::kAcademy;
using demo::kMaker;
using demo::kSchoolA;
using demo::kSchoolB;
using demo::kSchoolC;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::TestKeys;

class SemesterTest : public ::testing::Test {
 protected:
  SemesterTest() {
    const auto key_file = [](const std::string& service) {
      return testing::WriteSecretFile(TestKeys::Get().service_private_key_pem(service));
    };
    catalog_ = std::make_unique<testing::ServiceProcess>(OSAN_CATALOG_SERVER,
                                                         std::map<std::string, std::string>{});
    enrollment_ = std::make_unique<testing::ServiceProcess>(
        OSAN_ENROLLMENT_SERVER, std::map<std::string, std::string>{
                                    {"OSAN_CATALOG_ADDRESS", catalog_->address()},
                                    {"OSAN_SERVICE_SIGNING_KEY", key_file("SVC-ENROLLMENT")}});
    credit_ = std::make_unique<testing::ServiceProcess>(
        OSAN_CREDIT_SERVER,
        std::map<std::string, std::string>{{"OSAN_CATALOG_ADDRESS", catalog_->address()},
                                           {"OSAN_ENROLLMENT_ADDRESS", enrollment_->address()},
                                           {"OSAN_SERVICE_SIGNING_KEY", key_file("SVC-CREDIT")}});
    const auto channel = [](const std::string& address) {
      return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    };
    clients_ = std::make_unique<demo::Clients>(
        TestKeys::Get().signer(), channel(catalog_->address()), channel(enrollment_->address()),
        channel(credit_->address()));
  }

  // The status code of calling `method` as `institution`.
  template <class Stub, class Request, class Response>
  absl::StatusCode Probe(Stub& stub,
                         grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                      Response*),
                         const std::string& institution, auth::Role role, const Request& request) {
    return clients_->Call(stub, method, institution, role, request).status().code();
  }

  rv1::Transcript Transcript(const std::string& student) {
    rv1::GetTranscriptRequest request;
    request.set_student(student);
    auto transcript = clients_->Call(clients_->credit(), &rv1::CreditService::Stub::GetTranscript,
                                     ParseStudentName("student", student).value().school,
                                     auth::v1::SCHOOL, request);
    EXPECT_TRUE(transcript.ok()) << transcript.status();
    return transcript.value_or(rv1::Transcript());
  }

  std::unique_ptr<testing::ServiceProcess> catalog_, enrollment_, credit_;
  std::unique_ptr<demo::Clients> clients_;
};

TEST_F(SemesterTest, OneTermFromPublicationToTranscripts) {
  demo::WalkOptions options;
  options.year =
      static_cast<int>(absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year());
  auto walked = demo::WalkSemester(*clients_, options);
  ASSERT_TRUE(walked.ok()) << walked.status();
  const demo::Semester& semester = *walked;
  const std::string a1 = semester.students.at("a1"), a2 = semester.students.at("a2"),
                    b1 = semester.students.at("b1"), c1 = semester.students.at("c1");

  // Applications: first-come seats at once, lottery applications approved.
  EXPECT_EQ(semester.applied.at("a1/ai"), ev1::ENROLLED);
  EXPECT_EQ(semester.applied.at("a1/calculus"), ev1::APPROVED);
  EXPECT_EQ(semester.applied.at("b1/ai"), ev1::ENROLLED);
  EXPECT_EQ(semester.applied.at("b2/calculus"), ev1::APPROVED);
  EXPECT_EQ(semester.applied.at("c1/maker"), ev1::ENROLLED);
  EXPECT_EQ(semester.allocation.enrolled_count(), 2);
  ASSERT_THAT(semester.allocation_decisions, SizeIs(2));
  for (const auto& decision : semester.allocation_decisions) {
    EXPECT_EQ(decision.outcome(), ev1::ENROLLED);
  }

  // Finalization: every planned session held, each student under the rule of
  // their cohort and the year.
  const std::string b2 = semester.students.at("b2");
  for (const auto& [course, finalized] : semester.finalized) {
    for (const auto& entry : finalized.entries()) {
      SCOPED_TRACE(absl::StrCat(course, " ", entry.package().student()));
      const rv1::ResultPackage& package = entry.package();
      EXPECT_GT(package.attendance().sessions_planned(), 0);
      EXPECT_EQ(package.attendance().sessions_held(), package.attendance().sessions_planned());
      EXPECT_EQ(package.rule().curriculum(), "2022");  // the walk's students entered last year
      EXPECT_FALSE(package.rule().source().empty());
      EXPECT_EQ(package.credits(), 2);
      EXPECT_FALSE(package.course_etag().empty());
      EXPECT_EQ(package.rank(), "·");
    }
  }
  const auto& ai = semester.finalized.at("ai");
  ASSERT_THAT(ai.entries(), SizeIs(3));
  EXPECT_EQ(ai.student_count(), 3);
  EXPECT_DOUBLE_EQ(ai.course_mean(), 81.0);
  // a1 91% (A), c1 80% (B), b1 65% (D): a third each.
  EXPECT_DOUBLE_EQ(ai.level_distribution_percent().at("A"), 33.3);
  EXPECT_DOUBLE_EQ(ai.level_distribution_percent().at("B"), 33.3);
  EXPECT_DOUBLE_EQ(ai.level_distribution_percent().at("C"), 0.0);
  EXPECT_DOUBLE_EQ(ai.level_distribution_percent().at("D"), 33.3);
  std::map<std::string, rv1::LedgerEntry> ai_results;
  for (const auto& entry : ai.entries()) {
    ai_results[entry.package().student()] = entry;
    // The academy is not a school: out-of-school education, recognised.
    EXPECT_EQ(entry.package().remarks(), "학교 밖 교육");
    EXPECT_EQ(entry.package().host_display_name(), "AI코딩에듀랩");
    EXPECT_EQ(entry.package().rule().subject_kind(), rv1::ELECTIVE_SUBJECT);
  }
  EXPECT_EQ(ai_results[a1].package().outcome(), rv1::COMPLETED);
  EXPECT_EQ(ai_results[a1].package().achievement_level(), "A");
  EXPECT_EQ(ai_results[a1].package().credits_earned(), 2);
  const rv1::ResultPackage& b1_ai = ai_results[b1].package();
  EXPECT_EQ(b1_ai.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(b1_ai.open_shortfalls(), ElementsAre(rv1::ATTENDANCE));
  const int planned = b1_ai.attendance().sessions_planned();
  EXPECT_EQ(b1_ai.attendance().attended(), planned - 14);
  EXPECT_EQ(b1_ai.attendance().absent(), 14);
  EXPECT_EQ(b1_ai.attendance().late(), 1);
  EXPECT_THAT(b1_ai.outcome_reason(), HasSubstr(absl::StrCat(planned - 14, "/", planned, "회")));
  for (const auto& entry : semester.finalized.at("maker").entries()) {
    EXPECT_EQ(entry.package().remarks(), "학교 밖 교육");
  }
  std::map<std::string, rv1::LedgerEntry> calculus_results;
  for (const auto& entry : semester.finalized.at("calculus").entries()) {
    calculus_results[entry.package().student()] = entry;
    EXPECT_EQ(entry.package().remarks(), "공동교육과정");  // a school hosts it
    EXPECT_EQ(entry.package().rule().subject_kind(), rv1::COMMON_SUBJECT);
  }
  const rv1::ResultPackage& b2_calculus = calculus_results[b2].package();
  EXPECT_EQ(b2_calculus.outcome(), rv1::REMEDIATION_REQUIRED);
  EXPECT_THAT(b2_calculus.open_shortfalls(), ElementsAre(rv1::ACHIEVEMENT));
  EXPECT_EQ(b2_calculus.achievement_level(), "I");
  ASSERT_THAT(b2_calculus.support(), SizeIs(1));
  EXPECT_EQ(b2_calculus.support(0).kind(), rv1::PREVENTIVE_INSTRUCTION);
  EXPECT_EQ(semester.preventive.label(), "예방지도");
  EXPECT_EQ(semester.preventive.student(), b2);

  // Minimum-achievement support.
  EXPECT_EQ(semester.remediation_passed.version(), 2);
  EXPECT_EQ(semester.remediation_passed.package().outcome(), rv1::COMPLETED);
  EXPECT_EQ(semester.remediation_passed.package().achievement_level(), "D");  // the grade stands
  EXPECT_EQ(semester.remediation_passed.package().remarks(),
            "학교 밖 교육, 출석률 미달로 인한 추가학습 실시");
  EXPECT_EQ(semester.remediation_failed.package().outcome(), rv1::NOT_COMPLETED);
  EXPECT_EQ(semester.remediation_failed.package().achievement_level(), "I");
  EXPECT_EQ(semester.remediation_failed.package().credits_earned(), 0);
  EXPECT_EQ(semester.remedial_passed.version(), 2);
  EXPECT_EQ(semester.remedial_passed.package().outcome(), rv1::COMPLETED);
  EXPECT_EQ(semester.remedial_passed.package().achievement_level(), "E");
  EXPECT_EQ(semester.remedial_passed.package().credits_earned(), 2);
  ASSERT_THAT(semester.remedial_passed.package().support(), SizeIs(2));
  EXPECT_EQ(semester.remedial_passed.package().support(1).kind(), rv1::REMEDIAL_INSTRUCTION);

  // Each home school's feed delivered exactly its own students' results.
  EXPECT_THAT(semester.feeds.at(kSchoolA), SizeIs(4));
  EXPECT_THAT(semester.feeds.at(kSchoolB), SizeIs(4));
  EXPECT_THAT(semester.feeds.at(kSchoolC), SizeIs(2));
  for (const auto& [school, feed] : semester.feeds) {
    for (const auto& event : feed) {
      EXPECT_TRUE(absl::StartsWith(event.entry().package().student(),
                                   absl::StrCat("schools/", school, "/")))
          << event.entry().package().student();
    }
  }

  // The amendment: a new version, acknowledged; the old one is kept.
  EXPECT_EQ(semester.amended.version(), 2);
  rv1::GetLedgerHistoryRequest history;
  history.set_entry(semester.amended.name());
  auto versions = clients_->Call(clients_->credit(), &rv1::CreditService::Stub::GetLedgerHistory,
                                 kSchoolA, auth::v1::SCHOOL, history);
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_THAT(versions->versions(), SizeIs(2));
  EXPECT_EQ(versions->versions(0).package().notes(), "프로젝트 수행 능력이 우수함.");
  EXPECT_TRUE(versions->versions(1).acknowledged());
  rv1::ListPendingResultsRequest pending;
  pending.set_parent("schools/J10-7531001");
  auto nothing_pending =
      clients_->Call(clients_->credit(), &rv1::CreditService::Stub::ListPendingResults, kSchoolA,
                     auth::v1::SCHOOL, pending);
  ASSERT_TRUE(nothing_pending.ok());
  EXPECT_THAT(nothing_pending->entries(), SizeIs(0));
  // A superseded version cannot be acknowledged.
  rv1::AcknowledgeResultRequest stale;
  stale.set_entry(semester.amended.name());
  stale.set_version(1);
  stale.set_request_id("stale-ack");
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::AcknowledgeResult, kSchoolA,
                  auth::v1::SCHOOL, stale),
            absl::StatusCode::kFailedPrecondition);

  // Authorization: only a section's host records for it; only a student's
  // home school reads its results.
  rv1::RecordAttendanceRequest foreign;
  foreign.set_section(semester.ai.name());
  foreign.set_session_number(1);
  foreign.mutable_date()->set_year(2027);
  foreign.mutable_date()->set_month(3);
  foreign.mutable_date()->set_day(2);
  foreign.set_request_id("foreign");
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::RecordAttendance, kMaker,
                  auth::v1::ACADEMY, foreign),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::RecordAttendance, kSchoolA,
                  auth::v1::SCHOOL, foreign),
            absl::StatusCode::kPermissionDenied);
  rv1::AmendResultRequest amend;
  amend.set_entry(semester.amended.name());
  amend.set_notes("x");
  amend.set_reason("x");
  amend.set_evidence_ref("x");
  amend.set_request_id("foreign-amend");
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::AmendResult, kAcademy,
                  auth::v1::ACADEMY, amend),
            absl::StatusCode::kPermissionDenied);
  rv1::GetTranscriptRequest transcript;
  transcript.set_student(a1);
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::GetTranscript, kSchoolB,
                  auth::v1::SCHOOL, transcript),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::GetLedgerHistory, kSchoolC,
                  auth::v1::SCHOOL, history),
            absl::StatusCode::kPermissionDenied);
  rv1::ExportPendingResultsRequest foreign_export;
  foreign_export.set_parent("schools/J10-7531001");
  EXPECT_EQ(Probe(clients_->credit(), &rv1::CreditService::Stub::ExportPendingResults, kSchoolB,
                  auth::v1::SCHOOL, foreign_export),
            absl::StatusCode::kPermissionDenied);

  // Transcripts.
  const rv1::Transcript a1_transcript = Transcript(a1);
  EXPECT_EQ(a1_transcript.subject_credits(), 4);
  EXPECT_EQ(a1_transcript.subject_credits_required(), 174);
  EXPECT_EQ(a1_transcript.total_required(), 192);
  EXPECT_EQ(a1_transcript.korean_math_english(), 2);
  EXPECT_THAT(a1_transcript.results(), SizeIs(2));
  const rv1::Transcript a2_transcript = Transcript(a2);
  EXPECT_EQ(a2_transcript.subject_credits(), 0);
  ASSERT_THAT(a2_transcript.not_completed(), SizeIs(1));
  EXPECT_THAT(a2_transcript.not_completed(0), HasSubstr("자동제어기기제작"));
  EXPECT_EQ(Transcript(b1).subject_credits(), 2);
  const rv1::Transcript b2_transcript = Transcript(b2);
  EXPECT_EQ(b2_transcript.subject_credits(), 2);
  ASSERT_THAT(b2_transcript.results(), SizeIs(1));
  EXPECT_EQ(b2_transcript.results(0).package().rule().subject_kind(), rv1::COMMON_SUBJECT);
  EXPECT_EQ(Transcript(c1).subject_credits(), 4);

  // A score amendment: a pending result that exports as CSV with Korean
  // headers, and the section's statistics re-issued to b2's result.
  rv1::AmendResultRequest again;
  again.set_entry(semester.amended.name());
  again.set_raw_score(89);
  again.set_reason("채점 오류 정정");
  again.set_evidence_ref("재채점 기록");
  again.set_request_id("amend-again");
  ASSERT_TRUE(clients_
                  ->Call(clients_->credit(), &rv1::CreditService::Stub::AmendResult, kSchoolA,
                         auth::v1::SCHOOL, again)
                  .ok());
  rv1::ExportPendingResultsRequest export_request;
  export_request.set_parent("schools/J10-7531001");
  auto csv = clients_->Call(clients_->credit(), &rv1::CreditService::Stub::ExportPendingResults,
                            kSchoolA, auth::v1::SCHOOL, export_request);
  ASSERT_TRUE(csv.ok());
  EXPECT_THAT(csv->csv(), HasSubstr("세부능력 및 특기사항"));
  EXPECT_THAT(csv->csv(), HasSubstr("수업 횟수,출석 횟수"));
  EXPECT_THAT(csv->csv(), HasSubstr("공통수학2"));
  EXPECT_THAT(csv->csv(), HasSubstr("미분방정식 탐구 보고서"));
  // The course mean (88 + 38) / 2 became (89 + 38) / 2.
  rv1::ListPendingResultsRequest pending_b;
  pending_b.set_parent("schools/J10-7531002");
  auto reissued = clients_->Call(clients_->credit(), &rv1::CreditService::Stub::ListPendingResults,
                                 kSchoolB, auth::v1::SCHOOL, pending_b);
  ASSERT_TRUE(reissued.ok()) << reissued.status();
  ASSERT_THAT(reissued->entries(), SizeIs(1));
  EXPECT_EQ(reissued->entries(0).package().student(), b2);
  EXPECT_EQ(reissued->entries(0).version(), 3);
  EXPECT_EQ(reissued->entries(0).reason(), "채점 오류 정정");
  EXPECT_DOUBLE_EQ(reissued->entries(0).package().course_mean(), 63.5);
  EXPECT_EQ(reissued->entries(0).package().outcome(), rv1::COMPLETED);

  // All three services stop cleanly.
  EXPECT_EQ(credit_->Stop(), 0);
  EXPECT_EQ(enrollment_->Stop(), 0);
  EXPECT_EQ(catalog_->Stop(), 0);
}

}  // namespace
}  // namespace osan
