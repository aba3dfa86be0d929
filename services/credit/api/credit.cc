#include "services/credit/api/credit.h"

#include <google/protobuf/util/time_util.h>

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/csv.h"
#include "common/ids.h"
#include "common/status.h"
#include "common/use_case.h"
#include "common/validation.h"
#include "services/catalog/domain/labels.h"
#include "services/catalog/domain/names.h"
#include "services/catalog/domain/rules.h"
#include "services/credit/store/credit_store.h"
#include "services/enrollment/domain/rules.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;
using enrollment::StudentId;

constexpr int kFeedPage = 200;

google::protobuf::Timestamp Now(const server::CallContext& call) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(call.now));
}

absl::StatusOr<std::string> ParseEntryName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "ledger/") || !catalog::IsUuid(name)) {
    return InvalidField(field, "must be ledger/{id}");
  }
  return absl::AsciiStrToLower(name);
}

store::StudentRef RefOf(const StudentId& id) { return {id.school, id.key}; }

// The school year of `term` ("terms/2027-1" -> 2027).
int SchoolYear(const std::string& term) {
  auto parsed = catalog::ParseTermName("term", term);
  return parsed.ok() ? parsed->year : 0;
}

absl::Status CheckPercent(absl::string_view field, double value) {
  if (!(value >= 0 && value <= 100)) {  // also refuses NaN
    return InvalidField(field, "must be between 0 and 100");
  }
  return absl::OkStatus();
}

// Applies the completion decision to `package`.
void SetOutcome(const CompletionDecision& decision, v1::ResultPackage* package) {
  package->set_outcome(decision.outcome);
  package->set_outcome_reason(decision.reason);
  package->set_credits_earned(decision.outcome == v1::COMPLETED ? package->credits() : 0);
}

}  // namespace

struct Credit::HostedSection {
  catalog::SectionFacts facts;
  std::string section_id;
  // Names of the section's ENROLLED students.
  std::set<std::string> enrolled;
};

absl::StatusOr<Credit::HostedSection> Credit::Hosted(const Call& call, const std::string& field,
                                                     const std::string& name) {
  OSAN_ASSIGN_OR_RETURN(const catalog::SectionId id, catalog::ParseSectionName(field, name));
  HostedSection hosted;
  hosted.section_id = id.id;
  OSAN_ASSIGN_OR_RETURN(hosted.facts, catalog_->GetSection(id.name(), call.deadline));
  OSAN_RETURN_IF_ERROR(enrollment::RequireHost(*call.principal, hosted.facts.section.host()));
  OSAN_ASSIGN_OR_RETURN(const auto roster,
                        enrollment_->Roster(id.name(), call.bearer_token, call.deadline));
  for (const auto& entry : roster.entries()) {
    if (entry.state() == enrollment::v1::ENROLLED) {
      hosted.enrolled.insert(entry.student());
    }
  }
  return hosted;
}

// ----- Attendance and assessment --------------------------------------------

absl::StatusOr<v1::SessionAttendance> Credit::RecordAttendance(
    const Call& call, const v1::RecordAttendanceRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted, Hosted(call, "section", request.section()));
  OSAN_RETURN_IF_ERROR(
      CheckRange("session_number", request.session_number(), 1, hosted.facts.section.sessions()));
  absl::CivilDay day;
  if (!catalog::ToCivilDay(request.date(), &day)) {
    return InvalidField("date", "is not a valid date");
  }
  OSAN_RETURN_IF_ERROR(CheckText("reason", request.reason(), 0, 500));
  std::set<std::string> marked;
  for (int i = 0; i < request.marks_size(); ++i) {
    const auto& mark = request.marks(i);
    call.Audit(mark.student());
    const std::string field = absl::StrCat("marks[", i, "]");
    if (!v1::AttendanceStatus_IsValid(mark.status()) ||
        mark.status() == v1::ATTENDANCE_STATUS_UNSPECIFIED) {
      return InvalidField(field, "status is required");
    }
    if (hosted.enrolled.count(mark.student()) == 0) {
      return InvalidField(field, absl::StrCat(mark.student(), " is not enrolled in the section"));
    }
    if (!marked.insert(mark.student()).second) {
      return InvalidField(field, absl::StrCat(mark.student(), " is marked twice"));
    }
  }
  if (marked.size() != hosted.enrolled.size()) {
    return InvalidField("marks", absl::StrCat("mark every enrolled student (", marked.size(),
                                              " of ", hosted.enrolled.size(), ")"));
  }
  return IdempotentMutation<v1::SessionAttendance>(
      *pool_, call, "RecordAttendance", request,
      [&](pqxx::work& tx) -> absl::StatusOr<v1::SessionAttendance> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, store::IsFinalized(tx, hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError(
              "the section is finalized; change results with AmendResult");
        }
        OSAN_ASSIGN_OR_RETURN(
            const int previous,
            store::AttendanceVersion(tx, hosted.section_id, request.session_number()));
        if (previous > 0 && request.reason().empty()) {
          return InvalidField("reason", "is required to correct a recorded session");
        }
        v1::SessionAttendance record;
        record.set_name(absl::StrCat(request.section(), "/sessions/", request.session_number()));
        record.set_section(request.section());
        record.set_session_number(request.session_number());
        *record.mutable_date() = request.date();
        *record.mutable_marks() = request.marks();
        record.set_version(previous + 1);
        record.set_recorded_by(call.principal->institution);
        record.set_reason(request.reason());
        *record.mutable_record_time() = Now(call);
        OSAN_RETURN_IF_ERROR(store::InsertAttendance(tx, hosted.section_id, record));
        return record;
      });
}

absl::StatusOr<v1::ListAttendanceResponse> Credit::ListAttendance(
    const Call& call, const v1::ListAttendanceRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted, Hosted(call, "section", request.section()));
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<v1::ListAttendanceResponse> {
    OSAN_ASSIGN_OR_RETURN(auto sessions,
                          store::Attendance(tx, hosted.section_id, request.include_history()));
    v1::ListAttendanceResponse response;
    std::set<int> held;
    for (auto& session : sessions) {
      held.insert(session.session_number());
      *response.add_sessions() = std::move(session);
    }
    response.set_sessions_held(static_cast<int>(held.size()));
    return response;
  });
}

absl::StatusOr<v1::Assessment> Credit::RecordAssessment(
    const Call& call, const v1::RecordAssessmentRequest& request) {
  const v1::Assessment& input = request.assessment();
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted,
                        Hosted(call, "assessment.section", input.section()));
  OSAN_ASSIGN_OR_RETURN(const StudentId student,
                        enrollment::ParseStudentName("assessment.student", input.student()));
  call.Audit(student.name());
  if (hosted.enrolled.count(student.name()) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(student.name(), " is not enrolled in the section"));
  }
  OSAN_RETURN_IF_ERROR(CheckPercent("assessment.raw_score", input.raw_score()));
  OSAN_RETURN_IF_ERROR(CheckPercent("assessment.achievement_rate", input.achievement_rate()));
  OSAN_RETURN_IF_ERROR(CheckText("assessment.notes", input.notes(), 0, 1500, true));
  OSAN_RETURN_IF_ERROR(CheckText("assessment.reason", input.reason(), 0, 500));
  const cv1::Course& course = hosted.facts.course;
  return IdempotentMutation<v1::Assessment>(
      *pool_, call, "RecordAssessment", request,
      [&](pqxx::work& tx) -> absl::StatusOr<v1::Assessment> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, store::IsFinalized(tx, hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError(
              "the section is finalized; change results with AmendResult");
        }
        OSAN_ASSIGN_OR_RETURN(const int previous,
                              store::AssessmentVersion(tx, hosted.section_id, RefOf(student)));
        if (previous > 0 && input.reason().empty()) {
          return InvalidField("assessment.reason", "is required to correct an assessment");
        }
        v1::Assessment assessment = input;
        assessment.set_student(student.name());
        assessment.set_achievement_level(AchievementLevel(
            ScaleFor(course.category(), course.subject_area()), input.achievement_rate()));
        assessment.set_version(previous + 1);
        assessment.set_recorded_by(call.principal->institution);
        *assessment.mutable_record_time() = Now(call);
        OSAN_RETURN_IF_ERROR(
            store::InsertAssessment(tx, hosted.section_id, RefOf(student), assessment));
        return assessment;
      });
}

// ----- Finalization and the ledger ------------------------------------------

absl::StatusOr<v1::FinalizeSectionResponse> Credit::FinalizeSection(
    const Call& call, const v1::FinalizeSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted, Hosted(call, "section", request.section()));
  const cv1::Section& section = hosted.facts.section;
  const cv1::Course& course = hosted.facts.course;
  OSAN_ASSIGN_OR_RETURN(const cv1::Institution host,
                        catalog_->GetInstitution(section.host(), call.deadline));
  return IdempotentMutation<v1::FinalizeSectionResponse>(
      *pool_, call, "FinalizeSection", request,
      [&](pqxx::work& tx) -> absl::StatusOr<v1::FinalizeSectionResponse> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, store::IsFinalized(tx, hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError("the section is already finalized");
        }
        OSAN_ASSIGN_OR_RETURN(const auto rules, store::LoadRules(tx));
        OSAN_ASSIGN_OR_RETURN(const CompletionRule rule,
                              SelectRule(rules, hosted.facts.term.year(), course.category()));
        OSAN_ASSIGN_OR_RETURN(const auto assessments,
                              store::LatestAssessments(tx, hosted.section_id));
        std::vector<std::string> missing;
        std::vector<ScoredStudent> scored;
        for (const std::string& name : hosted.enrolled) {
          const auto id = enrollment::ParseStudentName("student", name);
          const auto it = id.ok() ? assessments.find(RefOf(*id)) : assessments.end();
          if (it == assessments.end()) {
            missing.push_back(name);
          } else {
            scored.push_back({it->second.raw_score(), it->second.achievement_level()});
          }
        }
        if (!missing.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("no assessment recorded for ", absl::StrJoin(missing, ", ")));
        }
        OSAN_ASSIGN_OR_RETURN(const auto sessions,
                              store::Attendance(tx, hosted.section_id, /*history=*/false));
        std::map<std::string, v1::AttendanceSummary> attendance;
        for (const auto& session : sessions) {
          for (const auto& mark : session.marks()) {
            v1::AttendanceSummary& summary = attendance[mark.student()];
            switch (mark.status()) {
              case v1::PRESENT:
                summary.set_present(summary.present() + 1);
                break;
              case v1::LATE:
                summary.set_late(summary.late() + 1);
                break;
              case v1::EARLY_LEAVE:
                summary.set_early_leave(summary.early_leave() + 1);
                break;
              case v1::EXCUSED:
                summary.set_excused(summary.excused() + 1);
                break;
              default:
                summary.set_absent(summary.absent() + 1);
            }
          }
        }
        const SectionStatistics statistics = Summarize(scored);
        v1::FinalizeSectionResponse response;
        response.set_course_mean(statistics.course_mean);
        response.mutable_level_distribution()->insert(statistics.level_distribution.begin(),
                                                      statistics.level_distribution.end());
        response.set_student_count(statistics.student_count);
        for (const std::string& name : hosted.enrolled) {
          call.Audit(name);
          const StudentId id = *enrollment::ParseStudentName("student", name);
          const v1::Assessment& assessment = assessments.at(RefOf(id));
          v1::AttendanceSummary summary = attendance[name];
          summary.set_sessions_held(static_cast<int>(sessions.size()));
          summary.set_attended(summary.present() + summary.late() + summary.early_leave() +
                               summary.excused());

          v1::LedgerEntry entry;
          const std::string entry_id = NewUuid();
          entry.set_name(absl::StrCat("ledger/", entry_id));
          entry.set_version(1);
          entry.set_reason("finalized");
          entry.set_recorded_by(call.principal->institution);
          *entry.mutable_record_time() = Now(call);
          v1::ResultPackage& package = *entry.mutable_package();
          package.set_term(hosted.facts.term.name());
          package.set_section(section.name());
          package.set_student(name);
          package.set_title(course.title());
          package.set_category(course.category());
          package.set_subject_area(course.subject_area());
          package.set_credits(course.credits());
          package.set_raw_score(assessment.raw_score());
          package.set_achievement_rate(assessment.achievement_rate());
          package.set_course_mean(statistics.course_mean);
          package.set_achievement_level(assessment.achievement_level());
          *package.mutable_level_distribution() = response.level_distribution();
          package.set_student_count(statistics.student_count);
          package.set_rank(RankMark(/*joint_course=*/true, statistics.student_count));
          package.set_notes(assessment.notes());
          *package.mutable_attendance() = summary;
          package.set_remarks(Remarks(course.category(), course.delivery_mode()));
          package.set_host(section.host());
          package.set_host_display_name(host.display_name());
          SetOutcome(DecideCompletion(rule, {summary.sessions_held(), summary.attended(),
                                             assessment.achievement_rate()}),
                     &package);
          OSAN_RETURN_IF_ERROR(store::AppendEntry(
              tx,
              {entry_id, RefOf(id), hosted.section_id, catalog::InstitutionCodeOf(section.host())},
              entry));
          *response.add_entries() = std::move(entry);
        }
        OSAN_RETURN_IF_ERROR(
            store::MarkFinalized(tx, hosted.section_id, call.principal->institution));
        return response;
      },
      [&](const v1::FinalizeSectionResponse& response) {
        for (const v1::LedgerEntry& entry : response.entries()) {
          call.Audit(entry.package().student());
        }
      });
}

namespace {

// Appends the next version of an entry the caller hosts, built by `change`
// from the latest one.
template <class Request, class Change>
absl::StatusOr<v1::LedgerEntry> NextVersion(db::Pool& pool, const server::CallContext& call,
                                            const char* method, const Request& request,
                                            const std::string& entry_id, Change&& change) {
  return IdempotentMutation<v1::LedgerEntry>(
      pool, call, method, request,
      [&](pqxx::work& tx) -> absl::StatusOr<v1::LedgerEntry> {
        OSAN_ASSIGN_OR_RETURN(auto latest, store::LatestEntry(tx, entry_id, /*for_update=*/true));
        auto& [key, entry] = latest;
        call.Audit(entry.package().student());
        OSAN_RETURN_IF_ERROR(
            enrollment::RequireHost(*call.principal, catalog::InstitutionName(key.host_code)));
        v1::LedgerEntry next = entry;
        OSAN_RETURN_IF_ERROR(change(tx, &next));
        next.set_version(entry.version() + 1);
        next.set_recorded_by(call.principal->institution);
        next.clear_acknowledged();
        *next.mutable_record_time() = Now(call);
        OSAN_RETURN_IF_ERROR(store::AppendEntry(tx, key, next));
        return next;
      },
      [&](const v1::LedgerEntry& entry) { call.Audit(entry.package().student()); });
}

}  // namespace

absl::StatusOr<v1::LedgerEntry> Credit::RecordRemediation(
    const Call& call, const v1::RecordRemediationRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  if (!v1::RemediationKind_IsValid(request.kind()) ||
      request.kind() == v1::REMEDIATION_KIND_UNSPECIFIED) {
    return InvalidField("kind", "is required");
  }
  OSAN_RETURN_IF_ERROR(CheckText("notes", request.notes(), 1, 500, true));
  return NextVersion(*pool_, call, "RecordRemediation", request, entry_id,
                     [&](pqxx::work&, v1::LedgerEntry* next) -> absl::Status {
                       v1::ResultPackage& package = *next->mutable_package();
                       if (package.outcome() != v1::REMEDIATION_REQUIRED) {
                         return absl::FailedPreconditionError(
                             absl::StrCat("the result is ", v1::Outcome_Name(package.outcome()),
                                          "; remediation is recorded only when it is required"));
                       }
                       const std::string what =
                           request.kind() == v1::REMEDIAL_INSTRUCTION ? "보충지도" : "추가학습";
                       SetOutcome({request.satisfied() ? v1::COMPLETED : v1::NOT_COMPLETED,
                                   absl::StrCat(what, request.satisfied() ? " 이수" : " 미이수",
                                                " (", package.outcome_reason(), ")")},
                                  &package);
                       next->set_reason(absl::StrCat(what, ": ", request.notes()));
                       next->clear_evidence_ref();
                       return absl::OkStatus();
                     });
}

absl::StatusOr<v1::LedgerEntry> Credit::AmendResult(const Call& call,
                                                    const v1::AmendResultRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  OSAN_RETURN_IF_ERROR(CheckText("reason", request.reason(), 1, 500, true));
  OSAN_RETURN_IF_ERROR(CheckText("evidence_ref", request.evidence_ref(), 1, 200));
  if (!request.has_raw_score() && !request.has_achievement_rate() && !request.has_notes()) {
    return InvalidField("raw_score", "give at least one of raw_score, achievement_rate, notes");
  }
  if (request.has_raw_score()) {
    OSAN_RETURN_IF_ERROR(CheckPercent("raw_score", request.raw_score()));
  }
  if (request.has_achievement_rate()) {
    OSAN_RETURN_IF_ERROR(CheckPercent("achievement_rate", request.achievement_rate()));
  }
  if (request.has_notes()) {
    OSAN_RETURN_IF_ERROR(CheckText("notes", request.notes(), 0, 1500, true));
  }
  return NextVersion(
      *pool_, call, "AmendResult", request, entry_id,
      [&](pqxx::work& tx, v1::LedgerEntry* next) -> absl::Status {
        v1::ResultPackage& package = *next->mutable_package();
        if (request.has_raw_score()) {
          package.set_raw_score(request.raw_score());
        }
        if (request.has_notes()) {
          package.set_notes(request.notes());
        }
        if (request.has_achievement_rate()) {
          // A new rate re-derives the level and re-decides completion.
          package.set_achievement_rate(request.achievement_rate());
          package.set_achievement_level(AchievementLevel(
              ScaleFor(package.category(), package.subject_area()), request.achievement_rate()));
          OSAN_ASSIGN_OR_RETURN(const auto rules, store::LoadRules(tx));
          OSAN_ASSIGN_OR_RETURN(const CompletionRule rule,
                                SelectRule(rules, SchoolYear(package.term()), package.category()));
          SetOutcome(
              DecideCompletion(rule, {package.attendance().sessions_held(),
                                      package.attendance().attended(), request.achievement_rate()}),
              &package);
        }
        next->set_reason(request.reason());
        next->set_evidence_ref(request.evidence_ref());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::LedgerHistory> Credit::GetLedgerHistory(
    const Call& call, const v1::GetLedgerHistoryRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<v1::LedgerHistory> {
    OSAN_ASSIGN_OR_RETURN(const auto latest, store::LatestEntry(tx, entry_id, false));
    const store::EntryKey& key = latest.first;
    call.Audit(latest.second.package().student());
    if (!enrollment::RequireHomeSchool(*call.principal, key.student.first).ok() &&
        !enrollment::RequireHost(*call.principal, catalog::InstitutionName(key.host_code)).ok()) {
      return absl::PermissionDeniedError(
          "only the student's home school and the section's host may read this result");
    }
    OSAN_ASSIGN_OR_RETURN(auto versions, store::EntryHistory(tx, entry_id));
    v1::LedgerHistory history;
    for (auto& version : versions) {
      *history.add_versions() = std::move(version);
    }
    return history;
  });
}

// ----- Results for home schools ---------------------------------------------

absl::StatusOr<v1::Acknowledgement> Credit::AcknowledgeResult(
    const Call& call, const v1::AcknowledgeResultRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  if (request.version() < 1) {
    return InvalidField("version", "must be 1 or more");
  }
  return IdempotentMutation<v1::Acknowledgement>(
      *pool_, call, "AcknowledgeResult", request,
      [&](pqxx::work& tx) -> absl::StatusOr<v1::Acknowledgement> {
        OSAN_ASSIGN_OR_RETURN(const auto latest, store::LatestEntry(tx, entry_id, true));
        call.Audit(latest.second.package().student());
        OSAN_RETURN_IF_ERROR(
            enrollment::RequireHomeSchool(*call.principal, latest.first.student.first));
        if (request.version() != latest.second.version()) {
          return absl::FailedPreconditionError(
              absl::StrCat("version ", request.version(), " is not the latest (",
                           latest.second.version(), "); enter and acknowledge the latest"));
        }
        return store::Acknowledge(tx, entry_id, request.version(), call.principal->institution);
      });
}

absl::StatusOr<v1::ListPendingResultsResponse> Credit::ListPendingResults(
    const Call& call, const v1::ListPendingResultsRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string school,
                        enrollment::ParseSchoolName("parent", request.parent()));
  OSAN_RETURN_IF_ERROR(enrollment::RequireHomeSchool(*call.principal, school));
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<v1::ListPendingResultsResponse> {
    OSAN_ASSIGN_OR_RETURN(auto entries, store::PendingEntries(tx, school));
    v1::ListPendingResultsResponse response;
    for (auto& entry : entries) {
      call.Audit(entry.package().student());
      *response.add_entries() = std::move(entry);
    }
    return response;
  });
}

absl::StatusOr<v1::ExportPendingResultsResponse> Credit::ExportPendingResults(
    const Call& call, const v1::ExportPendingResultsRequest& request) {
  v1::ListPendingResultsRequest list;
  list.set_parent(request.parent());
  OSAN_ASSIGN_OR_RETURN(const auto pending, ListPendingResults(call, list));
  v1::ExportPendingResultsResponse response;
  response.set_csv(ResultsCsv({pending.entries().begin(), pending.entries().end()}));
  return response;
}

absl::StatusOr<v1::Transcript> Credit::GetTranscript(const Call& call,
                                                     const v1::GetTranscriptRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const StudentId student,
                        enrollment::ParseStudentName("student", request.student()));
  call.Audit(student.name());
  OSAN_RETURN_IF_ERROR(enrollment::RequireHomeSchool(*call.principal, student.school));
  OSAN_ASSIGN_OR_RETURN(auto entries, pool_->Transact([&](pqxx::work& tx) {
    return store::StudentEntries(tx, RefOf(student));
  }));
  v1::Transcript transcript;
  transcript.set_student(student.name());
  std::vector<EarnedCredits> earned;
  for (auto& entry : entries) {
    const v1::ResultPackage& package = entry.package();
    const std::string label = absl::StrCat(package.title(), " (", package.term(), ")");
    switch (package.outcome()) {
      case v1::COMPLETED:
        earned.push_back({package.category(), package.subject_area(), package.credits_earned()});
        break;
      case v1::REMEDIATION_REQUIRED:
        transcript.add_remediation_pending(label);
        break;
      default:
        transcript.add_not_completed(label);
    }
    *transcript.add_results() = std::move(entry);
  }
  Audit(earned, GraduationRequirements(), &transcript);
  return transcript;
}

absl::StatusOr<std::vector<v1::ResultEvent>> Credit::ReadResults(const Call& call,
                                                                 const std::string& cursor) {
  const auth::Principal& principal = *call.principal;
  std::string school;
  if (principal.role == auth::v1::SCHOOL) {
    school = principal.institution;
  } else if (principal.role != auth::v1::SERVICE) {
    return absl::PermissionDeniedError("results go to home schools (and the suite's services)");
  }
  return pool_->Transact([&](pqxx::work& tx) -> absl::StatusOr<std::vector<v1::ResultEvent>> {
    OSAN_ASSIGN_OR_RETURN(auto events, store::ReadResultEvents(tx, cursor, school, kFeedPage));
    for (const v1::ResultEvent& event : events) {
      call.Audit(event.entry().package().student());
    }
    return events;
  });
}

// ----- CSV ------------------------------------------------------------------

namespace {

std::string OutcomeLabel(v1::Outcome outcome) {
  switch (outcome) {
    case v1::COMPLETED:
      return "이수";
    case v1::REMEDIATION_REQUIRED:
      return "보충 필요";
    case v1::NOT_COMPLETED:
      return "미이수";
    default:
      return "";
  }
}

}  // namespace

std::string ResultsCsv(const std::vector<v1::LedgerEntry>& entries) {
  std::string csv = "\xEF\xBB\xBF";
  const std::vector<std::string> header = {"학생",
                                           "학기",
                                           "과목",
                                           "구분",
                                           "학점",
                                           "취득학점",
                                           "원점수",
                                           "과목평균",
                                           "성취도",
                                           "성취도별 분포",
                                           "수강자수",
                                           "석차등급",
                                           "세부능력 및 특기사항",
                                           "수업일수",
                                           "출석일수",
                                           "결석",
                                           "지각",
                                           "조퇴",
                                           "비고",
                                           "개설 기관",
                                           "이수 여부",
                                           "사유",
                                           "결과",
                                           "버전"};
  csv += CsvLine(header);
  for (const auto& entry : entries) {
    const v1::ResultPackage& p = entry.package();
    std::vector<std::string> distribution;
    for (const auto& [level, count] :
         std::map<std::string, int>(p.level_distribution().begin(), p.level_distribution().end())) {
      distribution.push_back(absl::StrCat(level, ":", count));
    }
    // Text (from hosts, schools and the ledger) goes through CsvField, which
    // neutralises formulas; the numbers are the service's own.
    csv += CsvLine({CsvField(p.student()),
                    CsvField(p.term()),
                    CsvField(p.title()),
                    CsvField(catalog::CategoryLabel(p.category())),
                    CsvNumber(p.credits()),
                    CsvNumber(p.credits_earned()),
                    CsvNumber(p.raw_score()),
                    CsvNumber(p.course_mean()),
                    CsvField(p.achievement_level()),
                    CsvField(absl::StrJoin(distribution, " ")),
                    CsvNumber(p.student_count()),
                    CsvField(p.rank()),
                    CsvField(p.notes()),
                    CsvNumber(p.attendance().sessions_held()),
                    CsvNumber(p.attendance().attended()),
                    CsvNumber(p.attendance().absent()),
                    CsvNumber(p.attendance().late()),
                    CsvNumber(p.attendance().early_leave()),
                    CsvField(p.remarks()),
                    CsvField(p.host_display_name()),
                    CsvField(OutcomeLabel(p.outcome())),
                    CsvField(p.outcome_reason()),
                    CsvField(entry.name()),
                    CsvNumber(entry.version())});
  }
  return csv;
}

}  // namespace osan::credit
