// Object-level authorization (OWASP API1) of every RPC of the suite, driven
// by the services' descriptors.
//
// The policy table below declares, for every method of every service the
// servers expose, who may call it: roles, and relations to the object the
// request is about (the student's home school, the section's host). The
// table is checked against the generated descriptors both ways: an RPC
// without a declared policy, or a policy for an RPC that does not exist,
// fails the test; so does a service a server reports by reflection that the
// table does not cover.
//
// Then one semester is walked through catalog, enrollment and credit-record
// running in-process (tools/demo/semester_walk.h), plus objects owned by
// known home schools and hosts for every use case. Each method is called
// through a generic stub with a valid request about its object: without a
// token, and as every role, from the entitled institutions and from foreign
// ones (another school, another host, a school in the wrong role, an
// unknown school), and with validly signed tokens the verifier refuses (keys
// outside their scope, a far-future `iat`, a 30-day lifetime). Callers
// outside the policy must get UNAUTHENTICATED (no or refused token) or
// PERMISSION_DENIED (never data, NOT_FOUND or a validation error); entitled
// callers must not be refused, and at least one of them must succeed, which
// proves the request was valid. The feeds are read as each caller and must
// carry only what the caller may see.
//
// Holes found in the services are not fixed here: they are listed in
// ExpectedHoles(), collected as `known_holes` while probing, printed, and
// compared with the list, so that a new hole and a fixed one both fail.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/names.h"
#include "grpc/health/v1/health.pb.h"
#include "osan/audit/v1/audit.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "tests/support/credit_exchange.h"
#include "tests/support/generic_call.h"
#include "tests/support/reflection_client.h"
#include "tools/demo/semester_walk.h"

namespace osan {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
namespace rv1 = credit::v1;
using demo::kAcademy;
using demo::kMaker;
using demo::kOffice;
using demo::kSchoolA;
using demo::kSchoolB;
using demo::kSchoolC;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;
using google::protobuf::util::MessageDifferencer;

const google::protobuf::DescriptorPool& Pool() {
  return *google::protobuf::DescriptorPool::generated_pool();
}

// ----- The policy -----------------------------------------------------------

// Whom a grant admits. Roles are the token's; relations compare the token's
// institution with the object the request is about.
enum Grant : unsigned {
  kPublic = 1u << 0,         // anyone, without a token too
  kAuthenticated = 1u << 1,  // any valid token
  kCity = 1u << 2,           // role CITY
  kEduOffice = 1u << 3,      // role EDU_OFFICE
  kService = 1u << 4,        // role SERVICE (a service of the suite)
  kAnySchool = 1u << 5,      // role SCHOOL, any school (a feed filtered to what it may see)
  kAnyAcademy = 1u << 6,     // role ACADEMY, any academy (likewise)
  kHomeSchool = 1u << 7,     // role SCHOOL, the home school of the object's student(s)
  kHost = 1u << 8,           // role SCHOOL or ACADEMY, the host of the object's course/section
};

struct Rule {
  const char* method;  // full method name
  unsigned grants;
  const char* basis;  // where the intended policy is stated
};

// Every RPC of the suite and who may call it, from the proto comments and
// the use cases (services/*/api/*.cc).
const std::vector<Rule>& PolicyTable() {
  static const auto* const table = new std::vector<Rule>{
      // catalog.proto "CatalogService": every call needs a bearer token.
      {"osan.catalog.v1.CatalogService.CreateInstitution", kCity | kEduOffice,
       "CITY or EDU_OFFICE (RequireCatalogAdmin)"},
      {"osan.catalog.v1.CatalogService.GetInstitution", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.ListInstitutions", kAuthenticated,
       "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.UpdateInstitution", kCity | kEduOffice,
       "CITY or EDU_OFFICE (RequireCatalogAdmin)"},
      {"osan.catalog.v1.CatalogService.CreateTerm", kCity | kEduOffice,
       "CITY or EDU_OFFICE (RequireCatalogAdmin)"},
      {"osan.catalog.v1.CatalogService.GetTerm", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.ListTerms", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.UpdateTerm", kCity | kEduOffice,
       "CITY or EDU_OFFICE (RequireCatalogAdmin)"},
      {"osan.catalog.v1.CatalogService.CreateCourse", kHost | kCity,
       "the host itself or CITY (RequireHostOrCity)"},
      {"osan.catalog.v1.CatalogService.GetCourse", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.ListCourses", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.UpdateCourse", kHost | kCity,
       "the host itself or CITY (RequireHostOrCity)"},
      {"osan.catalog.v1.CatalogService.ReviewRecognition", kEduOffice,
       "EDU_OFFICE only (RequireEducationOffice)"},
      {"osan.catalog.v1.CatalogService.CreateProgramme", kCity | kEduOffice,
       "CITY or EDU_OFFICE (RequireCatalogAdmin)"},
      {"osan.catalog.v1.CatalogService.GetProgramme", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.ListProgrammes", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.UpdateProgramme", kCity | kEduOffice,
       "CITY or EDU_OFFICE (RequireCatalogAdmin)"},
      {"osan.catalog.v1.CatalogService.CreateSection", kHost | kCity,
       "the course's host or CITY (RequireHostOrCity)"},
      {"osan.catalog.v1.CatalogService.GetSection", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.GetSectionFacts", kAuthenticated,
       "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.ListSections", kAuthenticated, "any authenticated caller"},
      {"osan.catalog.v1.CatalogService.UpdateSection", kHost | kCity,
       "the section's host or CITY (RequireHostOrCity)"},
      {"osan.catalog.v1.CatalogService.TransitionSection", kHost | kCity,
       "the section's host or CITY (RequireHostOrCity)"},
      // catalog.proto "PublicListingService": no token needed.
      {"osan.catalog.v1.PublicListingService.ListPublicSections", kPublic, "the public listing"},
      {"osan.catalog.v1.PublicListingService.GetPublicSection", kPublic, "the public listing"},
      // enrollment.proto: home schools manage their students and applications,
      // hosts screen, drop and read rosters, CITY/EDU_OFFICE allocate.
      {"osan.enrollment.v1.EnrollmentService.CreateStudent", kHomeSchool,
       "the caller's own school (RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.GetStudent", kHomeSchool,
       "the home school only (RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.ListStudents", kHomeSchool,
       "the caller's own school (RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.SubmitApplication", kHomeSchool,
       "the student's home school (RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.ApproveApplication", kHomeSchool,
       "the student's home school (RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.RejectApplication", kHomeSchool,
       "the student's home school (Decide: RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.WithdrawApplication", kHomeSchool,
       "the student's home school (Decide: RequireHomeSchool)"},
      {"osan.enrollment.v1.EnrollmentService.AcceptApplication", kHost,
       "host screening by the section's host (Decide: RequireHost)"},
      {"osan.enrollment.v1.EnrollmentService.DeclineApplication", kHost,
       "host screening by the section's host (Decide: RequireHost)"},
      {"osan.enrollment.v1.EnrollmentService.GetApplication", kHomeSchool | kHost,
       "the student's home school and the section's host"},
      {"osan.enrollment.v1.EnrollmentService.ListApplications", kHomeSchool | kHost,
       "parent: the home school; section: its host"},
      {"osan.enrollment.v1.EnrollmentService.RunAllocation", kCity | kEduOffice,
       "CITY or EDU_OFFICE run allocations"},
      {"osan.enrollment.v1.EnrollmentService.GetAllocationOperation", kCity | kEduOffice,
       "CITY or EDU_OFFICE follow allocation runs"},
      {"osan.enrollment.v1.EnrollmentService.GetAllocationRun", kCity | kEduOffice,
       "CITY or EDU_OFFICE read allocation runs"},
      {"osan.enrollment.v1.EnrollmentService.ListAllocationDecisions", kCity | kEduOffice,
       "CITY or EDU_OFFICE read allocation runs"},
      {"osan.enrollment.v1.EnrollmentService.DropEnrollment", kHomeSchool | kHost,
       "the home school (before the drop deadline) or the host"},
      {"osan.enrollment.v1.EnrollmentService.CancelSection", kHost | kCity, "the host or CITY"},
      {"osan.enrollment.v1.EnrollmentService.ListRoster", kHost, "the host only"},
      {"osan.enrollment.v1.EnrollmentService.CountApplications", kCity | kEduOffice,
       "CITY or EDU_OFFICE: counts for reports"},
      {"osan.enrollment.v1.EnrollmentService.WatchChangeBatches",
       kAnySchool | kAnyAcademy | kService, "the change feed in batches: as WatchChanges"},
      {"osan.enrollment.v1.EnrollmentService.WatchChanges", kAnySchool | kAnyAcademy | kService,
       "schools see their students and sections, hosts their sections, services all"},
      // enrollment.proto "PublicSeatsService": no token needed, counts only.
      {"osan.enrollment.v1.PublicSeatsService.ListSeatCounts", kPublic, "public seat counts"},
      // credit.proto: hosts record for students enrolled in their sections;
      // home schools read, acknowledge and export their own students' results.
      {"osan.credit.v1.CreditService.RecordAttendance", kHost, "the section's host (Hosted)"},
      {"osan.credit.v1.CreditService.ListAttendance", kHost, "the section's host (Hosted)"},
      {"osan.credit.v1.CreditService.RecordAssessment", kHost, "the section's host (Hosted)"},
      {"osan.credit.v1.CreditService.FinalizeSection", kHost, "the section's host (Hosted)"},
      {"osan.credit.v1.CreditService.RecordPreventiveInstruction", kHost,
       "the section's host (Hosted)"},
      {"osan.credit.v1.CreditService.RecordRemediation", kHost,
       "the result's host (NextVersion: RequireHost)"},
      {"osan.credit.v1.CreditService.AmendResult", kHost,
       "the result's host (NextVersion: RequireHost)"},
      {"osan.credit.v1.CreditService.GetLedgerHistory", kHomeSchool | kHost,
       "the student's home school and the section's host"},
      {"osan.credit.v1.CreditService.WatchResults", kAnySchool,
       "results go to home schools (their own students) only: no service reads them"},
      {"osan.credit.v1.CreditService.WatchResultBatches", kAnySchool,
       "the result feed in batches: as WatchResults"},
      {"osan.credit.v1.CreditService.AcknowledgeResult", kHomeSchool,
       "the student's home school (RequireHomeSchool)"},
      {"osan.credit.v1.CreditService.ListPendingResults", kHomeSchool,
       "the caller's own school (RequireHomeSchool)"},
      {"osan.credit.v1.CreditService.ExportPendingResults", kHomeSchool,
       "the caller's own school (as ListPendingResults)"},
      {"osan.credit.v1.CreditService.GetTranscript", kHomeSchool,
       "the student's home school (RequireHomeSchool)"},
      {"osan.credit.v1.ReportService.GetProgrammeReport", kCity | kEduOffice,
       "CITY or EDU_OFFICE (Reports::GetProgrammeReport)"},
      // audit.proto: served by every service holding student data; EDU_OFFICE
      // only (common/audit_service.cc).
      {"osan.audit.v1.AuditService.ListAuditRecords", kEduOffice,
       "EDU_OFFICE only (RequireEducationOffice)"},
      {"osan.audit.v1.AuditService.VerifyAuditChain", kEduOffice,
       "EDU_OFFICE only (RequireEducationOffice)"},
      // Served by every server for orchestration and tooling (README: standard
      // health checking and server reflection are on); they carry no data.
      {"grpc.health.v1.Health.Check", kPublic, "load balancers and probes"},
      {"grpc.health.v1.Health.Watch", kPublic, "load balancers and probes"},
      {"grpc.reflection.v1alpha.ServerReflection.ServerReflectionInfo", kPublic,
       "schemas only, for tooling"},
  };
  return *table;
}

// The services whose every method the table must cover.
const std::vector<std::string>& Services() {
  static const auto* const services = new std::vector<std::string>{
      "osan.catalog.v1.CatalogService",
      "osan.catalog.v1.PublicListingService",
      "osan.enrollment.v1.EnrollmentService",
      "osan.enrollment.v1.PublicSeatsService",
      "osan.credit.v1.CreditService",
      "osan.credit.v1.ReportService",
      "osan.audit.v1.AuditService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1alpha.ServerReflection",
  };
  return *services;
}

// The suite's API files: a service added to one of them must be in Services().
constexpr const char* kApiFiles[] = {"osan/catalog/v1/catalog.proto",
                                     "osan/enrollment/v1/enrollment.proto",
                                     "osan/credit/v1/credit.proto", "osan/audit/v1/audit.proto"};

// Holes found in the services, as "<method> | <caller> | <object>": calls
// whose outcome contradicts the table. Each is reported; the test fails when
// one is fixed (remove it here) or a new one appears.
const std::set<std::string>& ExpectedHoles() {
  static const auto* const holes = new std::set<std::string>{};
  return *holes;
}

// ----- Callers --------------------------------------------------------------

// How a caller's token is made: rightly (TestKeys::Token), or validly
// signed but refused by the verifier (common/auth.h).
enum class TokenFlaw {
  kNone,
  kSignedByTheIssuer,  // a SERVICE token signed by the issuer's key
  kSignedByAService,   // an institution's token signed by SVC-CREDIT's key
  kIssuedInTheFuture,  // iat ten years ahead, with a matching expiry
  kThirtyDaysLong,     // exp - iat of 30 days
};

struct Caller {
  std::string label;
  std::string institution;  // empty: no token
  auth::Role role = auth::v1::ROLE_UNSPECIFIED;
  // Whether the registry admits the caller: its institution is known and its
  // kind acts in the role (catalog/domain/registry.h). Unregistered callers
  // are refused everything but the public methods.
  bool registered = true;
  TokenFlaw flaw = TokenFlaw::kNone;
  bool anonymous() const { return institution.empty(); }
  // Refused everything but the public methods.
  bool shut_out() const { return anonymous() || !registered || flaw != TokenFlaw::kNone; }
  // How a call outside the caller's rights is refused.
  grpc::StatusCode refusal() const {
    return anonymous() || flaw != TokenFlaw::kNone ? grpc::StatusCode::UNAUTHENTICATED
                                                   : grpc::StatusCode::PERMISSION_DENIED;
  }
};

const std::vector<Caller>& Callers() {
  static const auto* const callers = new std::vector<Caller>{
      {"no token", "", auth::v1::ROLE_UNSPECIFIED},
      {"CITY OSAN-CITY", demo::kCity, auth::v1::CITY},
      {"EDU_OFFICE HSOS-EDU", kOffice, auth::v1::EDU_OFFICE},
      {"SERVICE SVC-CREDIT", "SVC-CREDIT", auth::v1::SERVICE},
      {"SCHOOL A J10-7531001", kSchoolA, auth::v1::SCHOOL},
      {"SCHOOL B J10-7531002", kSchoolB, auth::v1::SCHOOL},
      {"SCHOOL C J10-7531003", kSchoolC, auth::v1::SCHOOL},
      {"ACADEMY OSAN-AICODING", kAcademy, auth::v1::ACADEMY},
      {"ACADEMY OSAN-MAKER", kMaker, auth::v1::ACADEMY},
      // Validly signed tokens the registry refuses: a school's code in roles
      // its kind does not act in, an unknown school, a school as a service.
      {"ACADEMY J10-7531001 (school A as academy)", kSchoolA, auth::v1::ACADEMY, false},
      {"EDU_OFFICE J10-7531001 (school A as office)", kSchoolA, auth::v1::EDU_OFFICE, false},
      {"SCHOOL J10-9999999 (unknown school)", "J10-9999999", auth::v1::SCHOOL, false},
      // Tokens the verifier refuses though validly signed: keys outside
      // their scope, and lifetimes the rules forbid.
      {"SERVICE J10-7531001 (school A as service)", kSchoolA, auth::v1::SERVICE, false,
       TokenFlaw::kSignedByTheIssuer},
      {"SERVICE SVC-CREDIT signed by the issuer's key", "SVC-CREDIT", auth::v1::SERVICE, true,
       TokenFlaw::kSignedByTheIssuer},
      {"SCHOOL A signed by SVC-CREDIT's key", kSchoolA, auth::v1::SCHOOL, true,
       TokenFlaw::kSignedByAService},
      {"CITY signed by SVC-CREDIT's key", demo::kCity, auth::v1::CITY, true,
       TokenFlaw::kSignedByAService},
      {"SCHOOL A issued ten years ahead", kSchoolA, auth::v1::SCHOOL, true,
       TokenFlaw::kIssuedInTheFuture},
      {"SCHOOL A valid for 30 days", kSchoolA, auth::v1::SCHOOL, true, TokenFlaw::kThirtyDaysLong},
      {"SERVICE SVC-CREDIT valid for 30 days", "SVC-CREDIT", auth::v1::SERVICE, true,
       TokenFlaw::kThirtyDaysLong},
  };
  return *callers;
}

// What a request is about: institution codes, empty when the relation does
// not apply.
struct Target {
  std::string home_school;
  std::string host;
};

bool Allowed(unsigned grants, const Target& target, const Caller& caller) {
  if ((grants & kPublic) != 0) {
    return true;
  }
  if (caller.shut_out()) {
    return false;
  }
  const auth::Role role = caller.role;
  const bool school = role == auth::v1::SCHOOL;
  const bool host_role = school || role == auth::v1::ACADEMY;
  return (grants & kAuthenticated) != 0 || ((grants & kCity) != 0 && role == auth::v1::CITY) ||
         ((grants & kEduOffice) != 0 && role == auth::v1::EDU_OFFICE) ||
         ((grants & kService) != 0 && role == auth::v1::SERVICE) ||
         ((grants & kAnySchool) != 0 && school) ||
         ((grants & kAnyAcademy) != 0 && role == auth::v1::ACADEMY) ||
         ((grants & kHomeSchool) != 0 && school && !target.home_school.empty() &&
          caller.institution == target.home_school) ||
         ((grants & kHost) != 0 && host_role && !target.host.empty() &&
          caller.institution == target.host);
}

std::string TokenOf(const Caller& caller) {
  const testing::TestKeys& keys = testing::TestKeys::Get();
  if (caller.anonymous()) {
    return "";
  }
  if (caller.flaw == TokenFlaw::kNone) {
    return keys.Token(caller.institution, caller.role);
  }
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  auth::v1::Claims claims;
  claims.set_iss(auth::TokenOptions().issuer);
  claims.set_aud(auth::TokenOptions().audience);
  claims.set_sub(caller.institution);
  claims.set_role(caller.role);
  claims.set_jti(absl::StrCat("flawed-", static_cast<int>(caller.flaw)));
  claims.set_iat(static_cast<uint32_t>(now));
  claims.set_exp(static_cast<uint32_t>(now + 300));
  const auth::TokenSigner* signer = &keys.SignerFor(caller.institution, caller.role);
  switch (caller.flaw) {
    case TokenFlaw::kSignedByTheIssuer:
      signer = &keys.signer();
      break;
    case TokenFlaw::kSignedByAService:
      signer = &keys.service_signer("SVC-CREDIT");
      break;
    case TokenFlaw::kIssuedInTheFuture:
      claims.set_iat(static_cast<uint32_t>(now + 3650 * 86400));
      claims.set_exp(claims.iat() + 300);
      break;
    case TokenFlaw::kThirtyDaysLong:
      claims.set_exp(static_cast<uint32_t>(now + 30 * 86400));
      break;
    case TokenFlaw::kNone:
      break;
  }
  auto token = signer->Sign(claims);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.value_or("");
}

// ----- The world ------------------------------------------------------------

std::string StudentOf(const std::string& school, const std::string& key) {
  return absl::StrCat("schools/", school, "/students/", key);
}

// The objects the probes are about, all in the walk's term.
struct World {
  std::unique_ptr<testing::CreditExchange> suite;
  bool complete = false;
  demo::Semester semester;
  cv1::Term term;
  // Applications: LOTTERY, hosted by school A (students of B apply).
  cv1::Section open;
  // HOST_SCREENING, hosted by the academy (students of B and C apply).
  cv1::Section screening;
  // FIRST_COME, hosted by the maker centre (a student of B holds a seat).
  cv1::Section first_come;
  // Enrolment closed below its minimum, hosted by the academy.
  cv1::Section low;
  // In progress, hosted by the academy: B and C students, attendance and
  // assessments recorded, not finalized.
  cv1::Section live;
  // In progress, hosted by school A, a B student assessed: to be finalized.
  cv1::Section to_finalize;
  // Finalized in setup, hosted by school A: `entry` is its B student's result.
  cv1::Section finalized;
  rv1::LedgerEntry entry;
  // DRAFT sections: the academy's to update, school B's to cancel.
  cv1::Section draft;
  cv1::Section to_cancel;
  // An out-of-school course of the maker centre awaiting recognition.
  std::string pending_course;
  // A programme the city created.
  std::string programme;
  std::map<std::string, ev1::Application> applications;  // by student key
  int counter = 0;

  std::string Id() { return absl::StrCat("authz-", ++counter); }

  std::shared_ptr<grpc::Channel> Channel(const std::string& package) {
    if (package == "osan.catalog.v1") {
      return suite->exchange().catalog_service().channel();
    }
    if (package == "osan.enrollment.v1") {
      return suite->exchange().enrollment_service().channel();
    }
    if (package == "osan.credit.v1") {
      return suite->credit_service().channel();
    }
    return nullptr;
  }
};

int CurrentYear() {
  return static_cast<int>(absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year());
}

auth::Role HostRole(const std::string& code) {
  return absl::StartsWith(code, "J10-") ? auth::v1::SCHOOL : auth::v1::ACADEMY;
}

std::string HostCode(const cv1::Section& section) { return InstitutionCodeOf(section.host()); }

void SetDate(type::v1::Date* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

// Records session `session` of `section` as its host: everyone in `marks`.
void RecordSession(World& w, const cv1::Section& section, int session,
                   const std::map<std::string, rv1::AttendanceStatus>& marks) {
  rv1::RecordAttendanceRequest request;
  request.set_section(section.name());
  request.set_session_number(session);
  SetDate(request.mutable_date(), CurrentYear(), 3, session + 1);
  for (const auto& [student, status] : marks) {
    auto* mark = request.add_marks();
    mark->set_student(student);
    mark->set_status(status);
  }
  request.set_request_id(w.Id());
  const auto recorded =
      w.suite->clients().Call(w.suite->credit(), &rv1::CreditService::Stub::RecordAttendance,
                              HostCode(section), HostRole(HostCode(section)), request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
}

void Assess(World& w, const cv1::Section& section, const std::string& student, double rate) {
  rv1::RecordAssessmentRequest request;
  request.mutable_assessment()->set_section(section.name());
  request.mutable_assessment()->set_student(student);
  request.mutable_assessment()->set_raw_score(rate);
  request.mutable_assessment()->set_achievement_rate(rate);
  request.mutable_assessment()->set_notes("탐구 과제를 성실히 수행함.");
  request.set_request_id(w.Id());
  const auto recorded =
      w.suite->clients().Call(w.suite->credit(), &rv1::CreditService::Stub::RecordAssessment,
                              HostCode(section), HostRole(HostCode(section)), request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
}

void BuildWorld(World& w) {
  w.suite = std::make_unique<testing::CreditExchange>();
  demo::Clients& clients = w.suite->clients();
  testing::Exchange& x = w.suite->exchange();

  // The walk: institutions, a term, three courses, five students of three
  // schools, an allocation run, finalized results acknowledged and amended.
  demo::WalkOptions options;
  options.year = CurrentYear();
  auto walked = demo::WalkSemester(clients, options);
  ASSERT_TRUE(walked.ok()) << walked.status();
  w.semester = *std::move(walked);
  // Exchange::CreateSection offers its sections in this same term.
  ASSERT_EQ(w.semester.term, absl::StrCat("terms/", options.year, "-1"));
  cv1::GetTermRequest get_term;
  get_term.set_name(w.semester.term);
  auto term = clients.Call(x.catalog(), &cv1::CatalogService::Stub::GetTerm, demo::kCity,
                           auth::v1::CITY, get_term);
  ASSERT_TRUE(term.ok()) << term.status();
  w.term = *term;

  // Sections beside the walk's, at times that never conflict.
  w.open = x.CreateSection(kSchoolA, "권한 시험 신청", cv1::LOTTERY, 10, cv1::MONDAY, 9);
  w.screening =
      x.CreateSection(kAcademy, "권한 시험 선발", cv1::HOST_SCREENING, 10, cv1::MONDAY, 11);
  w.first_come = x.CreateSection(kMaker, "권한 시험 선착순", cv1::FIRST_COME, 5, cv1::THURSDAY, 9);
  w.low = x.CreateSection(kAcademy, "권한 시험 폐강", cv1::FIRST_COME, 10, cv1::FRIDAY, 9,
                          cv1::ENROLLMENT_OPEN, /*min_enrollment=*/3);
  w.live = x.CreateSection(kAcademy, "권한 시험 수업", cv1::FIRST_COME, 10, cv1::WEDNESDAY, 9);
  w.to_finalize =
      x.CreateSection(kSchoolA, "권한 시험 마감", cv1::FIRST_COME, 10, cv1::WEDNESDAY, 13);
  w.finalized = x.CreateSection(kSchoolA, "권한 시험 성적", cv1::FIRST_COME, 10, cv1::THURSDAY, 13);
  w.draft =
      x.CreateSection(kAcademy, "권한 시험 초안", cv1::FIRST_COME, 10, cv1::FRIDAY, 13, cv1::DRAFT);
  w.to_cancel =
      x.CreateSection(kSchoolB, "권한 시험 취소", cv1::FIRST_COME, 10, cv1::FRIDAY, 15, cv1::DRAFT);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "setting up sections failed";

  cv1::CreateCourseRequest course;
  course.mutable_course()->set_title("권한 시험 학교 밖 교육");
  course.mutable_course()->set_category(cv1::CAREER_ELECTIVE);
  course.mutable_course()->set_subject_area(cv1::VOCATIONAL);
  course.mutable_course()->set_delivery_mode(cv1::IN_PERSON);
  course.mutable_course()->set_host(absl::StrCat("institutions/", kMaker));
  course.set_request_id(w.Id());
  auto pending = clients.Call(x.catalog(), &cv1::CatalogService::Stub::CreateCourse, kMaker,
                              auth::v1::ACADEMY, course);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->recognition().state(), cv1::PENDING);
  w.pending_course = pending->name();

  cv1::CreateProgrammeRequest programme;
  programme.set_programme_id("authz-programme");
  programme.mutable_programme()->set_display_name("권한 시험 사업");
  programme.mutable_programme()->set_year(CurrentYear());
  programme.mutable_programme()->set_annex("권한 시험 부속서");
  programme.mutable_programme()->set_funder(cv1::CITY);
  programme.set_request_id(w.Id());
  auto created = clients.Call(x.catalog(), &cv1::CatalogService::Stub::CreateProgramme, demo::kCity,
                              auth::v1::CITY, programme);
  ASSERT_TRUE(created.ok()) << created.status();
  w.programme = created->name();

  // Students and their applications: key -> (section, approve).
  const std::vector<std::tuple<std::string, std::string, const cv1::Section*, bool>> plan = {
      {kSchoolB, "b-submit", nullptr, false},  // SubmitApplication's student
      {kSchoolB, "b-approve", &w.open, false},     {kSchoolB, "b-reject", &w.open, false},
      {kSchoolB, "b-withdraw", &w.open, false},    {kSchoolB, "b-get", &w.screening, true},
      {kSchoolC, "c-accept", &w.screening, true},  {kSchoolC, "c-decline", &w.screening, true},
      {kSchoolB, "b-drop", &w.first_come, true},   {kSchoolC, "c-low", &w.low, true},
      {kSchoolB, "b-live", &w.live, true},         {kSchoolC, "c-live", &w.live, true},
      {kSchoolB, "b-final", &w.to_finalize, true}, {kSchoolB, "b-ledger", &w.finalized, true},
  };
  for (const auto& [school, key, section, approve] : plan) {
    const ev1::Student student = x.CreateStudent(school, key);
    ASSERT_EQ(student.name(), StudentOf(school, key));
    if (section != nullptr) {
      ev1::Application application;
      const grpc::Status status =
          x.Apply(student.name(), section->name(), 1, approve, &application);
      ASSERT_TRUE(status.ok()) << key << ": " << status.error_message();
      w.applications[key] = application;
    }
  }
  EXPECT_EQ(w.applications["b-drop"].state(), ev1::ENROLLED);
  EXPECT_EQ(w.applications["c-accept"].state(), ev1::APPROVED);
  EXPECT_EQ(w.applications["b-approve"].state(), ev1::SUBMITTED);

  x.Transition(w.low, cv1::ENROLLMENT_CLOSED);
  for (const cv1::Section* section : {&w.live, &w.to_finalize, &w.finalized}) {
    x.Transition(*section, cv1::ENROLLMENT_CLOSED);
    x.Transition(*section, cv1::IN_PROGRESS);
  }
  ASSERT_FALSE(::testing::Test::HasFailure()) << "setting up enrollment failed";

  // Credit records: the live section's first session and assessments; the
  // section to finalize with every planned session held, assessed; the
  // finalized one too, its student absent from every session.
  const std::string b_live = StudentOf(kSchoolB, "b-live"), c_live = StudentOf(kSchoolC, "c-live");
  const std::string b_final = StudentOf(kSchoolB, "b-final");
  const std::string b_ledger = StudentOf(kSchoolB, "b-ledger");
  RecordSession(w, w.live, 1, {{b_live, rv1::PRESENT}, {c_live, rv1::PRESENT}});
  Assess(w, w.live, b_live, 80);
  Assess(w, w.live, c_live, 70);
  for (int session = 1; session <= w.to_finalize.sessions(); ++session) {
    RecordSession(w, w.to_finalize, session, {{b_final, rv1::PRESENT}});
  }
  Assess(w, w.to_finalize, b_final, 90);
  for (int session = 1; session <= w.finalized.sessions(); ++session) {
    RecordSession(w, w.finalized, session, {{b_ledger, rv1::ABSENT}});
  }
  Assess(w, w.finalized, b_ledger, 85);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "setting up credit records failed";
  rv1::FinalizeSectionRequest finalize;
  finalize.set_section(w.finalized.name());
  finalize.set_request_id(w.Id());
  const auto results = clients.Call(w.suite->credit(), &rv1::CreditService::Stub::FinalizeSection,
                                    kSchoolA, auth::v1::SCHOOL, finalize);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->entries_size(), 1);
  w.entry = results->entries(0);
  ASSERT_EQ(w.entry.package().outcome(), rv1::REMEDIATION_REQUIRED);
  w.complete = true;
}

// ----- Probes: a valid request per method about a known object --------------

using Builder = std::function<std::unique_ptr<Message>()>;

// A builder of a `Request` filled in by `fill` (called anew for every call,
// so that each gets fresh request ids and current etags or versions).
template <class Request, class Fill>
Builder Build(Fill fill) {
  return [fill]() -> std::unique_ptr<Message> {
    auto request = std::make_unique<Request>();
    fill(*request);
    return request;
  };
}

// A builder of a message of a type known only by name (reflection's).
Builder FromText(const std::string& type, const std::string& text) {
  return [type, text]() -> std::unique_ptr<Message> {
    const auto* descriptor = Pool().FindMessageTypeByName(type);
    if (descriptor == nullptr) {
      return nullptr;
    }
    std::unique_ptr<Message> message(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
    if (!google::protobuf::TextFormat::ParseFromString(text, message.get())) {
      return nullptr;
    }
    return message;
  };
}

// Which server a probe calls: the one serving the method's package, or one
// named (for the services every server has).
enum class Server { kOwn, kCatalog, kEnrollment, kCredit };

struct Probe {
  std::string about;  // the object, for messages
  Target target;
  Builder build;
  Server server = Server::kOwn;
  // Streams that never end (health Watch): the first response is enough.
  int max_responses = 0;
  // An object the method must not reveal to anyone: entitled callers get
  // NOT_FOUND (a DRAFT section on the public listing).
  bool hidden = false;
};

std::string Institution(const std::string& code) { return absl::StrCat("institutions/", code); }

// Every method's probes, by full method name. The builders read `w` when
// called, so the map can be made (for its keys) before the world exists.
std::map<std::string, std::vector<Probe>> Probes(World& w) {
  const Target none;
  const Target academy_hosted{"", kAcademy};
  std::map<std::string, std::vector<Probe>> probes;
  const auto add = [&](const std::string& method, Probe probe) {
    probes[method].push_back(std::move(probe));
  };
  const auto student = [](const std::string& school, const std::string& key) {
    return StudentOf(school, key);
  };
  const auto application = [&w](const std::string& key) { return w.applications[key].name(); };

  // --- osan.catalog.v1.CatalogService ---
  const std::string catalog = "osan.catalog.v1.CatalogService.";
  add(catalog + "CreateInstitution",
      {"a new learning site", none, Build<cv1::CreateInstitutionRequest>([&w](auto& r) {
         r.set_request_id(w.Id());
         r.mutable_institution()->set_kind(cv1::LEARNING_SITE);
         r.mutable_institution()->set_display_name("권한 시험 기관");
         r.mutable_institution()->set_host_code(absl::StrCat("AUTHZ-", w.counter));
       })});
  add(catalog + "GetInstitution", {"school A", none, Build<cv1::GetInstitutionRequest>([](auto& r) {
                                     r.set_name(Institution(kSchoolA));
                                   })});
  add(catalog + "ListInstitutions",
      {"all institutions", none, Build<cv1::ListInstitutionsRequest>([](auto&) {})});
  add(catalog + "UpdateInstitution",
      {"the maker centre", none, Build<cv1::UpdateInstitutionRequest>([&w](auto& r) {
         r.mutable_institution()->set_name(Institution(kMaker));
         r.mutable_institution()->set_display_name("오산메이커교육센터");
         r.mutable_update_mask()->add_paths("display_name");
         r.set_request_id(w.Id());
       })});
  add(catalog + "CreateTerm", {"term 2001-2", none, Build<cv1::CreateTermRequest>([&w](auto& r) {
                                 cv1::Term& term = *r.mutable_term();
                                 term.set_year(2001);
                                 term.set_semester(2);
                                 term.mutable_application_window()->set_start_unix(996624000);
                                 term.mutable_application_window()->set_end_unix(998265600);
                                 SetDate(term.mutable_classes_start(), 2001, 9, 1);
                                 SetDate(term.mutable_classes_end(), 2001, 12, 20);
                                 SetDate(term.mutable_drop_deadline(), 2001, 9, 15);
                                 SetDate(term.mutable_results_due(), 2001, 12, 31);
                                 r.set_request_id(w.Id());
                               })});
  add(catalog + "GetTerm", {"the walk's term", none, Build<cv1::GetTermRequest>([&w](auto& r) {
                              r.set_name(w.term.name());
                            })});
  add(catalog + "ListTerms", {"all terms", none, Build<cv1::ListTermsRequest>([](auto&) {})});
  add(catalog + "UpdateTerm",
      {"the walk's term", none, Build<cv1::UpdateTermRequest>([&w](auto& r) {
         r.mutable_term()->set_name(w.term.name());
         *r.mutable_term()->mutable_results_due() = w.term.results_due();
         r.mutable_update_mask()->add_paths("results_due");
         r.set_request_id(w.Id());
       })});
  add(catalog + "CreateCourse", {"a course hosted by school A",
                                 {"", kSchoolA},
                                 Build<cv1::CreateCourseRequest>([&w](auto& r) {
                                   r.mutable_course()->set_title("권한 시험 새 과목");
                                   r.mutable_course()->set_category(cv1::CAREER_ELECTIVE);
                                   r.mutable_course()->set_subject_area(cv1::SCIENCE);
                                   r.mutable_course()->set_delivery_mode(cv1::IN_PERSON);
                                   r.mutable_course()->set_host(Institution(kSchoolA));
                                   r.set_request_id(w.Id());
                                 })});
  add(catalog + "GetCourse",
      {"the walk's AI course", academy_hosted,
       Build<cv1::GetCourseRequest>([&w](auto& r) { r.set_name(w.semester.ai.course()); })});
  add(catalog + "ListCourses",
      {"the academy's courses", academy_hosted,
       Build<cv1::ListCoursesRequest>([](auto& r) { r.set_host(Institution(kAcademy)); })});
  add(catalog + "UpdateCourse",
      {"the academy's screening course", academy_hosted,
       Build<cv1::UpdateCourseRequest>([&w](auto& r) {
         r.mutable_course()->set_name(w.screening.course());
         r.mutable_course()->set_description("교사 추천서를 받아 선발합니다.");
         r.mutable_update_mask()->add_paths("description");
         r.set_request_id(w.Id());
       })});
  add(catalog + "ReviewRecognition", {"the maker centre's pending course",
                                      {"", kMaker},
                                      Build<cv1::ReviewRecognitionRequest>([&w](auto& r) {
                                        r.set_name(w.pending_course);
                                        r.set_decision(cv1::APPROVED);
                                        r.set_request_id(w.Id());
                                      })});
  add(catalog + "CreateSection", {"a section of the academy's draft course", academy_hosted,
                                  Build<cv1::CreateSectionRequest>([&w](auto& r) {
                                    r.set_parent(w.term.name());
                                    cv1::Section& section = *r.mutable_section();
                                    section.set_course(w.draft.course());
                                    section.set_capacity(10);
                                    auto* meeting = section.add_weekly_meetings();
                                    meeting->set_weekday(cv1::FRIDAY);
                                    meeting->mutable_start_time()->set_hours(17);
                                    meeting->mutable_end_time()->set_hours(18);
                                    meeting->mutable_end_time()->set_minutes(40);
                                    section.set_location("실습실");
                                    section.set_allocation_policy(cv1::FIRST_COME);
                                    r.set_request_id(w.Id());
                                  })});
  add(catalog + "CreateProgramme",
      {"a new programme", none, Build<cv1::CreateProgrammeRequest>([&w](auto& r) {
         r.set_request_id(w.Id());
         r.set_programme_id(absl::StrCat("authz-new-", w.counter));
         r.mutable_programme()->set_display_name("권한 시험 새 사업");
         r.mutable_programme()->set_year(2027);
         r.mutable_programme()->set_annex("2027 부속서 9");
         r.mutable_programme()->set_funder(cv1::PROVINCE);
       })});
  add(catalog + "GetProgramme",
      {"the city's programme", none,
       Build<cv1::GetProgrammeRequest>([&w](auto& r) { r.set_name(w.programme); })});
  add(catalog + "ListProgrammes",
      {"all programmes", none, Build<cv1::ListProgrammesRequest>([](auto&) {})});
  add(catalog + "UpdateProgramme",
      {"the city's programme", none, Build<cv1::UpdateProgrammeRequest>([&w](auto& r) {
         r.mutable_programme()->set_name(w.programme);
         r.mutable_programme()->set_budget_krw(1000000);
         r.mutable_update_mask()->add_paths("budget_krw");
         r.set_request_id(w.Id());
       })});
  add(catalog + "GetSection",
      {"the walk's calculus section", {"", kSchoolA}, Build<cv1::GetSectionRequest>([&w](auto& r) {
         r.set_name(w.semester.calculus.name());
       })});
  add(catalog + "GetSectionFacts",
      {"the walk's calculus section", {"", kSchoolA}, Build<cv1::GetSectionRequest>([&w](auto& r) {
         r.set_name(w.semester.calculus.name());
       })});
  add(catalog + "ListSections",
      {"the walk's term", none,
       Build<cv1::ListSectionsRequest>([&w](auto& r) { r.set_parent(w.term.name()); })});
  add(catalog + "UpdateSection", {"the academy's draft section", academy_hosted,
                                  Build<cv1::UpdateSectionRequest>([&w](auto& r) {
                                    r.mutable_section()->set_name(w.draft.name());
                                    r.mutable_section()->set_location("실습실");
                                    r.mutable_update_mask()->add_paths("location");
                                    r.set_request_id(w.Id());
                                  })});
  add(catalog + "TransitionSection", {"school B's draft section",
                                      {"", kSchoolB},
                                      Build<cv1::TransitionSectionRequest>([&w](auto& r) {
                                        r.set_name(w.to_cancel.name());
                                        r.set_target_state(cv1::CANCELLED);
                                        r.set_reason("권한 시험");
                                        r.set_request_id(w.Id());
                                      })});

  // --- osan.catalog.v1.PublicListingService ---
  add("osan.catalog.v1.PublicListingService.ListPublicSections",
      {"the walk's term", none,
       Build<cv1::ListPublicSectionsRequest>([&w](auto& r) { r.set_term(w.term.name()); })});
  add("osan.catalog.v1.PublicListingService.GetPublicSection",
      {"the walk's AI section", academy_hosted,
       Build<cv1::GetPublicSectionRequest>([&w](auto& r) { r.set_name(w.semester.ai.name()); })});
  add("osan.catalog.v1.PublicListingService.GetPublicSection",
      {"the academy's draft section", academy_hosted,
       Build<cv1::GetPublicSectionRequest>([&w](auto& r) { r.set_name(w.draft.name()); }),
       Server::kOwn, 0, /*hidden=*/true});

  // --- osan.enrollment.v1.EnrollmentService ---
  const std::string enrollment = "osan.enrollment.v1.EnrollmentService.";
  add(enrollment + "CreateStudent",
      {"a new student of school B", {kSchoolB, ""}, Build<ev1::CreateStudentRequest>([&w](auto& r) {
         r.set_parent(absl::StrCat("schools/", kSchoolB));
         r.set_request_id(w.Id());
         r.mutable_student()->set_student_key(absl::StrCat("new-", w.counter));
         r.mutable_student()->set_grade_level(2);
         r.mutable_student()->set_entry_year(2025);
         r.mutable_student()->set_display_name("새 학생");
       })});
  add(enrollment + "GetStudent",
      {"B's student b-get", {kSchoolB, ""}, Build<ev1::GetStudentRequest>([student](auto& r) {
         r.set_name(student(kSchoolB, "b-get"));
       })});
  add(enrollment + "ListStudents",
      {"school B's students", {kSchoolB, ""}, Build<ev1::ListStudentsRequest>([](auto& r) {
         r.set_parent(absl::StrCat("schools/", kSchoolB));
       })});
  add(enrollment + "SubmitApplication",
      {"B's b-submit to A's section",
       {kSchoolB, kSchoolA},
       Build<ev1::SubmitApplicationRequest>([&w, student](auto& r) {
         r.mutable_application()->set_student(student(kSchoolB, "b-submit"));
         r.mutable_application()->set_section(w.open.name());
         r.mutable_application()->set_preference_rank(1);
         r.set_request_id(w.Id());
       })});
  const auto decide = [&](const std::string& method, const std::string& key, const Target& target,
                          const std::string& reason) {
    add(enrollment + method,
        {absl::StrCat("application of ", key), target,
         Build<ev1::DecideApplicationRequest>([&w, application, key, reason](auto& r) {
           r.set_name(application(key));
           r.set_reason(reason);
           r.set_request_id(w.Id());
         })});
  };
  decide("ApproveApplication", "b-approve", {kSchoolB, kSchoolA}, "");
  decide("RejectApplication", "b-reject", {kSchoolB, kSchoolA}, "정원 초과");
  decide("WithdrawApplication", "b-withdraw", {kSchoolB, kSchoolA}, "");
  decide("AcceptApplication", "c-accept", {kSchoolC, kAcademy}, "");
  decide("DeclineApplication", "c-decline", {kSchoolC, kAcademy}, "선발 기준 미달");
  add(enrollment + "GetApplication", {"application of b-get",
                                      {kSchoolB, kAcademy},
                                      Build<ev1::GetApplicationRequest>([application](auto& r) {
                                        r.set_name(application("b-get"));
                                      })});
  add(enrollment + "ListApplications",
      {"school B's applications", {kSchoolB, ""}, Build<ev1::ListApplicationsRequest>([](auto& r) {
         r.set_parent(absl::StrCat("schools/", kSchoolB));
       })});
  add(enrollment + "ListApplications",
      {"the academy's screening section's applications", academy_hosted,
       Build<ev1::ListApplicationsRequest>([&w](auto& r) { r.set_section(w.screening.name()); })});
  add(enrollment + "RunAllocation",
      {"the walk's term", none, Build<ev1::RunAllocationRequest>([&w](auto& r) {
         r.set_term(w.term.name());
         r.set_seed(7);
         r.set_request_id(w.Id());
       })});
  add(enrollment + "GetAllocationOperation",
      {"the walk's allocation operation", none,
       Build<ev1::GetAllocationOperationRequest>([&w](auto& r) {
         r.set_name(absl::StrCat(
             "operations/", absl::StripPrefix(w.semester.allocation.name(), "allocationRuns/")));
       })});
  add(enrollment + "GetAllocationRun",
      {"the walk's allocation run", none, Build<ev1::GetAllocationRunRequest>([&w](auto& r) {
         r.set_name(w.semester.allocation.name());
       })});
  add(enrollment + "ListAllocationDecisions",
      {"the walk's allocation decisions", none,
       Build<ev1::ListAllocationDecisionsRequest>(
           [&w](auto& r) { r.set_parent(w.semester.allocation.name()); })});
  add(enrollment + "DropEnrollment", {"b-drop's seat at the maker centre",
                                      {kSchoolB, kMaker},
                                      Build<ev1::DropEnrollmentRequest>([&w, application](auto& r) {
                                        r.set_name(application("b-drop"));
                                        r.set_reason("학생 요청");
                                        r.set_request_id(w.Id());
                                      })});
  add(enrollment + "CancelSection", {"the academy's under-filled section", academy_hosted,
                                     Build<ev1::CancelSectionRequest>([&w](auto& r) {
                                       r.set_section(w.low.name());
                                       r.set_reason("최소 인원 미달");
                                       r.set_request_id(w.Id());
                                     })});
  add(enrollment + "ListRoster",
      {"the maker centre's first-come section",
       {"", kMaker},
       Build<ev1::ListRosterRequest>([&w](auto& r) { r.set_section(w.first_come.name()); })});
  add(enrollment + "CountApplications",
      {"the walk's term", none,
       Build<ev1::CountApplicationsRequest>([&w](auto& r) { r.set_term(w.term.name()); })});
  add(enrollment + "WatchChanges",
      {"the change feed", none, Build<ev1::WatchChangesRequest>([](auto&) {})});
  add(enrollment + "WatchChangeBatches",
      {"the change feed in batches", none, Build<ev1::WatchChangesRequest>([](auto&) {})});
  add("osan.enrollment.v1.PublicSeatsService.ListSeatCounts",
      {"the walk's term", none,
       Build<ev1::ListSeatCountsRequest>([&w](auto& r) { r.set_term(w.term.name()); })});

  // --- osan.credit.v1.CreditService ---
  const std::string credit = "osan.credit.v1.CreditService.";
  add(credit + "RecordAttendance",
      {"session 2 of the academy's live section", academy_hosted,
       Build<rv1::RecordAttendanceRequest>([&w, student](auto& r) {
         r.set_section(w.live.name());
         r.set_session_number(2);
         SetDate(r.mutable_date(), CurrentYear(), 3, 10);
         for (const std::string& name :
              {student(kSchoolB, "b-live"), student(kSchoolC, "c-live")}) {
           auto* mark = r.add_marks();
           mark->set_student(name);
           mark->set_status(rv1::PRESENT);
         }
         r.set_reason("출석 정정");  // a correction when recorded before
         r.set_request_id(w.Id());
       })});
  add(credit + "ListAttendance",
      {"the academy's live section", academy_hosted,
       Build<rv1::ListAttendanceRequest>([&w](auto& r) { r.set_section(w.live.name()); })});
  add(credit + "RecordAssessment", {"b-live in the academy's live section",
                                    {kSchoolB, kAcademy},
                                    Build<rv1::RecordAssessmentRequest>([&w, student](auto& r) {
                                      rv1::Assessment& assessment = *r.mutable_assessment();
                                      assessment.set_section(w.live.name());
                                      assessment.set_student(student(kSchoolB, "b-live"));
                                      assessment.set_raw_score(82);
                                      assessment.set_achievement_rate(82);
                                      assessment.set_reason("채점 정정");
                                      r.set_request_id(w.Id());
                                    })});
  add(credit + "FinalizeSection", {"school A's section to finalize",
                                   {"", kSchoolA},
                                   Build<rv1::FinalizeSectionRequest>([&w](auto& r) {
                                     r.set_section(w.to_finalize.name());
                                     r.set_request_id(w.Id());
                                   })});
  add(credit + "RecordPreventiveInstruction",
      {"b-live in the academy's live section",
       {kSchoolB, kAcademy},
       Build<rv1::RecordPreventiveInstructionRequest>([&w, student](auto& r) {
         r.set_section(w.live.name());
         r.set_student(student(kSchoolB, "b-live"));
         r.set_notes("방과후 기초 개념 보충");
         r.set_request_id(w.Id());
       })});
  const Target result{kSchoolB, kSchoolA};
  add(credit + "RecordRemediation", {"b-ledger's result from school A", result,
                                     Build<rv1::RecordRemediationRequest>([&w](auto& r) {
                                       r.set_entry(w.entry.name());
                                       r.set_kind(rv1::ADDITIONAL_STUDY);
                                       r.set_satisfied(true);
                                       r.set_notes("추가학습 과제 제출");
                                       r.set_request_id(w.Id());
                                     })});
  add(credit + "AmendResult",
      {"b-ledger's result from school A", result, Build<rv1::AmendResultRequest>([&w](auto& r) {
         r.set_entry(w.entry.name());
         r.set_notes("탐구 과제를 성실히 수행하고 발표함.");
         r.set_reason("세특 보완");
         r.set_evidence_ref("성적관리위원회 회의록");
         r.set_request_id(w.Id());
       })});
  add(credit + "GetLedgerHistory",
      {"b-ledger's result from school A", result,
       Build<rv1::GetLedgerHistoryRequest>([&w](auto& r) { r.set_entry(w.entry.name()); })});
  add(credit + "WatchResults",
      {"the result feed", none, Build<rv1::WatchResultsRequest>([](auto&) {})});
  add(credit + "WatchResultBatches",
      {"the result feed in batches", none, Build<rv1::WatchResultsRequest>([](auto&) {})});
  add(credit + "AcknowledgeResult",
      {"b-ledger's result from school A", result,
       Build<rv1::AcknowledgeResultRequest>([&w](auto& r) {
         // The latest version, read as the home school.
         rv1::GetLedgerHistoryRequest history;
         history.set_entry(w.entry.name());
         const auto versions =
             w.suite->clients().Call(w.suite->credit(), &rv1::CreditService::Stub::GetLedgerHistory,
                                     kSchoolB, auth::v1::SCHOOL, history);
         r.set_entry(w.entry.name());
         r.set_version(versions.ok() && versions->versions_size() > 0
                           ? versions->versions(versions->versions_size() - 1).version()
                           : 1);
         r.set_request_id(w.Id());
       })});
  add(credit + "ListPendingResults", {"school B's pending results",
                                      {kSchoolB, ""},
                                      Build<rv1::ListPendingResultsRequest>([](auto& r) {
                                        r.set_parent(absl::StrCat("schools/", kSchoolB));
                                      })});
  add(credit + "ExportPendingResults", {"school B's pending results",
                                        {kSchoolB, ""},
                                        Build<rv1::ExportPendingResultsRequest>([](auto& r) {
                                          r.set_parent(absl::StrCat("schools/", kSchoolB));
                                        })});
  add("osan.credit.v1.ReportService.GetProgrammeReport",
      {"the city's programme in the walk's term", none,
       Build<rv1::GetProgrammeReportRequest>([&w](auto& r) {
         r.set_programme(w.programme);
         r.set_term(w.term.name());
       })});
  add(credit + "GetTranscript", {"b-ledger's transcript",
                                 {kSchoolB, ""},
                                 Build<rv1::GetTranscriptRequest>([student](auto& r) {
                                   r.set_student(student(kSchoolB, "b-ledger"));
                                 })});

  // --- osan.audit.v1.AuditService, on the services holding student data ---
  for (const auto& [server, name] : std::vector<std::pair<Server, std::string>>{
           {Server::kEnrollment, "enrollment"}, {Server::kCredit, "credit-record"}}) {
    add("osan.audit.v1.AuditService.ListAuditRecords",
        {absl::StrCat("the audit trail of B's b-get in ", name),
         {kSchoolB, ""},
         Build<audit::v1::ListAuditRecordsRequest>(
             [student](auto& r) { r.set_student(student(kSchoolB, "b-get")); }),
         server});
    add("osan.audit.v1.AuditService.VerifyAuditChain",
        {absl::StrCat("the audit chain of ", name), none,
         Build<audit::v1::VerifyAuditChainRequest>([](auto&) {}), server});
  }

  // --- Health and reflection, on every server ---
  for (const auto& [server, name] :
       std::vector<std::pair<Server, std::string>>{{Server::kCatalog, "catalog"},
                                                   {Server::kEnrollment, "enrollment"},
                                                   {Server::kCredit, "credit-record"}}) {
    add("grpc.health.v1.Health.Check",
        {name, none, Build<grpc::health::v1::HealthCheckRequest>([](auto&) {}), server});
    add("grpc.health.v1.Health.Watch",
        {name, none, Build<grpc::health::v1::HealthCheckRequest>([](auto&) {}), server, 1});
    add("grpc.reflection.v1alpha.ServerReflection.ServerReflectionInfo",
        {name, none,
         FromText("grpc.reflection.v1alpha.ServerReflectionRequest", "list_services: \"\""),
         server});
  }
  return probes;
}

// ----- The tests ------------------------------------------------------------

std::set<std::string> MethodsOfServices() {
  std::set<std::string> methods;
  for (const std::string& name : Services()) {
    const ServiceDescriptor* service = Pool().FindServiceByName(name);
    if (service == nullptr) {
      ADD_FAILURE() << name << " is not in the generated descriptor pool";
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) {
      methods.insert(service->method(i)->full_name());
    }
  }
  return methods;
}

bool Covered(const std::string& service) {
  return std::find(Services().begin(), Services().end(), service) != Services().end();
}

std::string Joined(const std::set<std::string>& names) { return absl::StrJoin(names, "\n  "); }

TEST(AuthorizationPolicyTest, EveryMethodOfEveryServiceHasAPolicyAndARequest) {
  for (const char* file : kApiFiles) {
    const auto* descriptor = Pool().FindFileByName(file);
    ASSERT_NE(descriptor, nullptr) << file;
    for (int i = 0; i < descriptor->service_count(); ++i) {
      const std::string& service = descriptor->service(i)->full_name();
      EXPECT_TRUE(Covered(service))
          << service << " (" << file << ") is not among the services the policy covers";
    }
  }
  const std::set<std::string> methods = MethodsOfServices();

  std::set<std::string> declared;
  for (const Rule& rule : PolicyTable()) {
    EXPECT_TRUE(declared.insert(rule.method).second) << rule.method << " is declared twice";
    EXPECT_NE(rule.grants, 0u) << rule.method << " admits nobody";
  }
  std::set<std::string> missing, unknown;
  std::set_difference(methods.begin(), methods.end(), declared.begin(), declared.end(),
                      std::inserter(missing, missing.end()));
  std::set_difference(declared.begin(), declared.end(), methods.begin(), methods.end(),
                      std::inserter(unknown, unknown.end()));
  EXPECT_TRUE(missing.empty()) << "RPCs without a declared policy:\n  " << Joined(missing);
  EXPECT_TRUE(unknown.empty()) << "policies for RPCs that do not exist:\n  " << Joined(unknown);

  World unbuilt;  // the builders are not called
  std::set<std::string> probed;
  for (const auto& [method, probes] : Probes(unbuilt)) {
    EXPECT_FALSE(probes.empty()) << method;
    probed.insert(method);
  }
  EXPECT_EQ(probed, declared) << "every declared RPC needs a request builder, and only those";
}

TEST(AuthorizationPolicyTest, ServersServeOnlyServicesWithAPolicy) {
  testing::CreditExchange suite;
  std::set<std::string> served;
  for (const auto& channel :
       {suite.exchange().catalog_service().channel(),
        suite.exchange().enrollment_service().channel(), suite.credit_service().channel()}) {
    const auto names = testing::ListServicesByReflection(channel);
    ASSERT_TRUE(names.ok()) << names.status();
    for (const std::string& name : *names) {
      served.insert(name);
      EXPECT_TRUE(Covered(name)) << name << " is served but has no policy";
    }
  }
  for (const std::string& name : Services()) {
    EXPECT_EQ(served.count(name), 1u) << name << " has a policy but no server serves it";
  }
}

class AuthorizationTest : public ::testing::Test {
 protected:
  // The world, built once for the test binary.
  static World& TheWorld() {
    if (world_ == nullptr) {
      world_ = new World();
      BuildWorld(*world_);
    }
    return *world_;
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  static World* world_;
};

World* AuthorizationTest::world_ = nullptr;

std::shared_ptr<grpc::Channel> ChannelOf(World& w, const MethodDescriptor& method, Server server) {
  switch (server) {
    case Server::kCatalog:
      return w.Channel("osan.catalog.v1");
    case Server::kEnrollment:
      return w.Channel("osan.enrollment.v1");
    case Server::kCredit:
      return w.Channel("osan.credit.v1");
    case Server::kOwn:
      break;
  }
  return w.Channel(method.service()->file()->package());
}

// Outcomes of an entitled call that depend on the object's state only.
bool IsStateOutcome(grpc::StatusCode code) {
  return code == grpc::StatusCode::OK || code == grpc::StatusCode::FAILED_PRECONDITION ||
         code == grpc::StatusCode::ALREADY_EXISTS || code == grpc::StatusCode::ABORTED;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                      status.ok() ? "" : absl::StrCat(" (", status.error_message(), ")"));
}

TEST_F(AuthorizationTest, EveryMethodAdmitsExactlyTheCallersOfItsPolicy) {
  World& w = TheWorld();
  ASSERT_TRUE(w.complete) << "the world could not be set up";
  const auto probes = Probes(w);
  std::set<std::string> known_holes;
  int calls = 0, refused = 0;
  const auto hole = [&](const std::string& where, const std::string& what) {
    if (ExpectedHoles().count(where) != 0) {
      known_holes.insert(where);
    } else {
      ADD_FAILURE() << where << ": " << what;
    }
  };
  for (const Rule& rule : PolicyTable()) {
    const MethodDescriptor* method = Pool().FindMethodByName(rule.method);
    ASSERT_NE(method, nullptr) << rule.method;
    const auto found = probes.find(rule.method);
    ASSERT_NE(found, probes.end()) << "no request builder for " << rule.method;
    for (const Probe& probe : found->second) {
      const auto channel = ChannelOf(w, *method, probe.server);
      ASSERT_NE(channel, nullptr) << rule.method;
      int entitled = 0, succeeded = 0;
      for (const Caller& caller : Callers()) {
        const std::unique_ptr<Message> request = probe.build();
        ASSERT_NE(request, nullptr) << rule.method;
        ASSERT_EQ(request->GetDescriptor(), method->input_type()) << rule.method;
        testing::GenericCallOptions options;
        options.token = TokenOf(caller);
        options.max_responses = probe.max_responses;
        const testing::GenericCallResult result =
            testing::CallMethod(channel, *method, *request, options);
        ++calls;
        const grpc::StatusCode code = result.status.error_code();
        const std::string where =
            absl::StrCat(rule.method, " | ", caller.label, " | ", probe.about);
        if (Allowed(rule.grants, probe.target, caller) && probe.hidden) {
          ++entitled;
          if (code != grpc::StatusCode::NOT_FOUND) {
            hole(where, absl::StrCat("must not be revealed to anyone but got ",
                                     Describe(result.status), "; expected NOT_FOUND"));
          }
        } else if (Allowed(rule.grants, probe.target, caller)) {
          ++entitled;
          if (code == grpc::StatusCode::PERMISSION_DENIED ||
              code == grpc::StatusCode::UNAUTHENTICATED) {
            hole(where, absl::StrCat("entitled (", rule.basis,
                                     ") but refused: ", Describe(result.status)));
          } else if (!IsStateOutcome(code)) {
            ADD_FAILURE() << where << ": entitled caller got " << Describe(result.status)
                          << "; the request should be valid for its object";
          }
          succeeded += code == grpc::StatusCode::OK ? 1 : 0;
        } else {
          ++refused;
          const grpc::StatusCode expected = caller.refusal();
          if (code != expected) {
            hole(where,
                 absl::StrCat("outside the policy (", rule.basis, ") but got ",
                              Describe(result.status), " with ", result.responses.size(),
                              " response(s); expected ",
                              absl::StatusCodeToString(static_cast<absl::StatusCode>(expected))));
          }
        }
      }
      EXPECT_GT(entitled, 0) << rule.method << " on " << probe.about << ": nobody is entitled";
      EXPECT_TRUE(probe.hidden || succeeded > 0)
          << rule.method << " on " << probe.about
          << ": no entitled caller succeeded, so the probe proves nothing";
    }
  }
  std::cout << "authorization: " << calls << " calls, " << refused
            << " of them by callers outside the policy\n";
  for (const std::string& where : known_holes) {
    std::cout << "known hole: " << where << "\n";
  }
  EXPECT_EQ(known_holes, ExpectedHoles());
}

// A page token serves only the institution it was issued to. Every List
// method whose first page, read with a page size of 1 by one entitled
// institution, goes on is asked for the next page with that token by each
// other entitled institution, which must get INVALID_ARGUMENT.
TEST_F(AuthorizationTest, PageTokensServeOnlyTheCallerTheyWereIssuedTo) {
  World& w = TheWorld();
  ASSERT_TRUE(w.complete) << "the world could not be set up";
  const auto probes = Probes(w);
  std::set<std::string> lists;
  for (const Rule& rule : PolicyTable()) {
    const MethodDescriptor* method = Pool().FindMethodByName(rule.method);
    ASSERT_NE(method, nullptr) << rule.method;
    const FieldDescriptor* page_size = method->input_type()->FindFieldByName("page_size");
    const FieldDescriptor* page_token = method->input_type()->FindFieldByName("page_token");
    const FieldDescriptor* next = method->output_type()->FindFieldByName("next_page_token");
    if ((rule.grants & kPublic) != 0 || method->server_streaming() || page_size == nullptr ||
        page_token == nullptr || next == nullptr) {
      continue;
    }
    for (const Probe& probe : probes.at(rule.method)) {
      std::vector<const Caller*> entitled;
      for (const Caller& caller : Callers()) {
        if (!probe.hidden && Allowed(rule.grants, probe.target, caller)) {
          entitled.push_back(&caller);
        }
      }
      const auto channel = ChannelOf(w, *method, probe.server);
      for (const Caller* issued_to : entitled) {
        const std::unique_ptr<Message> request = probe.build();
        request->GetReflection()->SetInt32(request.get(), page_size, 1);
        testing::GenericCallOptions options;
        options.token = TokenOf(*issued_to);
        const auto first = testing::CallMethod(channel, *method, *request, options);
        std::unique_ptr<Message> response(google::protobuf::MessageFactory::generated_factory()
                                              ->GetPrototype(method->output_type())
                                              ->New());
        if (!first.status.ok() || first.responses.size() != 1 ||
            !response->ParseFromString(first.responses.front())) {
          continue;
        }
        const std::string token = response->GetReflection()->GetString(*response, next);
        if (token.empty()) {
          continue;  // one page: try the next entitled caller
        }
        request->GetReflection()->SetString(request.get(), page_token, token);
        for (const Caller* other : entitled) {
          if (other->institution == issued_to->institution) {
            continue;
          }
          options.token = TokenOf(*other);
          const auto reused = testing::CallMethod(channel, *method, *request, options);
          EXPECT_EQ(reused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
              << rule.method << " on " << probe.about << ": " << issued_to->label
              << "'s page token used by " << other->label << " got " << Describe(reused.status);
          EXPECT_TRUE(absl::StrContains(reused.status.error_message(), "another caller"))
              << Describe(reused.status);
          lists.insert(rule.method);
        }
        break;
      }
    }
  }
  std::cout << "page tokens tried across callers on " << lists.size()
            << " list methods: " << absl::StrJoin(lists, ", ") << "\n";
  EXPECT_GE(lists.size(), 3u) << "too few lists went past one entry for the test to mean much";
}

// Reads `method`'s feed from the start as `caller` until `enough` holds of the
// events read (delivery waits for older transactions anywhere in the
// cluster) or 20 s pass; returns the last read.
template <class Event>
std::vector<Event> ReadFeed(World& w, const std::string& method_name, const Caller& caller,
                            const std::function<bool(const std::vector<Event>&)>& enough) {
  const MethodDescriptor* method = Pool().FindMethodByName(method_name);
  EXPECT_NE(method, nullptr) << method_name;
  if (method == nullptr) {
    return {};
  }
  const std::unique_ptr<Message> request(google::protobuf::MessageFactory::generated_factory()
                                             ->GetPrototype(method->input_type())
                                             ->New());
  std::vector<Event> events;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  do {
    testing::GenericCallOptions options;
    options.token = TokenOf(caller);
    const auto result =
        testing::CallMethod(ChannelOf(w, *method, Server::kOwn), *method, *request, options);
    EXPECT_TRUE(result.status.ok())
        << method_name << " as " << caller.label << ": " << Describe(result.status);
    events.clear();
    for (const std::string& bytes : result.responses) {
      Event event;
      EXPECT_TRUE(event.ParseFromString(bytes));
      events.push_back(std::move(event));
    }
    if (enough(events)) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (absl::Now() < give_up);
  return events;
}

std::string SchoolOf(const std::string& student) {
  const std::string prefix = "schools/";
  const size_t end = student.find("/students/");
  return absl::StartsWith(student, prefix) && end != std::string::npos
             ? student.substr(prefix.size(), end - prefix.size())
             : "";
}

TEST_F(AuthorizationTest, FeedsCarryOnlyWhatTheCallerMaySee) {
  World& w = TheWorld();
  ASSERT_TRUE(w.complete) << "the world could not be set up";
  const std::set<std::string> schools = {kSchoolA, kSchoolB, kSchoolC};

  for (const Caller& caller : Callers()) {
    if (caller.shut_out() || (caller.role != auth::v1::SCHOOL && caller.role != auth::v1::ACADEMY &&
                              caller.role != auth::v1::SERVICE)) {
      continue;  // refused; EveryMethodAdmitsExactlyTheCallersOfItsPolicy checks that
    }
    // Enrollment's changes: a school's own students and its sections, a
    // host's sections, everything for services.
    const std::string host = Institution(caller.institution);
    const auto visible = [&](const ev1::Application& application) {
      return caller.role == auth::v1::SERVICE || application.host() == host ||
             (caller.role == auth::v1::SCHOOL &&
              SchoolOf(application.student()) == caller.institution);
    };
    // Every caller here has something to see: the walk and the setup gave
    // each school students, each host applicants, school A both. Schools
    // must see their own students, services every school's.
    const auto sees_enough = [&](const std::set<std::string>& seen, bool any) {
      return caller.role == auth::v1::SERVICE
                 ? std::includes(seen.begin(), seen.end(), schools.begin(), schools.end())
             : caller.role == auth::v1::SCHOOL ? seen.count(caller.institution) != 0
                                               : any;
    };
    const auto change_schools = [](const std::vector<ev1::ChangeEvent>& events) {
      std::set<std::string> seen;
      for (const auto& event : events) {
        seen.insert(SchoolOf(event.application().student()));
      }
      return seen;
    };
    const auto changes =
        ReadFeed<ev1::ChangeEvent>(w, "osan.enrollment.v1.EnrollmentService.WatchChanges", caller,
                                   [&](const std::vector<ev1::ChangeEvent>& events) {
                                     return sees_enough(change_schools(events), !events.empty());
                                   });
    EXPECT_TRUE(sees_enough(change_schools(changes), !changes.empty()))
        << caller.label << " did not see the changes it should (" << changes.size() << " events)";
    for (const auto& event : changes) {
      EXPECT_TRUE(visible(event.application()))
          << caller.label << " saw " << event.application().student() << "'s application to "
          << event.application().host();
    }
    const auto flattened = [](const std::vector<ev1::ChangeEventBatch>& batches) {
      std::vector<ev1::ChangeEvent> events;
      for (const auto& batch : batches) {
        events.insert(events.end(), batch.events().begin(), batch.events().end());
      }
      return events;
    };
    const auto batched = flattened(ReadFeed<ev1::ChangeEventBatch>(
        w, "osan.enrollment.v1.EnrollmentService.WatchChangeBatches", caller,
        [&](const std::vector<ev1::ChangeEventBatch>& batches) {
          const auto events = flattened(batches);
          return sees_enough(change_schools(events), !events.empty());
        }));
    EXPECT_TRUE(sees_enough(change_schools(batched), !batched.empty()))
        << caller.label << " did not see the changes it should in batches";
    for (const auto& event : batched) {
      EXPECT_TRUE(visible(event.application()))
          << caller.label << " saw " << event.application().student() << "'s application to "
          << event.application().host() << " in a batch";
    }

    // Credit results: a school's own students only.
    if (caller.role != auth::v1::SCHOOL) {
      continue;  // refused
    }
    const auto result_schools = [](const std::vector<rv1::ResultEvent>& events) {
      std::set<std::string> seen;
      for (const auto& event : events) {
        seen.insert(SchoolOf(event.entry().package().student()));
      }
      return seen;
    };
    const auto results =
        ReadFeed<rv1::ResultEvent>(w, "osan.credit.v1.CreditService.WatchResults", caller,
                                   [&](const std::vector<rv1::ResultEvent>& events) {
                                     return sees_enough(result_schools(events), !events.empty());
                                   });
    EXPECT_TRUE(sees_enough(result_schools(results), !results.empty()))
        << caller.label << " did not see the results it should (" << results.size() << " events)";
    for (const auto& event : results) {
      const std::string& student = event.entry().package().student();
      EXPECT_EQ(SchoolOf(student), caller.institution)
          << caller.label << " saw the result of " << student << " (host "
          << event.entry().package().host() << ")";
    }
    // The batched result feed: the same results, in the same order.
    std::vector<rv1::ResultEvent> batched_results;
    for (const auto& batch : ReadFeed<rv1::ResultEventBatch>(
             w, "osan.credit.v1.CreditService.WatchResultBatches", caller,
             [&](const std::vector<rv1::ResultEventBatch>& batches) {
               size_t count = 0;
               for (const auto& b : batches) {
                 count += b.events_size();
               }
               return count >= results.size();
             })) {
      batched_results.insert(batched_results.end(), batch.events().begin(), batch.events().end());
    }
    ASSERT_EQ(batched_results.size(), results.size()) << caller.label;
    for (size_t i = 0; i < results.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(batched_results[i], results[i]))
          << caller.label << ": result " << i << " of the batched feed differs";
    }
  }
}

}  // namespace
}  // namespace osan
