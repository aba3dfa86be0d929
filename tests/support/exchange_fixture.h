// A catalog and an enrollment service running in-process over their own
// databases (or elsewhere, reached through channels), with a term open for
// applications and helpers to set up institutions, sections and students
// through the public APIs.
#ifndef OSAN_TESTS_SUPPORT_EXCHANGE_FIXTURE_H_
#define OSAN_TESTS_SUPPORT_EXCHANGE_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "services/enrollment/api/enrollment.h"
#include "tests/support/test_env.h"

namespace osan::testing {

inline constexpr char kCity[] = "OSAN-CITY";
inline constexpr char kSchoolA[] = "J10-7531001";  // 매홀고
inline constexpr char kSchoolB[] = "J10-7531002";  // 성호고
inline constexpr char kAcademy[] = "OSAN-AICODING";
inline constexpr char kOffice[] = "HSOS-EDU";

class Exchange {
 public:
  // `configure_enrollment` and `configure_catalog` adjust the services'
  // configurations (see TestService); `options` are enrollment's own.
  explicit Exchange(const std::function<void(ServiceConfig&)>& configure_enrollment = nullptr,
                    const enrollment::EnrollmentOptions& options = {},
                    const std::function<void(ServiceConfig&)>& configure_catalog = nullptr);
  // Services running elsewhere (their own processes, for instance):
  // catalog_service() and enrollment_service() must not be called.
  Exchange(std::shared_ptr<grpc::Channel> catalog, std::shared_ptr<grpc::Channel> enrollment,
           std::string enrollment_database_url);

  std::string Token(const std::string& institution, auth::Role role) const {
    return TestKeys::Get().Token(institution, role);
  }

  // Creates schools A and B, the academy, and term 2026-1 with its
  // application window open now (drop deadline in the future).
  void CreateBasics();
  // A section of a new course hosted by `host` (SCHOOL or ACADEMY per the
  // code's form), in ENROLLMENT_OPEN unless `state` says otherwise.
  catalog::v1::Section CreateSection(const std::string& host, const std::string& title,
                                     catalog::v1::AllocationPolicy policy, int capacity,
                                     catalog::v1::Weekday weekday, int start_hour,
                                     catalog::v1::SectionState state = catalog::v1::ENROLLMENT_OPEN,
                                     int min_enrollment = 0);
  // Moves a section to `state` as its host.
  void Transition(const catalog::v1::Section& section, catalog::v1::SectionState state);
  // Registers a student of `school` in `grade` during the test term (the
  // entry year follows).
  enrollment::v1::Student CreateStudent(const std::string& school, const std::string& key,
                                        int grade = 2);
  // The same with a token of `school` acting as `role`; returns the status.
  grpc::Status CreateStudentAs(auth::Role role, const std::string& school, const std::string& key,
                               int grade, enrollment::v1::Student* created);
  // Submits (and with `approve`, approves) an application; returns the status.
  grpc::Status Apply(const std::string& student, const std::string& section, int rank, bool approve,
                     enrollment::v1::Application* application, const std::string& request_id = "");

  catalog::v1::CatalogService::Stub& catalog() { return *catalog_; }
  enrollment::v1::EnrollmentService::Stub& enrollment() { return *enrollment_; }
  TestService& catalog_service() { return *catalog_service_; }
  TestService& enrollment_service() { return *enrollment_service_; }

  // One pass over the change feed after `cursor`: what a stream returns
  // before it ends, caught up.
  std::vector<enrollment::v1::ChangeEvent> ReadChangesOnce(const std::string& token,
                                                           const std::string& cursor);
  // The change events after `cursor`, read until `expected` have arrived
  // (delivery waits for older transactions anywhere in the cluster, other
  // tests' included) or 10 s passed.
  std::vector<enrollment::v1::ChangeEvent> ReadChanges(const std::string& token, size_t expected,
                                                       const std::string& cursor = "");

  // Polls `operation` as `token`'s caller until its run is done (at most
  // `timeout`): the run, or why it failed.
  absl::StatusOr<enrollment::v1::AllocationRun> AwaitAllocation(
      const enrollment::v1::AllocationOperation& operation, const std::string& token,
      absl::Duration timeout = absl::Seconds(30));

  // Runs a scalar SQL query on enrollment's database.
  int64_t QueryEnrollment(const std::string& sql);
  const std::string& enrollment_database_url() const { return enrollment_database_url_; }

  std::string NextRequestId();

 private:
  std::unique_ptr<TestService> catalog_service_;
  std::unique_ptr<TestService> enrollment_service_;
  std::unique_ptr<catalog::v1::CatalogService::Stub> catalog_;
  std::unique_ptr<enrollment::v1::EnrollmentService::Stub> enrollment_;
  std::string enrollment_database_url_;
  std::atomic<int> request_counter_{0};
};

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_EXCHANGE_FIXTURE_H_
