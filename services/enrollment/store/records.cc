#include "services/enrollment/store/records.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace osan::enrollment::store {

std::vector<StudentRef> InLockOrder(std::vector<StudentRef> students) {
  std::sort(students.begin(), students.end());
  students.erase(std::unique(students.begin(), students.end()), students.end());
  return students;
}

absl::Status LiveApplicationExists() {
  return absl::AlreadyExistsError("the student already has a live application there");
}

std::string FeedCursor::Encode() const { return absl::StrCat(txid, ".", seq); }

absl::StatusOr<FeedCursor> FeedCursor::Decode(absl::string_view text) {
  FeedCursor cursor;
  if (text.empty()) {
    return cursor;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  uint64_t txid = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &txid) ||
      !absl::SimpleAtoi(parts[1], &cursor.seq) || cursor.seq < 0) {
    return InvalidField("cursor", "malformed; pass back a cursor from an event");
  }
  cursor.txid = absl::StrCat(txid);
  return cursor;
}

}  // namespace osan::enrollment::store
