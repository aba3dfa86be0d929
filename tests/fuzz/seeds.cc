// Writes the binary seed inputs of the fuzz targets (valid serialized
// messages in each target's input format) under DIR/<target>/, as committed
// in tests/fuzz/corpus. Rerun after changing an input format:
//
//   ninja -C build-fuzz osan_fuzz_seeds
//   build-fuzz/tests/fuzz/osan_fuzz_seeds tests/fuzz/corpus
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/paging.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "osan/credit/v1/credit.pb.h"
#include "osan/enrollment/v1/enrollment.pb.h"

namespace osan::fuzz {
namespace {

namespace cv1 = catalog::v1;

std::filesystem::path root;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  const std::filesystem::path dir = root / target;
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string Serialized(char prefix, const google::protobuf::Message& message) {
  return std::string(1, prefix) + message.SerializeAsString();
}

// Deterministic filler bytes for the targets that decode plain bytes.
std::string Bytes(uint32_t seed, size_t size) {
  std::string bytes;
  for (size_t i = 0; i < size; ++i) {
    seed = seed * 1103515245 + 12345;
    bytes.push_back(static_cast<char>(seed >> 16));
  }
  return bytes;
}

void SetTime(type::v1::TimeOfDay* time, int hours, int minutes) {
  time->set_hours(hours);
  time->set_minutes(minutes);
}

cv1::Section WeeklySection(const std::string& id, cv1::Weekday day, int from, int to) {
  cv1::Section section;
  section.set_name("terms/2026-1/sections/" + id);
  section.set_course("courses/0b6f2c1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b");
  section.set_host("institutions/OSAN-AICODING");
  section.set_capacity(20);
  section.set_min_enrollment(5);
  section.set_sessions(64);
  auto* meeting = section.add_weekly_meetings();
  meeting->set_weekday(day);
  SetTime(meeting->mutable_start_time(), from, 0);
  SetTime(meeting->mutable_end_time(), to, 50);
  section.set_location("에듀랩 2층");
  section.set_instructor_display_name("김코딩");
  section.add_eligible_grades(2);
  section.add_eligible_grades(3);
  section.set_per_school_cap(4);
  section.set_host_share_cap_percent(65);
  section.set_allocation_policy(cv1::LOTTERY);
  section.set_state(cv1::PUBLISHED);
  return section;
}

cv1::Section DatedSection() {
  cv1::Section section = WeeklySection("2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", cv1::MONDAY, 9, 10);
  section.clear_weekly_meetings();
  for (int day : {7, 14}) {
    auto* meeting = section.add_dated_meetings();
    meeting->mutable_date()->set_year(2026);
    meeting->mutable_date()->set_month(3);
    meeting->mutable_date()->set_day(day);
    SetTime(meeting->mutable_start_time(), 9, 0);
    SetTime(meeting->mutable_end_time(), 12, 0);
  }
  section.set_allocation_policy(cv1::PRIORITY);
  auto* rule = section.add_priority_rules();
  rule->add_schools("institutions/J10-7531001");
  rule->add_grade_levels(2);
  rule->set_description("같은 권역 학교");
  section.add_eligible_schools("institutions/J10-7531001");
  section.add_eligible_schools("institutions/J10-7531002");
  return section;
}

void CatalogSeeds() {
  const std::string target = "catalog_fuzz";
  Write(target, "section-weekly.bin",
        Serialized(0, WeeklySection("7e0c8b1a-2f3d-4c5e-9a6b-1d2e3f4a5b6c", cv1::TUESDAY, 16, 17)));
  Write(target, "section-dated.bin", Serialized(0, DatedSection()));

  cv1::Course course;
  course.set_title("인공지능 기초");
  course.set_category(cv1::CAREER_ELECTIVE);
  course.set_subject_area(cv1::LIFE_AND_LIBERAL);
  course.set_credits(4);
  course.set_delivery_mode(cv1::IN_PERSON);
  course.set_host("institutions/OSAN-AICODING");
  course.set_description("파이썬으로 배우는 인공지능\n실습 위주");
  Write(target, "course.bin", Serialized(1, course));
  course.set_category(cv1::OUT_OF_SCHOOL);
  course.set_credits(0);
  course.set_delivery_mode(cv1::ONLINE_REALTIME);
  Write(target, "course-out-of-school.bin", Serialized(1, course));

  cv1::Term term;
  term.set_year(2026);
  term.set_semester(1);
  term.mutable_application_window()->set_start_unix(1767225600);  // 2026-01-01
  term.mutable_application_window()->set_end_unix(1768435200);
  term.mutable_makeup_window()->set_start_unix(1772323200);
  term.mutable_makeup_window()->set_end_unix(1772928000);
  const auto date = [](type::v1::Date* d, int y, int m, int day) {
    d->set_year(y);
    d->set_month(m);
    d->set_day(day);
  };
  date(term.mutable_classes_start(), 2026, 3, 2);
  date(term.mutable_classes_end(), 2026, 7, 17);
  date(term.mutable_drop_deadline(), 2026, 3, 27);
  date(term.mutable_results_due(), 2026, 7, 31);
  Write(target, "term.bin", Serialized(2, term));

  cv1::Institution school;
  school.set_kind(cv1::HIGH_SCHOOL);
  school.set_display_name("매홀고등학교");
  school.set_office_code("J10");
  school.set_school_code("7531001");
  school.set_area("세교");
  Write(target, "institution-school.bin", Serialized(3, school));
  cv1::Institution academy;
  academy.set_kind(cv1::CITY_ACADEMY);
  academy.set_display_name("AI 코딩 에듀랩");
  academy.set_host_code("OSAN-AICODING");
  academy.set_address("경기도 오산시");
  Write(target, "institution-academy.bin", Serialized(3, academy));
}

void EnrollmentSeeds() {
  const std::string target = "enrollment_fuzz";
  enrollment::v1::Student student;
  student.set_student_key("s-104");
  student.set_grade_level(2);
  student.set_entry_year(2025);
  student.set_display_name("김하늘");
  Write(target, "student.bin", Serialized(0, student));
  student.set_student_key("900101-1234567");
  Write(target, "student-resident-number.bin", Serialized(0, student));

  cv1::ListSectionsResponse sections;
  *sections.add_sections() =
      WeeklySection("7e0c8b1a-2f3d-4c5e-9a6b-1d2e3f4a5b6c", cv1::TUESDAY, 16, 17);
  *sections.add_sections() =
      WeeklySection("3c2b1a0f-4e5d-4c6b-8a79-6f5e4d3c2b1a", cv1::TUESDAY, 17, 18);
  *sections.add_sections() = DatedSection();
  *sections.add_sections() =
      WeeklySection("5d4c3b2a-1f0e-4d9c-8b7a-695847362514", cv1::SATURDAY, 10, 11);
  // Preference rank 2, 4 credits, at most 6 applications and 24 credits.
  const std::string params("\x01\x04\x06\x18", 4);
  Write(target, "applications.bin", std::string(1, 1) + params + sections.SerializeAsString());
}

void CreditSeeds() {
  for (int i = 0; i < 4; ++i) {
    Write("credit_rules_fuzz", absl::StrCat("bytes-", i, ".bin"), Bytes(100 + i, 32 + 96 * i));
  }
  for (int i = 0; i < 3; ++i) {
    Write("allocation_fuzz", absl::StrCat("bytes-", i, ".bin"), Bytes(200 + i, 120 + 200 * i));
  }

  credit::v1::ListPendingResultsResponse pending;
  for (int i = 0; i < 3; ++i) {
    credit::v1::LedgerEntry* entry = pending.add_entries();
    entry->set_name(absl::StrCat("ledger/0000000", i));
    entry->set_version(i + 1);
    entry->set_reason("finalized");
    credit::v1::ResultPackage* p = entry->mutable_package();
    p->set_term("terms/2026-1");
    p->set_section("terms/2026-1/sections/7e0c8b1a-2f3d-4c5e-9a6b-1d2e3f4a5b6c");
    p->set_student(absl::StrCat("schools/J10-7531001/students/s-10", i));
    p->set_title(i == 1 ? "물리학, 실험 \"심화\"" : "인공지능 기초");
    p->set_category(cv1::CAREER_ELECTIVE);
    p->set_subject_area(cv1::SCIENCE);
    p->set_credits(4);
    p->set_credits_earned(i == 2 ? 0 : 4);
    p->set_raw_score(87.5);
    p->set_course_mean(71.3);
    p->set_achievement_level("B");
    (*p->mutable_level_distribution_percent())["A"] = 37.5;
    (*p->mutable_level_distribution_percent())["B"] = 62.5;
    p->set_student_count(12);
    p->set_rank("·");
    p->set_notes(i == 1 ? "실험 설계가 뛰어남,\r\n보고서 \"우수\"\n" : "성실함");
    p->mutable_attendance()->set_sessions_held(64);
    p->mutable_attendance()->set_sessions_planned(64);
    p->mutable_attendance()->set_attended(60);
    p->set_delivery_label("공동교육과정");
    p->set_remarks(i == 1 ? "공동교육과정, 출석률 미달로 인한 추가학습 실시" : "공동교육과정");
    p->set_course_etag("3");
    p->set_entry_year(i == 0 ? 2024 : 2025);
    credit::v1::CompletionRule* rule = p->mutable_rule();
    rule->set_curriculum(i == 0 ? "2015" : "2022");
    rule->set_first_school_year(i == 0 ? 2018 : 2025);
    rule->set_subject_kind(credit::v1::ANY_SUBJECT);
    rule->set_requires_attendance(true);
    rule->set_attendance_numerator(2);
    rule->set_attendance_denominator(3);
    rule->set_requires_achievement(i != 0);
    rule->set_minimum_achievement_rate(40);
    rule->set_source(i == 0 ? "2015 개정 교육과정" : "=교육부 2024-09 고교학점제 이수 기준");
    if (i == 1) {
      credit::v1::SupportRecord* support = p->add_support();
      support->set_kind(credit::v1::ADDITIONAL_STUDY);
      support->set_label("추가학습");
      support->set_satisfied(true);
      support->set_notes("+과제 제출");
    }
    p->set_host_display_name("AI 코딩 에듀랩");
    p->set_outcome(i == 2 ? credit::v1::REMEDIATION_REQUIRED : credit::v1::COMPLETED);
    p->set_outcome_reason(i == 2 ? "출석 2/3 미달 (10/16회), 성취율 40% 미만 (35.5%)" : "이수");
  }
  Write("results_csv_fuzz", "pending.bin", pending.SerializeAsString());
}

// FuzzedDataProvider's encoding: strings from the front (a backslash doubled;
// a backslash and another byte end the string), integers from the back.
std::string FdpString(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out.push_back(c);
    if (c == '\\') {
      out.push_back('\\');
    }
  }
  return out + "\\x";
}

void PageTokenSeeds() {
  const std::string target = "page_token_fuzz";
  // Same secret as page_token_fuzz.cc.
  const PageTokens tokens("fuzzing-secret-0123456789abcdef");
  cv1::ListSectionsRequest request;
  request.set_parent("terms/2026-1");
  request.set_host("institutions/OSAN-AICODING");
  const std::string scope = QueryScope("ListSections", request);
  const std::string position =
      "2026-1\x1f"
      "7e0c8b1a-2f3d-4c5e-9a6b-1d2e3f4a5b6c";
  // Same caller and time as page_token_fuzz.cc.
  const std::string token =
      tokens.Encode(scope, "J10-7531001", position, absl::FromUnixSeconds(1800000000));
  // Back bytes, read last first: mode, page size (4), where (2), what (1).
  const auto tail = [](char mode) { return std::string("X\x05\x00\x32\x00\x00\x00", 7) + mode; };
  Write(target, "decode-valid.bin", FdpString(scope) + FdpString(token) + token + tail(0));
  Write(target, "decode-tampered.bin",
        FdpString(scope) + FdpString(token.substr(0, token.size() - 2) + "AA") + "." + tail(0));
  Write(target, "round-trip.bin",
        FdpString(scope) + FdpString(position) + QueryScope("ListCourses", request) + tail(1));
  request.set_page_size(20);
  request.set_page_token(token);
  Write(target, "scope.bin",
        FdpString("") + FdpString(token) + request.SerializeAsString() + tail(2));
}

// Mode byte, then the time of verification (little-endian Unix seconds).
std::string JwtPrefix(char mode, uint32_t seconds) {
  std::string prefix(1, mode);
  for (int i = 0; i < 4; ++i) {
    prefix.push_back(static_cast<char>(seconds >> (8 * i)));
  }
  return prefix;
}

void JwtSeeds() {
  const std::string target = "jwt_fuzz";
  // jwt_fuzz.cc issues its valid token at 1790000000 for an hour.
  constexpr uint32_t kNow = 1790000100;
  Write(target, "arbitrary-token.bin",
        JwtPrefix(0, kNow) +
            "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6IngifQ.eyJzdWIiOiJKMTAifQ.c2lnbmF0dXJl");
  auto pair = auth::GenerateKeyPair();
  if (pair.ok()) {
    Write(target, "public-key.bin", JwtPrefix(0, kNow) + pair->public_key_pem);
  }
  const std::string claims = R"({"iss":"osan-credit-exchange","sub":"J10-7531001","role":"SCHOOL",)"
                             R"("iat":1790000000,"nbf":1790000000,"exp":1790003600,"aud":"osan"})";
  Write(target, "claims-valid.bin", JwtPrefix(1, kNow) + claims);
  Write(target, "claims-expired.bin", JwtPrefix(1, 1790009999) + claims);
  Write(target, "claims-odd.bin",
        JwtPrefix(1, kNow) + R"({"iss":"osan-credit-exchange","sub":"","role":7,"exp":"x"})");
  Write(target, "header-valid.bin",
        JwtPrefix(2, kNow) + R"({"alg":"EdDSA","typ":"JWT","kid":"$KID"})");
  Write(target, "header-none.bin", JwtPrefix(2, kNow) + R"({"alg":"none","kid":"$KID"})");
  Write(target, "splice-nothing.bin", JwtPrefix(3, kNow) + std::string("\x10\x00", 2));
  Write(target, "splice-dot.bin", JwtPrefix(3, kNow) + std::string("\x30\x01.", 3));
}

}  // namespace
}  // namespace osan::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  osan::fuzz::root = argv[1];
  osan::fuzz::CatalogSeeds();
  osan::fuzz::EnrollmentSeeds();
  osan::fuzz::CreditSeeds();
  osan::fuzz::PageTokenSeeds();
  osan::fuzz::JwtSeeds();
  return 0;
}
