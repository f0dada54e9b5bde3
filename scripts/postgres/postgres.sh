#!/usr/bin/env bash
# Local PostgreSQL server for development, tests and CI (the database that replicas write to),
# run from the Debian package's binaries -- no Docker needed.
#
# Usage: scripts/postgres/postgres.sh <command> [options]
#   start            install the server if missing (apt-get, as root), create the cluster if
#                    needed, start it in the background, create the database and wait until it
#                    accepts connections; prints the connection URL
#   stop [--clean]   stop the server (fast shutdown, then SIGKILL after PG_STOP_TIMEOUT);
#                    --clean (or PG_CLEAN=1) also deletes the cluster's data
#   status           exit 0 if the server is running and accepting connections, else 1
#   url              print the connection URL (postgres://USER[:PASSWORD]@127.0.0.1:PORT/DB)
#   logs [-f] [N]    print the last N (default 100) lines of the server log
#
# Environment:
#   PG_PORT            TCP port on 127.0.0.1 (default 5432); nothing else is listened on
#   PG_STATE_DIR       where data, socket, log live (default <repo>/.postgres, git-ignored)
#   PG_DATABASE        database created on start (default streamwise_test)
#   PG_USER            superuser name (default postgres)
#   PG_PASSWORD        when set, TCP logins need this password (scram-sha-256); unset: trust.
#                      Chosen when the cluster is created: changing it needs `stop --clean` first.
#   PG_BIN             directory of initdb/pg_ctl/postgres (default: the newest
#                      /usr/lib/postgresql/*/bin, else pg_config --bindir)
#   PG_APT_PACKAGE     Debian package installed when no server is found (default postgresql)
#   PG_START_TIMEOUT   seconds to wait for connections (default 60)
#   PG_STOP_TIMEOUT    seconds to wait for a fast shutdown before SIGKILL (default 30)
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user (created
# by the Debian package) and every server command runs as that user.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
PGDIR="${PG_STATE_DIR:-$ROOT/.postgres}"
DATA=""
LOGFILE=""
PG_PORT="${PG_PORT:-5432}"
PG_DATABASE="${PG_DATABASE:-streamwise_test}"
PG_USER="${PG_USER:-postgres}"
PG_PASSWORD="${PG_PASSWORD:-}"
START_TIMEOUT="${PG_START_TIMEOUT:-60}"
STOP_TIMEOUT="${PG_STOP_TIMEOUT:-30}"

say() { echo "[postgres] $*"; }
die() { echo "[postgres] error: $*" >&2; exit 1; }

for v in PG_PORT START_TIMEOUT STOP_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
done
((PG_PORT > 0 && PG_PORT < 65536)) || die "PG_PORT out of range: $PG_PORT"
[[ "$PG_DATABASE" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
  die "PG_DATABASE must be letters, digits and _, got '$PG_DATABASE'"
[[ "$PG_USER" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
  die "PG_USER must be letters, digits and _, got '$PG_USER'"

# --- binaries -----------------------------------------------------------------

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/pg_ctl" ]] || die "PG_BIN=$PG_BIN has no pg_ctl"
    echo "$PG_BIN"
    return 0
  fi
  local dir
  dir="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir)"
    if [[ -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  fi
  return 1
}

install_server() {
  local package="${PG_APT_PACKAGE:-postgresql}"
  [[ "$(id -u)" == 0 ]] || die "no PostgreSQL server found; install the '$package' package (or set PG_BIN)"
  command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server found and no apt-get to install it; set PG_BIN"
  say "installing $package with apt-get ..."
  # The package must not start a cluster of its own on 5432: this script runs the server.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  local status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; } ||
    status=$?
  [[ "$created_policy" == 1 ]] && rm -f "$policy"
  [[ "$status" == 0 ]] || die "apt-get install $package failed"
}

BIN=""
need_bin() {
  [[ -n "$BIN" ]] && return 0
  BIN="$(find_bin)" || { install_server; BIN="$(find_bin)" || die "still no PostgreSQL server after installing"; }
  place_cluster
}

# As root the server runs as `postgres`, which must reach the state directory. A checkout under a
# private home (/root/...) is out of its reach: the cluster then lives in /tmp, under a name made
# from the state directory, so every command of this script finds it again.
place_cluster() {
  if [[ "$(id -u)" == 0 ]]; then
    mkdir -p "$PGDIR"
    if ! runuser -u postgres -- test -x "$PGDIR" 2>/dev/null; then
      PGDIR="/tmp/streamwise-postgres-$(printf '%s' "$PGDIR" | cksum | cut -d' ' -f1)"
      mkdir -p "$PGDIR"
    fi
  fi
  DATA="$PGDIR/data"
  LOGFILE="$PGDIR/postgres.log"
}

# As root, the server and its files belong to the postgres user.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (the Debian package creates it)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() {
  echo "postgres://$PG_USER${PG_PASSWORD:+:$PG_PASSWORD}@127.0.0.1:$PG_PORT/$PG_DATABASE"
}

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port the running cluster listens on, from the options it was started with.
running_port() {
  sed -n 's/.*-p \([0-9]*\).*/\1/p' "$DATA/postmaster.opts" 2>/dev/null | head -n 1
}

server_running() { [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

accepts() { # port -> true when the server takes connections to PG_DATABASE's cluster
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -U "$PG_USER" -d postgres -t 2 2>/dev/null
}

# --- commands -------------------------------------------------------------------

init_cluster() {
  [[ -f "$DATA/PG_VERSION" ]] && return 0
  say "creating a cluster in $DATA"
  mkdir -p "$DATA"
  local auth=(--auth-local=trust --auth-host=trust) pwfile=""
  if [[ -n "$PG_PASSWORD" ]]; then
    pwfile="$PGDIR/.pwfile"
    printf '%s\n' "$PG_PASSWORD" >"$pwfile"
    auth=(--auth-local=trust --auth-host=scram-sha-256 "--pwfile=$pwfile")
  fi
  [[ "$(id -u)" == 0 ]] && chown -R postgres: "$PGDIR"
  chmod 700 "$DATA"
  if ! as_owner "$BIN/initdb" -D "$DATA" -U "$PG_USER" -E UTF8 --locale=C "${auth[@]}" \
    >>"$LOGFILE" 2>&1; then
    [[ -n "$pwfile" ]] && rm -f "$pwfile"
    tail -n 20 "$LOGFILE" >&2
    die "initdb failed"
  fi
  [[ -n "$pwfile" ]] && rm -f "$pwfile"
  return 0
}

create_database() {
  local exists
  exists="$(as_owner "$BIN/psql" -h "$PGDIR" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")"
  if [[ "$exists" != 1 ]]; then
    as_owner "$BIN/createdb" -h "$PGDIR" -p "$PG_PORT" -U "$PG_USER" "$PG_DATABASE"
    say "created database $PG_DATABASE"
  fi
}

wait_ready() {
  local t0=$SECONDS
  while ((SECONDS - t0 < START_TIMEOUT)); do
    if accepts "$PG_PORT"; then return 0; fi
    server_running || { tail -n 50 "$LOGFILE" >&2; die "the server exited; its log is above"; }
    sleep 0.3
  done
  tail -n 50 "$LOGFILE" >&2
  die "the server did not accept connections within ${START_TIMEOUT}s ('postgres.sh stop' stops it)"
}

cmd_start() {
  need_bin
  mkdir -p "$PGDIR"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$PGDIR"
  if server_running; then
    local port
    port="$(running_port)"
    if [[ -n "$port" && "$port" != "$PG_PORT" ]]; then
      die "already running on port $port, not $PG_PORT; run 'postgres.sh stop' first"
    fi
    say "already running on 127.0.0.1:$PG_PORT"
  else
    tcp_open "$PG_PORT" && die "port $PG_PORT is already in use by another process (set PG_PORT)"
    [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
    : >"$LOGFILE"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$LOGFILE"
    init_cluster
    say "starting PostgreSQL $("$BIN/postgres" --version | sed 's/[^0-9.]*//') on 127.0.0.1:$PG_PORT"
    # Only 127.0.0.1, and the socket in the state directory: no system directory is needed.
    as_owner "$BIN/pg_ctl" start -D "$DATA" -l "$LOGFILE" -s \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PGDIR" ||
      { tail -n 50 "$LOGFILE" >&2; die "pg_ctl start failed"; }
  fi
  wait_ready
  create_database
  say "ready: $(url)"
}

cmd_stop() {
  local clean="${PG_CLEAN:-0}" arg
  for arg in "$@"; do
    case "$arg" in
      --clean) clean=1 ;;
      *) die "unknown option for stop: $arg" ;;
    esac
  done
  need_bin
  if server_running; then
    say "stopping ..."
    if ! as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast -s -t "$STOP_TIMEOUT"; then
      local pid
      pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
      say "no clean stop within ${STOP_TIMEOUT}s, sending SIGKILL to $pid"
      [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped"
  else
    say "not running"
  fi
  if [[ "$clean" == 1 ]]; then
    rm -rf "$DATA"
    say "deleted $DATA"
  fi
}

cmd_status() {
  need_bin
  if server_running; then
    local port
    port="$(running_port)"
    PG_PORT="${port:-$PG_PORT}"
    if accepts "$PG_PORT"; then
      say "running and accepting connections on 127.0.0.1:$PG_PORT"
      return 0
    fi
    say "running but not accepting connections on 127.0.0.1:$PG_PORT"
    return 1
  fi
  say "not running"
  return 1
}

cmd_logs() {
  need_bin
  local follow="" lines=100 arg
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=1 ;;
      *[!0-9]* | "") die "usage: postgres.sh logs [-f] [LINES]" ;;
      *) lines="$arg" ;;
    esac
  done
  [[ -f "$LOGFILE" ]] || die "no log yet ($LOGFILE)"
  if [[ -n "$follow" ]]; then exec tail -n "$lines" -f "$LOGFILE"; fi
  tail -n "$lines" "$LOGFILE"
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    url) url ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
