#include "tools/osanctl/demo_loader.h"

#include <google/protobuf/text_format.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "demo/demo.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "tools/osanctl/client.h"

namespace osan::cli {
namespace {

namespace v1 = catalog::v1;

// Runs one catalog call of the loader and returns from Load() on failure.
#define OSAN_DEMO_CALL(Method, institution, role, request, response) \
  OSAN_RETURN_IF_ERROR(                                              \
      Call(#Method, &v1::CatalogService::Stub::Method, institution, role, request, response))

class Loader {
 public:
  Loader(const auth::TokenSigner& signer, std::shared_ptr<grpc::Channel> channel,
         std::ostream& progress)
      : signer_(signer), stub_(v1::CatalogService::NewStub(channel)), progress_(progress) {}

  absl::Status Load(const tools::demo::DemoData& data) {
    for (const auto& institution : data.institutions()) {
      const std::string code =
          institution.kind() == v1::HIGH_SCHOOL
              ? absl::StrCat(institution.office_code(), "-", institution.school_code())
              : institution.host_code();
      roles_[code] = institution.kind() == v1::HIGH_SCHOOL ? auth::v1::SCHOOL : auth::v1::ACADEMY;
      v1::CreateInstitutionRequest request;
      *request.mutable_institution() = institution;
      request.set_request_id(absl::StrCat("demo-institution-", code));
      v1::Institution created;
      OSAN_DEMO_CALL(CreateInstitution, data.city(), auth::v1::CITY, request, &created);
    }
    progress_ << "  " << data.institutions_size() << " institutions\n";
    for (const auto& term : data.terms()) {
      v1::CreateTermRequest request;
      *request.mutable_term() = term;
      request.set_request_id(absl::StrCat("demo-term-", term.year(), "-", term.semester()));
      v1::Term created;
      OSAN_DEMO_CALL(CreateTerm, data.city(), auth::v1::CITY, request, &created);
    }
    progress_ << "  " << data.terms_size() << " term(s)\n";
    int sections = 0;
    for (int i = 0; i < data.courses_size(); ++i) {
      const auto& demo = data.courses(i);
      const std::string host = demo.course().host().substr(sizeof("institutions/") - 1);
      v1::CreateCourseRequest create;
      *create.mutable_course() = demo.course();
      create.set_request_id(absl::StrCat("demo-course-", i));
      v1::Course course;
      OSAN_DEMO_CALL(CreateCourse, host, roles_[host], create, &course);
      if (demo.approve_recognition()) {
        v1::ReviewRecognitionRequest review;
        review.set_name(course.name());
        review.set_decision(v1::APPROVED);
        review.set_reason("학점 인정 기준 충족");
        review.set_request_id(absl::StrCat("demo-review-", i));
        OSAN_DEMO_CALL(ReviewRecognition, data.education_office(), auth::v1::EDU_OFFICE, review,
                       &course);
      }
      for (int j = 0; j < demo.sections_size(); ++j) {
        v1::CreateSectionRequest request;
        request.set_parent(data.term());
        *request.mutable_section() = demo.sections(j);
        request.mutable_section()->set_course(course.name());
        const std::string id = absl::StrCat("demo-section-", i, "-", j);
        request.set_request_id(id);
        v1::Section section;
        OSAN_DEMO_CALL(CreateSection, host, roles_[host], request, &section);
        for (const v1::SectionState state : {v1::PUBLISHED, v1::ENROLLMENT_OPEN}) {
          if (demo.section_state() < state) {
            break;
          }
          v1::TransitionSectionRequest transition;
          transition.set_name(section.name());
          transition.set_target_state(state);
          transition.set_request_id(absl::StrCat(id, "-", v1::SectionState_Name(state)));
          OSAN_DEMO_CALL(TransitionSection, host, roles_[host], transition, &section);
        }
        ++sections;
      }
    }
    progress_ << "  " << data.courses_size() << " courses, " << sections << " sections in "
              << data.term() << "\n";
    return absl::OkStatus();
  }

 private:
  // Calls `method` as `institution` in `role`; the first call waits for the
  // server to come up.
  template <class Request, class Response>
  absl::Status Call(const char* name,
                    grpc::Status (v1::CatalogService::Stub::*method)(grpc::ClientContext*,
                                                                     const Request&, Response*),
                    const std::string& institution, auth::Role role, const Request& request,
                    Response* response) {
    auto token = signer_.Issue({institution, role}, absl::Now(), absl::Minutes(10));
    if (!token.ok()) {
      return token.status();
    }
    auto context = MakeContext(*token);
    context->set_wait_for_ready(true);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    const grpc::Status status = (stub_.get()->*method)(context.get(), request, response);
    if (!status.ok()) {
      return absl::Status(
          static_cast<absl::StatusCode>(status.error_code()),
          absl::StrCat(name, " (", request.request_id(), "): ", status.error_message()));
    }
    return absl::OkStatus();
  }

  const auth::TokenSigner& signer_;
  std::unique_ptr<v1::CatalogService::Stub> stub_;
  std::ostream& progress_;
  std::map<std::string, auth::Role> roles_;
};

}  // namespace

absl::Status LoadDemoData(const std::string& textproto, const auth::TokenSigner& signer,
                          std::shared_ptr<grpc::Channel> channel, std::ostream& progress) {
  tools::demo::DemoData data;
  if (!google::protobuf::TextFormat::ParseFromString(textproto, &data)) {
    return absl::InvalidArgumentError("the demo data file is not a valid DemoData text proto");
  }
  progress << "loading demo data\n";
  return Loader(signer, std::move(channel), progress).Load(data);
}

}  // namespace osan::cli
