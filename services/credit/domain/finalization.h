// Finalizing a section: from what the host recorded (sessions, assessments,
// preventive instruction) to one decided result package per student, with
// the section's statistics. Pure: the use case (Credit::FinalizeSection)
// reads the record and writes the ledger.
#ifndef OSAN_SERVICES_CREDIT_DOMAIN_FINALIZATION_H_
#define OSAN_SERVICES_CREDIT_DOMAIN_FINALIZATION_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"
#include "services/credit/domain/rules.h"

namespace osan::credit {

// Credits only for hours delivered: FAILED_PRECONDITION unless every one of
// the `planned` sessions was `held` (make-up sessions count as sessions).
absl::Status CheckSessionsHeld(int planned, int held);

// The attendance of each of `students` (resource names) over the held
// `sessions`: a count per status (a mark of no known status counts as
// absent), sessions held and planned, and attended = present + late + early
// leave + excused. A student with no mark attended nothing; marks of anyone
// else are ignored.
std::map<std::string, v1::AttendanceSummary> SummarizeAttendance(
    const std::vector<v1::SessionAttendance>& sessions, int planned,
    const std::vector<std::string>& students);

// What every result of one section shares.
struct SectionOfResults {
  std::string term;     // `terms/{year}-{semester}`
  std::string section;  // the section's resource name
  // The course as the credits count it (catalog::RecognisedFacts).
  catalog::v1::RecognisedVersion course;
  std::string host;  // `institutions/{code}`
  std::string host_display_name;
  // The remarks label of the host's kind and delivery (SelectRemarks).
  std::string delivery_label;
};

// What one student brings to the result.
struct StudentRecord {
  std::string student;  // `schools/{code}/students/{key}`
  int entry_year = 0;
  v1::Assessment assessment;  // the latest
  v1::AttendanceSummary attendance;
  v1::CompletionRule rule;  // RuleForStudent
  std::vector<v1::SupportRecord> support;
};

// The student's result package, decided (Decide); without the section's
// statistics (SetStatistics).
v1::ResultPackage DecidedPackage(const SectionOfResults& section, const StudentRecord& record);

// The statistics of a section's results: raw scores and levels as assessed
// (StatisticsLevel), on the scale of the first package's subject.
SectionStatistics StatisticsOf(const std::vector<const v1::ResultPackage*>& packages);

// Sets the section's statistics on `message`: a result's package, or the
// FinalizeSectionResponse that reports them (the same three fields).
template <class Message>
void SetStatistics(const SectionStatistics& statistics, Message* message) {
  message->set_course_mean(statistics.course_mean);
  message->mutable_level_distribution_percent()->clear();
  message->mutable_level_distribution_percent()->insert(statistics.level_percent.begin(),
                                                        statistics.level_percent.end());
  message->set_student_count(statistics.student_count);
}

// Whether two packages carry the same section statistics.
bool SameStatistics(const v1::ResultPackage& a, const v1::ResultPackage& b);

}  // namespace osan::credit

#endif  // OSAN_SERVICES_CREDIT_DOMAIN_FINALIZATION_H_
