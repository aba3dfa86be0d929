// Schema migrations: numbered SQL scripts compiled into each service binary
// (see osan_embed_migrations in cmake/osan.cmake) and applied at start-up.
#ifndef OSAN_COMMON_MIGRATIONS_H_
#define OSAN_COMMON_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace osan::db {

struct Migration {
  // Strictly increasing across a service's migrations.
  int version;
  // File name without extension, e.g. "001_initial".
  std::string name;
  std::string sql;
};

// Applies every migration not yet recorded in `schema_migrations`, in version
// order, each in its own transaction together with its record. Also creates
// the suite's bookkeeping tables (schema_migrations, request_log,
// audit_log). Concurrent
// starters serialise on a PostgreSQL advisory lock, so each migration runs
// exactly once. Returns how many were applied (0 on a second start).
absl::StatusOr<int> ApplyMigrations(const std::string& database_url,
                                    const std::vector<Migration>& migrations);

}  // namespace osan::db

#endif  // OSAN_COMMON_MIGRATIONS_H_
