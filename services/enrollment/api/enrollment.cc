#include "services/enrollment/api/enrollment.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/curriculum.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/roles.h"
#include "common/status.h"
#include "common/use_case.h"
#include "common/validation.h"
#include "services/enrollment/api/first_come.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;

// The end of the drop deadline's day in Korea Standard Time.
absl::Time DropDeadlineEnd(const cv1::Term& term) {
  absl::CivilDay day;
  if (!ToCivilDay(term.drop_deadline(), &day)) {
    return absl::InfinitePast();
  }
  return absl::FromCivil(day + 1, absl::FixedTimeZone(9 * 60 * 60));
}

}  // namespace

Enrollment::Enrollment(store::Store* store, PageTokens page_tokens, CatalogSections* catalog,
                       EnrollmentOptions options)
    : store_(store),
      page_tokens_(std::move(page_tokens)),
      catalog_(catalog),
      options_(options),
      seats_(store, options.max_seat_batch),
      first_come_(store, options.limits, options.max_seat_batch),
      allocations_(store, &page_tokens_, catalog, options.limits.max_enrollments_per_term) {}

// ----- Students -------------------------------------------------------------

absl::StatusOr<v1::Student> Enrollment::CreateStudent(const Call& call,
                                                      const v1::CreateStudentRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string school, ParseSchoolName("parent", request.parent()));
  // Validated before it is named: the audit trail is permanent, and only a
  // well-formed key (never a resident number) may enter it.
  OSAN_RETURN_IF_ERROR(ValidateStudent(request.student()));
  call.Audit(StudentId{school, request.student().student_key()}.name());
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, school));
  return IdempotentMutation<v1::Student>(
      *store_, call, "CreateStudent", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Student> {
        OSAN_RETURN_IF_ERROR(records.InsertStudent(school, request.student()));
        OSAN_ASSIGN_OR_RETURN(v1::Student student,
                              records.GetStudent(school, request.student().student_key()));
        return WithGradeAt(call.now, std::move(student));
      });
}

absl::StatusOr<v1::Student> Enrollment::GetStudent(const Call& call,
                                                   const v1::GetStudentRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const StudentId id, ParseStudentName("name", request.name()));
  call.Audit(id.name());
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, id.school));
  OSAN_ASSIGN_OR_RETURN(v1::Student student, store_->Transact([&](store::Records& records) {
    return records.GetStudent(id.school, id.key);
  }));
  return WithGradeAt(call.now, std::move(student));
}

absl::StatusOr<v1::ListStudentsResponse> Enrollment::ListStudents(
    const Call& call, const v1::ListStudentsRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string school, ParseSchoolName("parent", request.parent()));
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, school));
  v1::ListStudentsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListStudents", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.ListStudents(school, after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& student : page.items) {
    call.Audit(student.name());
    *response.add_students() = WithGradeAt(call.now, std::move(student));
  }
  return response;
}

// ----- Applications ---------------------------------------------------------

absl::Status Enrollment::PromoteAndAudit(const Call& call, store::Records& records,
                                         const cv1::Section& section, const std::string& section_id,
                                         SeatedClass& seated, const std::string& reason) {
  OSAN_ASSIGN_OR_RETURN(const std::vector<std::string> promoted,
                        PromoteWaitlist(records, section, section_id, seated,
                                        options_.limits.max_enrollments_per_term, reason));
  for (const std::string& student : promoted) {
    call.Audit(student);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Application> Enrollment::PlaceFirstCome(const Call& call,
                                                           store::Records& records,
                                                           const store::ApplicationRecord& record,
                                                           store::Seats& seats) {
  OSAN_ASSIGN_OR_RETURN(const int held, records.EnrolledCount(record.school_code,
                                                              record.student_key, record.term_id));
  OSAN_ASSIGN_OR_RETURN(SeatedClass seated, ReadSeatedClass(records, record.section_id, seats));
  const Placement placement = enrollment::PlaceFirstCome(
      record.section, seated, record.school_code, held, options_.limits.max_enrollments_per_term);
  OSAN_ASSIGN_OR_RETURN(
      v1::Application placed,
      records.SetState(record.id, placement.state, placement.reason, call.principal->institution));
  if (placement.state == v1::ENROLLED) {
    OSAN_RETURN_IF_ERROR(PromoteAndAudit(call, records, record.section, record.section_id, seated,
                                         "promoted from the waitlist when the class grew"));
  }
  seats.enrolled = seated.enrolled;
  return placed;
}

absl::StatusOr<v1::Application> Enrollment::SubmitApplication(
    const Call& call, const v1::SubmitApplicationRequest& request) {
  const v1::Application& input = request.application();
  OSAN_ASSIGN_OR_RETURN(const StudentId student_id,
                        ParseStudentName("application.student", input.student()));
  call.Audit(student_id.name());
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, student_id.school));
  OSAN_ASSIGN_OR_RETURN(const SectionId section_id,
                        ParseSectionName("application.section", input.section()));
  OSAN_RETURN_IF_ERROR(CheckRange("application.preference_rank", input.preference_rank(), 1, 20));
  OSAN_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  OSAN_ASSIGN_OR_RETURN(const SectionFacts facts, catalog_->Get(section_id.name(), call.deadline));
  OSAN_RETURN_IF_ERROR(CheckOpenForApplications(facts.section, facts.course, facts.term, call.now));

  store::ApplicationRecord record;
  record.id = NewUuid();
  record.school_code = student_id.school;
  record.student_key = student_id.key;
  record.term_id = section_id.term.id();
  record.section_id = section_id.id;
  record.credits = facts.course.credits();
  record.section = facts.section;
  record.application.set_name(ApplicationName(record.id));
  record.application.set_term(section_id.term.name());
  record.application.set_student(student_id.name());
  record.application.set_section(section_id.name());
  record.application.set_host(facts.section.host());
  record.application.set_preference_rank(input.preference_rank());
  record.application.set_state(request.approve() ? v1::APPROVED : v1::SUBMITTED);
  record.application.set_decided_by(call.principal->institution);
  record.application.set_reason(request.approve() ? "approved by the home school on submission"
                                                  : "awaiting the home school's approval");

  // Checks against the student's other applications, then the insert; the
  // student's row lock serialises concurrent submissions for one student.
  const auto submit = [&](store::Records& records) -> absl::StatusOr<store::ApplicationRecord> {
    OSAN_ASSIGN_OR_RETURN(
        const v1::Student student,
        records.GetStudent(student_id.school, student_id.key, store::Lock::kForUpdate));
    OSAN_RETURN_IF_ERROR(
        CheckEligible(student, student_id.school, facts.section, facts.term.year()));
    OSAN_ASSIGN_OR_RETURN(const auto live, records.LiveApplications(
                                               student_id.school, student_id.key, record.term_id));
    OSAN_RETURN_IF_ERROR(CheckAgainstLiveApplications(LiveViews(live), record.section_id,
                                                      facts.section, input.preference_rank(),
                                                      record.credits, options_.limits));
    OSAN_RETURN_IF_ERROR(records.InsertApplication(record));
    return records.GetApplication(record.id);
  };

  const db::RequestKey key = db::MakeRequestKey(call.principal->institution, "SubmitApplication",
                                                request.request_id(), request);
  if (request.approve() && facts.section.allocation_policy() == cv1::FIRST_COME) {
    return first_come_.Submit({key, record, facts.section.capacity()});
  }
  return store_->Transact([&](store::Records& records) {
    return db::Idempotent<v1::Application>(records, key, [&]() -> absl::StatusOr<v1::Application> {
      OSAN_ASSIGN_OR_RETURN(const auto stored, submit(records));
      return stored.application;
    });
  });
}

template <class Request>
absl::StatusOr<v1::Application> Enrollment::ChangeSeats(const Call& call, const char* method,
                                                        const Request& request,
                                                        const store::ApplicationRecord& current,
                                                        int capacity, Action action,
                                                        SeatChange change) {
  const db::RequestKey key =
      db::MakeRequestKey(call.principal->institution, method, request.request_id(), request);
  return seats_.Run(
      current.section_id, capacity, [&](store::Records& records, store::Seats& seats) {
        return db::Idempotent<v1::Application>(
            records, key, [&]() -> absl::StatusOr<v1::Application> {
              OSAN_ASSIGN_OR_RETURN(const auto record,
                                    records.GetApplication(current.id, store::Lock::kForUpdate));
              OSAN_RETURN_IF_ERROR(CheckAction(record.application.state(), action));
              return change(records, record, seats);
            });
      });
}

absl::StatusOr<v1::Application> Enrollment::ApproveApplication(
    const Call& call, const v1::DecideApplicationRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseApplicationName("name", request.name()));
  OSAN_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  OSAN_ASSIGN_OR_RETURN(
      const store::ApplicationRecord current,
      store_->Transact([&](store::Records& records) { return records.GetApplication(id); }));
  call.Audit(current.application.student());
  OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, current.school_code));
  if (current.section.allocation_policy() != cv1::FIRST_COME) {
    return Decide(call, "ApproveApplication", request, Action::kApprove);
  }
  // Approving a first-come application claims its seat, in the section's batch.
  OSAN_ASSIGN_OR_RETURN(const SectionFacts facts,
                        catalog_->Get(current.application.section(), call.deadline));
  OSAN_RETURN_IF_ERROR(CheckOpenForApplications(facts.section, facts.course, facts.term, call.now));
  return ChangeSeats(
      call, "ApproveApplication", request, current, facts.section.capacity(), Action::kApprove,
      [&](store::Records& records, const store::ApplicationRecord& record,
          store::Seats& seats) -> absl::StatusOr<v1::Application> {
        OSAN_RETURN_IF_ERROR(records
                                 .SetState(record.id, v1::APPROVED, "approved by the home school",
                                           call.principal->institution)
                                 .status());
        return PlaceFirstCome(call, records, record, seats);
      });
}

absl::StatusOr<v1::Application> Enrollment::RejectApplication(
    const Call& call, const v1::DecideApplicationRequest& request) {
  return Decide(call, "RejectApplication", request, Action::kReject);
}

absl::StatusOr<v1::Application> Enrollment::WithdrawApplication(
    const Call& call, const v1::DecideApplicationRequest& request) {
  return Decide(call, "WithdrawApplication", request, Action::kWithdraw);
}

absl::StatusOr<v1::Application> Enrollment::AcceptApplication(
    const Call& call, const v1::DecideApplicationRequest& request) {
  return Decide(call, "AcceptApplication", request, Action::kAccept);
}

absl::StatusOr<v1::Application> Enrollment::DeclineApplication(
    const Call& call, const v1::DecideApplicationRequest& request) {
  return Decide(call, "DeclineApplication", request, Action::kDecline);
}

absl::StatusOr<v1::Application> Enrollment::Decide(const Call& call, const char* method,
                                                   const v1::DecideApplicationRequest& request,
                                                   Action action) {
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseApplicationName("name", request.name()));
  const bool needs_reason = action == Action::kReject || action == Action::kDecline;
  OSAN_RETURN_IF_ERROR(CheckText("reason", request.reason(), needs_reason ? 1 : 0, 500));
  const bool by_host = action == Action::kAccept || action == Action::kDecline;
  return IdempotentMutation<v1::Application>(
      *store_, call, method, request,
      [&](store::Records& records) -> absl::StatusOr<v1::Application> {
        OSAN_ASSIGN_OR_RETURN(const auto record,
                              records.GetApplication(id, store::Lock::kForUpdate));
        call.Audit(record.application.student());
        OSAN_RETURN_IF_ERROR(by_host
                                 ? auth::RequireHost(*call.principal, record.application.host())
                                 : auth::RequireHomeSchool(*call.principal, record.school_code));
        if (by_host && record.section.allocation_policy() != cv1::HOST_SCREENING) {
          return absl::FailedPreconditionError(
              "the section's applicants are allocated, not screened by the host");
        }
        OSAN_RETURN_IF_ERROR(CheckAction(record.application.state(), action));
        std::string reason = request.reason();
        if (reason.empty()) {
          reason = action == Action::kApprove  ? "approved by the home school"
                   : action == Action::kAccept ? "accepted by the host"
                                               : "withdrawn by the home school";
        }
        return records.SetState(id, StateAfter(action), reason, call.principal->institution);
      },
      [&](const v1::Application& application) { call.Audit(application.student()); });
}

absl::StatusOr<v1::Application> Enrollment::GetApplication(
    const Call& call, const v1::GetApplicationRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseApplicationName("name", request.name()));
  OSAN_ASSIGN_OR_RETURN(const auto record, store_->Transact([&](store::Records& records) {
    return records.GetApplication(id);
  }));
  call.Audit(record.application.student());
  if (!auth::RequireHomeSchool(*call.principal, record.school_code).ok() &&
      !auth::RequireHost(*call.principal, record.application.host()).ok()) {
    return absl::PermissionDeniedError(
        "only the student's home school and the section's host may read an application");
  }
  return record.application;
}

absl::StatusOr<v1::ListApplicationsResponse> Enrollment::ListApplications(
    const Call& call, const v1::ListApplicationsRequest& request) {
  if (request.parent().empty() == request.section().empty()) {
    return InvalidField("parent", "give exactly one of parent (schools/{code}) or section");
  }
  if (!v1::ApplicationState_IsValid(request.state())) {
    return InvalidField("state", "unknown state");
  }
  std::string school_code;
  std::string section_id;
  if (!request.parent().empty()) {
    OSAN_ASSIGN_OR_RETURN(school_code, ParseSchoolName("parent", request.parent()));
    OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, school_code));
  } else {
    OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("section", request.section()));
    OSAN_ASSIGN_OR_RETURN(const SectionFacts facts, catalog_->Get(id.name(), call.deadline));
    OSAN_RETURN_IF_ERROR(auth::RequireHost(*call.principal, facts.section.host()));
    section_id = id.id;
  }
  v1::ListApplicationsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListApplications", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.ListApplications(school_code, section_id,
                                                              request.state(), after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& application : page.items) {
    call.Audit(application.student());
    *response.add_applications() = std::move(application);
  }
  return response;
}

// ----- Allocation -----------------------------------------------------------

absl::StatusOr<v1::AllocationOperation> Enrollment::RunAllocation(
    const Call& call, const v1::RunAllocationRequest& request) {
  return allocations_.Start(call, request);
}

absl::StatusOr<v1::AllocationOperation> Enrollment::GetAllocationOperation(
    const Call& call, const v1::GetAllocationOperationRequest& request) {
  return allocations_.GetOperation(call, request);
}

absl::StatusOr<v1::AllocationRun> Enrollment::GetAllocationRun(
    const Call& call, const v1::GetAllocationRunRequest& request) {
  return allocations_.GetRun(call, request);
}

absl::StatusOr<v1::ListAllocationDecisionsResponse> Enrollment::ListAllocationDecisions(
    const Call& call, const v1::ListAllocationDecisionsRequest& request) {
  return allocations_.ListDecisions(call, request);
}

// ----- Drops, cancellations, rosters ----------------------------------------

absl::StatusOr<v1::Application> Enrollment::DropEnrollment(
    const Call& call, const v1::DropEnrollmentRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseApplicationName("name", request.name()));
  OSAN_RETURN_IF_ERROR(CheckText("reason", request.reason(), 1, 500));
  OSAN_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  OSAN_ASSIGN_OR_RETURN(
      const store::ApplicationRecord current,
      store_->Transact([&](store::Records& records) { return records.GetApplication(id); }));
  call.Audit(current.application.student());
  const bool by_host = auth::RequireHost(*call.principal, current.application.host()).ok();
  if (!by_host) {
    OSAN_RETURN_IF_ERROR(auth::RequireHomeSchool(*call.principal, current.school_code));
  }
  OSAN_ASSIGN_OR_RETURN(const SectionFacts facts,
                        catalog_->Get(current.application.section(), call.deadline));
  const bool drop_window_open = call.now < DropDeadlineEnd(facts.term);
  if (!by_host && !drop_window_open) {
    return absl::FailedPreconditionError(
        "the drop deadline has passed; only the host can drop the student now");
  }
  return ChangeSeats(
      call, "DropEnrollment", request, current, facts.section.capacity(), Action::kDrop,
      [&](store::Records& records, const store::ApplicationRecord& record,
          store::Seats& seats) -> absl::StatusOr<v1::Application> {
        const bool held_seat = record.application.state() == v1::ENROLLED;
        const std::string reason =
            absl::StrCat(by_host ? "dropped by the host: " : "dropped at the student's request: ",
                         request.reason());
        OSAN_ASSIGN_OR_RETURN(
            v1::Application dropped,
            records.SetState(record.id, v1::DROPPED, reason, call.principal->institution));
        if (held_seat) {
          --seats.enrolled;
          if (drop_window_open) {
            OSAN_ASSIGN_OR_RETURN(SeatedClass seated,
                                  ReadSeatedClass(records, record.section_id, seats));
            OSAN_RETURN_IF_ERROR(
                PromoteAndAudit(call, records, facts.section, record.section_id, seated,
                                "promoted from the waitlist when a seat was freed"));
            seats.enrolled = seated.enrolled;
          }
        }
        return dropped;
      });
}

absl::StatusOr<v1::CancelSectionResponse> Enrollment::CancelSection(
    const Call& call, const v1::CancelSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("section", request.section()));
  OSAN_RETURN_IF_ERROR(CheckText("reason", request.reason(), 1, 500));
  if (call.principal->role != auth::v1::CITY) {
    // A section's host never changes: a cached copy tells whether the caller
    // may cancel, before catalog is asked for the section's current state.
    OSAN_ASSIGN_OR_RETURN(const SectionFacts cached, catalog_->Get(id.name(), call.deadline));
    OSAN_RETURN_IF_ERROR(auth::RequireHost(*call.principal, cached.section.host()));
  }
  OSAN_ASSIGN_OR_RETURN(const SectionFacts facts,
                        catalog_->Get(id.name(), call.deadline, Freshness::kFresh));
  if (facts.section.state() != cv1::ENROLLMENT_CLOSED && facts.section.state() != cv1::CANCELLED) {
    return absl::FailedPreconditionError(
        "a section is cancelled for low enrolment only once its enrolment has closed");
  }
  return IdempotentMutation<v1::CancelSectionResponse>(
      *store_, call, "CancelSection", request,
      [&](store::Records& records) -> absl::StatusOr<v1::CancelSectionResponse> {
        OSAN_ASSIGN_OR_RETURN(const store::Seats seats,
                              records.LockSeats(id.id, facts.section.capacity()));
        if (seats.enrolled >= facts.section.min_enrollment()) {
          return absl::FailedPreconditionError(absl::StrCat("the section has ", seats.enrolled,
                                                            " enrolled, not below its minimum of ",
                                                            facts.section.min_enrollment()));
        }
        OSAN_ASSIGN_OR_RETURN(const auto live, records.LiveApplicationsOfSection(id.id));
        for (const auto& record : live) {
          call.Audit(record.application.student());
          OSAN_RETURN_IF_ERROR(records
                                   .SetState(record.id, v1::SECTION_CANCELLED,
                                             absl::StrCat("section cancelled: ", request.reason()),
                                             call.principal->institution)
                                   .status());
        }
        OSAN_RETURN_IF_ERROR(records.SetEnrolled(id.id, 0));
        v1::CancelSectionResponse response;
        response.set_cancelled_applications(static_cast<int>(live.size()));
        return response;
      });
}

absl::StatusOr<v1::Roster> Enrollment::ListRoster(const Call& call,
                                                  const v1::ListRosterRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("section", request.section()));
  OSAN_ASSIGN_OR_RETURN(const SectionFacts facts, catalog_->Get(id.name(), call.deadline));
  OSAN_RETURN_IF_ERROR(auth::RequireHost(*call.principal, facts.section.host()));
  v1::Roster roster;
  roster.set_section(id.name());
  roster.set_capacity(facts.section.capacity());
  OSAN_ASSIGN_OR_RETURN(auto page, ReadPage(
                                       *store_, page_tokens_, call, "ListRoster", request,
                                       [&](store::Records& records, const std::string& after,
                                           int limit) -> absl::StatusOr<Page<v1::RosterEntry>> {
                                         OSAN_ASSIGN_OR_RETURN(const int enrolled,
                                                               records.RosterEnrolled(id.id));
                                         roster.set_enrolled(enrolled);
                                         return records.Roster(id.id, after, limit);
                                       },
                                       roster.mutable_next_page_token()));
  for (auto& entry : page.items) {
    call.Audit(entry.student());
    entry.set_grade_level(curriculum::GradeInSchoolYear(entry.entry_year(), facts.term.year()));
    *roster.add_entries() = std::move(entry);
  }
  return roster;
}

absl::StatusOr<v1::CountApplicationsResponse> Enrollment::CountApplications(
    const Call& call, const v1::CountApplicationsRequest& request) {
  OSAN_RETURN_IF_ERROR(auth::RequireCityOrOffice(*call.principal, "read application counts"));
  OSAN_ASSIGN_OR_RETURN(const TermId term, ParseTermName("term", request.term()));
  v1::CountApplicationsResponse response;
  response.set_term(term.name());
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "CountApplications", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.CountApplications(term.id(), after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& count : page.items) {
    *response.add_counts() = std::move(count);
  }
  return response;
}

// ----- Change feed ----------------------------------------------------------

absl::StatusOr<std::vector<v1::ChangeEvent>> Enrollment::ReadChanges(const Call& call,
                                                                     const std::string& cursor,
                                                                     int limit) {
  const auth::Principal& principal = *call.principal;
  OSAN_ASSIGN_OR_RETURN(const store::FeedCursor after, store::FeedCursor::Decode(cursor));
  store::FeedFilter filter;
  switch (principal.role) {
    case auth::v1::SERVICE:
      filter.everything = true;
      break;
    case auth::v1::SCHOOL:
      filter.school_code = principal.institution;
      filter.host_code = principal.institution;
      break;
    case auth::v1::ACADEMY:
      filter.host_code = principal.institution;
      break;
    default:
      return absl::PermissionDeniedError(
          "the change feed is for home schools, hosts and the suite's services");
  }
  return store_->Transact(
      [&](store::Records& records) -> absl::StatusOr<std::vector<v1::ChangeEvent>> {
        OSAN_ASSIGN_OR_RETURN(auto events, records.ReadEvents(after, filter, limit));
        for (const v1::ChangeEvent& event : events) {
          call.Audit(event.application().student());
        }
        return events;
      });
}

}  // namespace osan::enrollment
