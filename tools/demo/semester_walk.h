// One semester walked through the three services' public APIs, as the
// institutions entitled to each step would: the city and hosts publish
// courses (the academy's and the maker centre's recognised by the office), three schools
// register students and apply, home schools approve, allocation runs, hosts
// hold every planned session taking attendance, give preventive instruction
// to a student at risk and record assessments, sections are finalized; a
// student short of attendance passes additional study and another fails it,
// a student below 40% passes remedial instruction where the rule counts
// achievement; each home school reads its result feed and acknowledges, one
// result is amended and acknowledged again.
//
// The local demo (`osanctl demo semester`) and the end-to-end test run this
// same walk; the test then checks what it produced.
#ifndef OSAN_TOOLS_DEMO_SEMESTER_WALK_H_
#define OSAN_TOOLS_DEMO_SEMESTER_WALK_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/grpc_status.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"

namespace osan::demo {

// Calls the three services as any institution, with tokens from `signer`.
class Clients {
 public:
  Clients(const auth::TokenSigner& signer, std::shared_ptr<grpc::Channel> catalog,
          std::shared_ptr<grpc::Channel> enrollment, std::shared_ptr<grpc::Channel> credit);

  std::string Token(const std::string& institution, auth::Role role) const;

  // Calls `method` on `stub` as `institution` in `role` with a 30 s deadline
  // (the first call to a server waits for it to come up). A failure becomes
  // a status naming the method.
  template <class Stub, class Request, class Response>
  absl::StatusOr<Response> Call(
      Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const std::string& institution, auth::Role role, const Request& request) const {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + Token(institution, role));
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    Response response;
    const grpc::Status status = (stub.*method)(&context, request, &response);
    if (!status.ok()) {
      return FromGrpcStatus(status, Request::descriptor()->name());
    }
    return response;
  }

  catalog::v1::CatalogService::Stub& catalog() { return *catalog_; }
  enrollment::v1::EnrollmentService::Stub& enrollment() { return *enrollment_; }
  credit::v1::CreditService::Stub& credit() { return *credit_; }

 private:
  const auth::TokenSigner& signer_;
  std::unique_ptr<catalog::v1::CatalogService::Stub> catalog_;
  std::unique_ptr<enrollment::v1::EnrollmentService::Stub> enrollment_;
  std::unique_ptr<credit::v1::CreditService::Stub> credit_;
};

// Institution codes of the walk.
inline constexpr char kCity[] = "OSAN-CITY";
inline constexpr char kOffice[] = "HSOS-EDU";
inline constexpr char kSchoolA[] = "J10-7531001";  // 매홀고
inline constexpr char kSchoolB[] = "J10-7531002";  // 성호고
inline constexpr char kSchoolC[] = "J10-7531003";  // 세교고
inline constexpr char kAcademy[] = "OSAN-AICODING";
inline constexpr char kMaker[] = "OSAN-MAKER";

// What the walk produced, for the test's checks and the demo's summary.
struct Semester {
  std::string term;
  catalog::v1::Section ai, calculus, maker;
  // Student names: a1, a2 of school A; b1, b2 of B; c1 of C.
  std::map<std::string, std::string> students;
  // Application states right after submission (and approval), by
  // "<student key>/<course>" with course one of ai, calculus, maker.
  std::map<std::string, enrollment::v1::ApplicationState> applied;
  enrollment::v1::AllocationRun allocation;
  // Its decisions (one page: the walk's run is small).
  std::vector<enrollment::v1::AllocationDecision> allocation_decisions;
  std::map<std::string, credit::v1::FinalizeSectionResponse> finalized;  // by course
  // Preventive instruction (예방지도) for b2 in calculus during the term.
  credit::v1::SupportRecord preventive;
  // Additional study (추가학습) for attendance short of two thirds: b1 in ai
  // satisfied it, a2 in maker did not.
  credit::v1::LedgerEntry remediation_passed;  // b1 in ai
  credit::v1::LedgerEntry remediation_failed;  // a2 in maker
  // Remedial instruction (보충지도) for b2 in calculus, below 40% where b2's
  // rule counts achievement; empty when it does not (then b2 completes).
  credit::v1::LedgerEntry remedial_passed;
  // Every result event each school read before acknowledging, by school code.
  std::map<std::string, std::vector<credit::v1::ResultEvent>> feeds;
  credit::v1::LedgerEntry amended;  // a1 in calculus, version 2, acknowledged
};

struct WalkOptions {
  // The term's school year and semester; its windows are placed around now.
  int year = 0;
  int semester = 1;
  // Creates the schools and hosts too (the demo has them already).
  bool create_institutions = true;
  // Prefix of every request id, so that a repeated walk changes nothing.
  std::string request_prefix = "walk";
  // Progress lines, if set.
  std::function<void(const std::string&)> progress;
};

absl::StatusOr<Semester> WalkSemester(Clients& clients, const WalkOptions& options);

}  // namespace osan::demo

#endif  // OSAN_TOOLS_DEMO_SEMESTER_WALK_H_
