#include "services/credit/api/credit.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/roles.h"
#include "common/spreadsheet.h"
#include "common/status.h"
#include "common/use_case.h"
#include "common/validation.h"
#include "services/catalog/vocabulary/recognition.h"
#include "services/credit/api/report.h"
#include "services/credit/domain/finalization.h"
#include "services/credit/domain/results_sheet.h"

namespace osan::credit {
namespace {

namespace cv1 = catalog::v1;

google::protobuf::Timestamp Now(const server::CallContext& call) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(call.now));
}

absl::StatusOr<std::string> ParseEntryName(absl::string_view field, absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "ledger/") || !IsUuid(name)) {
    return InvalidField(field, "must be ledger/{id}");
  }
  return absl::AsciiStrToLower(name);
}

store::StudentRef RefOf(const StudentId& id) { return {id.school, id.key}; }

absl::Status CheckPercent(absl::string_view field, double value) {
  if (!(value >= 0 && value <= 100)) {  // also refuses NaN
    return InvalidField(field, "must be between 0 and 100");
  }
  return absl::OkStatus();
}

// The category and subject area results of `course` carry: the recognised
// version's when there is one.
std::pair<cv1::Category, cv1::SubjectArea> SubjectOf(const cv1::Course& course) {
  const absl::StatusOr<cv1::RecognisedVersion> version = catalog::RecognisedFacts(course);
  return version.ok() ? std::make_pair(version->category(), version->subject_area())
                      : std::make_pair(course.category(), course.subject_area());
}

}  // namespace

struct Credit::HostedSection {
  catalog::SectionFacts facts;
  std::string section_id;
  // The section's ENROLLED students: name -> entry year (the cohort, which
  // decides the curriculum).
  std::map<std::string, int> enrolled;
};

absl::StatusOr<Credit::HostedSection> Credit::Hosted(const Call& call, const std::string& field,
                                                     const std::string& name) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName(field, name));
  HostedSection hosted;
  hosted.section_id = id.id;
  OSAN_ASSIGN_OR_RETURN(hosted.facts, peers_->Section(id.name(), call.deadline));
  OSAN_RETURN_IF_ERROR(auth::RequireHost(*call.principal, hosted.facts.section.host()));
  OSAN_ASSIGN_OR_RETURN(const auto roster,
                        peers_->Roster(id.name(), call.bearer_token, call.deadline));
  for (const auto& entry : roster.entries()) {
    if (entry.state() == enrollment::v1::ENROLLED) {
      hosted.enrolled[entry.student()] = entry.entry_year();
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
  if (!ToCivilDay(request.date(), &day)) {
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
      *store_, call, "RecordAttendance", request,
      [&](store::Records& records) -> absl::StatusOr<v1::SessionAttendance> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, records.IsFinalized(hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError(
              "the section is finalized; change results with AmendResult");
        }
        OSAN_ASSIGN_OR_RETURN(const int previous, records.AttendanceVersion(
                                                      hosted.section_id, request.session_number()));
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
        OSAN_RETURN_IF_ERROR(records.InsertAttendance(hosted.section_id, record));
        return record;
      });
}

absl::StatusOr<v1::ListAttendanceResponse> Credit::ListAttendance(
    const Call& call, const v1::ListAttendanceRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted, Hosted(call, "section", request.section()));
  v1::ListAttendanceResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListAttendance", request,
                            [&](store::Records& records, const std::string& after,
                                int limit) -> absl::StatusOr<Page<v1::SessionAttendance>> {
                              response.set_sessions_held(records.SessionsHeld(hosted.section_id));
                              return records.Attendance(hosted.section_id,
                                                        request.include_history(), after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& session : page.items) {
    *response.add_sessions() = std::move(session);
  }
  return response;
}

absl::StatusOr<v1::Assessment> Credit::RecordAssessment(
    const Call& call, const v1::RecordAssessmentRequest& request) {
  const v1::Assessment& input = request.assessment();
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted,
                        Hosted(call, "assessment.section", input.section()));
  OSAN_ASSIGN_OR_RETURN(const StudentId student,
                        ParseStudentName("assessment.student", input.student()));
  call.Audit(student.name());
  if (hosted.enrolled.count(student.name()) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(student.name(), " is not enrolled in the section"));
  }
  OSAN_RETURN_IF_ERROR(CheckPercent("assessment.raw_score", input.raw_score()));
  OSAN_RETURN_IF_ERROR(CheckPercent("assessment.achievement_rate", input.achievement_rate()));
  OSAN_RETURN_IF_ERROR(CheckText("assessment.notes", input.notes(), 0, 1500, true));
  OSAN_RETURN_IF_ERROR(CheckText("assessment.reason", input.reason(), 0, 500));
  // Plain variables, not a structured binding: the lambda below captures them.
  const auto subject = SubjectOf(hosted.facts.course);
  const cv1::Category category = subject.first;
  const cv1::SubjectArea area = subject.second;
  return IdempotentMutation<v1::Assessment>(
      *store_, call, "RecordAssessment", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Assessment> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, records.IsFinalized(hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError(
              "the section is finalized; change results with AmendResult");
        }
        OSAN_ASSIGN_OR_RETURN(const int previous,
                              records.AssessmentVersion(hosted.section_id, RefOf(student)));
        if (previous > 0 && input.reason().empty()) {
          return InvalidField("assessment.reason", "is required to correct an assessment");
        }
        OSAN_ASSIGN_OR_RETURN(const auto rules, records.LoadRules());
        OSAN_ASSIGN_OR_RETURN(
            const v1::CompletionRule rule,
            RuleForStudent(rules, student.name(), hosted.enrolled.at(student.name()),
                           hosted.facts.term.year(), category));
        v1::Assessment assessment = input;
        assessment.set_student(student.name());
        assessment.set_achievement_level(
            AssessedLevel(rule, ScaleFor(category, area), input.achievement_rate()));
        assessment.set_version(previous + 1);
        assessment.set_recorded_by(call.principal->institution);
        *assessment.mutable_record_time() = Now(call);
        OSAN_RETURN_IF_ERROR(
            records.InsertAssessment(hosted.section_id, RefOf(student), assessment));
        return assessment;
      });
}

// ----- Finalization and the ledger ------------------------------------------

absl::StatusOr<v1::FinalizeSectionResponse> Credit::FinalizeSection(
    const Call& call, const v1::FinalizeSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted, Hosted(call, "section", request.section()));
  const cv1::Section& section = hosted.facts.section;
  const cv1::Course& course = hosted.facts.course;
  const int school_year = hosted.facts.term.year();
  // Credits are the recognised version's for a course taught outside school.
  OSAN_ASSIGN_OR_RETURN(const cv1::RecognisedVersion version, catalog::RecognisedFacts(course));
  OSAN_ASSIGN_OR_RETURN(const cv1::Institution host,
                        peers_->Institution(section.host(), call.deadline));
  return IdempotentMutation<v1::FinalizeSectionResponse>(
      *store_, call, "FinalizeSection", request,
      [&](store::Records& records) -> absl::StatusOr<v1::FinalizeSectionResponse> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, records.IsFinalized(hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError("the section is already finalized");
        }
        OSAN_ASSIGN_OR_RETURN(
            const auto sessions,
            records.Attendance(hosted.section_id, /*history=*/false, "", store::kEverything));
        OSAN_RETURN_IF_ERROR(
            CheckSessionsHeld(section.sessions(), static_cast<int>(sessions.items.size())));
        OSAN_ASSIGN_OR_RETURN(const auto assessments, records.LatestAssessments(hosted.section_id));
        std::vector<std::string> students;
        std::map<std::string, store::StudentRef> refs;  // by name, of those assessed
        std::vector<std::string> missing;
        for (const auto& [name, entry_year] : hosted.enrolled) {
          students.push_back(name);
          const auto id = ParseStudentName("student", name);
          if (!id.ok() || assessments.count(RefOf(*id)) == 0) {
            missing.push_back(name);
          } else {
            refs.emplace(name, RefOf(*id));
          }
        }
        if (!missing.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("no assessment recorded for ", absl::StrJoin(missing, ", ")));
        }
        OSAN_ASSIGN_OR_RETURN(const auto rules, records.LoadRules());
        OSAN_ASSIGN_OR_RETURN(const auto labels, records.LoadRemarksLabels());
        OSAN_ASSIGN_OR_RETURN(
            const RemarksLabel remarks,
            SelectRemarks(labels, host.kind(), course.delivery_mode(), school_year));
        OSAN_ASSIGN_OR_RETURN(auto preventive, records.PreventiveRecords(hosted.section_id));
        const auto attendance = SummarizeAttendance(sessions.items, section.sessions(), students);
        const SectionOfResults results{
            hosted.facts.term.name(), section.name(),      version,
            section.host(),           host.display_name(), remarks.label};

        v1::FinalizeSectionResponse response;
        for (const auto& [name, entry_year] : hosted.enrolled) {
          call.Audit(name);
          const store::StudentRef& ref = refs.at(name);
          StudentRecord record;
          record.student = name;
          record.entry_year = entry_year;
          record.assessment = assessments.at(ref);
          record.attendance = attendance.at(name);
          OSAN_ASSIGN_OR_RETURN(record.rule, RuleForStudent(rules, name, entry_year, school_year,
                                                            version.category()));
          record.support = std::move(preventive[ref]);
          v1::LedgerEntry& entry = *response.add_entries();
          entry.set_name(absl::StrCat("ledger/", NewUuid()));
          entry.set_version(1);
          entry.set_reason("finalized");
          entry.set_recorded_by(call.principal->institution);
          *entry.mutable_record_time() = Now(call);
          *entry.mutable_package() = DecidedPackage(results, record);
        }

        std::vector<const v1::ResultPackage*> packages;
        for (const v1::LedgerEntry& entry : response.entries()) {
          packages.push_back(&entry.package());
        }
        const SectionStatistics statistics = StatisticsOf(packages);
        SetStatistics(statistics, &response);
        for (v1::LedgerEntry& entry : *response.mutable_entries()) {
          v1::ResultPackage& package = *entry.mutable_package();
          SetStatistics(statistics, &package);
          package.set_rank(RankMark(/*joint_course=*/true, statistics.student_count));
          const std::string entry_id(absl::StripPrefix(entry.name(), "ledger/"));
          OSAN_RETURN_IF_ERROR(
              records.AppendEntry({entry_id, refs.at(package.student()), hosted.section_id,
                                   InstitutionCodeOf(section.host())},
                                  entry));
        }
        OSAN_RETURN_IF_ERROR(records.MarkFinalized(hosted.section_id, call.principal->institution));
        return response;
      },
      [&](const v1::FinalizeSectionResponse& response) {
        for (const v1::LedgerEntry& entry : response.entries()) {
          call.Audit(entry.package().student());
        }
      });
}

absl::StatusOr<v1::SupportRecord> Credit::RecordPreventiveInstruction(
    const Call& call, const v1::RecordPreventiveInstructionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const HostedSection hosted, Hosted(call, "section", request.section()));
  OSAN_ASSIGN_OR_RETURN(const StudentId student, ParseStudentName("student", request.student()));
  call.Audit(student.name());
  if (hosted.enrolled.count(student.name()) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(student.name(), " is not enrolled in the section"));
  }
  OSAN_RETURN_IF_ERROR(CheckText("notes", request.notes(), 1, 500, true));
  return IdempotentMutation<v1::SupportRecord>(
      *store_, call, "RecordPreventiveInstruction", request,
      [&](store::Records& records) -> absl::StatusOr<v1::SupportRecord> {
        OSAN_ASSIGN_OR_RETURN(const bool finalized, records.IsFinalized(hosted.section_id));
        if (finalized) {
          return absl::FailedPreconditionError(
              "the section is finalized; preventive instruction (예방지도) is recorded during "
              "the term, and after finalization remediation with RecordRemediation");
        }
        OSAN_ASSIGN_OR_RETURN(const auto kinds, records.LoadSupportKinds());
        OSAN_ASSIGN_OR_RETURN(
            const SupportKind kind,
            SelectSupportKind(kinds, v1::PREVENTIVE_INSTRUCTION, hosted.facts.term.year()));
        v1::SupportRecord record = SupportRecordOf(kind);
        record.set_notes(request.notes());
        record.set_section(hosted.facts.section.name());
        record.set_student(student.name());
        record.set_recorded_by(call.principal->institution);
        *record.mutable_record_time() = Now(call);
        OSAN_RETURN_IF_ERROR(records.InsertPreventive(hosted.section_id, RefOf(student), record));
        return record;
      });
}

namespace {

// Appends the next version of an entry the caller hosts, built by
// `change(records, key, &next)` from the latest one (which may append versions of
// other entries of the section too). The section's lock is taken first, and
// the latest version read under it, so that ledger writes of a section never
// interleave.
template <class Request, class Change>
absl::StatusOr<v1::LedgerEntry> NextVersion(store::Store& store, const server::CallContext& call,
                                            const char* method, const Request& request,
                                            const std::string& entry_id, Change&& change) {
  return IdempotentMutation<v1::LedgerEntry>(
      store, call, method, request,
      [&](store::Records& records) -> absl::StatusOr<v1::LedgerEntry> {
        OSAN_ASSIGN_OR_RETURN(const auto found, records.LatestEntry(entry_id, false));
        OSAN_RETURN_IF_ERROR(records.IsFinalized(found.first.section_id).status());
        OSAN_ASSIGN_OR_RETURN(auto latest, records.LatestEntry(entry_id, /*for_update=*/true));
        auto& [key, entry] = latest;
        call.Audit(entry.package().student());
        OSAN_RETURN_IF_ERROR(auth::RequireHost(*call.principal, InstitutionName(key.host_code)));
        v1::LedgerEntry next = entry;
        next.set_version(entry.version() + 1);
        next.set_recorded_by(call.principal->institution);
        next.clear_acknowledged();
        *next.mutable_record_time() = Now(call);
        OSAN_RETURN_IF_ERROR(change(records, key, &next));
        OSAN_RETURN_IF_ERROR(records.AppendEntry(key, next));
        return next;
      },
      [&](const v1::LedgerEntry& entry) { call.Audit(entry.package().student()); });
}

// "추가학습 (ADDITIONAL_STUDY)".
std::string KindLabel(const SupportKind& kind) {
  return absl::StrCat(kind.label, " (", v1::RemediationKind_Name(kind.kind), ")");
}

absl::Status RequireRule(const v1::ResultPackage& package) {
  if (!package.has_rule()) {
    return absl::FailedPreconditionError(
        "the result was decided before results named their completion rule; it cannot be "
        "re-decided");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::LedgerEntry> Credit::RecordRemediation(
    const Call& call, const v1::RecordRemediationRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  if (request.kind() == v1::PREVENTIVE_INSTRUCTION) {
    return InvalidField("kind",
                        "PREVENTIVE_INSTRUCTION is recorded during the term with "
                        "RecordPreventiveInstruction; after finalization give "
                        "REMEDIAL_INSTRUCTION or ADDITIONAL_STUDY");
  }
  if (request.kind() != v1::REMEDIAL_INSTRUCTION && request.kind() != v1::ADDITIONAL_STUDY) {
    return InvalidField("kind", "is required: REMEDIAL_INSTRUCTION or ADDITIONAL_STUDY");
  }
  OSAN_RETURN_IF_ERROR(CheckText("notes", request.notes(), 1, 500, true));
  return NextVersion(
      *store_, call, "RecordRemediation", request, entry_id,
      [&](store::Records& records, const store::EntryKey&, v1::LedgerEntry* next) -> absl::Status {
        v1::ResultPackage& package = *next->mutable_package();
        if (package.outcome() != v1::REMEDIATION_REQUIRED) {
          return absl::FailedPreconditionError(
              absl::StrCat("the result is ", v1::Outcome_Name(package.outcome()),
                           "; remediation is recorded only when it is required"));
        }
        OSAN_RETURN_IF_ERROR(RequireRule(package));
        const int school_year = SchoolYearOfTerm(package.term());
        OSAN_ASSIGN_OR_RETURN(const auto kinds, records.LoadSupportKinds());
        OSAN_ASSIGN_OR_RETURN(const SupportKind kind,
                              SelectSupportKind(kinds, request.kind(), school_year));
        const auto& open = package.open_shortfalls();
        if (std::find(open.begin(), open.end(), kind.clears) == open.end()) {
          // A record of one kind never clears a shortfall of another.
          std::vector<std::string> due;
          for (const int shortfall : open) {
            std::string what = v1::Shortfall_Name(static_cast<v1::Shortfall>(shortfall));
            for (const SupportKind& other : kinds) {
              if (other.clears == shortfall && other.first_school_year <= school_year) {
                what = absl::StrCat(what, ", cleared by ", KindLabel(other));
              }
            }
            due.push_back(what);
          }
          return absl::FailedPreconditionError(
              absl::StrCat("kind: ", KindLabel(kind), " clears ",
                           kind.clears == v1::SHORTFALL_UNSPECIFIED
                               ? "no shortfall"
                               : absl::StrCat("an ", v1::Shortfall_Name(kind.clears), " shortfall"),
                           "; this result is short of ", absl::StrJoin(due, "; ")));
        }
        v1::SupportRecord record = SupportRecordOf(kind);
        record.set_satisfied(request.satisfied());
        record.set_notes(request.notes());
        record.set_section(package.section());
        record.set_student(package.student());
        record.set_recorded_by(call.principal->institution);
        *record.mutable_record_time() = Now(call);
        *package.add_support() = std::move(record);
        Decide(&package);
        next->set_reason(absl::StrCat(kind.label, request.satisfied() ? " 이수" : " 미이수", ": ",
                                      request.notes()));
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
  return NextVersion(*store_, call, "AmendResult", request, entry_id,
                     [&](store::Records& records, const store::EntryKey& key,
                         v1::LedgerEntry* next) -> absl::Status {
                       v1::ResultPackage& package = *next->mutable_package();
                       if (request.has_raw_score()) {
                         package.set_raw_score(request.raw_score());
                       }
                       if (request.has_notes()) {
                         package.set_notes(request.notes());
                       }
                       if (request.has_achievement_rate()) {
                         // A new rate re-decides completion under the result's rule; the
                         // support recorded so far stays and still clears what it cleared.
                         OSAN_RETURN_IF_ERROR(RequireRule(package));
                         package.set_achievement_rate(request.achievement_rate());
                         Decide(&package);
                       }
                       next->set_reason(request.reason());
                       next->set_evidence_ref(request.evidence_ref());
                       if (!request.has_raw_score() && !request.has_achievement_rate()) {
                         return absl::OkStatus();
                       }
                       // The section's statistics follow the new score: re-issued to every
                       // other result they change, with the same reason and evidence.
                       OSAN_ASSIGN_OR_RETURN(auto entries, records.SectionEntries(key.section_id));
                       std::vector<const v1::ResultPackage*> packages = {&package};
                       for (const auto& [other_key, other] : entries) {
                         if (other_key.entry_id != key.entry_id) {
                           packages.push_back(&other.package());
                         }
                       }
                       const SectionStatistics statistics = StatisticsOf(packages);
                       SetStatistics(statistics, &package);
                       for (auto& [other_key, other] : entries) {
                         if (other_key.entry_id == key.entry_id) {
                           continue;
                         }
                         v1::LedgerEntry reissued = other;
                         SetStatistics(statistics, reissued.mutable_package());
                         if (SameStatistics(reissued.package(), other.package())) {
                           continue;
                         }
                         reissued.set_version(other.version() + 1);
                         reissued.set_reason(request.reason());
                         reissued.set_evidence_ref(request.evidence_ref());
                         reissued.set_recorded_by(call.principal->institution);
                         reissued.clear_acknowledged();
                         *reissued.mutable_record_time() = Now(call);
                         OSAN_RETURN_IF_ERROR(records.AppendEntry(other_key, reissued));
                       }
                       return absl::OkStatus();
                     });
}

absl::StatusOr<v1::LedgerHistory> Credit::GetLedgerHistory(
    const Call& call, const v1::GetLedgerHistoryRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  v1::LedgerHistory history;
  OSAN_ASSIGN_OR_RETURN(
      auto page,
      ReadPage(
          *store_, page_tokens_, call, "GetLedgerHistory", request,
          [&](store::Records& records, const std::string& after,
              int limit) -> absl::StatusOr<Page<v1::LedgerEntry>> {
            OSAN_ASSIGN_OR_RETURN(const auto latest, records.LatestEntry(entry_id, false));
            const store::EntryKey& key = latest.first;
            call.Audit(latest.second.package().student());
            if (!auth::RequireHomeSchool(*call.principal, key.student.first).ok() &&
                !auth::RequireHost(*call.principal, InstitutionName(key.host_code)).ok()) {
              return absl::PermissionDeniedError(
                  "only the student's home school and the section's host may read this "
                  "result");
            }
            return records.EntryHistory(entry_id, after, limit);
          },
          history.mutable_next_page_token()));
  for (auto& version : page.items) {
    *history.add_versions() = std::move(version);
  }
  return history;
}

// ----- Results for home schools ---------------------------------------------

absl::StatusOr<v1::Acknowledgement> Credit::AcknowledgeResult(
    const Call& call, const v1::AcknowledgeResultRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string entry_id, ParseEntryName("entry", request.entry()));
  if (request.version() < 1) {
    return InvalidField("version", "must be 1 or more");
  }
  return IdempotentMutation<v1::Acknowledgement>(
      *store_, call, "AcknowledgeResult", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Acknowledgement> {
        OSAN_ASSIGN_OR_RETURN(const auto latest, records.LatestEntry(entry_id, true));
        call.Audit(latest.second.package().student());
        OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, latest.first.student.first));
        if (request.version() != latest.second.version()) {
          return absl::FailedPreconditionError(
              absl::StrCat("version ", request.version(), " is not the latest (",
                           latest.second.version(), "); enter and acknowledge the latest"));
        }
        return records.Acknowledge(entry_id, request.version(), call.principal->institution,
                                   call.now);
      });
}

absl::StatusOr<v1::ListPendingResultsResponse> Credit::ListPendingResults(
    const Call& call, const v1::ListPendingResultsRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string school, ParseSchoolName("parent", request.parent()));
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, school));
  v1::ListPendingResultsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListPendingResults", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.PendingEntries(school, after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& entry : page.items) {
    call.Audit(entry.package().student());
    *response.add_entries() = std::move(entry);
  }
  return response;
}

absl::StatusOr<v1::ExportPendingResultsResponse> Credit::ExportPendingResults(
    const Call& call, const v1::ExportPendingResultsRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string school, ParseSchoolName("parent", request.parent()));
  if (!v1::ExportFormat_IsValid(request.format())) {
    return InvalidField("format", "must be CSV or XLSX");
  }
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, school));
  // Every pending result, read in one transaction: one consistent export.
  OSAN_ASSIGN_OR_RETURN(auto pending, store_->Transact([&](store::Records& records) {
    return records.PendingEntries(school, "", store::kEverything);
  }));
  for (const v1::LedgerEntry& entry : pending.items) {
    call.Audit(entry.package().student());
  }
  const spreadsheet::Sheet sheet = ResultsSheet(pending.items);
  v1::ExportPendingResultsResponse response;
  if (request.format() == v1::XLSX) {
    OSAN_ASSIGN_OR_RETURN(*response.mutable_xlsx(), RenderSheets({sheet}, v1::XLSX, "format"));
  } else {
    response.set_csv(spreadsheet::WorkbookCsv({sheet}));
  }
  // Said plainly, rather than refused by the transport (server::kMaxReplyBytes).
  if (response.ByteSizeLong() > server::kMaxReplyBytes) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", pending.items.size(),
        " pending results are more than one export carries (1 MiB); acknowledge those already "
        "entered into NEIS and export again, or read them a page at a time with "
        "ListPendingResults"));
  }
  return response;
}

absl::StatusOr<v1::Transcript> Credit::GetTranscript(const Call& call,
                                                     const v1::GetTranscriptRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const StudentId student, ParseStudentName("student", request.student()));
  call.Audit(student.name());
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, student.school));
  OSAN_ASSIGN_OR_RETURN(auto entries, store_->Transact([&](store::Records& records) {
    return records.StudentEntries(RefOf(student));
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
                                                                 const std::string& cursor,
                                                                 int limit) {
  const auth::Principal& principal = *call.principal;
  // No service of the suite reads results: scores and teachers' notes go
  // to the student's home school only.
  if (principal.role != auth::v1::SCHOOL) {
    return absl::PermissionDeniedError("results go to the students' home schools only");
  }
  const std::string& school = principal.institution;
  return store_->Transact(
      [&](store::Records& records) -> absl::StatusOr<std::vector<v1::ResultEvent>> {
        OSAN_ASSIGN_OR_RETURN(auto events, records.ReadResultEvents(cursor, school, limit));
        for (const v1::ResultEvent& event : events) {
          call.Audit(event.entry().package().student());
        }
        return events;
      });
}

// ----- CSV ------------------------------------------------------------------

}  // namespace osan::credit
