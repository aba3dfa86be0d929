#include "common/migrations.h"

#include <pqxx/pqxx>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/idempotency.h"
#include "common/log.h"

namespace osan::db {
namespace {

// Arbitrary constant shared by every service: migrations of one database never
// run concurrently.
constexpr long long kMigrationLockKey = 0x05A9C0DE;

}  // namespace

absl::StatusOr<int> ApplyMigrations(const std::string& database_url,
                                    const std::vector<Migration>& migrations) {
  int applied = 0;
  try {
    pqxx::connection connection(database_url);
    pqxx::nontransaction session(connection);
    session.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
    session.exec0(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "  version integer PRIMARY KEY,"
        "  name text NOT NULL,"
        "  applied_at timestamptz NOT NULL DEFAULT now())");
    session.exec0(kRequestLogSchema);
    session.exec0(audit::kAuditSchema);
    std::set<int> done;
    for (const auto& row : session.exec("SELECT version FROM schema_migrations")) {
      done.insert(row[0].as<int>());
    }
    session.commit();
    for (const Migration& migration : migrations) {
      if (done.count(migration.version) != 0) {
        continue;
      }
      pqxx::work tx(connection);
      tx.exec0(migration.sql);
      tx.exec_params0("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                      migration.version, migration.name);
      tx.commit();
      ++applied;
      log::Info("applied migration", {{"migration", migration.name}});
    }
    pqxx::nontransaction unlock(connection);
    unlock.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
  } catch (const std::exception& e) {
    log::Error("migration failed", {{"error", e.what()}});
    return absl::UnavailableError(absl::StrCat("database migration failed: ", e.what()));
  }
  return applied;
}

}  // namespace osan::db
