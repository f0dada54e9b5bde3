#!/usr/bin/env bash
# Local Confluent-compatible schema registry for development and CI: Apicurio Registry, run
# from its distribution on Maven Central -- no Docker needed.  Needs Java 17+ and Maven (only
# for the first `fetch`), and, with the default storage, the local Kafka broker.
#
# Karapace (the first choice, a Python registry keeping schemas in Kafka) is not published on
# PyPI, so it cannot be installed here; Apicurio's Confluent API (/apis/ccompat/v7) is used.
#
# Usage: scripts/registry/registry.sh <command> [options]
#   fetch            download and unpack Apicurio into .registry/dist (skipped when up to date)
#   start            fetch if needed, start the registry in the background and wait until its
#                    Confluent API answers
#   stop [--clean]   stop it (SIGTERM, then SIGKILL after REGISTRY_STOP_TIMEOUT); --clean also
#                    deletes .registry/dist
#   status           exit 0 if the registry is running and answering, else 1
#   url              print the Confluent-compatible base URL (what SCHEMA_REGISTRY_URL takes)
#   logs [-f] [N]    print the last N (default 100) lines of .registry/registry.log
#
# Environment:
#   REGISTRY_PORT            HTTP port (default 8081)
#   REGISTRY_STORAGE         kafkasql (default: schemas kept in a Kafka topic, as Karapace and
#                            Confluent do, so they survive restarts like the data that names
#                            them) or mem (in-memory, lost on stop; no broker needed)
#   KAFKA_BROKERS            bootstrap servers for kafkasql (default 127.0.0.1:${KAFKA_PORT:-9092})
#   REGISTRY_START_TIMEOUT   seconds to wait for the API to answer (default 120)
#   REGISTRY_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (default 20)
#   REGISTRY_HEAP_OPTS       JVM heap flags (default "-Xms128m -Xmx512m")
#   JAVA_HOME                JDK/JRE to use (default: `java` on PATH)
#
# Everything lives in <repo>/.registry (git-ignored): download/, dist/, registry.pid,
# registry.log, snapshots/.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
RDIR="$ROOT/.registry"
DIST="$RDIR/dist"
STAMP="$DIST/.stamp"
PIDFILE="$RDIR/registry.pid"
LOGFILE="$RDIR/registry.log"

# 3.0.9 is the newest Apicurio release that runs on Java 17 (3.3.x needs Java 21).
APICURIO_VERSION="3.0.9"
ARTIFACT="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all"
# 2.8 copies an artifact without reading its POM; 3.x also wants the parent POM, which Central
# does not serve for this release.
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:2.8"
API_PATH="/apis/ccompat/v7"

REGISTRY_PORT="${REGISTRY_PORT:-8081}"
STORAGE="${REGISTRY_STORAGE:-kafkasql}"
BOOTSTRAP="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
START_TIMEOUT="${REGISTRY_START_TIMEOUT:-120}"
STOP_TIMEOUT="${REGISTRY_STOP_TIMEOUT:-20}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { echo "[registry] $*"; }
die() { echo "[registry] error: $*" >&2; exit 1; }
# shellcheck source-path=SCRIPTDIR source=../lib/jvm-daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/jvm-daemon.sh"

for v in REGISTRY_PORT START_TIMEOUT STOP_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
done
((REGISTRY_PORT > 0 && REGISTRY_PORT < 65536)) || die "REGISTRY_PORT out of range: $REGISTRY_PORT"
[[ "$STORAGE" == kafkasql || "$STORAGE" == mem ]] ||
  die "REGISTRY_STORAGE must be kafkasql or mem, got '$STORAGE'"

base_url() { echo "http://127.0.0.1:$REGISTRY_PORT$API_PATH"; }

runner_jar() { echo "$DIST/apicurio-registry-app-$APICURIO_VERSION-runner.jar"; }

dist_up_to_date() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$ARTIFACT" && -f "$(runner_jar)" ]]
}

cmd_fetch() {
  if dist_up_to_date; then
    [[ "${1:-}" == "--quiet" ]] || say "Apicurio Registry $APICURIO_VERSION already in .registry/dist"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch Apicurio Registry"
  say "fetching Apicurio Registry $APICURIO_VERSION from Maven Central (about 105 MB) ..."
  local t0=$SECONDS tmp="$RDIR/dist.tmp"
  mkdir -p "$RDIR/download"
  rm -rf "$tmp"
  if ! (cd "$RDIR" && mvn -q -B "$DEPENDENCY_PLUGIN:copy" "-Dartifact=$ARTIFACT" \
      "-DoutputDirectory=$RDIR/download" >"$RDIR/fetch.log" 2>&1); then
    cat "$RDIR/fetch.log" >&2
    die "mvn dependency:copy of $ARTIFACT failed (see above)"
  fi
  mkdir -p "$tmp"
  tar -xzf "$RDIR/download/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$tmp" ||
    die "unpacking the Apicurio distribution failed"
  rm -f "$RDIR/fetch.log" "$RDIR/download/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"
  echo "$ARTIFACT" >"$tmp/.stamp"
  rm -rf "$DIST"
  mv "$tmp" "$DIST"
  say "fetched in $((SECONDS - t0))s"
}

check_java() { require_java17 "Apicurio $APICURIO_VERSION"; }

# --- process helpers --------------------------------------------------------

is_our_registry() { # pid -> true if it is alive and runs this repo's registry jar
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local args
  args="$(ps -ww -p "$pid" -o args= 2>/dev/null)" || return 1
  [[ "$args" == *"-jar $(runner_jar)"* ]]
}

registry_pid() {
  local pid=""
  [[ -f "$PIDFILE" ]] && pid="$(tr -dc '0-9' <"$PIDFILE")"
  if [[ -n "$pid" ]] && is_our_registry "$pid"; then echo "$pid"; return 0; fi
  for pid in $(ps -ww -eo pid=,args= 2>/dev/null |
    awk -v p="-jar $(runner_jar)" 'index($0, p) { print $1 }'); do
    if is_our_registry "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

running_port() { # the port the running registry was started with
  local pid="$1"
  ps -ww -p "$pid" -o args= 2>/dev/null |
    sed -n 's/.*-Dquarkus\.http\.port=\([0-9]*\).*/\1/p' | head -n 1
}

tcp_open() { # host port -> true if something accepts connections there
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Ready when the Confluent API lists subjects (HTTP 200 with a JSON array).
probe() {
  local url
  url="$(base_url)/subjects"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 3 "$url" 2>/dev/null | grep -q '^\['
  elif command -v node >/dev/null 2>&1; then
    node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })
        .then(async (r) => process.exit(r.ok && (await r.text()).startsWith("[") ? 0 : 1))
        .catch(() => process.exit(1));' "$url" >/dev/null 2>&1
  else
    tcp_open 127.0.0.1 "$REGISTRY_PORT"
  fi
}

# --- commands ---------------------------------------------------------------

wait_ready() { wait_until_ready "$1" registry "$(base_url)" registry.sh "$STORAGE storage"; }

storage_flags() {
  if [[ "$STORAGE" == kafkasql ]]; then
    local first="${BOOTSTRAP%%,*}"
    tcp_open "${first%:*}" "${first##*:}" ||
      die "no Kafka broker at $first for kafkasql storage: start it (bash scripts/kafka/kafka.sh start), set KAFKA_BROKERS, or use REGISTRY_STORAGE=mem"
    echo "-Dapicurio.storage.kind=kafkasql"
    echo "-Dapicurio.kafkasql.bootstrap.servers=$BOOTSTRAP"
    echo "-Dapicurio.kafkasql.topic=_streamwise-registry-journal"
    echo "-Dapicurio.kafkasql.snapshots.topic=_streamwise-registry-snapshots"
    echo "-Dapicurio.storage.snapshot.location=$RDIR/snapshots"
  fi
}

cmd_start() {
  local pid port
  if pid="$(registry_pid)"; then
    echo "$pid" >"$PIDFILE"
    port="$(running_port "$pid")"
    if [[ -n "$port" && "$port" != "$REGISTRY_PORT" ]]; then
      die "already running on port $port (pid $pid), not $REGISTRY_PORT; run 'registry.sh stop' first"
    fi
    if probe; then
      say "already running and answering on $(base_url) (pid $pid)"
      return 0
    fi
    say "already running (pid $pid) but not answering yet"
    wait_ready "$pid"
    return 0
  fi
  rm -f "$PIDFILE"

  check_java
  cmd_fetch --quiet
  if tcp_open 127.0.0.1 "$REGISTRY_PORT"; then
    die "port $REGISTRY_PORT is already in use by another process (set REGISTRY_PORT)"
  fi
  local flags
  flags="$(storage_flags)" || exit 1
  mkdir -p "$RDIR/snapshots"
  [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
  : >"$LOGFILE"

  say "starting Apicurio Registry $APICURIO_VERSION on $(base_url) ($STORAGE storage)"
  # shellcheck disable=SC2086  # REGISTRY_HEAP_OPTS and the storage flags are word lists
  nohup "$JAVA" ${REGISTRY_HEAP_OPTS:--Xms128m -Xmx512m} -Djava.awt.headless=true \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.log.console.color=false -Dquarkus.http.access-log.enabled=false $flags \
    -jar "$(runner_jar)" >>"$LOGFILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid"
}

cmd_stop() {
  local clean=0 arg pid
  for arg in "$@"; do
    case "$arg" in
      --clean) clean=1 ;;
      *) die "unknown option for stop: $arg" ;;
    esac
  done
  if pid="$(registry_pid)"; then
    stop_pid "$pid" "the registry"
  else
    say "not running"
  fi
  rm -f "$PIDFILE"
  if [[ "$clean" == 1 ]]; then
    rm -rf "$DIST" "$RDIR/download" "$RDIR/snapshots"
    say "deleted .registry/dist"
  fi
}

cmd_status() {
  local pid port
  if pid="$(registry_pid)"; then
    port="$(running_port "$pid")"
    REGISTRY_PORT="${port:-$REGISTRY_PORT}"
    if probe; then
      say "running and answering on $(base_url) (pid $pid)"
      return 0
    fi
    say "running (pid $pid) but not answering on $(base_url)"
    return 1
  fi
  say "not running"
  return 1
}

cmd_logs() { print_logs registry.sh "$@"; }

usage() { print_usage "${BASH_SOURCE[0]}"; }

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    fetch) cmd_fetch "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    url) base_url ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
