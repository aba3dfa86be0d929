#include "services/credit/store/positions.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace osan::credit::store {
namespace {

absl::Status Malformed() { return InvalidField("page_token", "malformed position"); }

}  // namespace

absl::StatusOr<SessionPosition> ParseSessionPosition(const std::string& after) {
  SessionPosition position;
  if (after.empty()) {
    return position;
  }
  const std::vector<std::string> parts = absl::StrSplit(after, '/');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &position.session) ||
      !absl::SimpleAtoi(parts[1], &position.version)) {
    return Malformed();
  }
  return position;
}

std::string FormatSessionPosition(int session, int version) {
  return absl::StrCat(session, "/", version);
}

absl::StatusOr<int> ParseVersionPosition(const std::string& after) {
  int version = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &version)) {
    return Malformed();
  }
  return version;
}

absl::StatusOr<PendingPosition> ParsePendingPosition(const std::string& after) {
  PendingPosition position;
  if (after.empty()) {
    return position;
  }
  const std::vector<std::string> parts = absl::StrSplit(after, '/');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &position.micros)) {
    return Malformed();
  }
  position.entry_id = parts[1];
  return position;
}

std::string FormatPendingPosition(int64_t micros, const std::string& entry_id) {
  return absl::StrCat(micros, "/", entry_id);
}

absl::StatusOr<EventCursor> ParseEventCursor(const std::string& cursor) {
  EventCursor position;
  if (cursor.empty()) {
    return position;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(cursor, '.');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &position.txid) ||
      !absl::SimpleAtoi(parts[1], &position.seq) || position.seq < 0) {
    return InvalidField("cursor", "malformed; pass back a cursor from an event");
  }
  return position;
}

}  // namespace osan::credit::store
