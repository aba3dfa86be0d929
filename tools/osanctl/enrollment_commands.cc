#include "tools/osanctl/enrollment_commands.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/grpc_status.h"
#include "common/status.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "services/enrollment/client/allocation_wait.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/text_table.h"

// Defined in main.cc, shared with the catalog commands.
ABSL_DECLARE_FLAG(std::string, key);
ABSL_DECLARE_FLAG(std::string, term);

ABSL_FLAG(std::string, enrollment, "",
          "enrollment address (default $OSAN_ENROLLMENT or 127.0.0.1:50052)");
ABSL_FLAG(std::string, school, "", "school code (J10-7531001) or schools/{code}");
ABSL_FLAG(int, entry_year, 0, "year of entry to high school for `students add`");
ABSL_FLAG(std::string, name, "", "the student's display name for `students add`");
ABSL_FLAG(std::string, student, "", "schools/{code}/students/{key} for `apply` and `assess`");
ABSL_FLAG(std::string, section, "", "terms/{year}-{semester}/sections/{id}");
ABSL_FLAG(int, rank, 0, "preference rank 1..20 for `apply`");
ABSL_FLAG(bool, approve, false, "`apply`: the home school approves at once");
ABSL_FLAG(std::string, state, "",
          "state filter: of applications (SUBMITTED, ENROLLED, ...) or of courses' recognition "
          "(PENDING, APPROVED, ...)");
ABSL_FLAG(std::string, reason, "",
          "reason of a decision, drop or cancellation, or of a corrected attendance or "
          "assessment");
ABSL_FLAG(uint64_t, seed, 0, "lottery seed for `allocate` (0: the service draws one)");
ABSL_FLAG(std::string, cursor, "",
          "`feed`, `results feed`: resume after this cursor (default: the beginning)");
ABSL_FLAG(bool, json, false, "`sections seats`: print JSON");
ABSL_FLAG(bool, follow, false, "`feed`, `results feed`: keep waiting for new events");

namespace osan::cli {
namespace {

namespace ev1 = enrollment::v1;

using Stub = ev1::EnrollmentService::Stub;

// A unary method of the enrollment stub, e.g. &Stub::CreateStudent.
template <class Request, class Response>
using Method = UnaryMethod<Stub, Request, Response>;

constexpr char kAddStudentUsage[] =
    "students add --school CODE --key KEY --entry_year YYYY --name NAME\n"
    "  (the grade follows from the entry year: school years start on 1 March)";
constexpr char kListStudentsUsage[] = "students list --school CODE";
constexpr char kApplyUsage[] =
    "apply --student schools/{code}/students/{key} --section terms/{term}/sections/{id} "
    "--rank N [--approve]";
constexpr char kListApplicationsUsage[] =
    "applications list (--school CODE | --section terms/{term}/sections/{id}) [--state STATE]";
constexpr char kDropUsage[] = "drop applications/{id} --reason TEXT";
constexpr char kRosterUsage[] = "roster terms/{term}/sections/{id}";
constexpr char kAllocateUsage[] = "allocate --term terms/{year}-{semester} [--seed N]";
constexpr char kDecisionsUsage[] =
    "allocation decisions allocationRuns/{id} [--section terms/{term}/sections/{id}] "
    "[--school CODE]";
constexpr char kCancelSectionUsage[] = "cancel-section terms/{term}/sections/{id} --reason TEXT";
constexpr char kFeedUsage[] = "feed [--cursor CURSOR] [--follow]";

std::unique_ptr<Stub> NewStub() {
  return ev1::EnrollmentService::NewStub(MakeChannel(EnrollmentAddress()));
}

// Calls `method` once with the caller's token and the usual deadline.
template <class Request, class Response>
grpc::Status Call(Method<Request, Response> method, const Request& request, Response* response) {
  return CallUnary(*NewStub(), method, request, response);
}

// Calls the List `method` page after page (`request` without a page token
// starts at the first), passing each response to `each`; stops at the first
// error and returns it.
template <class Request, class Response, class Each>
grpc::Status ListAll(Method<Request, Response> method, Request request, const Each& each) {
  return ListEveryPage(*NewStub(), method, std::move(request), each);
}

// The state's label, with the position while waitlisted: "대기 3번".
std::string StateText(ev1::ApplicationState state, int waitlist_position) {
  if (state == ev1::WAITLISTED && waitlist_position > 0) {
    return absl::StrCat(ApplicationStateLabel(state), " ", waitlist_position, "번");
  }
  return ApplicationStateLabel(state);
}

void PrintApplication(const ev1::Application& application, const std::string& request_id) {
  std::cout << application.name() << ": "
            << StateText(application.state(), application.waitlist_position()) << "\n";
  PrintField("학생", application.student());
  PrintField("과목", application.section());
  PrintField("개설 기관", application.host());
  PrintField("지망", absl::StrCat(application.preference_rank()));
  PrintField("사유", application.reason());
  PrintField("결정 기관", application.decided_by());
  PrintField("request_id", request_id);
}

// Sends one change of an application and prints the application after it.
template <class Request>
int ChangeApplication(Method<Request, ev1::Application> method, const Request& request) {
  ev1::Application application;
  const grpc::Status status = Call(method, request, &application);
  if (!status.ok()) {
    return Fail(status);
  }
  PrintApplication(application, request.request_id());
  return 0;
}

}  // namespace

int AddStudent(const std::vector<std::string>& args) {
  ev1::CreateStudentRequest request;
  request.set_parent(SchoolName());
  ev1::Student& student = *request.mutable_student();
  student.set_student_key(absl::GetFlag(FLAGS_key));
  student.set_entry_year(absl::GetFlag(FLAGS_entry_year));
  student.set_display_name(absl::GetFlag(FLAGS_name));
  if (!args.empty() || request.parent().empty() || student.student_key().empty() ||
      student.entry_year() == 0 || student.display_name().empty()) {
    return Usage(kAddStudentUsage);
  }
  request.set_request_id(RequestId());
  ev1::Student created;
  const grpc::Status status = Call(&Stub::CreateStudent, request, &created);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "created " << created.name() << " (" << created.display_name() << ", "
            << created.grade_level() << "학년, " << created.entry_year() << "년 입학, request_id "
            << request.request_id() << ")\n";
  return 0;
}

int ListStudents(const std::vector<std::string>& args) {
  ev1::ListStudentsRequest request;
  request.set_parent(SchoolName());
  if (!args.empty() || request.parent().empty()) {
    return Usage(kListStudentsUsage);
  }
  TextTable table({"키", "표시 이름", "학년", "입학 연도", "이름"});
  int count = 0;
  const grpc::Status status =
      ListAll(&Stub::ListStudents, request, [&](const ev1::ListStudentsResponse& response) {
        for (const auto& student : response.students()) {
          table.AddRow({student.student_key(), student.display_name(),
                        absl::StrCat(student.grade_level()), absl::StrCat(student.entry_year()),
                        student.name()});
          ++count;
        }
      });
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << request.parent() << ": " << count << " student(s)\n\n";
  table.Print(std::cout);
  return 0;
}

int SubmitApplication(const std::vector<std::string>& args) {
  ev1::SubmitApplicationRequest request;
  ev1::Application& application = *request.mutable_application();
  application.set_student(absl::GetFlag(FLAGS_student));
  application.set_section(absl::GetFlag(FLAGS_section));
  application.set_preference_rank(absl::GetFlag(FLAGS_rank));
  if (!args.empty() || application.student().empty() || application.section().empty() ||
      application.preference_rank() == 0) {
    return Usage(kApplyUsage);
  }
  request.set_approve(absl::GetFlag(FLAGS_approve));
  request.set_request_id(RequestId());
  return ChangeApplication(&Stub::SubmitApplication, request);
}

int ListApplications(const std::vector<std::string>& args) {
  ev1::ListApplicationsRequest request;
  request.set_parent(SchoolName());
  request.set_section(absl::GetFlag(FLAGS_section));
  if (!args.empty() || request.parent().empty() == request.section().empty()) {
    return Usage(kListApplicationsUsage);
  }
  ev1::ApplicationState state = ev1::APPLICATION_STATE_UNSPECIFIED;
  if (!ParseEnum("state", absl::GetFlag(FLAGS_state), &ev1::ApplicationState_Parse, &state)) {
    return 2;
  }
  request.set_state(state);
  TextTable table({"신청", "학생", "과목", "지망", "상태", "사유", "결정 기관"});
  int count = 0;
  const grpc::Status status =
      ListAll(&Stub::ListApplications, request, [&](const ev1::ListApplicationsResponse& response) {
        for (const auto& application : response.applications()) {
          table.AddRow({application.name(), application.student(), application.section(),
                        absl::StrCat(application.preference_rank()),
                        StateText(application.state(), application.waitlist_position()),
                        OrDash(application.reason()), OrDash(application.decided_by())});
          ++count;
        }
      });
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << (request.parent().empty() ? request.section() : request.parent()) << ": " << count
            << " application(s)";
  if (state != ev1::APPLICATION_STATE_UNSPECIFIED) {
    std::cout << " in state " << ev1::ApplicationState_Name(state);
  }
  std::cout << "\n\n";
  table.Print(std::cout);
  return 0;
}

int DecideApplication(Decision decision, const std::vector<std::string>& args) {
  struct Verb {
    const char* word;
    Method<ev1::DecideApplicationRequest, ev1::Application> method;
    // Rejections (the home school's or the host's) must give a reason.
    bool needs_reason;
  };
  static const std::map<Decision, Verb> kVerbs = {
      {Decision::kApprove, {"approve", &Stub::ApproveApplication, false}},
      {Decision::kReject, {"reject", &Stub::RejectApplication, true}},
      {Decision::kWithdraw, {"withdraw", &Stub::WithdrawApplication, false}},
      {Decision::kAccept, {"accept", &Stub::AcceptApplication, false}},
      {Decision::kDecline, {"decline", &Stub::DeclineApplication, true}},
  };
  const Verb& verb = kVerbs.at(decision);
  ev1::DecideApplicationRequest request;
  request.set_reason(absl::GetFlag(FLAGS_reason));
  if (args.size() != 1 || (verb.needs_reason && request.reason().empty())) {
    return Usage(absl::StrCat("applications ", verb.word, " applications/{id} ",
                              verb.needs_reason ? "--reason TEXT" : "[--reason TEXT]"));
  }
  request.set_name(args[0]);
  request.set_request_id(RequestId());
  return ChangeApplication(verb.method, request);
}

int DropEnrollment(const std::vector<std::string>& args) {
  if (args.size() != 1 || absl::GetFlag(FLAGS_reason).empty()) {
    return Usage(kDropUsage);
  }
  ev1::DropEnrollmentRequest request;
  request.set_name(args[0]);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(RequestId());
  return ChangeApplication(&Stub::DropEnrollment, request);
}

int ShowRoster(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage(kRosterUsage);
  }
  ev1::ListRosterRequest request;
  request.set_section(args[0]);
  request.set_page_size(200);
  // The service lists the enrolled first, then the waitlist in order.
  TextTable table({"상태", "이름", "학년", "소속 학교", "학생", "신청"});
  int waitlisted = 0;
  ev1::Roster roster;
  do {
    const grpc::Status status = Call(&Stub::ListRoster, request, &roster);
    if (!status.ok()) {
      return Fail(status);
    }
    for (const auto& entry : roster.entries()) {
      table.AddRow({StateText(entry.state(), entry.waitlist_position()),
                    entry.display_name().empty() ? "-" : entry.display_name(),
                    absl::StrCat(entry.grade_level()), entry.home_school(), entry.student(),
                    entry.application()});
      waitlisted += entry.state() == ev1::WAITLISTED ? 1 : 0;
    }
    request.set_page_token(roster.next_page_token());
  } while (!request.page_token().empty());
  std::cout << roster.section() << ": 수강 확정 " << roster.enrolled() << "/" << roster.capacity()
            << "명, 대기 " << waitlisted << "명\n\n";
  table.Print(std::cout);
  return 0;
}

int ShowSeatCounts(const std::vector<std::string>& args) {
  ev1::ListSeatCountsRequest request;
  request.set_term(absl::GetFlag(FLAGS_term));
  if (!args.empty() || request.term().empty()) {
    return Usage("sections seats --term terms/{year}-{semester} [--json]");
  }
  auto stub = ev1::PublicSeatsService::NewStub(MakeChannel(EnrollmentAddress()));
  ev1::ListSeatCountsResponse response;
  auto context = MakeContext("");
  const grpc::Status status = stub->ListSeatCounts(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status);
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::string json;
    google::protobuf::util::MessageToJsonString(response, &json);
    std::cout << json << "\n";
    return 0;
  }
  TextTable table({"정원", "수강 확정", "대기", "잔여 좌석", "이름"});
  for (const auto& count : response.seats()) {
    table.AddRow({absl::StrCat(count.capacity()), absl::StrCat(count.enrolled()),
                  absl::StrCat(count.waitlisted()),
                  absl::StrCat(std::max(0, count.capacity() - count.enrolled())), count.section()});
  }
  std::cout << response.term() << ": " << response.seats_size()
            << " section(s) with applications\n\n";
  table.Print(std::cout);
  return 0;
}

int RunAllocation(const std::vector<std::string>& args) {
  ev1::RunAllocationRequest request;
  request.set_term(absl::GetFlag(FLAGS_term));
  if (!args.empty() || request.term().empty()) {
    return Usage(kAllocateUsage);
  }
  request.set_seed(absl::GetFlag(FLAGS_seed));
  request.set_request_id(RequestId());
  ev1::AllocationOperation operation;
  if (const grpc::Status status = Call(&Stub::RunAllocation, request, &operation); !status.ok()) {
    return Fail(status);
  }
  std::cout << operation.name() << ": " << request.term() << " (request_id " << request.request_id()
            << ")\n";
  // Progress on stderr, one line per stage.
  std::string stage;
  const auto show = [&stage](const ev1::AllocationOperation& now) {
    if (now.stage() != stage) {
      stage = now.stage();
      std::cerr << "  " << stage << " (" << now.percent() << "%)\n";
    }
  };
  show(operation);
  grpc::Status failed;
  const absl::StatusOr<ev1::AllocationRun> run = enrollment::AwaitAllocation(
      operation,
      [&failed](const std::string& name) -> absl::StatusOr<ev1::AllocationOperation> {
        ev1::GetAllocationOperationRequest get;
        get.set_name(name);
        ev1::AllocationOperation polled;
        failed = Call(&Stub::GetAllocationOperation, get, &polled);
        if (!failed.ok()) {
          return absl::UnavailableError("polling failed");
        }
        return polled;
      },
      absl::Now() + absl::Hours(1), show);
  if (!failed.ok()) {
    return Fail(failed);
  }
  if (!run.ok()) {
    return Fail(ToGrpcStatus(run.status()));
  }
  std::cout << run->name() << ": " << run->term() << ", seed " << run->seed() << ", run by "
            << run->run_by() << "\n"
            << run->section_count() << " section(s), " << run->student_count()
            << " student(s) in the lottery: " << run->enrolled_count() << " enrolled, "
            << run->waitlisted_count() << " waitlisted, " << run->not_placed_count()
            << " not placed\n"
            << "decisions: osanctl allocation decisions " << run->name()
            << " [--section S] [--school CODE]\n";
  return 0;
}

int ListAllocationDecisions(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage(kDecisionsUsage);
  }
  ev1::ListAllocationDecisionsRequest request;
  request.set_parent(args[0]);
  request.set_section(absl::GetFlag(FLAGS_section));
  if (const std::string school = absl::GetFlag(FLAGS_school); !school.empty()) {
    request.set_home_school(absl::StrCat("institutions/", absl::StripPrefix(school, "schools/")));
  }
  TextTable table({"추첨 번호", "학생", "과목", "결과", "사유", "신청"});
  const grpc::Status status =
      ListAll(&Stub::ListAllocationDecisions, request,
              [&table](const ev1::ListAllocationDecisionsResponse& page) {
                for (const auto& decision : page.decisions()) {
                  table.AddRow({absl::StrCat(decision.lottery_number()), decision.student(),
                                decision.section(),
                                StateText(decision.outcome(), decision.waitlist_position()),
                                OrDash(decision.reason()), decision.application()});
                }
              });
  if (!status.ok()) {
    return Fail(status);
  }
  table.Print(std::cout);
  return 0;
}

int CancelSection(const std::vector<std::string>& args) {
  if (args.size() != 1 || absl::GetFlag(FLAGS_reason).empty()) {
    return Usage(kCancelSectionUsage);
  }
  ev1::CancelSectionRequest request;
  request.set_section(args[0]);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(RequestId());
  ev1::CancelSectionResponse response;
  const grpc::Status status = Call(&Stub::CancelSection, request, &response);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "cancelled " << request.section() << ": " << response.cancelled_applications()
            << " application(s) now " << ApplicationStateLabel(ev1::SECTION_CANCELLED)
            << " (request_id " << request.request_id() << ")\n";
  return 0;
}

int WatchChanges(const std::vector<std::string>& args) {
  if (!args.empty()) {
    return Usage(kFeedUsage);
  }
  ev1::WatchChangesRequest request;
  request.set_cursor(absl::GetFlag(FLAGS_cursor));
  request.set_follow(absl::GetFlag(FLAGS_follow));
  const grpc::Status status = ReadStream(
      *NewStub(), &Stub::WatchChanges, request, request.follow(),
      [](const ev1::ChangeEvent& event) {
        const ev1::Application& application = event.application();
        PrintFeedLine({event.cursor(), application.name(), application.student(),
                       application.section(), ev1::ApplicationState_Name(application.state()),
                       application.reason()});
      });
  if (!status.ok()) {
    return Fail(status);
  }
  return 0;
}

std::string EnrollmentAddress() {
  return FlagOrEnv(absl::GetFlag(FLAGS_enrollment), "OSAN_ENROLLMENT", "127.0.0.1:50052");
}

}  // namespace osan::cli
