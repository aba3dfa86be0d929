#!/usr/bin/env bash
# Starts or stops a private PostgreSQL 15 cluster.
#
#   pg_cluster.sh start DATA_DIR [PORT]   initdb if needed, start, print the URL
#   pg_cluster.sh stop DATA_DIR           stop (fast shutdown)
#
# initdb refuses to run as root, so as root the cluster runs as the `postgres`
# user. PORT defaults to a free port chosen at random. The admin URL is also
# written to DATA_DIR/../<name>.url so that other processes can find it.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
command=${1:?usage: pg_cluster.sh start|stop DATA_DIR [PORT]}
data_dir=${2:?usage: pg_cluster.sh start|stop DATA_DIR [PORT]}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for port in $(shuf -i 20000-45000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

case "$command" in
  start)
    port=${3:-$(free_port)}
    mkdir -p "$data_dir"
    data_dir=$(cd "$data_dir" && pwd)
    if [ "$(id -u)" = 0 ]; then
      chown postgres:postgres "$data_dir"
      chmod 700 "$data_dir"
      if ! runuser -u postgres -- test -w "$data_dir"; then
        echo "the postgres user cannot reach $data_dir (a parent folder is private);" \
             "move the checkout or the data folder somewhere it can" >&2
        exit 1
      fi
    fi
    if [ ! -f "$data_dir/PG_VERSION" ]; then
      as_owner "$PG_BIN/initdb" -D "$data_dir" -A trust -U postgres -E UTF8 \
        --locale=C.UTF-8 >"$data_dir.initdb.log" 2>&1 ||
        { cat "$data_dir.initdb.log" >&2; exit 1; }
    fi
    if as_owner "$PG_BIN/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
      echo "a server is already running in $data_dir; stop it first" >&2
      exit 1
    fi
    as_owner "$PG_BIN/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 \
      -o "-p $port -k $data_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" \
      start >/dev/null
    url="postgresql://postgres@127.0.0.1:$port/postgres"
    echo "$url" >"$data_dir.url"
    echo "$url"
    ;;
  stop)
    if [ -f "$data_dir/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DATA_DIR [PORT]" >&2
    exit 2
    ;;
esac
