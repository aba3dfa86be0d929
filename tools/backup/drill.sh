#!/usr/bin/env bash
# The backup and restore drill: the procedure of docs/operations.md ("Back up
# and restore") run end to end on a throwaway PostgreSQL in DIR, so that it is
# known to work:
#
#   tools/backup/drill.sh DIR
#
# 1. a database with WAL archiving on (archive_command copies each segment to
#    DIR/archive, as deploy/patroni/patroni.yml does);
# 2. rows 1..N committed, a base backup taken with pg_basebackup, rows
#    N+1..2N committed; the time T noted;
# 3. the mistake: every row deleted, after T;
# 4. the restore: the base backup copied to a new data directory, WAL replayed
#    from the archive up to T (recovery_target_time), then promoted;
# 5. the check: the restored database holds exactly rows 1..2N.
#
# Prints the backup's size, the rows restored and the time taken; exits
# non-zero when the restored rows are not exactly those committed before T.
set -euo pipefail

dir=${1:?usage: drill.sh DIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=/usr/lib/postgresql/15/bin
rows=500

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
source_dir=$dir/source
restored_dir=$dir/restored
archive=$dir/archive
as_postgres mkdir -p "$archive"
trap 'as_postgres "$bin/pg_ctl" -D "$restored_dir" -m immediate stop >/dev/null 2>&1 || true
      "$root/tests/support/pg_cluster.sh" stop "$source_dir" >/dev/null 2>&1 || true' EXIT
started=$(date +%s%N)

say "a database archiving its WAL to $archive"
url=$("$root/tests/support/pg_cluster.sh" start "$source_dir")
psql -qAt "$url" <<SQL >/dev/null
ALTER SYSTEM SET archive_mode = on;
ALTER SYSTEM SET archive_command = 'test ! -f $archive/%f && cp %p $archive/%f';
SQL
port=${url##*:}
port=${port%%/*}
"$root/tests/support/pg_cluster.sh" stop "$source_dir"
url=$("$root/tests/support/pg_cluster.sh" start "$source_dir" "$port")
psql -qAt "$url" -c "CREATE TABLE drill (n int PRIMARY KEY, at timestamptz DEFAULT now())"
psql -qAt "$url" -c "INSERT INTO drill (n) SELECT generate_series(1, $rows)"

say "base backup (pg_basebackup)"
# (The throwaway cluster keeps its socket in its data directory; the backup
# skips it, and the restore drops its lock file and log.)
as_postgres "$bin/pg_basebackup" -d "$url" -D "$dir/base" -X stream -c fast 2>&1 |
  { grep -v 'skipping special file' >&2 || true; }
backup_kb=$(du -sk "$dir/base" | cut -f1)
psql -qAt "$url" -c "INSERT INTO drill (n) SELECT generate_series($((rows + 1)), $((2 * rows)))"
target=$(psql -qAt "$url" -c "SELECT now()")
# The mistake comes strictly after the target time.
sleep 1
psql -qAt "$url" -c "DELETE FROM drill"
psql -qAt "$url" -c "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 100); do
  archived=$(psql -qAt "$url" -c "SELECT last_archived_wal IS NOT NULL AND
    last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver")
  [ "$archived" = t ] && break
  sleep 0.1
done
"$root/tests/support/pg_cluster.sh" stop "$source_dir"

say "restoring the base backup and replaying WAL to $target"
as_postgres cp -a "$dir/base" "$restored_dir"
as_postgres rm -f "$restored_dir"/.s.PGSQL.* "$restored_dir/server.log"
as_postgres tee -a "$restored_dir/postgresql.auto.conf" >/dev/null <<CONF
restore_command = 'cp $archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
archive_mode = off
CONF
as_postgres touch "$restored_dir/recovery.signal"
url=$("$root/tests/support/pg_cluster.sh" start "$restored_dir" "$port")
for _ in $(seq 300); do
  [ "$(psql -qAt "$url" -c "SELECT pg_is_in_recovery()")" = f ] && break
  sleep 0.1
done
restored=$(psql -qAt "$url" -c "SELECT count(*) FROM drill WHERE n BETWEEN 1 AND $((2 * rows))")
extra=$(psql -qAt "$url" -c "SELECT count(*) FROM drill WHERE n NOT BETWEEN 1 AND $((2 * rows))")
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
printf 'restore drill: base backup %d kB, replayed to %s, rows %d of %d, others %d, in %d.%03d s\n' \
  "$backup_kb" "$target" "$restored" $((2 * rows)) "$extra" $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
[ "$restored" = $((2 * rows)) ] && [ "$extra" = 0 ]
