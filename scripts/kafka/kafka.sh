#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, combined broker+controller) for
# development and CI, run straight from Kafka's jars on Maven Central -- no
# Docker needed.  Needs Java 17+ and Maven (only for the first `fetch`).
#
# Usage: scripts/kafka/kafka.sh <command> [options]
#   fetch            resolve the Kafka jars into .kafka/libs (skipped when up to date)
#   start            fetch if needed, format storage if needed, start the broker in
#                    the background and wait until it answers metadata requests
#   stop [--clean]   stop the broker (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT);
#                    --clean (or KAFKA_CLEAN=1) also deletes .kafka/data
#   status           exit 0 if the broker is running and answering, else 1
#   logs [-f] [N]    print the last N (default 100) lines of .kafka/broker.log
#
# Environment:
#   KAFKA_PORT            client port (default 9092); the controller uses KAFKA_PORT+1
#   KAFKA_STATE_DIR       where data, config, pid and log live (default <repo>/.kafka)
#   KAFKA_START_TIMEOUT   seconds to wait for the broker to answer (default 90)
#   KAFKA_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_CLEAN=1         with `stop`: also delete .kafka/data
#   KAFKA_HEAP_OPTS       JVM heap flags (default "-Xms256m -Xmx512m")
#   KAFKA_OPTS            extra JVM flags
#   JAVA_HOME             JDK/JRE to use (default: `java` on PATH)
#
# Secured mode (opt-in; the default broker is PLAINTEXT and open to everyone):
#   KAFKA_SECURITY=sasl   the client port is a SASL_PLAINTEXT listener taking PLAIN, SCRAM-SHA-256
#                         and SCRAM-SHA-512 logins, checked by the StandardAuthorizer with
#                         allow.everyone.if.no.acl.found=false: every user but the admin needs ACLs.
#                         The controller listener needs the admin login too.
#   KAFKA_ADMIN_PASSWORD  password of the super user User:admin (default admin-secret)
#   KAFKA_SASL_USERS      more users, "name:password,name:password" (names: letters, digits, . _ -;
#                         passwords: no space, quote, backslash or any of , : = ; [ ])
#   PLAIN users are reread on every start; SCRAM users are created when the storage is formatted,
#   so changing KAFKA_SASL_USERS for SCRAM needs `stop --clean` first. A secured start writes
#   <state dir>/admin.properties, a Kafka client config logging in as the admin (for
#   `streamwise ... --command-config` or Kafka's own tools).
#   KAFKA_TLS=1           also a SASL_SSL listener (same logins) on KAFKA_TLS_PORT (default
#                         KAFKA_PORT+2), its certificate signed by a CA made with openssl on the
#                         first such start: clients trust <state dir>/tls/ca.pem.
#   Stay on 127.0.0.1: the passwords sit in plain text in the state directory.
#
# One node of a cluster (scripts/kafka/kafka-cluster.sh starts three this way; PLAINTEXT only):
#   KAFKA_NODE_ID             this node's id (default 1)
#   KAFKA_QUORUM_VOTERS       every controller, "id@127.0.0.1:port,..." (default: this node alone)
#   KAFKA_CLUSTER_ID          the id every node's storage is formatted with (default: a random one)
#   KAFKA_REPLICATION_FACTOR  replicas of new topics and of the internal topics (default 1); above
#                             1, min.insync.replicas is 2, so an acks=all write survives one node
#
# Everything lives in <repo>/.kafka (git-ignored): libs/ (jars), data/ (log dirs),
# server.properties, log4j2.properties, broker.pid, broker.log.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
# KAFKA_STATE_DIR runs a second, independent broker (its own data, config, pid and log) on the
# same jars, e.g. for fault tests that restart their broker without disturbing others.
KDIR="${KAFKA_STATE_DIR:-$ROOT/.kafka}"
LIBDIR="$ROOT/.kafka"
LIBS="$LIBDIR/libs"
DATA="$KDIR/data"
STAMP="$LIBS/.stamp"
PROPS="$KDIR/server.properties"
LOG4J="$KDIR/log4j2.properties"
PIDFILE="$KDIR/broker.pid"
LOGFILE="$KDIR/broker.log"

KAFKA_PORT="${KAFKA_PORT:-9092}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
SECURITY="${KAFKA_SECURITY:-}"
ADMIN_PASSWORD="${KAFKA_ADMIN_PASSWORD:-admin-secret}"
SASL_USERS="${KAFKA_SASL_USERS:-}"
NODE_ID="${KAFKA_NODE_ID:-1}"
REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-1}"
CLUSTER_ID="${KAFKA_CLUSTER_ID:-}"
ADMIN_PROPS="$KDIR/admin.properties"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { echo "[kafka] $*"; }
die() { echo "[kafka] error: $*" >&2; exit 1; }
# shellcheck source-path=SCRIPTDIR source=../lib/jvm-daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/jvm-daemon.sh"
# shellcheck source-path=SCRIPTDIR source=kafka-secured.sh
source "$(dirname "${BASH_SOURCE[0]}")/kafka-secured.sh"

for v in KAFKA_PORT START_TIMEOUT STOP_TIMEOUT NODE_ID REPLICATION_FACTOR; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
done
((KAFKA_PORT > 0 && KAFKA_PORT < 65535)) || die "KAFKA_PORT out of range: $KAFKA_PORT"
CONTROLLER_PORT=$((KAFKA_PORT + 1))
QUORUM_VOTERS="${KAFKA_QUORUM_VOTERS:-$NODE_ID@127.0.0.1:$CONTROLLER_PORT}"
((REPLICATION_FACTOR >= 1)) || die "KAFKA_REPLICATION_FACTOR must be at least 1"
TLS_PORT="${KAFKA_TLS_PORT:-$((KAFKA_PORT + 2))}"
case "$SECURITY" in
  "" | plaintext) SECURITY="" ;;
  sasl) ;;
  *) die "KAFKA_SECURITY must be 'sasl' (or unset for PLAINTEXT), got '$SECURITY'" ;;
esac
if [[ -n "$SECURITY" && -n "${KAFKA_QUORUM_VOTERS:-}" ]]; then
  die "a secured broker runs as a single node: unset KAFKA_QUORUM_VOTERS or KAFKA_SECURITY"
fi

# The pinned version lives in pom.xml (<kafka.version>), the single source of truth.
kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n 1
}

pom_hash() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$POM" | cut -d' ' -f1
  else shasum -a 256 "$POM" | cut -d' ' -f1; fi
}

wanted_stamp() { echo "kafka=$(kafka_version) pom=$(pom_hash)"; }

libs_up_to_date() {
  [[ -f "$STAMP" ]] && [[ "$(cat "$STAMP")" == "$(wanted_stamp)" ]] &&
    compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null
}

cmd_fetch() {
  if libs_up_to_date; then
    [[ "${1:-}" == "--quiet" ]] || say "jars for Kafka $(kafka_version) already in .kafka/libs"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch the Kafka jars"
  say "fetching Kafka $(kafka_version) jars from Maven Central into .kafka/libs ..."
  local t0=$SECONDS tmp="$LIBDIR/libs.tmp"
  mkdir -p "$LIBDIR"
  rm -rf "$tmp"
  # Output is kept only for errors (mvn -q still emits stray ANSI resets).
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies "-Dkafka.libs.dir=$tmp" \
      >"$LIBDIR/fetch.log" 2>&1; then
    cat "$LIBDIR/fetch.log" >&2
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed (see above)"
  fi
  rm -f "$LIBDIR/fetch.log"
  wanted_stamp >"$tmp/.stamp"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  say "fetched $(find "$LIBS" -name '*.jar' | wc -l | tr -d ' ') jars in $((SECONDS - t0))s"
}

check_java() { require_java17 "Kafka $(kafka_version)"; }

# --- process helpers --------------------------------------------------------

is_our_broker() { # pid -> true if it is alive and is this repo's broker
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local args
  args="$(ps -ww -p "$pid" -o args= 2>/dev/null)" || return 1
  [[ "$args" == *" kafka.Kafka $PROPS" ]]
}

# Pid of the running broker, or nothing. Falls back to looking for a java process
# started with this repo's exact server.properties in case the pid file was lost.
broker_pid() {
  local pid=""
  [[ -f "$PIDFILE" ]] && pid="$(tr -dc '0-9' <"$PIDFILE")"
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  for pid in $(ps -ww -eo pid=,args= 2>/dev/null |
    awk -v p="kafka.Kafka $PROPS" 'index($0, p) { print $1 }'); do
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

running_port() { # client port of the running broker, from the config it was started with
  sed -n 's/^advertised\.listeners=[A-Z_]*:\/\/[^:]*:\([0-9]*\).*/\1/p' "$PROPS" 2>/dev/null | head -n 1
}

tcp_open() { # port -> true if something accepts connections on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- readiness probe ----------------------------------------------------------
# 1. kafkajs (if the repo has it installed): admin.describeCluster()
# 2. plain node: a raw Kafka Metadata (v4) request, checks at least one broker is listed
# 3. no node: TCP connect + the "Kafka Server started" line in the broker log

PROBE_KAFKAJS='
const { Kafka, logLevel } = require("kafkajs");
process.exitCode = 1; // unless explicitly successful
setTimeout(() => process.exit(1), 5000).unref();
const password = process.env.KAFKA_SH_PROBE_PASSWORD;
const admin = new Kafka({ clientId: "kafka-sh-probe", brokers: ["127.0.0.1:" + process.argv[1]],
  sasl: password ? { mechanism: "plain", username: "admin", password } : undefined,
  logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 3000,
  retry: { retries: 0 } }).admin();
admin.connect().then(() => admin.describeCluster())
  .then((c) => admin.disconnect().then(() => process.exit(c.brokers.length > 0 ? 0 : 1)))
  .catch(() => process.exit(1));
'

PROBE_RAW='
const net = require("net");
process.exitCode = 1; // unless explicitly successful
const s = net.connect({ host: "127.0.0.1", port: +process.argv[1] });
const done = (code) => { s.destroy(); process.exit(code); };
setTimeout(() => done(1), 3000).unref();
s.on("error", () => done(1));
s.on("close", () => done(1));
s.on("connect", () => {
  const id = Buffer.from("kafka-sh-probe");
  const b = Buffer.alloc(4 + 2 + 2 + 4 + 2 + id.length + 4 + 1);
  let o = b.writeInt32BE(b.length - 4, 0);
  o = b.writeInt16BE(3, o);      // api key: Metadata
  o = b.writeInt16BE(4, o);      // api version 4
  o = b.writeInt32BE(4242, o);   // correlation id
  o = b.writeInt16BE(id.length, o); o += id.copy(b, o);
  o = b.writeInt32BE(-1, o);     // topics: null = all
  b.writeInt8(0, o);             // allow_auto_topic_creation = false
  s.write(b);
});
let r = Buffer.alloc(0);
s.on("data", (d) => {
  r = Buffer.concat([r, d]);
  if (r.length < 16) return;     // size, correlation id, throttle_time_ms, #brokers
  done(r.readInt32BE(4) === 4242 && r.readInt32BE(12) > 0 ? 0 : 1);
});
'

# The admin password of a running secured broker, from the client config its start wrote.
probe_password() {
  grep -q '^sasl\.enabled\.mechanisms=' "$PROPS" 2>/dev/null || return 0
  sed -n 's/.*password="\([^"]*\)".*/\1/p' "$ADMIN_PROPS" 2>/dev/null | head -n 1
}

probe() {
  local password
  password="$(probe_password)"
  if command -v node >/dev/null 2>&1; then
    if [[ -f "$ROOT/node_modules/kafkajs/package.json" ]]; then
      (cd "$ROOT" && KAFKA_SH_PROBE_PASSWORD="$password" node -e "$PROBE_KAFKAJS" "$KAFKA_PORT") \
        >/dev/null 2>&1
    elif [[ -n "$password" ]]; then # the raw probe cannot log in: port and log line only
      tcp_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$LOGFILE" 2>/dev/null
    else
      node -e "$PROBE_RAW" "$KAFKA_PORT" >/dev/null 2>&1
    fi
  else
    tcp_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$LOGFILE" 2>/dev/null
  fi
}

# --- config -----------------------------------------------------------------

write_config() {
  mkdir -p "$DATA"
  if [[ -n "$SECURITY" ]]; then write_secured_config; else write_plain_config; fi
  write_log4j
}

# Storage and internal-topic settings every broker here shares, plain or secured: one replica of
# everything on a single node; on a cluster, acks=all writes need two in-sync replicas.
node_storage() {
  local min_isr=1
  ((REPLICATION_FACTOR > 1)) && min_isr=2
  cat <<EOF
log.dirs=$DATA
num.partitions=1
auto.create.topics.enable=false
default.replication.factor=$REPLICATION_FACTOR
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$REPLICATION_FACTOR
transaction.state.log.replication.factor=$REPLICATION_FACTOR
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$REPLICATION_FACTOR
share.coordinator.state.topic.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
EOF
}

write_plain_config() {
  cat >"$PROPS" <<EOF
# Generated by scripts/kafka/kafka.sh -- edits are overwritten on every start.
# KRaft: this process is both broker and controller (one of KAFKA_QUORUM_VOTERS).
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=$QUORUM_VOTERS
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
$(node_storage)
EOF
}

write_log4j() {
  # Kafka 4 logs through log4j2 (log4j 1.x properties are no longer read).
  # stdout/stderr of the JVM are appended to .kafka/broker.log by `start`.
  cat >"$LOG4J" <<'EOF'
# Generated by scripts/kafka/kafka.sh (log4j2 properties format).
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
}

random_cluster_id() { # 16 random bytes, base64url without padding (Kafka's Uuid format)
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    # not starting with '-' (would look like a CLI flag), like Uuid.randomUuid()
    [[ ${#id} -eq 22 && "$id" != -* ]] && { echo "$id"; return; }
  done
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local id scram=()
  id="${CLUSTER_ID:-$(random_cluster_id)}"
  [[ -n "$SECURITY" ]] && mapfile -t scram < <(scram_format_args)
  say "formatting storage in .kafka/data (cluster id $id)"
  "$JAVA" -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*" kafka.tools.StorageTool \
    format --ignore-formatted -t "$id" -c "$PROPS" ${scram[@]+"${scram[@]}"} >>"$LOGFILE" 2>&1 ||
    { tail -n 20 "$LOGFILE" >&2; die "formatting storage failed"; }
}

# --- commands ---------------------------------------------------------------

wait_ready() { wait_until_ready "$1" broker "127.0.0.1:$KAFKA_PORT" kafka.sh ""; }

cmd_start() {
  local pid port
  if pid="$(broker_pid)"; then
    echo "$pid" >"$PIDFILE"
    port="$(running_port)"
    if [[ -n "$port" && "$port" != "$KAFKA_PORT" ]]; then
      die "already running on port $port (pid $pid), not $KAFKA_PORT; run 'kafka.sh stop' first"
    fi
    if probe; then
      say "already running and answering on 127.0.0.1:$KAFKA_PORT (pid $pid)"
      return 0
    fi
    say "already running (pid $pid) but not answering yet"
    wait_ready "$pid"
    return 0
  fi
  rm -f "$PIDFILE"

  check_java
  cmd_fetch --quiet
  if tcp_open "$KAFKA_PORT"; then
    die "port $KAFKA_PORT is already in use by another process (set KAFKA_PORT)"
  fi
  if tcp_open "$CONTROLLER_PORT"; then
    die "controller port $CONTROLLER_PORT is already in use by another process (set KAFKA_PORT)"
  fi

  mkdir -p "$KDIR"
  [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
  : >"$LOGFILE"
  write_config
  format_storage

  say "starting Kafka $(kafka_version) on 127.0.0.1:$KAFKA_PORT (controller :$CONTROLLER_PORT)${SECURITY:+, SASL_PLAINTEXT with ACLs}"
  # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS / KAFKA_OPTS are word lists
  nohup "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J" -Dkafka.logs.dir="$KDIR" \
    ${KAFKA_OPTS:-} \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" >>"$LOGFILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid"
}

cmd_stop() {
  local clean="${KAFKA_CLEAN:-0}" arg pid
  for arg in "$@"; do
    case "$arg" in
      --clean) clean=1 ;;
      *) die "unknown option for stop: $arg" ;;
    esac
  done
  if pid="$(broker_pid)"; then
    stop_pid "$pid" "broker"
  else
    say "not running"
  fi
  rm -f "$PIDFILE"
  if [[ "$clean" == 1 ]]; then
    rm -rf "$DATA"
    rm -f "$ADMIN_PROPS"
    say "deleted .kafka/data"
  fi
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    KAFKA_PORT="$(running_port)"
    KAFKA_PORT="${KAFKA_PORT:-9092}"
    if probe; then
      say "running and answering on 127.0.0.1:$KAFKA_PORT (pid $pid)"
      return 0
    fi
    say "running (pid $pid) but not answering on 127.0.0.1:$KAFKA_PORT"
    return 1
  fi
  say "not running"
  return 1
}

cmd_logs() { print_logs kafka.sh "$@"; }

usage() { print_usage "${BASH_SOURCE[0]}"; }

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    fetch) cmd_fetch "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
