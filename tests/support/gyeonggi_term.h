// A term at Gyeonggi scale in an Exchange: 538 lottery sections (hosted by
// schools A and B, ENROLLMENT_CLOSED), 7,912 students of 395 schools (the
// first two are schools A and B, the rest exist only in enrollment), each
// with 5 approved applications to different sections: what a province's
// hub-school programme allocates in one term. Sections are created through
// catalog's API; students and applications are inserted into enrollment's
// database directly (setting up is not what the callers measure or check).
#ifndef OSAN_TESTS_SUPPORT_GYEONGGI_TERM_H_
#define OSAN_TESTS_SUPPORT_GYEONGGI_TERM_H_

#include <string>
#include <vector>

#include "tests/support/exchange_fixture.h"

namespace osan::testing {

struct GyeonggiTerm {
  static constexpr int kSections = 538;
  static constexpr int kSchools = 395;
  static constexpr int kStudents = 7912;
  static constexpr int kPreferences = 5;
  static constexpr int kCapacity = 15;
  static constexpr int kApplications = kStudents * kPreferences;

  // `terms/{year}-1`, the exchange's term.
  std::string term;
  std::vector<catalog::v1::Section> sections;

  // The code of school `i` (0 <= i < kSchools): schools A and B, then S0002...
  static std::string SchoolCode(int i);
};

// Sets the term up in `exchange` (after CreateBasics).
GyeonggiTerm CreateGyeonggiTerm(Exchange& exchange);

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_GYEONGGI_TERM_H_
