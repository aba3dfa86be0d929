#include "tools/osanctl/catalog_commands.h"

#include <iostream>
#include <optional>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/grpc_status.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "tools/osanctl/client.h"
#include "tools/osanctl/text_table.h"

ABSL_DECLARE_FLAG(std::string, host);
ABSL_DECLARE_FLAG(std::string, title);
ABSL_DECLARE_FLAG(std::string, category);
ABSL_DECLARE_FLAG(std::string, area);
ABSL_DECLARE_FLAG(int, credits);
ABSL_DECLARE_FLAG(std::string, mode);
ABSL_DECLARE_FLAG(std::string, description);
ABSL_DECLARE_FLAG(std::string, term);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, state);
ABSL_DECLARE_FLAG(std::string, programme);

ABSL_FLAG(std::string, catalog, "", "catalog address (default $OSAN_CATALOG or 127.0.0.1:50051)");
ABSL_FLAG(std::string, decision, "", "`courses review`: APPROVED or REJECTED");
ABSL_FLAG(std::string, course, "", "`sections create`: courses/{id}");
ABSL_FLAG(int, capacity, 0, "`sections create`: seats, 1..500");
ABSL_FLAG(std::string, policy, "",
          "`sections create`: FIRST_COME, LOTTERY, PRIORITY or HOST_SCREENING");
ABSL_FLAG(std::string, weekly, "",
          "`sections create`: weekly meetings, e.g. TUESDAY@17:00-20:20,THURSDAY@17:00-18:40");
ABSL_FLAG(std::string, dated, "",
          "`sections create`: dated meetings, e.g. 2027-03-06@09:00-13:00,2027-03-13@09:00-13:00");
ABSL_FLAG(std::string, location, "", "`sections create`: where it meets");
ABSL_FLAG(std::string, instructor, "", "`sections create`: the instructor's name, shown publicly");
ABSL_FLAG(std::string, grades, "", "`sections create`: eligible grades, e.g. 2,3 (default: all)");
ABSL_FLAG(int, sessions, 0,
          "`sections create`: planned 50-minute sessions (default: what the credits need)");
ABSL_FLAG(int, min_enrollment, 0, "`sections create`: fewest students for the section to run");
ABSL_FLAG(std::string, to, "",
          "`sections move`: PUBLISHED, ENROLLMENT_OPEN, ENROLLMENT_CLOSED, IN_PROGRESS, "
          "COMPLETED or CANCELLED");

namespace osan::cli {
namespace {

namespace cv1 = catalog::v1;

using Stub = cv1::CatalogService::Stub;

constexpr char kListCoursesUsage[] =
    "courses list [--host institutions/{code}] [--state PENDING|APPROVED|REJECTED|NOT_REQUIRED]";
constexpr char kUpdateCourseUsage[] =
    "courses update courses/{id} [--title --category --area --credits --mode --description "
    "--programme]";
constexpr char kReviewUsage[] =
    "courses review courses/{id} --decision APPROVED|REJECTED [--reason TEXT]";
constexpr char kCreateSectionUsage[] =
    "sections create --term terms/{year}-{semester} --course courses/{id} --capacity N --policy "
    "POLICY (--weekly DAY@HH:MM-HH:MM,... | --dated YYYY-MM-DD@HH:MM-HH:MM,...) [--location "
    "--instructor --grades 2,3 --sessions N --min_enrollment N --programme programmes/{id}]";
constexpr char kMoveSectionUsage[] =
    "sections move terms/{year}-{semester}/sections/{id} --to STATE [--reason TEXT]";

template <class Request, class Response>
grpc::Status Call(UnaryMethod<Stub, Request, Response> method, const Request& request,
                  Response* response) {
  return CallUnary(*CatalogStub(), method, request, response);
}

// "인정 완료", "심사 중", ...: the recognition state as the office names it.
std::string RecognitionLabel(cv1::RecognitionState state) {
  switch (state) {
    case cv1::NOT_REQUIRED:
      return "해당 없음 (학교)";
    case cv1::PENDING:
      return "심사 중";
    case cv1::APPROVED:
      return "인정";
    case cv1::REJECTED:
      return "불인정";
    default:
      return "-";
  }
}

// "HH:MM" as a time of day.
std::optional<type::v1::TimeOfDay> ParseTime(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int hours = 0, minutes = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &hours) ||
      !absl::SimpleAtoi(parts[1], &minutes)) {
    return std::nullopt;
  }
  type::v1::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

// "WHEN@HH:MM-HH:MM" split into WHEN and the two times; false if malformed.
bool ParseSlot(absl::string_view text, std::string* when, type::v1::TimeOfDay* start,
               type::v1::TimeOfDay* end) {
  const std::vector<absl::string_view> at = absl::StrSplit(text, '@');
  if (at.size() != 2) {
    return false;
  }
  const std::vector<absl::string_view> times = absl::StrSplit(at[1], '-');
  if (times.size() != 2) {
    return false;
  }
  const auto from = ParseTime(times[0]);
  const auto to = ParseTime(times[1]);
  if (!from.has_value() || !to.has_value()) {
    return false;
  }
  *when = std::string(at[0]);
  *start = *from;
  *end = *to;
  return true;
}

// Adds --weekly and --dated to `section`; reports a malformed entry on stderr.
bool AddMeetings(cv1::Section* section) {
  for (const absl::string_view text :
       absl::StrSplit(absl::GetFlag(FLAGS_weekly), ',', absl::SkipEmpty())) {
    std::string day;
    cv1::WeeklyMeeting meeting;
    cv1::Weekday weekday = cv1::WEEKDAY_UNSPECIFIED;
    if (!ParseSlot(text, &day, meeting.mutable_start_time(), meeting.mutable_end_time()) ||
        !ParseEnum("weekly", day, &cv1::Weekday_Parse, &weekday)) {
      std::cerr << "osanctl: --weekly: '" << text << "' is not DAY@HH:MM-HH:MM\n";
      return false;
    }
    meeting.set_weekday(weekday);
    *section->add_weekly_meetings() = meeting;
  }
  for (const absl::string_view text :
       absl::StrSplit(absl::GetFlag(FLAGS_dated), ',', absl::SkipEmpty())) {
    std::string day;
    cv1::DatedMeeting meeting;
    const auto parsed = [&] {
      if (!ParseSlot(text, &day, meeting.mutable_start_time(), meeting.mutable_end_time())) {
        return false;
      }
      const std::vector<absl::string_view> ymd = absl::StrSplit(day, '-');
      int year = 0, month = 0, date = 0;
      if (ymd.size() != 3 || !absl::SimpleAtoi(ymd[0], &year) ||
          !absl::SimpleAtoi(ymd[1], &month) || !absl::SimpleAtoi(ymd[2], &date)) {
        return false;
      }
      meeting.mutable_date()->set_year(year);
      meeting.mutable_date()->set_month(month);
      meeting.mutable_date()->set_day(date);
      return true;
    };
    if (!parsed()) {
      std::cerr << "osanctl: --dated: '" << text << "' is not YYYY-MM-DD@HH:MM-HH:MM\n";
      return false;
    }
    *section->add_dated_meetings() = meeting;
  }
  return true;
}

// A course from --host, --title, --category, --area, --mode, --credits and
// --description (each unset one left at its default); false, with the flag
// named on stderr, if an enum flag holds an unknown value.
bool CourseFromFlags(cv1::Course* course) {
  cv1::Category category = cv1::CATEGORY_UNSPECIFIED;
  cv1::SubjectArea area = cv1::SUBJECT_AREA_UNSPECIFIED;
  cv1::DeliveryMode mode = cv1::DELIVERY_MODE_UNSPECIFIED;
  if (!ParseEnum("category", absl::GetFlag(FLAGS_category), &cv1::Category_Parse, &category) ||
      !ParseEnum("area", absl::GetFlag(FLAGS_area), &cv1::SubjectArea_Parse, &area) ||
      !ParseEnum("mode", absl::GetFlag(FLAGS_mode), &cv1::DeliveryMode_Parse, &mode)) {
    return false;
  }
  course->set_host(absl::GetFlag(FLAGS_host));
  course->set_title(absl::GetFlag(FLAGS_title));
  course->set_category(category);
  course->set_subject_area(area);
  course->set_delivery_mode(mode);
  course->set_credits(absl::GetFlag(FLAGS_credits));
  course->set_description(absl::GetFlag(FLAGS_description));
  course->set_programme(absl::GetFlag(FLAGS_programme));
  return true;
}

absl::StatusOr<cv1::Course> GetCourse(const std::string& name) {
  cv1::GetCourseRequest request;
  request.set_name(name);
  cv1::Course course;
  const grpc::Status status = Call(&Stub::GetCourse, request, &course);
  if (!status.ok()) {
    return FromGrpcStatus(status);
  }
  return course;
}

void PrintCourse(const cv1::Course& course) {
  std::cout << course.name() << "\n";
  PrintField("과목", course.title());
  PrintField("구분", CategoryLabel(course.category()));
  PrintField("교과", SubjectAreaLabel(course.subject_area()));
  PrintField("학점", absl::StrCat(course.credits()));
  PrintField("개설 기관", course.host());
  PrintField("학점 인정", RecognitionLabel(course.recognition().state()));
  PrintField("사업", course.programme());
  PrintField("사유", course.recognition().reason());
  if (course.recognition().has_approved()) {
    const cv1::RecognisedVersion& approved = course.recognition().approved();
    PrintField("인정된 판", absl::StrCat(approved.title(), ", ", approved.credits(), "학점 (etag ",
                                         approved.course_etag(), ")"));
  }
}

}  // namespace

std::string CatalogAddress() {
  return FlagOrEnv(absl::GetFlag(FLAGS_catalog), "OSAN_CATALOG", "127.0.0.1:50051");
}

std::unique_ptr<Stub> CatalogStub() {
  return cv1::CatalogService::NewStub(MakeChannel(CatalogAddress()));
}

int ListCourses(const std::vector<std::string>& args) {
  cv1::ListCoursesRequest request;
  request.set_host(absl::GetFlag(FLAGS_host));
  cv1::RecognitionState state = cv1::RECOGNITION_STATE_UNSPECIFIED;
  if (!args.empty() ||
      !ParseEnum("state", absl::GetFlag(FLAGS_state), &cv1::RecognitionState_Parse, &state)) {
    return Usage(kListCoursesUsage);
  }
  request.set_recognition_state(state);
  TextTable table({"과목", "구분", "학점", "개설 기관", "학점 인정", "인정 학점", "이름"});
  int count = 0;
  auto stub = CatalogStub();
  const grpc::Status status =
      ListEveryPage(*stub, &Stub::ListCourses, request, [&](const cv1::ListCoursesResponse& page) {
        for (const cv1::Course& course : page.courses()) {
          const auto& recognition = course.recognition();
          table.AddRow(
              {course.title(), CategoryLabel(course.category()), absl::StrCat(course.credits()),
               course.host(), RecognitionLabel(recognition.state()),
               recognition.has_approved() ? absl::StrCat(recognition.approved().credits()) : "-",
               course.name()});
          ++count;
        }
      });
  if (!status.ok()) {
    return Fail(status);
  }
  table.Print(std::cout);
  std::cout << count << " course(s)\n";
  return 0;
}

int CreateCourse(const std::vector<std::string>&) {
  cv1::CreateCourseRequest request;
  if (!CourseFromFlags(request.mutable_course())) {
    return 2;
  }
  request.set_request_id(RequestId());
  cv1::Course created;
  const grpc::Status status = Call(&Stub::CreateCourse, request, &created);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "created " << created.name() << " (" << created.title() << ", " << created.credits()
            << "학점, request_id " << request.request_id() << ")\n";
  return 0;
}

int UpdateCourse(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Usage(kUpdateCourseUsage);
  }
  cv1::UpdateCourseRequest request;
  cv1::Course& course = *request.mutable_course();
  if (!CourseFromFlags(&course)) {
    return 2;
  }
  // The fields given are the ones that change.
  auto& paths = *request.mutable_update_mask()->mutable_paths();
  for (const auto& [path, given] : std::vector<std::pair<const char*, bool>>{
           {"title", !course.title().empty()},
           {"category", course.category() != cv1::CATEGORY_UNSPECIFIED},
           {"subject_area", course.subject_area() != cv1::SUBJECT_AREA_UNSPECIFIED},
           {"credits", course.credits() != 0},
           {"delivery_mode", course.delivery_mode() != cv1::DELIVERY_MODE_UNSPECIFIED},
           {"description", !course.description().empty()},
           {"programme", !course.programme().empty()}}) {
    if (given) {
      paths.Add(path);
    }
  }
  if (paths.empty()) {
    return Usage(kUpdateCourseUsage);
  }
  // The change applies to the course as it is now.
  const absl::StatusOr<cv1::Course> current = GetCourse(args[0]);
  if (!current.ok()) {
    return Fail(std::string(current.status().message()));
  }
  course.set_name(current->name());
  course.set_etag(current->etag());
  request.set_request_id(RequestId());
  cv1::Course updated;
  const grpc::Status status = Call(&Stub::UpdateCourse, request, &updated);
  if (!status.ok()) {
    return Fail(status);
  }
  PrintCourse(updated);
  return 0;
}

int ReviewCourse(const std::vector<std::string>& args) {
  cv1::RecognitionState decision = cv1::RECOGNITION_STATE_UNSPECIFIED;
  if (args.size() != 1 ||
      !ParseEnum("decision", absl::GetFlag(FLAGS_decision), &cv1::RecognitionState_Parse,
                 &decision) ||
      decision == cv1::RECOGNITION_STATE_UNSPECIFIED) {
    return Usage(kReviewUsage);
  }
  const absl::StatusOr<cv1::Course> current = GetCourse(args[0]);
  if (!current.ok()) {
    return Fail(std::string(current.status().message()));
  }
  cv1::ReviewRecognitionRequest request;
  request.set_name(current->name());
  request.set_etag(current->etag());
  request.set_decision(decision);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(RequestId());
  cv1::Course reviewed;
  const grpc::Status status = Call(&Stub::ReviewRecognition, request, &reviewed);
  if (!status.ok()) {
    return Fail(status);
  }
  PrintCourse(reviewed);
  return 0;
}

int CreateSection(const std::vector<std::string>& args) {
  cv1::CreateSectionRequest request;
  request.set_parent(absl::GetFlag(FLAGS_term));
  cv1::Section& section = *request.mutable_section();
  section.set_course(absl::GetFlag(FLAGS_course));
  section.set_capacity(absl::GetFlag(FLAGS_capacity));
  section.set_min_enrollment(absl::GetFlag(FLAGS_min_enrollment));
  section.set_sessions(absl::GetFlag(FLAGS_sessions));
  section.set_location(absl::GetFlag(FLAGS_location));
  section.set_instructor_display_name(absl::GetFlag(FLAGS_instructor));
  section.set_programme(absl::GetFlag(FLAGS_programme));
  cv1::AllocationPolicy policy = cv1::ALLOCATION_POLICY_UNSPECIFIED;
  if (!args.empty() || request.parent().empty() || section.course().empty() ||
      !ParseEnum("policy", absl::GetFlag(FLAGS_policy), &cv1::AllocationPolicy_Parse, &policy)) {
    return Usage(kCreateSectionUsage);
  }
  section.set_allocation_policy(policy);
  for (const absl::string_view grade :
       absl::StrSplit(absl::GetFlag(FLAGS_grades), ',', absl::SkipEmpty())) {
    int value = 0;
    if (!absl::SimpleAtoi(grade, &value)) {
      std::cerr << "osanctl: --grades: '" << grade << "' is not a grade\n";
      return 2;
    }
    section.add_eligible_grades(value);
  }
  if (!AddMeetings(&section)) {
    return 2;
  }
  request.set_request_id(RequestId());
  cv1::Section created;
  const grpc::Status status = Call(&Stub::CreateSection, request, &created);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << "created " << created.name() << " (" << created.sessions() << "차시, "
            << cv1::SectionState_Name(created.state()) << ", request_id " << request.request_id()
            << ")\n";
  return 0;
}

int MoveSection(const std::vector<std::string>& args) {
  cv1::SectionState target = cv1::SECTION_STATE_UNSPECIFIED;
  if (args.size() != 1 ||
      !ParseEnum("to", absl::GetFlag(FLAGS_to), &cv1::SectionState_Parse, &target) ||
      target == cv1::SECTION_STATE_UNSPECIFIED) {
    return Usage(kMoveSectionUsage);
  }
  cv1::GetSectionRequest get;
  get.set_name(args[0]);
  cv1::Section current;
  grpc::Status status = Call(&Stub::GetSection, get, &current);
  if (!status.ok()) {
    return Fail(status);
  }
  cv1::TransitionSectionRequest request;
  request.set_name(current.name());
  request.set_etag(current.etag());
  request.set_target_state(target);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_request_id(RequestId());
  cv1::Section moved;
  status = Call(&Stub::TransitionSection, request, &moved);
  if (!status.ok()) {
    return Fail(status);
  }
  std::cout << moved.name() << ": " << cv1::SectionState_Name(current.state()) << " -> "
            << cv1::SectionState_Name(moved.state()) << "\n";
  return 0;
}

}  // namespace osan::cli
