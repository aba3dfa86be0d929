#include "services/credit/domain/results_sheet.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/catalog/vocabulary/labels.h"
#include "services/credit/domain/rules.h"

namespace osan::credit {
std::string OutcomeLabel(v1::Outcome outcome) {
  switch (outcome) {
    case v1::COMPLETED:
      return "이수";
    case v1::REMEDIATION_REQUIRED:
      return "보충 필요";
    case v1::NOT_COMPLETED:
      return "미이수";
    default:
      return "";
  }
}

spreadsheet::Sheet ResultsSheet(const std::vector<v1::LedgerEntry>& entries) {
  using spreadsheet::Cell;
  spreadsheet::Sheet sheet{"미반영 성적",
                           {"학생",
                            "학기",
                            "과목",
                            "구분",
                            "학점",
                            "취득학점",
                            "원점수",
                            "과목평균",
                            "성취도",
                            "성취도별 분포비율",
                            "수강자수",
                            "석차등급",
                            "세부능력 및 특기사항",
                            "수업 횟수",
                            "출석 횟수",
                            "결석",
                            "지각",
                            "조퇴",
                            "비고",
                            "개설 기관",
                            "이수 여부",
                            "사유",
                            "최소 성취수준 보장지도",
                            "교육과정",
                            "이수 기준",
                            "이수 기준 근거",
                            "결과",
                            "버전"},
                           {}};
  for (const auto& entry : entries) {
    const v1::ResultPackage& p = entry.package();
    // "A:33.3% B:66.7% C:0.0% ...", levels in order (A-E, then I, P).
    std::vector<std::string> distribution;
    for (const auto& [level, percent] : std::map<std::string, double>(
             p.level_distribution_percent().begin(), p.level_distribution_percent().end())) {
      distribution.push_back(absl::StrCat(level, ":", absl::StrFormat("%.1f", percent), "%"));
    }
    std::vector<std::string> support;
    for (const v1::SupportRecord& record : p.support()) {
      support.push_back(
          record.kind() == v1::PREVENTIVE_INSTRUCTION
              ? record.label()
              : absl::StrCat(record.label(), record.satisfied() ? " 이수" : " 미이수"));
    }
    const std::string curriculum =
        p.rule().curriculum().empty() ? "" : absl::StrCat(p.rule().curriculum(), " 개정");
    // Text (from hosts, schools, the ledger and the rule table) is text
    // (neutralised in CSV); the numbers are the service's own.
    sheet.rows.push_back({Cell::Text(p.student()),
                          Cell::Text(p.term()),
                          Cell::Text(p.title()),
                          Cell::Text(catalog::CategoryLabel(p.category())),
                          Cell::Integer(p.credits()),
                          Cell::Integer(p.credits_earned()),
                          Cell::Decimal(p.raw_score()),
                          Cell::Decimal(p.course_mean()),
                          Cell::Text(p.achievement_level()),
                          Cell::Text(absl::StrJoin(distribution, " ")),
                          Cell::Integer(p.student_count()),
                          Cell::Text(p.rank()),
                          Cell::Text(p.notes()),
                          Cell::Integer(p.attendance().sessions_held()),
                          Cell::Integer(p.attendance().attended()),
                          Cell::Integer(p.attendance().absent()),
                          Cell::Integer(p.attendance().late()),
                          Cell::Integer(p.attendance().early_leave()),
                          Cell::Text(p.remarks()),
                          Cell::Text(p.host_display_name()),
                          Cell::Text(OutcomeLabel(p.outcome())),
                          Cell::Text(p.outcome_reason()),
                          Cell::Text(absl::StrJoin(support, ", ")),
                          Cell::Text(curriculum),
                          Cell::Text(p.has_rule() ? DescribeRule(p.rule()) : ""),
                          Cell::Text(p.rule().source()),
                          Cell::Text(entry.name()),
                          Cell::Integer(entry.version())});
  }
  return sheet;
}

std::string ResultsCsv(const std::vector<v1::LedgerEntry>& entries) {
  return spreadsheet::WorkbookCsv({ResultsSheet(entries)});
}

}  // namespace osan::credit
