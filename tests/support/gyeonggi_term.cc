#include "tests/support/gyeonggi_term.h"

#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/names.h"

namespace osan::testing {

namespace cv1 = catalog::v1;

std::string GyeonggiTerm::SchoolCode(int i) {
  return i == 0 ? kSchoolA : i == 1 ? kSchoolB : absl::StrFormat("S%04d", i);
}

GyeonggiTerm CreateGyeonggiTerm(Exchange& exchange) {
  using T = GyeonggiTerm;
  GyeonggiTerm gyeonggi;
  for (int i = 0; i < T::kSections; ++i) {
    gyeonggi.sections.push_back(exchange.CreateSection(
        i % 2 == 0 ? kSchoolA : kSchoolB, absl::StrCat("공동 과목 ", i + 1), cv1::LOTTERY,
        T::kCapacity, static_cast<cv1::Weekday>(cv1::MONDAY + i % 5), 9 + i % 8,
        cv1::ENROLLMENT_CLOSED));
  }
  const std::string& first = gyeonggi.sections.front().name();
  gyeonggi.term = first.substr(0, first.find("/sections/"));

  pqxx::connection connection(exchange.enrollment_database_url());
  pqxx::work tx(connection);
  tx.exec0(
      "CREATE TEMPORARY TABLE gyeonggi_sections (n int PRIMARY KEY, id uuid, name text,"
      " host text, snapshot bytea) ON COMMIT DROP");
  tx.exec0(absl::StrCat("CREATE TEMPORARY TABLE gyeonggi_schools (n int PRIMARY KEY, code text)",
                        " ON COMMIT DROP"));
  for (int i = 0; i < T::kSections; ++i) {
    const cv1::Section& section = gyeonggi.sections[i];
    tx.exec_params0("INSERT INTO gyeonggi_sections VALUES ($1, $2, $3, $4, $5)", i,
                    section.name().substr(section.name().rfind('/') + 1), section.name(),
                    InstitutionCodeOf(section.host()),
                    pqxx::binarystring(section.SerializeAsString()));
  }
  for (int i = 0; i < T::kSchools; ++i) {
    tx.exec_params0("INSERT INTO gyeonggi_schools VALUES ($1, $2)", i, GyeonggiTerm::SchoolCode(i));
  }
  const int entry_year = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(9 * 3600)).year() - 1;
  tx.exec_params0(
      "INSERT INTO students (school_code, student_key, entry_year, display_name)"
      " SELECT c.code, 's-' || g, $2, '학생 ' || g FROM generate_series(1, $1) g"
      " JOIN gyeonggi_schools c ON c.n = g % $3",
      T::kStudents, entry_year, T::kSchools);
  // Preference r of student g: section (g * 7919 + r * 357) mod 538, five
  // different sections for each student.
  tx.exec_params0(
      "INSERT INTO applications (id, school_code, student_key, term_id, section_id,"
      " section_name, host_code, credits, section_snapshot, preference_rank, state, reason,"
      " decided_by)"
      " SELECT gen_random_uuid(), c.code, 's-' || g, $4, s.id, s.name, s.host, 1, s.snapshot, r,"
      " 'APPROVED', '', c.code"
      " FROM generate_series(1, $1) g JOIN gyeonggi_schools c ON c.n = g % $3,"
      " generate_series(1, $2) r"
      " JOIN LATERAL (SELECT * FROM gyeonggi_sections WHERE n = (g * 7919 + r * 357) % $5) s"
      " ON true",
      T::kStudents, T::kPreferences, T::kSchools, gyeonggi.term.substr(gyeonggi.term.find('/') + 1),
      T::kSections);
  tx.commit();
  return gyeonggi;
}

}  // namespace osan::testing
