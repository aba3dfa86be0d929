#include "tools/osanctl/demo_loader.h"

#include <google/protobuf/text_format.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/names.h"
#include "common/status.h"
#include "demo/demo.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "tools/osanctl/client.h"

namespace osan::cli {
namespace {

namespace cv1 = catalog::v1;

namespace ev1 = enrollment::v1;

// Runs one catalog call of the loader and returns from Load() on failure.
#define OSAN_DEMO_CALL(Method, institution, role, request, response)                     \
  OSAN_RETURN_IF_ERROR(Call(#Method, catalog_.get(), &cv1::CatalogService::Stub::Method, \
                            institution, role, request, response))

// The same for an enrollment call.
#define OSAN_DEMO_ENROLLMENT_CALL(Method, institution, request, response)                      \
  OSAN_RETURN_IF_ERROR(Call(#Method, enrollment_.get(), &ev1::EnrollmentService::Stub::Method, \
                            institution, auth::v1::SCHOOL, request, response))

class Loader {
 public:
  Loader(const auth::TokenSigner& signer, std::shared_ptr<grpc::Channel> catalog,
         std::shared_ptr<grpc::Channel> enrollment, std::ostream& progress)
      : signer_(signer),
        catalog_(cv1::CatalogService::NewStub(catalog)),
        enrollment_(ev1::EnrollmentService::NewStub(enrollment)),
        progress_(progress) {}

  absl::Status Load(const tools::demo::DemoData& data) {
    for (const auto& institution : data.institutions()) {
      const std::string code =
          institution.kind() == cv1::HIGH_SCHOOL
              ? absl::StrCat(institution.office_code(), "-", institution.school_code())
              : institution.host_code();
      roles_[code] = institution.kind() == cv1::HIGH_SCHOOL ? auth::v1::SCHOOL : auth::v1::ACADEMY;
      cv1::CreateInstitutionRequest request;
      *request.mutable_institution() = institution;
      request.set_request_id(absl::StrCat("demo-institution-", code));
      cv1::Institution created;
      OSAN_DEMO_CALL(CreateInstitution, data.city(), auth::v1::CITY, request, &created);
    }
    progress_ << "  " << data.institutions_size() << " institutions\n";
    for (const auto& term : data.terms()) {
      cv1::CreateTermRequest request;
      *request.mutable_term() = term;
      request.set_request_id(absl::StrCat("demo-term-", term.year(), "-", term.semester()));
      cv1::Term created;
      OSAN_DEMO_CALL(CreateTerm, data.city(), auth::v1::CITY, request, &created);
    }
    progress_ << "  " << data.terms_size() << " term(s)\n";
    for (const auto& demo : data.programmes()) {
      cv1::CreateProgrammeRequest request;
      request.set_programme_id(demo.programme_id());
      *request.mutable_programme() = demo.programme();
      request.set_request_id(absl::StrCat("demo-programme-", demo.programme_id()));
      cv1::Programme created;
      OSAN_DEMO_CALL(CreateProgramme, data.city(), auth::v1::CITY, request, &created);
    }
    progress_ << "  " << data.programmes_size() << " programme(s)\n";
    int sections = 0;
    for (int i = 0; i < data.courses_size(); ++i) {
      const auto& demo = data.courses(i);
      const std::string host = InstitutionCodeOf(demo.course().host());
      cv1::CreateCourseRequest create;
      *create.mutable_course() = demo.course();
      create.set_request_id(absl::StrCat("demo-course-", i));
      cv1::Course course;
      OSAN_DEMO_CALL(CreateCourse, host, roles_[host], create, &course);
      if (demo.approve_recognition()) {
        cv1::ReviewRecognitionRequest review;
        review.set_name(course.name());
        review.set_decision(cv1::APPROVED);
        review.set_reason("학점 인정 기준 충족");
        review.set_request_id(absl::StrCat("demo-review-", i));
        OSAN_DEMO_CALL(ReviewRecognition, data.education_office(), auth::v1::EDU_OFFICE, review,
                       &course);
      }
      for (int j = 0; j < demo.sections_size(); ++j) {
        cv1::CreateSectionRequest request;
        request.set_parent(data.term());
        *request.mutable_section() = demo.sections(j);
        request.mutable_section()->set_course(course.name());
        const std::string id = absl::StrCat("demo-section-", i, "-", j);
        request.set_request_id(id);
        cv1::Section section;
        OSAN_DEMO_CALL(CreateSection, host, roles_[host], request, &section);
        if (j == 0) {
          first_section_[demo.course().title()] = section.name();
        }
        for (const cv1::SectionState state : {cv1::PUBLISHED, cv1::ENROLLMENT_OPEN}) {
          if (demo.section_state() < state) {
            break;
          }
          cv1::TransitionSectionRequest transition;
          transition.set_name(section.name());
          transition.set_target_state(state);
          transition.set_request_id(absl::StrCat(id, "-", cv1::SectionState_Name(state)));
          OSAN_DEMO_CALL(TransitionSection, host, roles_[host], transition, &section);
        }
        ++sections;
      }
    }
    progress_ << "  " << data.courses_size() << " courses, " << sections << " sections in "
              << data.term() << "\n";
    return LoadEnrollment(data);
  }

 private:
  absl::Status LoadEnrollment(const tools::demo::DemoData& data) {
    for (const auto& demo : data.students()) {
      ev1::CreateStudentRequest request;
      request.set_parent(absl::StrCat("schools/", demo.school()));
      *request.mutable_student() = demo.student();
      request.set_request_id(
          absl::StrCat("demo-student-", demo.school(), "-", demo.student().student_key()));
      ev1::Student created;
      OSAN_DEMO_ENROLLMENT_CALL(CreateStudent, demo.school(), request, &created);
    }
    std::map<ev1::ApplicationState, int> states;
    for (int i = 0; i < data.applications_size(); ++i) {
      const auto& demo = data.applications(i);
      const auto section = first_section_.find(demo.course_title());
      if (section == first_section_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("demo application ", i, ": no course titled ", demo.course_title()));
      }
      ev1::SubmitApplicationRequest request;
      request.mutable_application()->set_student(
          absl::StrCat("schools/", demo.school(), "/students/", demo.student_key()));
      request.mutable_application()->set_section(section->second);
      request.mutable_application()->set_preference_rank(demo.preference_rank());
      request.set_approve(demo.approve());
      request.set_request_id(absl::StrCat("demo-application-", i));
      ev1::Application created;
      const absl::Status status = Call("SubmitApplication", enrollment_.get(),
                                       &ev1::EnrollmentService::Stub::SubmitApplication,
                                       demo.school(), auth::v1::SCHOOL, request, &created);
      if (absl::IsFailedPrecondition(status)) {
        // E.g. the demo term's application window has closed since.
        progress_ << "  skipped an application: " << status.message() << "\n";
        continue;
      }
      OSAN_RETURN_IF_ERROR(status);
      ++states[created.state()];
    }
    progress_ << "  " << data.students_size() << " students, " << data.applications_size()
              << " applications (";
    const char* separator = "";
    for (const auto& [state, count] : states) {
      progress_ << separator << count << " " << ev1::ApplicationState_Name(state);
      separator = ", ";
    }
    progress_ << ")\n";
    return absl::OkStatus();
  }

  // Calls `method` on `stub` as `institution` in `role`; the first call to a
  // server waits for it to come up.
  template <class Stub, class Request, class Response>
  absl::Status Call(const char* name, Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& institution, auth::Role role, const Request& request,
                    Response* response) {
    auto token = signer_.Issue({institution, role}, absl::Now(), absl::Minutes(10));
    if (!token.ok()) {
      return token.status();
    }
    auto context = MakeContext(*token);
    context->set_wait_for_ready(true);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    const grpc::Status status = (stub->*method)(context.get(), request, response);
    if (!status.ok()) {
      return FromGrpcStatus(status, absl::StrCat(name, " (", request.request_id(), ")"));
    }
    return absl::OkStatus();
  }

  const auth::TokenSigner& signer_;
  std::unique_ptr<cv1::CatalogService::Stub> catalog_;
  std::unique_ptr<ev1::EnrollmentService::Stub> enrollment_;
  std::ostream& progress_;
  std::map<std::string, auth::Role> roles_;
  // Course title -> name of its first section.
  std::map<std::string, std::string> first_section_;
};

}  // namespace

absl::Status LoadDemoData(const std::string& textproto, const auth::TokenSigner& signer,
                          std::shared_ptr<grpc::Channel> catalog,
                          std::shared_ptr<grpc::Channel> enrollment, std::ostream& progress) {
  tools::demo::DemoData data;
  if (!google::protobuf::TextFormat::ParseFromString(textproto, &data)) {
    return absl::InvalidArgumentError("the demo data file is not a valid DemoData text proto");
  }
  progress << "loading demo data\n";
  return Loader(signer, std::move(catalog), std::move(enrollment), progress).Load(data);
}

}  // namespace osan::cli
