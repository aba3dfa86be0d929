// Assertions on statuses shared by the test suites.
#ifndef OSAN_TESTS_SUPPORT_STATUS_ASSERTIONS_H_
#define OSAN_TESTS_SUPPORT_STATUS_ASSERTIONS_H_

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace osan::testing {

// INVALID_ARGUMENT whose message starts with "<field>: ".
inline ::testing::AssertionResult IsInvalidField(const absl::Status& status,
                                                 absl::string_view field) {
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return ::testing::AssertionFailure() << "expected INVALID_ARGUMENT, got " << status;
  }
  if (!absl::StartsWith(status.message(), absl::StrCat(field, ": "))) {
    return ::testing::AssertionFailure()
           << "message does not start with '" << field << ": ': " << status.message();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace osan::testing

#endif  // OSAN_TESTS_SUPPORT_STATUS_ASSERTIONS_H_
