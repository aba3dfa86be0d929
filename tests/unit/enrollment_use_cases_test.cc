// Enrollment's use cases on the store's in-memory twin and a catalog that
// answers from memory: every use case, who may call it, what it refuses and
// what it leaves in the records, without PostgreSQL, a catalog server or
// gRPC. The SQL and the wiring are tested by
// tests/integration/enrollment_api_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/names.h"
#include "common/paging.h"
#include "common/server.h"
#include "services/enrollment/api/catalog_sections.h"
#include "services/enrollment/api/enrollment.h"
#include "services/enrollment/api/public_seats.h"
#include "services/enrollment/store/memory_records.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kSchoolA[] = "J10-7531001";
constexpr char kSchoolB[] = "J10-7531002";
constexpr char kAcademy[] = "OSAN-AICODING";
constexpr char kOtherAcademy[] = "OSAN-MAKER";
constexpr char kCity[] = "OSAN-CITY";
constexpr char kOffice[] = "HSOS-EDU";
constexpr char kCredit[] = "SVC-CREDIT";
constexpr char kTerm[] = "terms/2026-1";
constexpr char kSecret[] = "page-token-secret-0123456789";

// The sections every test starts with: the academy's first-come (Tuesday,
// 2 seats), lottery (Thursday, 2 seats) and screening (Saturday, 5 seats)
// sections, and school A's own first-come section (Wednesday, 4 seats, its
// own students at most 50% of the class).
constexpr char kFirstCome[] = "terms/2026-1/sections/11111111-1111-4111-8111-111111111111";
constexpr char kLottery[] = "terms/2026-1/sections/22222222-2222-4222-8222-222222222222";
constexpr char kScreening[] = "terms/2026-1/sections/33333333-3333-4333-8333-333333333333";
constexpr char kHostedByA[] = "terms/2026-1/sections/44444444-4444-4444-8444-444444444444";

// Sections a test adds (n in 5..9).
std::string ExtraSection(int n) {
  return absl::StrCat("terms/2026-1/sections/", n, "aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
}

// A time of 2026 in Korea.
absl::Time Korea(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, minute, 0),
                         absl::FixedTimeZone(9 * 60 * 60));
}

// When the tests' calls are made: school year 2026, inside the term's
// application window (2 to 17 March) and before its drop deadline (24 March).
absl::Time Now() { return Korea(3, 3, 10); }

void SetDate(type::v1::Date* date, int month, int day) {
  date->set_year(2026);
  date->set_month(month);
  date->set_day(day);
}

cv1::Term Term2026() {
  cv1::Term term;
  term.set_name(kTerm);
  term.set_year(2026);
  term.set_semester(1);
  term.mutable_application_window()->set_start_unix(absl::ToUnixSeconds(Korea(3, 2, 9)));
  term.mutable_application_window()->set_end_unix(absl::ToUnixSeconds(Korea(3, 17, 18)));
  SetDate(term.mutable_classes_start(), 3, 4);
  SetDate(term.mutable_classes_end(), 7, 17);
  SetDate(term.mutable_drop_deadline(), 3, 24);
  SetDate(term.mutable_results_due(), 7, 31);
  return term;
}

// Catalog as a map of section facts by name; a name not in it is NOT_FOUND.
// Tests change it only while no allocation run is in progress.
class MemoryCatalog final : public CatalogSections {
 public:
  absl::StatusOr<catalog::SectionFacts> Get(const std::string& name, absl::Time,
                                            Freshness) override {
    const auto it = sections.find(name);
    if (it == sections.end()) {
      return absl::NotFoundError(absl::StrCat(name, " not found"));
    }
    return it->second;
  }
  absl::StatusOr<std::vector<cv1::Section>> OfTerm(const std::string& term,
                                                   const cv1::ListSectionsRequest& filter,
                                                   absl::Time) override {
    if (!term_status.ok()) {
      return term_status;
    }
    std::vector<cv1::Section> found;
    for (const auto& [name, facts] : sections) {
      if (facts.term.name() == term && (filter.state() == cv1::SECTION_STATE_UNSPECIFIED ||
                                        facts.section.state() == filter.state())) {
        found.push_back(facts.section);
      }
    }
    return found;
  }

  std::map<std::string, catalog::SectionFacts> sections;
  // What OfTerm answers when not OK (catalog unreachable).
  absl::Status term_status;
};

template <class T>
absl::StatusCode CodeOf(const absl::StatusOr<T>& result) {
  return result.status().code();
}

std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

std::string SchoolOf(const std::string& student) {
  return ParseStudentName("student", student).value().school;
}

class EnrollmentUseCasesTest : public ::testing::Test {
 protected:
  EnrollmentUseCasesTest()
      : store_(store::MemoryRecords([this] {
          if (hold_clock_.exchange(false)) {
            release_clock_.WaitForNotification();
          }
          return absl::FromUnixMicros(store_micros_.load());
        })),
        enrollment_(&store_, PageTokens(kSecret), &catalog_, EnrollmentOptions{}),
        public_seats_(&store_, absl::Seconds(2)) {
    AddSection(kFirstCome, kAcademy, cv1::FIRST_COME, 2, cv1::TUESDAY);
    AddSection(kLottery, kAcademy, cv1::LOTTERY, 2, cv1::THURSDAY);
    AddSection(kScreening, kAcademy, cv1::HOST_SCREENING, 5, cv1::SATURDAY);
    AddSection(kHostedByA, kSchoolA, cv1::FIRST_COME, 4, cv1::WEDNESDAY)
        .section.set_host_share_cap_percent(50);
  }

  // An open section of `host` meeting on `weekday` 18:00-19:40, of a
  // one-credit course (recognised when the host is not a school).
  catalog::SectionFacts& AddSection(const std::string& name, const std::string& host,
                                    cv1::AllocationPolicy policy, int capacity,
                                    cv1::Weekday weekday) {
    catalog::SectionFacts facts;
    facts.term = Term2026();
    facts.course.set_name(absl::StrCat("courses/", IdOf(name)));
    facts.course.set_title("인공지능 기초");
    facts.course.set_category(cv1::CAREER_ELECTIVE);
    facts.course.set_credits(1);
    facts.course.set_host(InstitutionName(host));
    facts.course.mutable_recognition()->set_state(
        host == kSchoolA || host == kSchoolB ? cv1::NOT_REQUIRED : cv1::APPROVED);
    cv1::Section& section = facts.section;
    section.set_name(name);
    section.set_course(facts.course.name());
    section.set_host(InstitutionName(host));
    section.set_capacity(capacity);
    cv1::WeeklyMeeting& meeting = *section.add_weekly_meetings();
    meeting.set_weekday(weekday);
    meeting.mutable_start_time()->set_hours(18);
    meeting.mutable_end_time()->set_hours(19);
    meeting.mutable_end_time()->set_minutes(40);
    section.set_location("실습실");
    section.set_allocation_policy(policy);
    section.set_host_share_cap_percent(100);
    section.set_state(cv1::ENROLLMENT_OPEN);
    return catalog_.sections[name] = facts;
  }

  void Close(const std::string& section) {
    catalog_.sections.at(section).section.set_state(cv1::ENROLLMENT_CLOSED);
  }

  // A call by `institution` acting as `role` at `now`.
  static server::CallContext As(const std::string& institution, auth::Role role,
                                absl::Time now = Now()) {
    server::CallContext call;
    call.principal = auth::Principal{institution, role};
    call.now = now;
    return call;
  }
  static server::CallContext School(const std::string& code, absl::Time now = Now()) {
    return As(code, auth::v1::SCHOOL, now);
  }
  static server::CallContext Academy(const std::string& code = kAcademy, absl::Time now = Now()) {
    return As(code, auth::v1::ACADEMY, now);
  }
  static server::CallContext City() { return As(kCity, auth::v1::CITY); }
  static server::CallContext Office() { return As(kOffice, auth::v1::EDU_OFFICE); }
  static server::CallContext Service() { return As(kCredit, auth::v1::SERVICE); }

  std::string Id() { return absl::StrCat("request-", ++requests_); }

  v1::CreateStudentRequest StudentRequest(const std::string& school, const std::string& key,
                                          int entry_year = 2025) {
    v1::CreateStudentRequest request;
    request.set_parent(SchoolName(school));
    request.mutable_student()->set_student_key(key);
    request.mutable_student()->set_entry_year(entry_year);
    request.mutable_student()->set_display_name(absl::StrCat("학생 ", key));
    request.set_request_id(Id());
    return request;
  }

  // A student of `school` who entered in `entry_year` (grade 2 in 2026 by
  // default); returns its name.
  std::string NewStudent(const std::string& school, const std::string& key, int entry_year = 2025) {
    const auto created =
        enrollment_.CreateStudent(School(school), StudentRequest(school, key, entry_year));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->name() : "";
  }

  v1::SubmitApplicationRequest Submission(const std::string& student, const std::string& section,
                                          int rank, bool approve) {
    v1::SubmitApplicationRequest request;
    request.mutable_application()->set_student(student);
    request.mutable_application()->set_section(section);
    request.mutable_application()->set_preference_rank(rank);
    request.set_approve(approve);
    request.set_request_id(Id());
    return request;
  }

  // Submitted by the student's home school at `now`.
  absl::StatusOr<v1::Application> Apply(const std::string& student, const std::string& section,
                                        int rank, bool approve, absl::Time now = Now()) {
    return enrollment_.SubmitApplication(School(SchoolOf(student), now),
                                         Submission(student, section, rank, approve));
  }
  // The same, expected to succeed.
  v1::Application Applied(const std::string& student, const std::string& section, int rank,
                          bool approve) {
    const auto applied = Apply(student, section, rank, approve);
    EXPECT_TRUE(applied.ok()) << applied.status();
    return applied.value_or(v1::Application());
  }

  v1::DecideApplicationRequest Decision(const std::string& name, const std::string& reason = "") {
    v1::DecideApplicationRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_request_id(Id());
    return request;
  }

  v1::DropEnrollmentRequest DropRequest(const std::string& name,
                                        const std::string& reason = "학생 요청") {
    v1::DropEnrollmentRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_request_id(Id());
    return request;
  }

  v1::RunAllocationRequest RunRequest(uint64_t seed = 42) {
    v1::RunAllocationRequest request;
    request.set_term(kTerm);
    request.set_seed(seed);
    request.set_request_id(Id());
    return request;
  }

  // Polls GetAllocationOperation until the run is done, for at most 30 s.
  v1::AllocationOperation AwaitDone(const v1::AllocationOperation& started) {
    v1::GetAllocationOperationRequest get;
    get.set_name(started.name());
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    v1::AllocationOperation operation = started;
    while (!operation.done() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(2));  // between polls
      const auto polled = enrollment_.GetAllocationOperation(City(), get);
      if (!polled.ok()) {
        ADD_FAILURE() << polled.status();
        break;
      }
      operation = *polled;
    }
    EXPECT_TRUE(operation.done()) << operation.name() << " still at " << operation.stage();
    return operation;
  }

  // RunAllocation by the city, then its operation once done.
  v1::AllocationOperation RunAndAwait(const v1::RunAllocationRequest& request) {
    const auto started = enrollment_.RunAllocation(City(), request);
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? AwaitDone(*started) : v1::AllocationOperation();
  }

  // The application as committed, read past every use case's checks.
  v1::Application Stored(const std::string& name) {
    const auto record = store_.Committed().GetApplication(IdOf(name), store::Lock::kNone);
    EXPECT_TRUE(record.ok()) << record.status();
    return record.ok() ? record->application : v1::Application();
  }
  // The section's seat counter as (capacity, enrolled); (-1, -1) before its
  // first seat change.
  std::pair<int, int> SeatsOf(const std::string& section) const {
    const auto seats = store_.Committed().SeatCounter(IdOf(section));
    return seats.has_value() ? std::make_pair(seats->capacity, seats->enrolled)
                             : std::make_pair(-1, -1);
  }
  int Events() const { return store_.Committed().EventCount(); }
  int HeldSeats(const std::string& student) {
    const StudentId id = ParseStudentName("student", student).value();
    return store_.Committed().EnrolledCount(id.school, id.key, "2026-1").value_or(-1);
  }

  std::atomic<int64_t> store_micros_{absl::ToUnixMicros(Now())};
  // When set, the next transaction that needs the time waits for
  // release_clock_ (holding the store), so that calls queue behind it.
  std::atomic<bool> hold_clock_{false};
  absl::Notification release_clock_;
  MemoryCatalog catalog_;
  store::MemoryStore store_;
  Enrollment enrollment_;
  PublicSeats public_seats_;
  int requests_ = 0;
};

// ----- Students ------------------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, CreateStudentKeepsAPseudonymousStudentOnceAtItsHomeSchool) {
  const v1::CreateStudentRequest request = StudentRequest(kSchoolA, "s-001");
  const auto created = enrollment_.CreateStudent(School(kSchoolA), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "schools/J10-7531001/students/s-001");
  EXPECT_EQ(created->grade_level(), 2);  // entered 2025, now school year 2026
  EXPECT_EQ(created->display_name(), "학생 s-001");

  // A retry answers the first response; the same id for another request is refused.
  const auto retried = enrollment_.CreateStudent(School(kSchoolA), request);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->create_time().seconds(), created->create_time().seconds());
  v1::CreateStudentRequest changed = request;
  changed.mutable_student()->set_display_name("다른 이름");
  EXPECT_EQ(CodeOf(enrollment_.CreateStudent(School(kSchoolA), changed)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(enrollment_.CreateStudent(School(kSchoolA), StudentRequest(kSchoolA, "s-001"))),
            absl::StatusCode::kAlreadyExists);

  EXPECT_EQ(CodeOf(enrollment_.CreateStudent(School(kSchoolB), StudentRequest(kSchoolA, "s-002"))),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.CreateStudent(City(), StudentRequest(kSchoolA, "s-002"))),
            absl::StatusCode::kPermissionDenied);
  const auto resident =
      enrollment_.CreateStudent(School(kSchoolA), StudentRequest(kSchoolA, "070101-3234567"));
  EXPECT_EQ(CodeOf(resident), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(resident.status().message(), HasSubstr("resident registration number"));
  v1::CreateStudentRequest misnamed = StudentRequest(kSchoolA, "s-003");
  misnamed.set_parent(InstitutionName(kSchoolA));
  EXPECT_EQ(CodeOf(enrollment_.CreateStudent(School(kSchoolA), misnamed)),
            absl::StatusCode::kInvalidArgument);

  const auto stored = store_.Committed().ListStudents(kSchoolA, "", 10);
  ASSERT_TRUE(stored.ok());
  ASSERT_THAT(stored->items, SizeIs(1));
  EXPECT_EQ(stored->items[0].display_name(), "학생 s-001");
}

TEST_F(EnrollmentUseCasesTest, StudentsAreReadAndListedByTheirHomeSchoolOnly) {
  for (const char* key : {"s-1", "s-2", "s-3"}) {
    NewStudent(kSchoolA, key);
  }
  NewStudent(kSchoolB, "s-9");

  v1::GetStudentRequest get;
  get.set_name(absl::StrCat(SchoolName(kSchoolA), "/students/s-2"));
  const auto read = enrollment_.GetStudent(School(kSchoolA), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->display_name(), "학생 s-2");
  EXPECT_EQ(read->entry_year(), 2025);
  EXPECT_EQ(read->grade_level(), 2);
  for (const server::CallContext& other : {School(kSchoolB), City(), Academy()}) {
    EXPECT_EQ(CodeOf(enrollment_.GetStudent(other, get)), absl::StatusCode::kPermissionDenied);
  }
  get.set_name(absl::StrCat(SchoolName(kSchoolA), "/students/nobody"));
  EXPECT_EQ(CodeOf(enrollment_.GetStudent(School(kSchoolA), get)), absl::StatusCode::kNotFound);
  get.set_name("students/s-1");
  EXPECT_EQ(CodeOf(enrollment_.GetStudent(School(kSchoolA), get)),
            absl::StatusCode::kInvalidArgument);

  v1::ListStudentsRequest list;
  list.set_parent(SchoolName(kSchoolA));
  list.set_page_size(2);
  std::vector<std::string> keys;
  std::string first_token;
  do {
    const auto page = enrollment_.ListStudents(School(kSchoolA), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Student& student : page->students()) {
      keys.push_back(student.student_key());
      EXPECT_EQ(student.grade_level(), 2);
    }
    if (first_token.empty()) {
      first_token = page->next_page_token();
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_THAT(keys, ElementsAre("s-1", "s-2", "s-3"));

  EXPECT_EQ(CodeOf(enrollment_.ListStudents(School(kSchoolB), list)),
            absl::StatusCode::kPermissionDenied);
  // A page token is the caller's own, for the listing it came from.
  v1::ListStudentsRequest theirs;
  theirs.set_parent(SchoolName(kSchoolB));
  theirs.set_page_token(first_token);
  EXPECT_EQ(CodeOf(enrollment_.ListStudents(School(kSchoolB), theirs)),
            absl::StatusCode::kInvalidArgument);
}

// ----- Applying ------------------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, AnApplicationToAnAllocatedSectionWaitsForTheHomeSchool) {
  const std::string student = NewStudent(kSchoolA, "s-1");
  const int events = Events();
  const v1::SubmitApplicationRequest request = Submission(student, kLottery, 1, false);
  const auto submitted = enrollment_.SubmitApplication(School(kSchoolA), request);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_THAT(submitted->name(), StartsWith("applications/"));
  EXPECT_EQ(submitted->state(), v1::SUBMITTED);
  EXPECT_EQ(submitted->reason(), "awaiting the home school's approval");
  EXPECT_EQ(submitted->decided_by(), kSchoolA);
  EXPECT_EQ(submitted->host(), InstitutionName(kAcademy));
  EXPECT_EQ(submitted->term(), kTerm);
  EXPECT_EQ(submitted->etag(), "1");
  EXPECT_EQ(Events(), events + 1);
  EXPECT_EQ(SeatsOf(kLottery), std::make_pair(-1, -1)) << "no seat is taken before allocation";

  const auto retried = enrollment_.SubmitApplication(School(kSchoolA), request);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), submitted->name());
  EXPECT_EQ(Events(), events + 1);
  v1::SubmitApplicationRequest reused = request;
  reused.mutable_application()->set_preference_rank(2);
  EXPECT_EQ(CodeOf(enrollment_.SubmitApplication(School(kSchoolA), reused)),
            absl::StatusCode::kInvalidArgument);

  // Approved by the home school as it submits.
  const v1::Application approved = Applied(NewStudent(kSchoolA, "s-2"), kLottery, 1, true);
  EXPECT_EQ(approved.state(), v1::APPROVED);
  EXPECT_EQ(approved.reason(), "approved by the home school on submission");
  EXPECT_EQ(Stored(submitted->name()).state(), v1::SUBMITTED);
  EXPECT_EQ(Stored(approved.name()).state(), v1::APPROVED);
}

TEST_F(EnrollmentUseCasesTest, SubmitApplicationRefusesWhatTheRulesForbidAndWritesNothing) {
  AddSection(ExtraSection(5), kSchoolB, cv1::LOTTERY, 10, cv1::THURSDAY);  // meets with kLottery
  AddSection(ExtraSection(6), kSchoolB, cv1::LOTTERY, 10, cv1::MONDAY)
      .section.set_state(cv1::DRAFT);
  AddSection(ExtraSection(7), kAcademy, cv1::LOTTERY, 10, cv1::FRIDAY)
      .course.mutable_recognition()
      ->set_state(cv1::PENDING);
  const std::string student = NewStudent(kSchoolA, "s-1");
  ASSERT_TRUE(Apply(student, kLottery, 1, false).ok());
  const int events = Events();

  EXPECT_EQ(CodeOf(Apply(student, kLottery, 2, false)), absl::StatusCode::kAlreadyExists);
  const auto clash = Apply(student, ExtraSection(5), 2, false);
  EXPECT_EQ(CodeOf(clash), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(clash.status().message(), HasSubstr("same time"));
  const auto rank_taken = Apply(student, kScreening, 1, false);
  EXPECT_EQ(CodeOf(rank_taken), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(rank_taken.status().message(), HasSubstr("preference_rank 1"));
  const auto draft = Apply(student, ExtraSection(6), 2, false);
  EXPECT_EQ(CodeOf(draft), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(draft.status().message(), HasSubstr("not open"));
  const auto unrecognised = Apply(student, ExtraSection(7), 2, false);
  EXPECT_EQ(CodeOf(unrecognised), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unrecognised.status().message(), HasSubstr("PENDING"));
  const auto late = Apply(student, kScreening, 2, false, Korea(3, 17, 18));
  EXPECT_EQ(CodeOf(late), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("outside the term's application"));
  // Inside a make-up window it is on time again.
  catalog_.sections.at(kScreening)
      .term.mutable_makeup_window()
      ->set_start_unix(absl::ToUnixSeconds(Korea(3, 17, 18)));
  catalog_.sections.at(kScreening)
      .term.mutable_makeup_window()
      ->set_end_unix(absl::ToUnixSeconds(Korea(3, 18, 18)));
  EXPECT_TRUE(Apply(NewStudent(kSchoolA, "s-2"), kScreening, 1, false, Korea(3, 17, 18)).ok());
  const int after_makeup = Events();
  EXPECT_EQ(after_makeup, events + 1);

  EXPECT_EQ(CodeOf(Apply(student, kScreening, 0, false)), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(Apply(student, kScreening, 21, false)), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(Apply(student, "terms/2026-1/sections/oops", 2, false)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(Apply(student, ExtraSection(9), 2, false)), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      CodeOf(Apply(absl::StrCat(SchoolName(kSchoolA), "/students/nobody"), kScreening, 2, false)),
      absl::StatusCode::kNotFound);
  v1::SubmitApplicationRequest unnamed = Submission(student, kScreening, 2, false);
  unnamed.clear_request_id();
  EXPECT_EQ(CodeOf(enrollment_.SubmitApplication(School(kSchoolA), unnamed)),
            absl::StatusCode::kInvalidArgument);
  for (const server::CallContext& other : {School(kSchoolB), Academy(), City()}) {
    EXPECT_EQ(
        CodeOf(enrollment_.SubmitApplication(other, Submission(student, kScreening, 2, false))),
        absl::StatusCode::kPermissionDenied);
  }

  EXPECT_EQ(Events(), after_makeup);
  v1::ListApplicationsRequest list;
  list.set_parent(SchoolName(kSchoolA));
  const auto listed = enrollment_.ListApplications(School(kSchoolA), list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->applications(), SizeIs(2));
}

TEST_F(EnrollmentUseCasesTest, SubmitApplicationChecksEligibilityAndTheTermsCreditLimit) {
  catalog::SectionFacts& restricted =
      AddSection(ExtraSection(5), kAcademy, cv1::LOTTERY, 10, cv1::MONDAY);
  restricted.section.add_eligible_grades(3);
  restricted.section.add_eligible_schools(InstitutionName(kSchoolA));

  const auto second_year = Apply(NewStudent(kSchoolA, "s-2", 2025), ExtraSection(5), 1, false);
  EXPECT_EQ(CodeOf(second_year), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second_year.status().message(), HasSubstr("grade 2"));
  const auto elsewhere = Apply(NewStudent(kSchoolB, "s-3", 2024), ExtraSection(5), 1, false);
  EXPECT_EQ(CodeOf(elsewhere), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(elsewhere.status().message(), HasSubstr("school is not eligible"));
  const auto graduated = Apply(NewStudent(kSchoolA, "s-5", 2022), kLottery, 1, false);
  EXPECT_EQ(CodeOf(graduated), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(graduated.status().message(), HasSubstr("not a high-school student"));
  const std::string third_year = NewStudent(kSchoolA, "s-4", 2024);
  EXPECT_TRUE(Apply(third_year, ExtraSection(5), 1, false).ok());

  // Live applications together carry at most 24 credits a term.
  const std::string student = NewStudent(kSchoolA, "s-6");
  int rank = 0;
  const std::vector<std::pair<int, cv1::Weekday>> days = {
      {6, cv1::MONDAY}, {7, cv1::WEDNESDAY}, {8, cv1::FRIDAY}};
  for (const auto& [n, weekday] : days) {
    AddSection(ExtraSection(n), kAcademy, cv1::LOTTERY, 10, weekday).course.set_credits(8);
    EXPECT_TRUE(Apply(student, ExtraSection(n), ++rank, false).ok()) << n;
  }
  const auto over = Apply(student, kLottery, ++rank, false);
  EXPECT_EQ(CodeOf(over), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(over.status().message(), HasSubstr("25 credits"));
}

// ----- First come ----------------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, FirstComeSubmissionsTakeSeatsUntilFullThenWait) {
  std::vector<v1::SubmitApplicationRequest> requests;
  std::vector<v1::Application> applications;
  for (int i = 0; i < 3; ++i) {
    requests.push_back(
        Submission(NewStudent(kSchoolA, absl::StrCat("s-", i)), kFirstCome, 1, true));
    const auto submitted = enrollment_.SubmitApplication(School(kSchoolA), requests.back());
    ASSERT_TRUE(submitted.ok()) << submitted.status();
    applications.push_back(*submitted);
  }
  EXPECT_EQ(applications[0].state(), v1::ENROLLED);
  EXPECT_EQ(applications[0].reason(), "first come: seat 1 of 2");
  EXPECT_EQ(applications[1].state(), v1::ENROLLED);
  EXPECT_EQ(applications[2].state(), v1::WAITLISTED);
  EXPECT_EQ(applications[2].waitlist_position(), 1);
  EXPECT_THAT(applications[2].reason(), HasSubstr("section full (capacity 2)"));
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 2));
  EXPECT_EQ(Stored(applications[2].name()).waitlist_position(), 1);
  const int events = Events();

  // A retry answers the first placement and takes no second seat.
  const auto retried = enrollment_.SubmitApplication(School(kSchoolA), requests[0]);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), applications[0].name());
  EXPECT_EQ(retried->state(), v1::ENROLLED);
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 2));
  EXPECT_EQ(Events(), events);
  v1::SubmitApplicationRequest reused = requests[0];
  reused.mutable_application()->set_preference_rank(2);
  EXPECT_EQ(CodeOf(enrollment_.SubmitApplication(School(kSchoolA), reused)),
            absl::StatusCode::kInvalidArgument);
  reused.set_request_id(Id());
  EXPECT_EQ(CodeOf(enrollment_.SubmitApplication(School(kSchoolA), reused)),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Events(), events);
}

TEST_F(EnrollmentUseCasesTest, FirstComeAppliesThePerSchoolCapTheHostShareAndTheSeatLimit) {
  AddSection(ExtraSection(5), kAcademy, cv1::FIRST_COME, 3, cv1::FRIDAY)
      .section.set_per_school_cap(1);
  EXPECT_EQ(Applied(NewStudent(kSchoolA, "a-1"), ExtraSection(5), 1, true).state(), v1::ENROLLED);
  const v1::Application capped = Applied(NewStudent(kSchoolA, "a-2"), ExtraSection(5), 1, true);
  EXPECT_EQ(capped.state(), v1::WAITLISTED);
  EXPECT_THAT(capped.reason(), HasSubstr("per-school cap of 1 reached"));
  EXPECT_EQ(Applied(NewStudent(kSchoolB, "b-1"), ExtraSection(5), 1, true).state(), v1::ENROLLED);

  // School A's own student alone would be all of its class: waits until a
  // guest enrols, and is seated beside them then.
  const v1::Application host = Applied(NewStudent(kSchoolA, "h-1"), kHostedByA, 1, true);
  EXPECT_EQ(host.state(), v1::WAITLISTED);
  EXPECT_THAT(host.reason(), HasSubstr("host share cap"));
  EXPECT_EQ(Applied(NewStudent(kSchoolB, "g-1"), kHostedByA, 1, true).state(), v1::ENROLLED);
  const v1::Application promoted = Stored(host.name());
  EXPECT_EQ(promoted.state(), v1::ENROLLED);
  EXPECT_THAT(promoted.reason(), HasSubstr("when the class grew"));
  EXPECT_EQ(promoted.decided_by(), "waitlist");
  EXPECT_EQ(SeatsOf(kHostedByA), std::make_pair(4, 2));

  // Two seats a term at most: a third claim is not placed, and waits for nothing.
  const std::string busy = NewStudent(kSchoolB, "b-2");
  EXPECT_EQ(Applied(busy, kFirstCome, 1, true).state(), v1::ENROLLED);
  EXPECT_EQ(Applied(busy, kHostedByA, 2, true).state(), v1::ENROLLED);
  const v1::Application third = Applied(busy, ExtraSection(5), 3, true);
  EXPECT_EQ(third.state(), v1::NOT_PLACED);
  EXPECT_THAT(third.reason(), HasSubstr("already holds 2 seat(s)"));
  EXPECT_EQ(SeatsOf(ExtraSection(5)), std::make_pair(3, 2));
  EXPECT_EQ(HeldSeats(busy), 2);
}

// A batch that seats a guest may seat a host student waitlisted earlier in
// the same batch: the host student's answer, and its replay, say ENROLLED as
// the records do.
TEST_F(EnrollmentUseCasesTest, AHostStudentPromotedInItsOwnBatchIsAnsweredEnrolled) {
  const std::string host_student = NewStudent(kSchoolA, "h-1");
  const std::string guest = NewStudent(kSchoolB, "g-1");
  const v1::SubmitApplicationRequest host_request = Submission(host_student, kHostedByA, 1, true);
  const v1::SubmitApplicationRequest guest_request = Submission(guest, kHostedByA, 1, true);
  const v1::SubmitApplicationRequest ghost_request =
      Submission(absl::StrCat("schools/", kSchoolB, "/students/ghost"), kHostedByA, 1, true);
  const auto submit = [this](const v1::SubmitApplicationRequest& request) {
    return enrollment_.SubmitApplication(School(SchoolOf(request.application().student())),
                                         request);
  };
  const auto await_queued = [this](int64_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (enrollment_.first_come_queued() < n && absl::Now() < deadline) {
      std::this_thread::yield();
    }
    ASSERT_EQ(enrollment_.first_come_queued(), n);
  };
  // A batch of an unknown student holds the section while the host student,
  // then the guest, queue behind it: they are decided together, in that order.
  hold_clock_ = true;
  absl::StatusOr<v1::Application> ghost, host, placed;
  std::thread blocker([&] { ghost = submit(ghost_request); });
  await_queued(1);
  std::thread first([&] { host = submit(host_request); });
  await_queued(2);
  std::thread second([&] { placed = submit(guest_request); });
  await_queued(3);
  release_clock_.Notify();
  blocker.join();
  first.join();
  second.join();

  EXPECT_EQ(CodeOf(ghost), absl::StatusCode::kNotFound);
  ASSERT_TRUE(placed.ok()) << placed.status();
  EXPECT_EQ(placed->state(), v1::ENROLLED);
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->state(), v1::ENROLLED);
  EXPECT_THAT(host->reason(), HasSubstr("when the class grew"));
  EXPECT_EQ(host->DebugString(), Stored(host->name()).DebugString());
  const auto replayed = submit(host_request);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->DebugString(), host->DebugString());
  EXPECT_EQ(SeatsOf(kHostedByA), std::make_pair(4, 2));
}

TEST_F(EnrollmentUseCasesTest, ApprovingAFirstComeApplicationClaimsASeatInTheSectionsBatch) {
  const std::string student = NewStudent(kSchoolA, "s-1");
  const v1::Application submitted = Applied(student, kFirstCome, 1, false);
  EXPECT_EQ(submitted.state(), v1::SUBMITTED);
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(-1, -1));

  const v1::DecideApplicationRequest approve = Decision(submitted.name());
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolB), approve)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(-1, -1));
  const int events = Events();
  const auto approved = enrollment_.ApproveApplication(School(kSchoolA), approve);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::ENROLLED);
  EXPECT_EQ(approved->reason(), "first come: seat 1 of 2");
  EXPECT_EQ(approved->decided_by(), kSchoolA);
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 1));
  EXPECT_EQ(Events(), events + 2);  // approved, then seated

  const auto retried = enrollment_.ApproveApplication(School(kSchoolA), approve);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->state(), v1::ENROLLED);
  EXPECT_EQ(retried->etag(), approved->etag());
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 1));
  EXPECT_EQ(Events(), events + 2);
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolA), Decision(submitted.name()))),
            absl::StatusCode::kFailedPrecondition);

  // Once the section is full, an approval waitlists.
  Applied(NewStudent(kSchoolA, "s-2"), kFirstCome, 1, true);
  const v1::Application third = Applied(NewStudent(kSchoolA, "s-3"), kFirstCome, 1, false);
  const auto waiting = enrollment_.ApproveApplication(School(kSchoolA), Decision(third.name()));
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->state(), v1::WAITLISTED);
  EXPECT_EQ(waiting->waitlist_position(), 1);
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 2));

  // After the application window, no seat is claimed.
  const v1::Application late = Applied(NewStudent(kSchoolA, "s-4"), kFirstCome, 1, false);
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolA, Korea(3, 20, 10)),
                                                  Decision(late.name()))),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stored(late.name()).state(), v1::SUBMITTED);
}

// ----- Decisions -----------------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, HomeSchoolApprovesRejectsAndWithdrawsAllocatedApplications) {
  const v1::Application a = Applied(NewStudent(kSchoolA, "s-1"), kLottery, 1, false);
  const v1::Application b = Applied(NewStudent(kSchoolA, "s-2"), kLottery, 1, false);
  const int events = Events();

  const v1::DecideApplicationRequest approve = Decision(a.name());
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolB), approve)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(City(), approve)),
            absl::StatusCode::kPermissionDenied);
  const auto approved = enrollment_.ApproveApplication(School(kSchoolA), approve);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::APPROVED);
  EXPECT_EQ(approved->reason(), "approved by the home school");
  EXPECT_EQ(approved->etag(), "2");
  const auto retried = enrollment_.ApproveApplication(School(kSchoolA), approve);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->etag(), "2");
  v1::DecideApplicationRequest reused = approve;
  reused.set_name(b.name());
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolA), reused)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolA), Decision(a.name()))),
            absl::StatusCode::kFailedPrecondition);

  const auto unexplained = enrollment_.RejectApplication(School(kSchoolA), Decision(b.name()));
  EXPECT_EQ(CodeOf(unexplained), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unexplained.status().message(), HasSubstr("reason"));
  const auto rejected =
      enrollment_.RejectApplication(School(kSchoolA), Decision(b.name(), "출결 불량"));
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->state(), v1::REJECTED);
  EXPECT_EQ(rejected->reason(), "출결 불량");

  EXPECT_EQ(CodeOf(enrollment_.WithdrawApplication(School(kSchoolB), Decision(a.name()))),
            absl::StatusCode::kPermissionDenied);
  const auto withdrawn = enrollment_.WithdrawApplication(School(kSchoolA), Decision(a.name()));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), v1::WITHDRAWN);
  EXPECT_EQ(withdrawn->reason(), "withdrawn by the home school");
  EXPECT_EQ(CodeOf(enrollment_.WithdrawApplication(School(kSchoolA), Decision(a.name()))),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(enrollment_.RejectApplication(School(kSchoolA), Decision(a.name(), "늦음"))),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolA), Decision(b.name()))),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(CodeOf(enrollment_.ApproveApplication(School(kSchoolA), Decision("applications/x"))),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(enrollment_.WithdrawApplication(
                School(kSchoolA), Decision("applications/00000000-0000-4000-8000-000000000000"))),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Events(), events + 3);  // approved, rejected, withdrawn
  EXPECT_EQ(Stored(a.name()).state(), v1::WITHDRAWN);
  EXPECT_EQ(Stored(b.name()).state(), v1::REJECTED);
}

TEST_F(EnrollmentUseCasesTest, HostAcceptsOrDeclinesApprovedApplicationsOfItsScreeningSections) {
  const v1::Application first = Applied(NewStudent(kSchoolA, "s-1"), kScreening, 1, true);
  const v1::Application pending = Applied(NewStudent(kSchoolA, "s-2"), kScreening, 1, false);
  const v1::Application second = Applied(NewStudent(kSchoolB, "s-3"), kScreening, 1, true);

  EXPECT_EQ(CodeOf(enrollment_.AcceptApplication(Academy(kOtherAcademy), Decision(first.name()))),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.AcceptApplication(School(kSchoolA), Decision(first.name()))),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.AcceptApplication(Academy(), Decision(pending.name()))),
            absl::StatusCode::kFailedPrecondition)
      << "not yet approved by the home school";
  const auto accepted = enrollment_.AcceptApplication(Academy(), Decision(first.name()));
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state(), v1::HOST_ACCEPTED);
  EXPECT_EQ(accepted->reason(), "accepted by the host");
  EXPECT_EQ(accepted->decided_by(), kAcademy);

  EXPECT_EQ(CodeOf(enrollment_.DeclineApplication(Academy(), Decision(second.name()))),
            absl::StatusCode::kInvalidArgument);
  const auto declined =
      enrollment_.DeclineApplication(Academy(), Decision(second.name(), "실기 평가 미달"));
  ASSERT_TRUE(declined.ok()) << declined.status();
  EXPECT_EQ(declined->state(), v1::REJECTED);
  EXPECT_EQ(declined->reason(), "실기 평가 미달");
  EXPECT_EQ(CodeOf(enrollment_.DeclineApplication(Academy(), Decision(first.name(), "재검토"))),
            absl::StatusCode::kFailedPrecondition);

  // A lottery section's applicants are allocated, not screened.
  const v1::Application lottery = Applied(NewStudent(kSchoolA, "s-4"), kLottery, 1, true);
  const auto unscreened = enrollment_.AcceptApplication(Academy(), Decision(lottery.name()));
  EXPECT_EQ(CodeOf(unscreened), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unscreened.status().message(), HasSubstr("not screened by the host"));
  EXPECT_EQ(Stored(lottery.name()).state(), v1::APPROVED);
  EXPECT_EQ(Stored(first.name()).state(), v1::HOST_ACCEPTED);
}

// ----- Reading applications ------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, GetApplicationIsForTheHomeSchoolAndTheHostOnly) {
  const v1::Application application = Applied(NewStudent(kSchoolA, "s-1"), kLottery, 1, true);
  v1::GetApplicationRequest get;
  get.set_name(application.name());
  for (const server::CallContext& reader : {School(kSchoolA), Academy()}) {
    const auto read = enrollment_.GetApplication(reader, get);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->DebugString(), application.DebugString());
  }
  for (const server::CallContext& other :
       {School(kSchoolB), Academy(kOtherAcademy), City(), Service()}) {
    EXPECT_EQ(CodeOf(enrollment_.GetApplication(other, get)), absl::StatusCode::kPermissionDenied);
  }
  get.set_name("applications/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(CodeOf(enrollment_.GetApplication(School(kSchoolA), get)), absl::StatusCode::kNotFound);
  get.set_name(kLottery);
  EXPECT_EQ(CodeOf(enrollment_.GetApplication(School(kSchoolA), get)),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EnrollmentUseCasesTest, ListApplicationsByHomeSchoolOrByTheHostsSectionInPages) {
  const std::string one = NewStudent(kSchoolA, "s-1");
  Applied(one, kLottery, 1, false);
  Applied(one, kScreening, 2, true);
  Applied(NewStudent(kSchoolA, "s-2"), kLottery, 1, true);
  Applied(NewStudent(kSchoolB, "s-3"), kLottery, 1, false);

  v1::ListApplicationsRequest mine;
  mine.set_parent(SchoolName(kSchoolA));
  mine.set_page_size(2);
  std::vector<std::string> names;
  int pages = 0;
  do {
    const auto page = enrollment_.ListApplications(School(kSchoolA), mine);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const v1::Application& application : page->applications()) {
      EXPECT_EQ(SchoolOf(application.student()), kSchoolA);
      names.push_back(application.name());
    }
    mine.set_page_token(page->next_page_token());
  } while (!mine.page_token().empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(names, SizeIs(3));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  mine.set_page_size(0);
  mine.set_state(v1::APPROVED);
  const auto approved = enrollment_.ListApplications(School(kSchoolA), mine);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_THAT(approved->applications(), SizeIs(2));

  v1::ListApplicationsRequest hosted;
  hosted.set_section(kLottery);
  const auto all = enrollment_.ListApplications(Academy(), hosted);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(all->applications(), SizeIs(3));  // both schools' students
  hosted.set_state(v1::SUBMITTED);
  const auto submitted = enrollment_.ListApplications(Academy(), hosted);
  ASSERT_TRUE(submitted.ok());
  EXPECT_THAT(submitted->applications(), SizeIs(2));

  EXPECT_EQ(CodeOf(enrollment_.ListApplications(School(kSchoolA), hosted)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.ListApplications(School(kSchoolB), mine)),
            absl::StatusCode::kPermissionDenied);
  v1::ListApplicationsRequest both = mine;
  both.set_section(kLottery);
  EXPECT_EQ(CodeOf(enrollment_.ListApplications(School(kSchoolA), both)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(enrollment_.ListApplications(School(kSchoolA), v1::ListApplicationsRequest())),
            absl::StatusCode::kInvalidArgument);
  v1::ListApplicationsRequest unknown_state = mine;
  unknown_state.set_state(static_cast<v1::ApplicationState>(99));
  EXPECT_EQ(CodeOf(enrollment_.ListApplications(School(kSchoolA), unknown_state)),
            absl::StatusCode::kInvalidArgument);
  hosted.set_section(ExtraSection(9));
  EXPECT_EQ(CodeOf(enrollment_.ListApplications(Academy(), hosted)), absl::StatusCode::kNotFound);
}

// ----- Allocation ----------------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, RunAllocationPlacesTheClosedSectionsCandidatesInOneRun) {
  std::vector<std::string> students;
  std::vector<v1::Application> lottery;
  for (int i = 0; i < 4; ++i) {
    students.push_back(NewStudent(i % 2 == 0 ? kSchoolA : kSchoolB, absl::StrCat("s-", i)));
    lottery.push_back(Applied(students[i], kLottery, 1, true));
  }
  const v1::Application submitted = Applied(NewStudent(kSchoolA, "s-4"), kLottery, 1, false);
  const v1::Application screened = Applied(students[0], kScreening, 2, true);
  ASSERT_TRUE(enrollment_.AcceptApplication(Academy(), Decision(screened.name())).ok());
  const v1::Application unscreened = Applied(students[1], kScreening, 2, true);
  Close(kLottery);
  Close(kScreening);
  const int events = Events();

  const v1::RunAllocationRequest request = RunRequest(42);
  const auto started = enrollment_.RunAllocation(City(), request);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_THAT(started->name(), StartsWith("operations/"));
  EXPECT_EQ(started->stage(), "queued");
  EXPECT_EQ(started->term(), kTerm);
  EXPECT_FALSE(started->done());
  const v1::AllocationOperation done = AwaitDone(*started);
  ASSERT_TRUE(done.has_run()) << done.DebugString();
  const v1::AllocationRun& run = done.run();
  EXPECT_EQ(done.stage(), "done");
  EXPECT_EQ(run.name(), absl::StrCat("allocationRuns/", IdOf(started->name())));
  EXPECT_EQ(run.seed(), 42u);
  EXPECT_EQ(run.run_by(), kCity);
  EXPECT_EQ(run.section_count(), 2);
  EXPECT_EQ(run.student_count(), 4);
  EXPECT_EQ(run.enrolled_count(), 3);  // two in the lottery, the host-accepted one
  EXPECT_EQ(run.waitlisted_count(), 2);
  EXPECT_EQ(run.not_placed_count(), 0);
  EXPECT_EQ(SeatsOf(kLottery), std::make_pair(2, 2));
  EXPECT_EQ(SeatsOf(kScreening), std::make_pair(5, 1));
  EXPECT_EQ(Events(), events + 5);
  // Neither an unapproved nor an unscreened application is a candidate.
  EXPECT_EQ(Stored(submitted.name()).state(), v1::SUBMITTED);
  EXPECT_EQ(Stored(unscreened.name()).state(), v1::APPROVED);
  EXPECT_EQ(Stored(screened.name()).state(), v1::ENROLLED);

  v1::GetAllocationRunRequest get;
  get.set_name(run.name());
  const auto stored = enrollment_.GetAllocationRun(Office(), get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->DebugString(), run.DebugString());

  // The decisions in the run's order: by section, the enrolled by lottery
  // number, then the waitlist by position; each as its application says.
  v1::ListAllocationDecisionsRequest list;
  list.set_parent(run.name());
  list.set_page_size(3);
  std::vector<v1::AllocationDecision> decisions;
  do {
    const auto page = enrollment_.ListAllocationDecisions(Office(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    decisions.insert(decisions.end(), page->decisions().begin(), page->decisions().end());
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  ASSERT_THAT(decisions, SizeIs(5));
  std::vector<std::pair<v1::ApplicationState, int>> outcomes;
  for (const v1::AllocationDecision& decision : decisions) {
    outcomes.emplace_back(decision.outcome(), decision.waitlist_position());
    const v1::Application application = Stored(decision.application());
    EXPECT_EQ(application.state(), decision.outcome());
    EXPECT_EQ(application.waitlist_position(), decision.waitlist_position());
    EXPECT_THAT(application.reason(), HasSubstr(decision.reason()));
    EXPECT_EQ(application.decided_by(), kCity);
    EXPECT_GE(decision.lottery_number(), 1);
    EXPECT_LE(decision.lottery_number(), 4);
  }
  EXPECT_THAT(outcomes, ElementsAre(std::pair{v1::ENROLLED, 0}, std::pair{v1::ENROLLED, 0},
                                    std::pair{v1::WAITLISTED, 1}, std::pair{v1::WAITLISTED, 2},
                                    std::pair{v1::ENROLLED, 0}));
  EXPECT_LT(decisions[0].lottery_number(), decisions[1].lottery_number());
  EXPECT_EQ(decisions[4].section(), kScreening);

  list.Clear();
  list.set_parent(run.name());
  list.set_home_school(InstitutionName(kSchoolA));
  const auto school_a = enrollment_.ListAllocationDecisions(City(), list);
  ASSERT_TRUE(school_a.ok()) << school_a.status();
  EXPECT_THAT(school_a->decisions(), SizeIs(3));  // s-0 twice, s-2
  list.clear_home_school();
  list.set_section(kScreening);
  const auto screening = enrollment_.ListAllocationDecisions(City(), list);
  ASSERT_TRUE(screening.ok()) << screening.status();
  ASSERT_THAT(screening->decisions(), SizeIs(1));
  EXPECT_EQ(screening->decisions(0).application(), screened.name());

  // The same request again answers the same operation and runs nothing.
  const auto replayed = enrollment_.RunAllocation(City(), request);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->name(), started->name());
  EXPECT_TRUE(replayed->done());
  EXPECT_EQ(replayed->run().name(), run.name());
  EXPECT_EQ(Events(), events + 5);
  EXPECT_EQ(SeatsOf(kLottery), std::make_pair(2, 2));
}

TEST_F(EnrollmentUseCasesTest, AllocationIsTheCitysAndTheOfficesAndAllocatesOnlyClosedSections) {
  const v1::Application open = Applied(NewStudent(kSchoolA, "s-1"), kLottery, 1, true);
  const v1::RunAllocationRequest request = RunRequest(7);
  EXPECT_EQ(CodeOf(enrollment_.RunAllocation(School(kSchoolA), request)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.RunAllocation(Academy(), request)),
            absl::StatusCode::kPermissionDenied);
  v1::RunAllocationRequest malformed = request;
  malformed.set_term("2026-1");
  EXPECT_EQ(CodeOf(enrollment_.RunAllocation(City(), malformed)),
            absl::StatusCode::kInvalidArgument);
  v1::RunAllocationRequest unnamed = request;
  unnamed.clear_request_id();
  EXPECT_EQ(CodeOf(enrollment_.RunAllocation(City(), unnamed)), absl::StatusCode::kInvalidArgument);

  // Nothing is closed yet: the run decides nothing.
  const auto started = enrollment_.RunAllocation(Office(), request);
  ASSERT_TRUE(started.ok()) << started.status();
  const v1::AllocationOperation done = AwaitDone(*started);
  ASSERT_TRUE(done.has_run()) << done.DebugString();
  EXPECT_EQ(done.run().section_count(), 0);
  EXPECT_EQ(done.run().student_count(), 0);
  EXPECT_EQ(done.run().run_by(), kOffice);
  EXPECT_EQ(Stored(open.name()).state(), v1::APPROVED);
  v1::RunAllocationRequest reused = request;
  reused.set_seed(8);
  EXPECT_EQ(CodeOf(enrollment_.RunAllocation(Office(), reused)),
            absl::StatusCode::kInvalidArgument);

  v1::GetAllocationOperationRequest operation;
  operation.set_name(started->name());
  EXPECT_EQ(CodeOf(enrollment_.GetAllocationOperation(School(kSchoolA), operation)),
            absl::StatusCode::kPermissionDenied);
  operation.set_name("operations/nope");
  EXPECT_EQ(CodeOf(enrollment_.GetAllocationOperation(City(), operation)),
            absl::StatusCode::kInvalidArgument);
  operation.set_name("operations/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(CodeOf(enrollment_.GetAllocationOperation(City(), operation)),
            absl::StatusCode::kNotFound);

  v1::GetAllocationRunRequest get;
  get.set_name(done.run().name());
  EXPECT_EQ(CodeOf(enrollment_.GetAllocationRun(Academy(), get)),
            absl::StatusCode::kPermissionDenied);
  get.set_name("allocationRuns/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(CodeOf(enrollment_.GetAllocationRun(City(), get)), absl::StatusCode::kNotFound);

  v1::ListAllocationDecisionsRequest list;
  list.set_parent(done.run().name());
  EXPECT_EQ(CodeOf(enrollment_.ListAllocationDecisions(School(kSchoolA), list)),
            absl::StatusCode::kPermissionDenied);
  list.set_section("terms/2027-1");
  EXPECT_EQ(CodeOf(enrollment_.ListAllocationDecisions(City(), list)),
            absl::StatusCode::kInvalidArgument);
  list.clear_section();
  list.set_home_school(SchoolName(kSchoolA));
  EXPECT_EQ(CodeOf(enrollment_.ListAllocationDecisions(City(), list)),
            absl::StatusCode::kInvalidArgument);
  list.clear_home_school();
  list.set_parent("allocationRuns/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(CodeOf(enrollment_.ListAllocationDecisions(City(), list)), absl::StatusCode::kNotFound);
}

TEST_F(EnrollmentUseCasesTest, ARunThatCannotReadItsSectionsFailsAndChangesNothing) {
  const v1::Application approved = Applied(NewStudent(kSchoolA, "s-1"), kLottery, 1, true);
  Close(kLottery);
  catalog_.term_status = absl::UnavailableError("catalog is unreachable");
  const int events = Events();

  const v1::AllocationOperation done = RunAndAwait(RunRequest());
  ASSERT_TRUE(done.has_error()) << done.DebugString();
  EXPECT_EQ(done.stage(), "failed");
  EXPECT_EQ(done.error().code(), static_cast<int>(absl::StatusCode::kUnavailable));
  EXPECT_THAT(done.error().message(), HasSubstr("unreachable"));
  EXPECT_EQ(Stored(approved.name()).state(), v1::APPROVED);
  EXPECT_EQ(SeatsOf(kLottery), std::make_pair(-1, -1));
  EXPECT_EQ(Events(), events);
  v1::GetAllocationRunRequest get;
  get.set_name(absl::StrCat("allocationRuns/", IdOf(done.name())));
  EXPECT_EQ(CodeOf(enrollment_.GetAllocationRun(City(), get)), absl::StatusCode::kNotFound);
}

TEST_F(EnrollmentUseCasesTest, AnOperationLeftQuietByItsRunIsReportedAbortedOnce) {
  // As a run whose server stopped mid-way leaves it: not done, no longer updated.
  const std::string id = "5d0c6f1e-8a43-4c1f-9e0b-2b7c7c1d0a11";
  v1::AllocationOperation stuck;
  stuck.set_name(absl::StrCat("operations/", id));
  stuck.set_stage("allocating");
  stuck.set_percent(40);
  stuck.set_term(kTerm);
  ASSERT_TRUE(store_
                  .Transact([&](store::Records& records) {
                    return records.InsertAllocationOperation(id, "2026-1", stuck);
                  })
                  .ok());
  v1::GetAllocationOperationRequest get;
  get.set_name(stuck.name());
  const auto early = enrollment_.GetAllocationOperation(City(), get);
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_FALSE(early->done()) << "within the grace it may still be running";
  EXPECT_EQ(early->stage(), "allocating");

  store_micros_ += absl::ToInt64Microseconds(absl::Minutes(2));
  const auto late = enrollment_.GetAllocationOperation(Office(), get);
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_TRUE(late->done());
  EXPECT_EQ(late->stage(), "failed");
  EXPECT_EQ(late->error().code(), static_cast<int>(absl::StatusCode::kAborted));
  EXPECT_THAT(late->error().message(), HasSubstr("nothing was changed"));
  store_micros_ += absl::ToInt64Microseconds(absl::Minutes(2));
  const auto again = enrollment_.GetAllocationOperation(City(), get);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->DebugString(), late->DebugString());
}

// rules.h: StudentLimits::max_enrollments_per_term is the seats a student may
// hold in a term, "allocation's per-student limit, and the first-come
// claim's": an allocation run counts the seats its candidates hold already,
// as first-come claims and waitlist promotion do.
TEST_F(EnrollmentUseCasesTest, AllocationCountsTheSeatsAStudentAlreadyHolds) {
  AddSection(ExtraSection(5), kAcademy, cv1::FIRST_COME, 5, cv1::MONDAY);
  const std::string student = NewStudent(kSchoolB, "s-1");
  EXPECT_EQ(Applied(student, kFirstCome, 1, true).state(), v1::ENROLLED);
  EXPECT_EQ(Applied(student, ExtraSection(5), 2, true).state(), v1::ENROLLED);
  const v1::Application third = Applied(student, kLottery, 3, true);
  Close(kLottery);

  const v1::AllocationOperation done = RunAndAwait(RunRequest());
  ASSERT_TRUE(done.has_run()) << done.DebugString();
  EXPECT_NE(Stored(third.name()).state(), v1::ENROLLED);
  EXPECT_EQ(HeldSeats(student), 2);
}

// A first-come batch (first_come.cc, FirstComeSubmissions::Decide) inserts
// the new applications of several submissions with one InsertApplications,
// each record carrying the school that submitted it as decided_by, as the
// submission's response and its change event say. Two schools' submissions
// in one batch, inserted as Decide inserts them:
TEST_F(EnrollmentUseCasesTest, AFirstComeBatchStoresEachSubmittersDecision) {
  const catalog::SectionFacts& facts = catalog_.sections.at(kFirstCome);
  std::vector<store::ApplicationRecord> batch;
  for (const std::string& student : {NewStudent(kSchoolA, "a-1"), NewStudent(kSchoolB, "b-1")}) {
    const StudentId id = ParseStudentName("student", student).value();
    store::ApplicationRecord& record = batch.emplace_back();
    record.id = absl::StrCat(batch.size(), "bbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");
    record.school_code = id.school;
    record.student_key = id.key;
    record.term_id = "2026-1";
    record.section_id = IdOf(kFirstCome);
    record.credits = facts.course.credits();
    record.section = facts.section;
    v1::Application& application = record.application;
    application.set_name(ApplicationName(record.id));
    application.set_term(kTerm);
    application.set_student(student);
    application.set_section(kFirstCome);
    application.set_host(facts.section.host());
    application.set_preference_rank(1);
    application.set_state(v1::ENROLLED);
    application.set_reason(absl::StrCat("first come: seat ", batch.size(), " of 2"));
    application.set_decided_by(id.school);
    application.set_etag("1");
  }
  ASSERT_TRUE(
      store_.Transact([&](store::Records& records) { return records.InsertApplications(batch); })
          .ok());
  const auto events = enrollment_.ReadChanges(School(kSchoolB), "");
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(1));
  EXPECT_EQ(events->front().application().decided_by(), kSchoolB);
  EXPECT_EQ(Stored(batch[1].application.name()).decided_by(), kSchoolB);
}

// ----- Drops and cancellations ---------------------------------------------------

TEST_F(EnrollmentUseCasesTest, ADropBeforeTheDeadlineFreesASeatForTheWaitlist) {
  std::vector<v1::Application> applications;
  for (int i = 0; i < 3; ++i) {
    applications.push_back(
        Applied(NewStudent(kSchoolA, absl::StrCat("s-", i)), kFirstCome, 1, true));
  }
  ASSERT_EQ(applications[2].state(), v1::WAITLISTED);

  const v1::DropEnrollmentRequest drop = DropRequest(applications[0].name());
  EXPECT_EQ(CodeOf(enrollment_.DropEnrollment(School(kSchoolB), drop)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.DropEnrollment(Academy(kOtherAcademy), drop)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      CodeOf(enrollment_.DropEnrollment(School(kSchoolA), DropRequest(applications[0].name(), ""))),
      absl::StatusCode::kInvalidArgument);
  v1::DropEnrollmentRequest unnamed = drop;
  unnamed.clear_request_id();
  EXPECT_EQ(CodeOf(enrollment_.DropEnrollment(School(kSchoolA), unnamed)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Stored(applications[0].name()).state(), v1::ENROLLED);

  const auto dropped = enrollment_.DropEnrollment(School(kSchoolA), drop);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_EQ(dropped->state(), v1::DROPPED);
  EXPECT_EQ(dropped->reason(), "dropped at the student's request: 학생 요청");
  const v1::Application promoted = Stored(applications[2].name());
  EXPECT_EQ(promoted.state(), v1::ENROLLED);
  EXPECT_EQ(promoted.reason(), "promoted from the waitlist when a seat was freed");
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 2));
  const int events = Events();

  const auto retried = enrollment_.DropEnrollment(School(kSchoolA), drop);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->etag(), dropped->etag());
  EXPECT_EQ(Events(), events);
  v1::DropEnrollmentRequest reused = drop;
  reused.set_reason("전학");
  EXPECT_EQ(CodeOf(enrollment_.DropEnrollment(School(kSchoolA), reused)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      CodeOf(enrollment_.DropEnrollment(School(kSchoolA), DropRequest(applications[0].name()))),
      absl::StatusCode::kFailedPrecondition);

  const auto by_host =
      enrollment_.DropEnrollment(Academy(), DropRequest(applications[1].name(), "장기 결석"));
  ASSERT_TRUE(by_host.ok()) << by_host.status();
  EXPECT_EQ(by_host->reason(), "dropped by the host: 장기 결석");
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 1));

  // Only a seat or a place on the waitlist can be dropped.
  const v1::Application submitted = Applied(NewStudent(kSchoolA, "s-9"), kLottery, 1, false);
  EXPECT_EQ(CodeOf(enrollment_.DropEnrollment(School(kSchoolA), DropRequest(submitted.name()))),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EnrollmentUseCasesTest, AfterTheDropDeadlineOnlyTheHostDropsAndNobodyMovesUp) {
  std::vector<v1::Application> applications;
  for (int i = 0; i < 4; ++i) {
    applications.push_back(
        Applied(NewStudent(kSchoolA, absl::StrCat("s-", i)), kFirstCome, 1, true));
  }
  // The deadline (24 March) lasts to the end of its day in Korea.
  ASSERT_TRUE(enrollment_
                  .DropEnrollment(School(kSchoolA, Korea(3, 24, 23, 59)),
                                  DropRequest(applications[0].name()))
                  .ok());
  EXPECT_EQ(Stored(applications[2].name()).state(), v1::ENROLLED);

  const absl::Time after = Korea(3, 25, 0);
  const auto refused =
      enrollment_.DropEnrollment(School(kSchoolA, after), DropRequest(applications[1].name()));
  EXPECT_EQ(CodeOf(refused), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("drop deadline has passed"));
  EXPECT_EQ(Stored(applications[1].name()).state(), v1::ENROLLED);

  const auto by_host =
      enrollment_.DropEnrollment(Academy(kAcademy, after), DropRequest(applications[1].name()));
  ASSERT_TRUE(by_host.ok()) << by_host.status();
  EXPECT_EQ(by_host->state(), v1::DROPPED);
  EXPECT_EQ(Stored(applications[3].name()).state(), v1::WAITLISTED);
  EXPECT_EQ(SeatsOf(kFirstCome), std::make_pair(2, 1));
}

TEST_F(EnrollmentUseCasesTest, CancelSectionCancelsAClosedSectionBelowItsMinimum) {
  catalog::SectionFacts& small =
      AddSection(ExtraSection(5), kAcademy, cv1::FIRST_COME, 10, cv1::FRIDAY);
  small.section.set_min_enrollment(5);
  const std::string student = NewStudent(kSchoolA, "s-1");
  const v1::Application enrolled = Applied(student, ExtraSection(5), 1, true);
  ASSERT_EQ(enrolled.state(), v1::ENROLLED);
  const v1::Application waiting = Applied(NewStudent(kSchoolB, "s-2"), ExtraSection(5), 1, false);
  const v1::Application elsewhere = Applied(student, kLottery, 2, true);

  v1::CancelSectionRequest cancel;
  cancel.set_section(ExtraSection(5));
  cancel.set_reason("최소 인원 미달");
  cancel.set_request_id(Id());
  const auto open = enrollment_.CancelSection(Academy(), cancel);
  EXPECT_EQ(CodeOf(open), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(open.status().message(), HasSubstr("once its enrolment has closed"));
  Close(ExtraSection(5));
  EXPECT_EQ(CodeOf(enrollment_.CancelSection(School(kSchoolB), cancel)),
            absl::StatusCode::kPermissionDenied);
  v1::CancelSectionRequest unexplained = cancel;
  unexplained.clear_reason();
  EXPECT_EQ(CodeOf(enrollment_.CancelSection(Academy(), unexplained)),
            absl::StatusCode::kInvalidArgument);
  v1::CancelSectionRequest misnamed = cancel;
  misnamed.set_section(kTerm);
  EXPECT_EQ(CodeOf(enrollment_.CancelSection(Academy(), misnamed)),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Stored(enrolled.name()).state(), v1::ENROLLED);

  const auto cancelled = enrollment_.CancelSection(Academy(), cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->cancelled_applications(), 2);
  for (const v1::Application& application : {enrolled, waiting}) {
    const v1::Application stored = Stored(application.name());
    EXPECT_EQ(stored.state(), v1::SECTION_CANCELLED);
    EXPECT_EQ(stored.reason(), "section cancelled: 최소 인원 미달");
  }
  EXPECT_EQ(Stored(elsewhere.name()).state(), v1::APPROVED);
  EXPECT_EQ(SeatsOf(ExtraSection(5)), std::make_pair(10, 0));
  const int events = Events();
  const auto retried = enrollment_.CancelSection(Academy(), cancel);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->cancelled_applications(), 2);
  EXPECT_EQ(Events(), events);
  // The city may cancel any host's section; nothing is left to cancel here.
  cancel.set_request_id(Id());
  const auto by_city = enrollment_.CancelSection(City(), cancel);
  ASSERT_TRUE(by_city.ok()) << by_city.status();
  EXPECT_EQ(by_city->cancelled_applications(), 0);

  // A section that reached its minimum stays.
  catalog::SectionFacts& full =
      AddSection(ExtraSection(6), kAcademy, cv1::FIRST_COME, 10, cv1::MONDAY);
  full.section.set_min_enrollment(1);
  const v1::Application kept = Applied(NewStudent(kSchoolA, "s-3"), ExtraSection(6), 1, true);
  Close(ExtraSection(6));
  cancel.set_section(ExtraSection(6));
  cancel.set_request_id(Id());
  const auto reached = enrollment_.CancelSection(Academy(), cancel);
  EXPECT_EQ(CodeOf(reached), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reached.status().message(), HasSubstr("not below its minimum of 1"));
  EXPECT_EQ(Stored(kept.name()).state(), v1::ENROLLED);
}

// ----- Rosters and counts --------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, ListRosterShowsTheHostItsClassThenItsWaitlist) {
  std::vector<v1::Application> applications;
  for (int i = 0; i < 3; ++i) {
    applications.push_back(Applied(NewStudent(i == 1 ? kSchoolB : kSchoolA, absl::StrCat("s-", i)),
                                   kFirstCome, 1, true));
  }
  v1::ListRosterRequest request;
  request.set_section(kFirstCome);
  const auto roster = enrollment_.ListRoster(Academy(), request);
  ASSERT_TRUE(roster.ok()) << roster.status();
  EXPECT_EQ(roster->section(), kFirstCome);
  EXPECT_EQ(roster->capacity(), 2);
  EXPECT_EQ(roster->enrolled(), 2);
  ASSERT_THAT(roster->entries(), SizeIs(3));
  EXPECT_EQ(roster->entries(0).display_name(), "학생 s-0");
  EXPECT_EQ(roster->entries(1).display_name(), "학생 s-1");
  EXPECT_EQ(roster->entries(1).home_school(), InstitutionName(kSchoolB));
  EXPECT_EQ(roster->entries(0).grade_level(), 2);
  EXPECT_EQ(roster->entries(0).entry_year(), 2025);
  const v1::RosterEntry& waiting = roster->entries(2);
  EXPECT_EQ(waiting.application(), applications[2].name());
  EXPECT_EQ(waiting.state(), v1::WAITLISTED);
  EXPECT_EQ(waiting.waitlist_position(), 1);
  EXPECT_EQ(waiting.display_name(), "") << "a waitlisted student's name is not the host's";

  request.set_page_size(1);
  std::vector<std::string> paged;
  do {
    const auto page = enrollment_.ListRoster(Academy(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->enrolled(), 2);
    for (const v1::RosterEntry& entry : page->entries()) {
      paged.push_back(entry.application());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty() && paged.size() < 5);
  EXPECT_THAT(paged, ElementsAre(roster->entries(0).application(), roster->entries(1).application(),
                                 applications[2].name()));

  request.clear_page_token();
  for (const server::CallContext& other : {School(kSchoolA), City(), Academy(kOtherAcademy)}) {
    EXPECT_EQ(CodeOf(enrollment_.ListRoster(other, request)), absl::StatusCode::kPermissionDenied);
  }
  request.set_section("terms/2026-1/sections/x");
  EXPECT_EQ(CodeOf(enrollment_.ListRoster(Academy(), request)), absl::StatusCode::kInvalidArgument);
  request.set_section(ExtraSection(9));
  EXPECT_EQ(CodeOf(enrollment_.ListRoster(Academy(), request)), absl::StatusCode::kNotFound);
}

TEST_F(EnrollmentUseCasesTest, CountApplicationsCountsSectionSchoolAndStateForTheCityAndOffice) {
  Applied(NewStudent(kSchoolA, "s-1"), kFirstCome, 1, true);
  Applied(NewStudent(kSchoolA, "s-2"), kLottery, 1, false);
  Applied(NewStudent(kSchoolA, "s-3"), kLottery, 1, false);
  Applied(NewStudent(kSchoolA, "s-4"), kLottery, 1, true);
  Applied(NewStudent(kSchoolB, "s-5"), kLottery, 1, true);

  v1::CountApplicationsRequest request;
  request.set_term(kTerm);
  request.set_page_size(3);
  std::vector<std::tuple<std::string, std::string, v1::ApplicationState, int>> counts;
  int pages = 0;
  do {
    const auto page = enrollment_.CountApplications(City(), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->term(), kTerm);
    ++pages;
    for (const v1::ApplicationCount& count : page->counts()) {
      counts.emplace_back(count.section(), count.home_school(), count.state(), count.count());
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 2);
  const std::string a = InstitutionName(kSchoolA);
  const std::string b = InstitutionName(kSchoolB);
  EXPECT_THAT(counts, ElementsAre(std::tuple{kFirstCome, a, v1::ENROLLED, 1},
                                  std::tuple{kLottery, a, v1::APPROVED, 1},
                                  std::tuple{kLottery, a, v1::SUBMITTED, 2},
                                  std::tuple{kLottery, b, v1::APPROVED, 1}));

  request.clear_page_token();
  request.set_page_size(0);
  const auto by_office = enrollment_.CountApplications(Office(), request);
  ASSERT_TRUE(by_office.ok()) << by_office.status();
  EXPECT_THAT(by_office->counts(), SizeIs(4));
  for (const server::CallContext& other : {School(kSchoolA), Academy(), Service()}) {
    EXPECT_EQ(CodeOf(enrollment_.CountApplications(other, request)),
              absl::StatusCode::kPermissionDenied);
  }
  request.set_term("terms/2026");
  EXPECT_EQ(CodeOf(enrollment_.CountApplications(City(), request)),
            absl::StatusCode::kInvalidArgument);
  request.set_term("terms/2026-2");
  const auto other_term = enrollment_.CountApplications(City(), request);
  ASSERT_TRUE(other_term.ok()) << other_term.status();
  EXPECT_THAT(other_term->counts(), SizeIs(0));
}

// ----- Change feed ---------------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, ReadChangesShowsEachCallerItsOwnEventsAndResumesFromACursor) {
  // School A's student in the academy's section; school B's students in
  // school A's section and in the academy's.
  const v1::Application a_at_academy = Applied(NewStudent(kSchoolA, "a-1"), kFirstCome, 1, true);
  const v1::Application b_at_a = Applied(NewStudent(kSchoolB, "b-1"), kHostedByA, 1, true);
  const v1::Application b_at_academy = Applied(NewStudent(kSchoolB, "b-2"), kFirstCome, 1, true);

  const auto names = [](const std::vector<v1::ChangeEvent>& events) {
    std::vector<std::string> seen;
    for (const v1::ChangeEvent& event : events) {
      seen.push_back(event.application().name());
    }
    return seen;
  };
  const auto school_a = enrollment_.ReadChanges(School(kSchoolA), "");
  ASSERT_TRUE(school_a.ok()) << school_a.status();
  EXPECT_THAT(names(*school_a), ElementsAre(a_at_academy.name(), b_at_a.name()));
  const auto school_b = enrollment_.ReadChanges(School(kSchoolB), "");
  ASSERT_TRUE(school_b.ok());
  EXPECT_THAT(names(*school_b), ElementsAre(b_at_a.name(), b_at_academy.name()));
  const auto academy = enrollment_.ReadChanges(Academy(), "");
  ASSERT_TRUE(academy.ok());
  EXPECT_THAT(names(*academy), ElementsAre(a_at_academy.name(), b_at_academy.name()));
  const auto other_academy = enrollment_.ReadChanges(Academy(kOtherAcademy), "");
  ASSERT_TRUE(other_academy.ok());
  EXPECT_THAT(*other_academy, SizeIs(0));
  const auto everything = enrollment_.ReadChanges(Service(), "");
  ASSERT_TRUE(everything.ok());
  EXPECT_THAT(names(*everything),
              ElementsAre(a_at_academy.name(), b_at_a.name(), b_at_academy.name()));
  // An event carries the application as it was stored.
  EXPECT_EQ(everything->front().application().DebugString(),
            Stored(a_at_academy.name()).DebugString());
  EXPECT_EQ(everything->front().commit_time().seconds(), absl::ToUnixSeconds(Now()));

  // A cursor resumes after its event.
  const auto first = enrollment_.ReadChanges(Service(), "", 1);
  ASSERT_TRUE(first.ok());
  ASSERT_THAT(*first, SizeIs(1));
  const auto rest = enrollment_.ReadChanges(Service(), first->front().cursor());
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_THAT(names(*rest), ElementsAre(b_at_a.name(), b_at_academy.name()));
  const auto none = enrollment_.ReadChanges(Service(), everything->back().cursor());
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, SizeIs(0));
  // A drop appears after the cursor the reader holds.
  ASSERT_TRUE(enrollment_.DropEnrollment(School(kSchoolA), DropRequest(a_at_academy.name())).ok());
  const auto later = enrollment_.ReadChanges(School(kSchoolA), school_a->back().cursor());
  ASSERT_TRUE(later.ok());
  ASSERT_THAT(*later, SizeIs(1));
  EXPECT_EQ(later->front().application().state(), v1::DROPPED);

  EXPECT_EQ(CodeOf(enrollment_.ReadChanges(School(kSchoolA), "not-a-cursor")),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(enrollment_.ReadChanges(City(), "")), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(enrollment_.ReadChanges(Office(), "")), absl::StatusCode::kPermissionDenied);
}

// ----- Public seat counts --------------------------------------------------------

TEST_F(EnrollmentUseCasesTest, PublicSeatCountsShowHowFullEachSectionIsForTheirTtl) {
  server::CallContext anyone;  // a public call: no principal
  anyone.now = Now();
  v1::ListSeatCountsRequest request;
  request.set_term(kTerm);
  const auto empty = public_seats_.ListSeatCounts(anyone, request);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->term(), kTerm);
  EXPECT_THAT(empty->seats(), SizeIs(0));

  std::vector<v1::Application> applications;
  for (int i = 0; i < 3; ++i) {
    applications.push_back(
        Applied(NewStudent(kSchoolA, absl::StrCat("s-", i)), kFirstCome, 1, true));
  }
  Applied(NewStudent(kSchoolB, "s-9"), kLottery, 1, false);
  const auto counts_of = [](const v1::ListSeatCountsResponse& response) {
    std::vector<std::tuple<std::string, int, int, int>> counts;
    for (const v1::SeatCount& count : response.seats()) {
      counts.emplace_back(count.section(), count.capacity(), count.enrolled(), count.waitlisted());
    }
    return counts;
  };

  // Reused within the TTL (2 s), read again after it.
  anyone.now = Now() + absl::Seconds(1);
  const auto cached = public_seats_.ListSeatCounts(anyone, request);
  ASSERT_TRUE(cached.ok());
  EXPECT_THAT(cached->seats(), SizeIs(0));
  anyone.now = Now() + absl::Seconds(3);
  const auto fresh = public_seats_.ListSeatCounts(anyone, request);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->read_time().seconds(), absl::ToUnixSeconds(anyone.now));
  EXPECT_THAT(counts_of(*fresh), ElementsAre(std::tuple{std::string(kFirstCome), 2, 2, 1},
                                             std::tuple{std::string(kLottery), 0, 0, 0}));

  ASSERT_TRUE(
      enrollment_.DropEnrollment(School(kSchoolA), DropRequest(applications[0].name())).ok());
  ASSERT_TRUE(
      enrollment_.DropEnrollment(School(kSchoolA), DropRequest(applications[1].name())).ok());
  anyone.now = Now() + absl::Seconds(6);
  const auto after_drops = public_seats_.ListSeatCounts(anyone, request);
  ASSERT_TRUE(after_drops.ok());
  EXPECT_THAT(counts_of(*after_drops), ElementsAre(std::tuple{std::string(kFirstCome), 2, 1, 0},
                                                   std::tuple{std::string(kLottery), 0, 0, 0}));

  for (const std::string term : {"", "2026-1", "terms/2026-3", kFirstCome}) {
    request.set_term(term);
    const auto refused = public_seats_.ListSeatCounts(anyone, request);
    EXPECT_EQ(CodeOf(refused), absl::StatusCode::kInvalidArgument) << term;
    EXPECT_THAT(refused.status().message(), HasSubstr("term")) << term;
  }
}

}  // namespace
}  // namespace osan::enrollment
