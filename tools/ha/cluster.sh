#!/usr/bin/env bash
# A highly available PostgreSQL 15 on one machine, for development and tests:
# three instances managed by Patroni with one etcd as its store, synchronous
# replication (`synchronous_mode` and `synchronous_mode_strict`: a commit is
# acknowledged only once a standby has it, even while the standbys restart, so
# a failover loses no acknowledged write). Services reach
# the leader through a multi-host URL with target_session_attrs=read-write
# (printed by `url`). Production runs the same configuration on three hosts
# with three etcd members (docs/design.md, "High availability").
#
#   cluster.sh start DIR       start etcd and the three nodes under DIR; waits
#                              until a leader and a synchronous standby serve
#   cluster.sh url DIR DB      the multi-host URL of database DB
#   cluster.sh status DIR      patronictl list
#   cluster.sh failover DIR    the failover drill: writes through the URL while
#                              the leader is killed (-9, Patroni and PostgreSQL),
#                              then prints the outage and checks that every
#                              acknowledged write survived; exits non-zero if
#                              one was lost
#   cluster.sh kill-leader DIR kill -9 the leader's Patroni and PostgreSQL (a
#                              lost host: the standby takes over)
#   cluster.sh crash-postgres DIR
#                              kill -9 the leader's PostgreSQL only (a crash:
#                              Patroni restarts it, with crash recovery)
#   cluster.sh revive DIR      start again the nodes killed (they rejoin as
#                              standbys); waits for a synchronous standby
#   cluster.sh stop DIR        stop everything started under DIR
#
# Ports, one block from OSAN_HA_PORT (default 5441) at start, kept for the
# cluster's later commands: +0..2 PostgreSQL, +10..12 Patroni's REST API, +20
# and +21 etcd (clients, peers).
# Run as root: PostgreSQL runs as the `postgres` user.
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || {
  sed -n '2,31p' "$0" >&2
  exit 2
}
dir=$(realpath -m "$dir")
# A cluster keeps the ports it started on (DIR/base_port).
base_port=${OSAN_HA_PORT:-$(cat "$dir/base_port" 2>/dev/null || echo 5441)}
etcd_port=$((base_port + 20))
nodes=(1 2 3)
bin_dir=/usr/lib/postgresql/15/bin

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The pids of node N's Patroni (under runuser, its own process), and etcd's.
patroni_pid() { pgrep -f "^/usr/bin/python3 /usr/bin/patroni $dir/node$1.yml" || true; }
etcd_pid() { pgrep -f "^etcd --name osan-ha --data-dir $dir/etcd" || true; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_port() { echo $((base_port + $1 - 1)); }
rest_port() { echo $((base_port + 10 + $1 - 1)); }

hosts() {
  local list=()
  for n in "${nodes[@]}"; do
    list+=("127.0.0.1:$(pg_port "$n")")
  done
  (IFS=,; echo "${list[*]}")
}

url() { echo "postgresql://postgres@$(hosts)/$1?target_session_attrs=read-write&connect_timeout=2"; }

write_config() {
  local n=$1
  cat >"$dir/node$n.yml" <<YAML
scope: osan
name: node$n
log:
  dir: $dir/logs
  file_num: 2
restapi:
  listen: 127.0.0.1:$(rest_port "$n")
  connect_address: 127.0.0.1:$(rest_port "$n")
etcd3:
  hosts: 127.0.0.1:$etcd_port
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    # Without a synchronous standby (one restarting after a crash), commits
    # wait rather than be acknowledged by the leader alone.
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      parameters:
        max_connections: 300
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
postgresql:
  # Written into pg_hba.conf at every start (a node rejoining after a kill too).
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $dir/node$n
  bin_dir: $bin_dir
  pgpass: $dir/node$n.pgpass
  authentication:
    superuser:
      username: postgres
      password: postgres
    replication:
      username: replicator
      password: replicator
  parameters:
    unix_socket_directories: $dir
YAML
}

start() {
  mkdir -p "$dir/logs"
  echo "$base_port" >"$dir/base_port"
  chown postgres "$dir" "$dir/logs" 2>/dev/null || true
  say "starting etcd on 127.0.0.1:$etcd_port"
  as_postgres etcd --name osan-ha --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-cluster "osan-ha=http://127.0.0.1:$((etcd_port + 1))" \
    >"$dir/logs/etcd.log" 2>&1 &
  for _ in $(seq 50); do
    etcdctl --endpoints "127.0.0.1:$etcd_port" endpoint health >/dev/null 2>&1 && break
    sleep 0.2
  done
  for n in "${nodes[@]}"; do
    write_config "$n"
    chown postgres "$dir/node$n.yml" 2>/dev/null || true
    start_node "$n"
    # The first node bootstraps the cluster before the others join.
    if [ "$n" = 1 ]; then
      wait_for "a leader" leader_port
    fi
  done
  wait_for "a synchronous standby" sync_standby
  say "PostgreSQL under Patroni: $(url postgres)"
}

start_node() {
  say "starting Patroni node$1 (PostgreSQL on 127.0.0.1:$(pg_port "$1"))"
  as_postgres patroni "$dir/node$1.yml" >>"$dir/logs/patroni-node$1.log" 2>&1 &
}

# Starts again the nodes whose Patroni is not running (they rejoin as
# standbys, rewound if needed) and waits until every node runs: a node that
# has not joined within 60 s (a rewound standby can start without the
# leader's address and wait for WAL forever) is cloned afresh from the
# leader (patronictl reinit). Strict synchronous mode needs the nodes back:
# with one down, losing the leader stops writes until a standby returns.
revive() {
  local n
  for n in "${nodes[@]}"; do
    if [ -z "$(patroni_pid "$n")" ]; then
      start_node "$n"
    fi
  done
  wait_for "a leader" leader_port
  for n in "${nodes[@]}"; do
    if ! try_for 60 node_running "$n"; then
      say "node$n has not joined; cloning it afresh from the leader"
      as_postgres patronictl -c "$dir/node$n.yml" reinit osan "node$n" --force --wait \
        >>"$dir/logs/patroni-node$n.log" 2>&1 || true
      try_for 120 node_running "$n" || { echo "node$n did not rejoin; logs in $dir/logs" >&2; exit 1; }
    fi
  done
  wait_for "a synchronous standby" sync_standby
}

# Whether node $1's PostgreSQL runs (as leader or as a standby replaying).
node_running() {
  curl -fsS "http://127.0.0.1:$(rest_port "$1")/health" >/dev/null 2>&1
}

# The port of the node Patroni names leader, if any.
leader_port() {
  local n
  for n in "${nodes[@]}"; do
    if curl -fsS "http://127.0.0.1:$(rest_port "$n")/primary" >/dev/null 2>&1; then
      pg_port "$n"
      return 0
    fi
  done
  return 1
}

sync_standby() {
  local n
  for n in "${nodes[@]}"; do
    if curl -fsS "http://127.0.0.1:$(rest_port "$n")/synchronous" >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}

# try_for SECONDS CHECK [ARGS]: whether CHECK succeeds within SECONDS.
try_for() {
  local seconds=$1
  shift
  for _ in $(seq $((seconds * 5))); do
    if "$@" >/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# wait_for WHAT CHECK: up to 60 s, else the script fails.
wait_for() {
  try_for 60 "$2" || { echo "no $1 after 60 s; logs in $dir/logs" >&2; exit 1; }
}

stop() {
  local n
  local pid
  for n in "${nodes[@]}"; do
    pid=$(patroni_pid "$n")
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for n in "${nodes[@]}"; do
    pid=$(patroni_pid "$n")
    if [ -n "$pid" ]; then
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    # A PostgreSQL left behind by a killed Patroni.
    [ -f "$dir/node$n/postmaster.pid" ] &&
      as_postgres "$bin_dir/pg_ctl" -D "$dir/node$n" -m immediate stop >/dev/null 2>&1 || true
  done
  pid=$(etcd_pid)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
}

# The node whose PostgreSQL listens on port $1.
node_on_port() {
  local n
  for n in "${nodes[@]}"; do
    if [ "$(pg_port "$n")" = "$1" ]; then
      echo "$n"
    fi
  done
}

# kill-leader / crash-postgres: kill -9 the leader's PostgreSQL, and with
# `all` its Patroni first; prints the leader's port.
kill_leader() {
  local port node
  port=$(leader_port) || { echo "no leader" >&2; return 1; }
  node=$(node_on_port "$port")
  if [ "$1" = all ]; then
    kill -9 "$(patroni_pid "$node")" 2>/dev/null || true
  fi
  kill -9 "$(head -1 "$dir/node$node/postmaster.pid")" 2>/dev/null || true
  echo "$port"
}

# The drill: one writer inserting numbered rows through the multi-host URL,
# each in its own transaction, recording the numbers whose commit it saw
# acknowledged; the leader's Patroni and PostgreSQL are killed -9 after a
# second of writing; writing goes on until 100 more are acknowledged on the
# new leader; every acknowledged number must then be there.
failover() {
  local db_url
  db_url=$(url postgres)
  psql -qAt "$db_url" -c "DROP TABLE IF EXISTS drill; CREATE TABLE drill (n int PRIMARY KEY)"
  local acked="$dir/acked.txt"
  : >"$acked"
  local old
  old=$(leader_port)
  say "leader on 127.0.0.1:$old; writing, then killing it"
  local n=0 after=0 killed=0 first_failure="" recovered="" start_ns now_ns
  start_ns=$(date +%s%N)
  while [ "$after" -lt 100 ]; do
    n=$((n + 1))
    # Bounded: a commit waiting for a synchronous standby that never comes
    # would otherwise wait forever.
    if timeout 10 psql -qAt "$db_url" -c "INSERT INTO drill VALUES ($n)" >/dev/null 2>&1; then
      echo "$n" >>"$acked"
      if [ "$killed" = 1 ]; then
        [ -z "$recovered" ] && recovered=$(date +%s%N)
        after=$((after + 1))
      fi
    elif [ "$killed" = 1 ] && [ -z "$first_failure" ]; then
      first_failure=$(date +%s%N)
    fi
    now_ns=$(date +%s%N)
    if [ "$killed" = 0 ] && [ $((now_ns - start_ns)) -gt 1000000000 ]; then
      kill_leader all >/dev/null
      killed=1
      first_failure=$(date +%s%N)
    fi
    if [ $(($(date +%s%N) - start_ns)) -gt 120000000000 ]; then
      echo "no new leader took writes within 120 s" >&2
      return 1
    fi
  done
  local new
  new=$(leader_port)
  local acknowledged lost
  acknowledged=$(wc -l <"$acked")
  lost=$(psql -qAt "$db_url" -c "SELECT count(*) FROM unnest('{$(paste -sd, "$acked")}'::int[])
    AS acked (n) WHERE n NOT IN (SELECT n FROM drill)")
  local outage_ms=$(((recovered - first_failure) / 1000000))
  printf 'failover: leader 127.0.0.1:%s -> 127.0.0.1:%s, outage %d.%03d s, acknowledged writes %d, lost %d\n' \
    "$old" "$new" $((outage_ms / 1000)) $((outage_ms % 1000)) "$acknowledged" "$lost"
  [ "$lost" = 0 ] && [ "$new" != "$old" ]
}

case "$command" in
  start) start ;;
  stop) stop ;;
  url) url "${3:?database name}" ;;
  status) patronictl -c "$dir/node1.yml" list ;;
  failover) failover ;;
  kill-leader) kill_leader all ;;
  crash-postgres) kill_leader postgres ;;
  revive) revive ;;
  *)
    sed -n '2,31p' "$0" >&2
    exit 2
    ;;
esac
