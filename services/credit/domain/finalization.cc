#include "services/credit/domain/finalization.h"

#include "absl/strings/str_cat.h"

namespace osan::credit {

absl::Status CheckSessionsHeld(int planned, int held) {
  if (held >= planned) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(planned, " sessions planned, ", held,
                   " held; record the remaining sessions (make-up sessions are recorded as "
                   "sessions) before finalizing"));
}

std::map<std::string, v1::AttendanceSummary> SummarizeAttendance(
    const std::vector<v1::SessionAttendance>& sessions, int planned,
    const std::vector<std::string>& students) {
  std::map<std::string, v1::AttendanceSummary> summaries;
  for (const std::string& student : students) {
    summaries[student];
  }
  for (const v1::SessionAttendance& session : sessions) {
    for (const v1::AttendanceMark& mark : session.marks()) {
      const auto it = summaries.find(mark.student());
      if (it == summaries.end()) {
        continue;
      }
      v1::AttendanceSummary& summary = it->second;
      switch (mark.status()) {
        case v1::PRESENT:
          summary.set_present(summary.present() + 1);
          break;
        case v1::LATE:
          summary.set_late(summary.late() + 1);
          break;
        case v1::EARLY_LEAVE:
          summary.set_early_leave(summary.early_leave() + 1);
          break;
        case v1::EXCUSED:
          summary.set_excused(summary.excused() + 1);
          break;
        default:
          summary.set_absent(summary.absent() + 1);
      }
    }
  }
  for (auto& [student, summary] : summaries) {
    summary.set_sessions_held(static_cast<int>(sessions.size()));
    summary.set_sessions_planned(planned);
    summary.set_attended(summary.present() + summary.late() + summary.early_leave() +
                         summary.excused());
  }
  return summaries;
}

v1::ResultPackage DecidedPackage(const SectionOfResults& section, const StudentRecord& record) {
  v1::ResultPackage package;
  package.set_term(section.term);
  package.set_section(section.section);
  package.set_student(record.student);
  package.set_entry_year(record.entry_year);
  package.set_title(section.course.title());
  package.set_category(section.course.category());
  package.set_subject_area(section.course.subject_area());
  package.set_credits(section.course.credits());
  package.set_course_etag(section.course.course_etag());
  package.set_raw_score(record.assessment.raw_score());
  package.set_achievement_rate(record.assessment.achievement_rate());
  package.set_notes(record.assessment.notes());
  *package.mutable_attendance() = record.attendance;
  package.set_delivery_label(section.delivery_label);
  package.set_host(section.host);
  package.set_host_display_name(section.host_display_name);
  *package.mutable_rule() = record.rule;
  for (const v1::SupportRecord& support : record.support) {
    *package.add_support() = support;
  }
  Decide(&package);
  return package;
}

SectionStatistics StatisticsOf(const std::vector<const v1::ResultPackage*>& packages) {
  std::vector<ScoredStudent> scored;
  for (const v1::ResultPackage* package : packages) {
    scored.push_back({package->raw_score(), StatisticsLevel(*package)});
  }
  const std::vector<std::string> levels =
      packages.empty() ? std::vector<std::string>()
                       : LevelsOf(ScaleFor(packages[0]->category(), packages[0]->subject_area()));
  return Summarize(scored, levels);
}

bool SameStatistics(const v1::ResultPackage& a, const v1::ResultPackage& b) {
  if (a.course_mean() != b.course_mean() || a.student_count() != b.student_count() ||
      a.level_distribution_percent().size() != b.level_distribution_percent().size()) {
    return false;
  }
  for (const auto& [level, percent] : a.level_distribution_percent()) {
    const auto it = b.level_distribution_percent().find(level);
    if (it == b.level_distribution_percent().end() || it->second != percent) {
      return false;
    }
  }
  return true;
}

}  // namespace osan::credit
