// No answer of the API exceeds 1 MiB at Gyeonggi scale: a term of 538
// sections and 7,912 applicants of 395 schools (tests/support/gyeonggi_term.h),
// allocated through the API, with a result for every enrolment in credit's
// ledger (teachers' notes at their longest). Every Get, List, Count, Export
// and feed method of every service is called once with the largest page it
// allows, as a caller entitled to the most; each answer (each message of a
// stream) is measured. The servers refuse to send more than 1 MiB
// (ServerOptions::max_send_bytes), so an answer that grew past it would fail
// here with RESOURCE_EXHAUSTED; a method added without a place in the walk
// fails the test too.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "osan/audit/v1/audit.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "osan/credit/v1/credit.grpc.pb.h"
#include "osan/enrollment/v1/enrollment.grpc.pb.h"
#include "tests/support/credit_exchange.h"
#include "tests/support/generic_call.h"
#include "tests/support/gyeonggi_term.h"

namespace osan::testing {
namespace {

namespace cv1 = catalog::v1;
namespace ev1 = enrollment::v1;
namespace rv1 = credit::v1;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

constexpr size_t kMaxReplyBytes = 1 << 20;
// Larger than any method's maximum page: each reduces it to its own.
constexpr int kLargestPage = 100000;
// Teachers' notes (세부능력 및 특기사항) at their longest: 500 characters.
const std::string& LongestNotes() {
  static const std::string notes = [] {
    std::string text;
    for (int i = 0; i < 50; ++i) {
      text += "탐구 과제를 성실";  // 10 characters (with the space), 3 bytes each but one
    }
    return text;
  }();
  return notes;
}

// A read of the walk: the method, who calls it, and with what.
struct Read {
  std::string method;  // full name: "osan.catalog.v1.CatalogService.GetTerm"
  std::string token;   // empty: no token (public methods)
  std::shared_ptr<Message> request;
  int max_responses = 0;  // streams: stop after this many messages (0: the whole feed)
  // Where to call it, when not the server of the method's service.
  std::shared_ptr<grpc::Channel> channel = nullptr;
};

template <class Request>
std::shared_ptr<Message> Build(const std::function<void(Request&)>& fill) {
  auto request = std::make_shared<Request>();
  fill(*request);
  return request;
}

// Whether `method` reads: the methods the 1 MiB bound is walked for.
bool IsRead(const MethodDescriptor& method) {
  for (const char* prefix : {"Get", "List", "Count", "Export", "Watch"}) {
    if (absl::StartsWith(method.name(), prefix)) {
      return true;
    }
  }
  return false;
}

TEST(ReplySizeTest, EveryReadAnswersAtMostOneMebibyteAtGyeonggiScale) {
  CreditExchange suite([](ServiceConfig& config) { config.max_streams_per_institution = 0; });
  Exchange& exchange = suite.exchange();
  exchange.CreateBasics();
  const GyeonggiTerm gyeonggi = CreateGyeonggiTerm(exchange);
  const std::string city = exchange.Token(kCity, auth::v1::CITY);
  const std::string office = exchange.Token(kOffice, auth::v1::EDU_OFFICE);
  const std::string school_a = exchange.Token(kSchoolA, auth::v1::SCHOOL);
  const std::string service = exchange.Token("SVC-CREDIT", auth::v1::SERVICE);

  // The sections belong to one programme, so that its report covers the term.
  cv1::CreateProgrammeRequest create_programme;
  create_programme.set_programme_id("gyeonggi-hub");
  create_programme.mutable_programme()->set_display_name("거점형 공동교육과정");
  create_programme.mutable_programme()->set_year(
      absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year());
  create_programme.mutable_programme()->set_annex("경기도교육청 부속서 1");
  create_programme.mutable_programme()->set_funder(cv1::PROVINCE);
  create_programme.set_request_id(exchange.NextRequestId());
  cv1::Programme programme;
  auto context = ContextWithToken(city);
  ASSERT_TRUE(exchange.catalog().CreateProgramme(context.get(), create_programme, &programme).ok());
  for (const cv1::Section& section : gyeonggi.sections) {
    cv1::UpdateSectionRequest update;
    *update.mutable_section() = section;
    update.mutable_section()->set_programme(programme.name());
    update.mutable_section()->clear_etag();  // the copy predates the section's transitions
    update.mutable_update_mask()->add_paths("programme");
    update.set_request_id(exchange.NextRequestId());
    cv1::Section updated;
    context = ContextWithToken(
        exchange.Token(section.host().substr(sizeof("institutions/") - 1), auth::v1::SCHOOL));
    const grpc::Status status = exchange.catalog().UpdateSection(context.get(), update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The term allocated through the API: decisions, enrolments and change
  // events at scale.
  ev1::RunAllocationRequest run_request;
  run_request.set_term(gyeonggi.term);
  run_request.set_seed(2027);
  run_request.set_request_id("gyeonggi-walk");
  ev1::AllocationOperation operation;
  context = ContextWithToken(city);
  ASSERT_TRUE(exchange.enrollment().RunAllocation(context.get(), run_request, &operation).ok());
  const absl::StatusOr<ev1::AllocationRun> run =
      exchange.AwaitAllocation(operation, city, absl::Minutes(5));
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_GT(run->enrolled_count(), GyeonggiTerm::kStudents * 9 / 10);

  // A finalized result for every enrolment, as the hosts' finalizing would
  // leave them (written directly: finalizing is not what is walked).
  const std::string credit_url = suite.credit_service().database().url();
  // Writes a result of each of `rows` (school, student key, section name,
  // section id, host code) into the ledger and the result feed; returns the
  // entries' names.
  int entries = 0;
  const auto record_results = [&](const std::vector<std::vector<std::string>>& rows) {
    std::vector<rv1::LedgerEntry> written;
    pqxx::connection credit_db(credit_url);
    pqxx::work write(credit_db);
    {
      pqxx::stream_to ledger(
          write, "ledger",
          std::vector<std::string>{"entry_id", "version", "school_code", "student_key",
                                   "section_id", "host_code", "outcome", "entry"});
      for (const auto& row : rows) {
        const std::string entry_id = absl::StrFormat("6a1f0c2e-3b4d-4e5f-9a8b-%012d", ++entries);
        rv1::LedgerEntry entry;
        entry.set_name(absl::StrCat("ledger/", entry_id));
        entry.set_version(1);
        rv1::ResultPackage& package = *entry.mutable_package();
        package.set_term(gyeonggi.term);
        package.set_section(row[2]);
        package.set_student(absl::StrCat("schools/", row[0], "/students/", row[1]));
        package.set_title("공동 과목");
        package.set_credits(1);
        package.set_credits_earned(1);
        package.set_raw_score(91);
        package.set_course_mean(78.5);
        package.set_achievement_level("A");
        package.set_student_count(GyeonggiTerm::kCapacity);
        package.set_notes(LongestNotes());
        package.set_host(absl::StrCat("institutions/", row[4]));
        package.set_outcome(rv1::COMPLETED);
        (*package.mutable_level_distribution_percent())["A"] = 40;
        (*package.mutable_level_distribution_percent())["B"] = 60;
        entry.set_reason("finalized");
        entry.set_recorded_by(row[4]);
        ledger << std::make_tuple(
            entry_id, 1, row[0], row[1], row[3], row[4], "COMPLETED",
            absl::StrCat("\\x", absl::BytesToHexString(entry.SerializeAsString())));
        written.push_back(std::move(entry));
      }
      ledger.complete();
    }
    write.exec0(
        "INSERT INTO result_events (entry_id, version, school_code)"
        " SELECT l.entry_id, l.version, l.school_code FROM ledger l"
        " WHERE NOT EXISTS (SELECT 1 FROM result_events e WHERE e.entry_id = l.entry_id)"
        " ORDER BY l.school_code, l.student_key");
    write.commit();
    return written;
  };
  std::vector<std::vector<std::string>> enrolments;
  std::string application_a;
  {
    pqxx::connection enrollment_db(exchange.enrollment_service().database().url());
    pqxx::work read(enrollment_db);
    for (const auto& row :
         read.exec("SELECT school_code, student_key, section_name, section_id::text, host_code,"
                   " id::text FROM applications WHERE state = 'ENROLLED'"
                   " ORDER BY school_code, student_key")) {
      enrolments.push_back(
          {row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str()});
      if (application_a.empty() && enrolments.back()[0] == kSchoolA) {
        application_a = absl::StrCat("applications/", row[5].c_str());
      }
    }
  }
  std::string student_a, entry_a;
  for (const rv1::LedgerEntry& entry : record_results(enrolments)) {
    if (student_a.empty() &&
        absl::StartsWith(entry.package().student(), absl::StrCat("schools/", kSchoolA, "/"))) {
      student_a = entry.package().student();
      entry_a = entry.name();
    }
  }
  ASSERT_FALSE(application_a.empty()) << "school A has an enrolment";

  const cv1::Section& section_a = gyeonggi.sections[0];  // hosted by school A
  const std::string school_a_name = absl::StrCat("schools/", kSchoolA);
  std::vector<Read> reads = {
      {"osan.catalog.v1.CatalogService.GetInstitution", city,
       Build<cv1::GetInstitutionRequest>(
           [](auto& r) { r.set_name(absl::StrCat("institutions/", kSchoolA)); })},
      {"osan.catalog.v1.CatalogService.ListInstitutions", city,
       Build<cv1::ListInstitutionsRequest>([](auto& r) { r.set_page_size(kLargestPage); })},
      {"osan.catalog.v1.CatalogService.GetTerm", city,
       Build<cv1::GetTermRequest>([&](auto& r) { r.set_name(gyeonggi.term); })},
      {"osan.catalog.v1.CatalogService.ListTerms", city,
       Build<cv1::ListTermsRequest>([](auto& r) { r.set_page_size(kLargestPage); })},
      {"osan.catalog.v1.CatalogService.GetCourse", city,
       Build<cv1::GetCourseRequest>([&](auto& r) { r.set_name(section_a.course()); })},
      {"osan.catalog.v1.CatalogService.ListCourses", city,
       Build<cv1::ListCoursesRequest>([](auto& r) { r.set_page_size(kLargestPage); })},
      {"osan.catalog.v1.CatalogService.GetProgramme", city,
       Build<cv1::GetProgrammeRequest>([&](auto& r) { r.set_name(programme.name()); })},
      {"osan.catalog.v1.CatalogService.ListProgrammes", city,
       Build<cv1::ListProgrammesRequest>([](auto& r) { r.set_page_size(kLargestPage); })},
      {"osan.catalog.v1.CatalogService.GetSection", city,
       Build<cv1::GetSectionRequest>([&](auto& r) { r.set_name(section_a.name()); })},
      {"osan.catalog.v1.CatalogService.GetSectionFacts", city,
       Build<cv1::GetSectionRequest>([&](auto& r) { r.set_name(section_a.name()); })},
      {"osan.catalog.v1.CatalogService.ListSections", city,
       Build<cv1::ListSectionsRequest>([&](auto& r) {
         r.set_parent(gyeonggi.term);
         r.set_page_size(kLargestPage);
       })},
      {"osan.catalog.v1.PublicListingService.ListPublicSections", "",
       Build<cv1::ListPublicSectionsRequest>([&](auto& r) {
         r.set_term(gyeonggi.term);
         r.set_page_size(kLargestPage);
         r.set_view(cv1::PUBLIC_SECTION_VIEW_FULL);
       })},
      {"osan.catalog.v1.PublicListingService.GetPublicSection", "",
       Build<cv1::GetPublicSectionRequest>([&](auto& r) { r.set_name(section_a.name()); })},
      {"osan.enrollment.v1.EnrollmentService.GetStudent", school_a,
       Build<ev1::GetStudentRequest>([&](auto& r) { r.set_name(student_a); })},
      {"osan.enrollment.v1.EnrollmentService.ListStudents", school_a,
       Build<ev1::ListStudentsRequest>([&](auto& r) {
         r.set_parent(school_a_name);
         r.set_page_size(kLargestPage);
       })},
      {"osan.enrollment.v1.EnrollmentService.GetApplication", school_a,
       Build<ev1::GetApplicationRequest>([&](auto& r) { r.set_name(application_a); })},
      {"osan.enrollment.v1.EnrollmentService.ListApplications", school_a,
       Build<ev1::ListApplicationsRequest>([&](auto& r) {
         r.set_parent(school_a_name);
         r.set_page_size(kLargestPage);
       })},
      {"osan.enrollment.v1.EnrollmentService.GetAllocationOperation", city,
       Build<ev1::GetAllocationOperationRequest>([&](auto& r) { r.set_name(operation.name()); })},
      {"osan.enrollment.v1.EnrollmentService.GetAllocationRun", city,
       Build<ev1::GetAllocationRunRequest>([&](auto& r) { r.set_name(run->name()); })},
      {"osan.enrollment.v1.EnrollmentService.ListAllocationDecisions", city,
       Build<ev1::ListAllocationDecisionsRequest>([&](auto& r) {
         r.set_parent(run->name());
         r.set_page_size(kLargestPage);
       })},
      {"osan.enrollment.v1.EnrollmentService.ListRoster", school_a,
       Build<ev1::ListRosterRequest>([&](auto& r) {
         r.set_section(section_a.name());
         r.set_page_size(kLargestPage);
       })},
      {"osan.enrollment.v1.EnrollmentService.CountApplications", city,
       Build<ev1::CountApplicationsRequest>([&](auto& r) {
         r.set_term(gyeonggi.term);
         r.set_page_size(kLargestPage);
       })},
      {"osan.enrollment.v1.EnrollmentService.WatchChanges", service,
       Build<ev1::WatchChangesRequest>([](auto&) {}), 2000},
      {"osan.enrollment.v1.EnrollmentService.WatchChangeBatches", service,
       Build<ev1::WatchChangesRequest>([](auto&) {})},
      {"osan.enrollment.v1.PublicSeatsService.ListSeatCounts", "",
       Build<ev1::ListSeatCountsRequest>([&](auto& r) { r.set_term(gyeonggi.term); })},
      {"osan.credit.v1.CreditService.ListAttendance", school_a,
       Build<rv1::ListAttendanceRequest>([&](auto& r) {
         r.set_section(section_a.name());
         r.set_include_history(true);
         r.set_page_size(kLargestPage);
       })},
      {"osan.credit.v1.CreditService.GetLedgerHistory", school_a,
       Build<rv1::GetLedgerHistoryRequest>([&](auto& r) {
         r.set_entry(entry_a);
         r.set_page_size(kLargestPage);
       })},
      {"osan.credit.v1.CreditService.ListPendingResults", school_a,
       Build<rv1::ListPendingResultsRequest>([&](auto& r) {
         r.set_parent(school_a_name);
         r.set_page_size(kLargestPage);
       })},
      {"osan.credit.v1.CreditService.ExportPendingResults", school_a,
       Build<rv1::ExportPendingResultsRequest>([&](auto& r) { r.set_parent(school_a_name); })},
      {"osan.credit.v1.CreditService.GetTranscript", school_a,
       Build<rv1::GetTranscriptRequest>([&](auto& r) { r.set_student(student_a); })},
      {"osan.credit.v1.CreditService.WatchResults", school_a,
       Build<rv1::WatchResultsRequest>([](auto&) {})},
      {"osan.credit.v1.CreditService.WatchResultBatches", school_a,
       Build<rv1::WatchResultsRequest>([](auto&) {})},
      {"osan.credit.v1.ReportService.GetProgrammeReport", city,
       Build<rv1::GetProgrammeReportRequest>([&](auto& r) {
         r.set_programme(programme.name());
         r.set_term(gyeonggi.term);
       })},
      {"osan.audit.v1.AuditService.ListAuditRecords", office,
       Build<audit::v1::ListAuditRecordsRequest>([](auto& r) { r.set_page_size(kLargestPage); })},
  };
  // Exports in their other form too.
  reads.push_back({"osan.credit.v1.CreditService.ExportPendingResults", school_a,
                   Build<rv1::ExportPendingResultsRequest>([&](auto& r) {
                     r.set_parent(school_a_name);
                     r.set_format(rv1::XLSX);
                   })});
  reads.push_back({"osan.credit.v1.ReportService.GetProgrammeReport", city,
                   Build<rv1::GetProgrammeReportRequest>([&](auto& r) {
                     r.set_programme(programme.name());
                     r.set_term(gyeonggi.term);
                     r.set_format(rv1::XLSX);
                   })});

  // Every read method of every service has its place in the walk.
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  for (const auto& [service, channel] :
       std::vector<std::pair<std::string, std::shared_ptr<grpc::Channel>>>{
           {"osan.catalog.v1.CatalogService", exchange.catalog_service().channel()},
           {"osan.catalog.v1.PublicListingService", exchange.catalog_service().channel()},
           {"osan.enrollment.v1.EnrollmentService", exchange.enrollment_service().channel()},
           {"osan.enrollment.v1.PublicSeatsService", exchange.enrollment_service().channel()},
           {"osan.credit.v1.CreditService", suite.credit_service().channel()},
           {"osan.credit.v1.ReportService", suite.credit_service().channel()},
           {"osan.audit.v1.AuditService", suite.credit_service().channel()}}) {
    channels[service] = channel;
    const auto* descriptor = pool->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const MethodDescriptor& method = *descriptor->method(i);
      if (IsRead(method)) {
        EXPECT_TRUE(
            std::any_of(reads.begin(), reads.end(),
                        [&](const Read& read) { return read.method == method.full_name(); }))
            << method.full_name() << " reads but has no place in the walk";
      }
    }
  }

  // The audit trail at scale: the enrollment service's as well.
  reads.push_back(
      {"osan.audit.v1.AuditService.ListAuditRecords", office,
       Build<audit::v1::ListAuditRecordsRequest>([](auto& r) { r.set_page_size(kLargestPage); }), 0,
       exchange.enrollment_service().channel()});

  std::printf("\n%-62s %10s %9s\n", "method (largest message)", "bytes", "messages");
  size_t largest = 0;
  for (const Read& read : reads) {
    const MethodDescriptor* method = pool->FindMethodByName(read.method);
    ASSERT_NE(method, nullptr) << read.method;
    GenericCallOptions options;
    options.token = read.token;
    options.max_responses = read.max_responses;
    options.timeout = std::chrono::seconds(60);
    const std::shared_ptr<grpc::Channel> channel =
        read.channel != nullptr ? read.channel : channels.at(method->service()->full_name());
    const GenericCallResult result = CallMethod(channel, *method, *read.request, options);
    ASSERT_TRUE(result.status.ok()) << read.method << ": " << result.status.error_code() << " "
                                    << result.status.error_message();
    ASSERT_FALSE(result.responses.empty()) << read.method;
    size_t bytes = 0;
    for (const std::string& response : result.responses) {
      bytes = std::max(bytes, response.size());
    }
    std::printf("%-62s %10zu %9zu\n", read.method.c_str(), bytes, result.responses.size());
    EXPECT_LE(bytes, kMaxReplyBytes) << read.method;
    largest = std::max(largest, bytes);
  }
  std::printf("largest answer: %zu bytes (limit %zu)\n\n", largest, kMaxReplyBytes);
  // The walk reached answers of the size the bound is about (the feed's
  // batches fill up to 512 KiB at this scale).
  EXPECT_GT(largest, kMaxReplyBytes / 4);

  // A school with more pending results than one export carries is told so,
  // and pages through them instead.
  std::vector<std::vector<std::string>> many;
  for (int i = 0; i < 1000; ++i) {
    const cv1::Section& section = gyeonggi.sections[i % GyeonggiTerm::kSections];
    many.push_back({kSchoolA, absl::StrCat("big-", i), section.name(),
                    section.name().substr(section.name().rfind('/') + 1), kSchoolA});
  }
  record_results(many);
  rv1::ExportPendingResultsRequest export_all;
  export_all.set_parent(school_a_name);
  rv1::ExportPendingResultsResponse exported;
  context = ContextWithToken(school_a);
  const grpc::Status too_large =
      suite.credit().ExportPendingResults(context.get(), export_all, &exported);
  EXPECT_EQ(too_large.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(too_large.error_message(), ::testing::HasSubstr("ListPendingResults"));
  rv1::ListPendingResultsRequest list_pending;
  list_pending.set_parent(school_a_name);
  list_pending.set_page_size(kLargestPage);
  int pending = 0;
  do {
    rv1::ListPendingResultsResponse page;
    context = ContextWithToken(school_a);
    const grpc::Status status =
        suite.credit().ListPendingResults(context.get(), list_pending, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(page.ByteSizeLong(), kMaxReplyBytes);
    pending += page.entries_size();
    list_pending.set_page_token(page.next_page_token());
  } while (!list_pending.page_token().empty());
  EXPECT_GE(pending, 1000);
}

}  // namespace
}  // namespace osan::testing
