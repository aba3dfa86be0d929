// Positions in credit-record's paged reads and its result feed, as page
// tokens and cursors carry them: one format for the store and its twin.
#ifndef OSAN_SERVICES_CREDIT_STORE_POSITIONS_H_
#define OSAN_SERVICES_CREDIT_STORE_POSITIONS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace osan::credit::store {

// Attendance: "{session number}/{version}"; the empty position is before
// the first.
struct SessionPosition {
  int session = 0;
  int version = 0;
};
absl::StatusOr<SessionPosition> ParseSessionPosition(const std::string& after);
std::string FormatSessionPosition(int session, int version);

// A ledger entry's history: the version number.
absl::StatusOr<int> ParseVersionPosition(const std::string& after);

// Pending results: "{record time in microseconds}/{entry id}".
struct PendingPosition {
  int64_t micros = -1;
  std::string entry_id = "00000000-0000-0000-0000-000000000000";
};
absl::StatusOr<PendingPosition> ParsePendingPosition(const std::string& after);
std::string FormatPendingPosition(int64_t micros, const std::string& entry_id);

// The result feed: "{transaction id}.{sequence}"; the empty cursor is the
// start.
struct EventCursor {
  uint64_t txid = 0;
  int64_t seq = 0;
};
absl::StatusOr<EventCursor> ParseEventCursor(const std::string& cursor);

}  // namespace osan::credit::store

#endif  // OSAN_SERVICES_CREDIT_STORE_POSITIONS_H_
