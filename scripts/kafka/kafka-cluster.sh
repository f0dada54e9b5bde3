#!/usr/bin/env bash
# A three-node Apache Kafka cluster (KRaft, every node both broker and controller) on 127.0.0.1,
# for tests of what a single broker cannot show: a partition leader, a group coordinator or a
# transaction coordinator going away while the other nodes carry on. Each node is a
# scripts/kafka/kafka.sh broker with a state directory of its own; PLAINTEXT only.
#
# Usage: scripts/kafka/kafka-cluster.sh <command>
#   start            start the nodes that are not running (fetching the jars first if needed) and
#                    wait until each answers; a quorum needs two of the three
#   stop [--clean]   stop every node (SIGTERM, all at once); --clean kills them (SIGKILL) and
#                    deletes the cluster's data
#   status           exit 0 if every node is running and answering, else 1
#   kill N           SIGKILL node N (1-3), as a crash or a power cut would
#   start-node N     start node N (again) and wait until it answers
#   brokers          print the bootstrap list, "127.0.0.1:port,..."
#
# Environment:
#   KAFKA_CLUSTER_PORT   node N's client port is KAFKA_CLUSTER_PORT + 2(N-1), its controller's the
#                        port after (default 9300: 9300-9305)
#   KAFKA_CLUSTER_DIR    the cluster's state: node-N/ per node and the cluster id
#                        (default <repo>/.kafka/cluster)
#   Every topic and internal topic gets three replicas and min.insync.replicas=2: an acks=all
#   write goes on while one node is down. KAFKA_HEAP_OPTS, KAFKA_OPTS, JAVA_HOME as for kafka.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
BASE_PORT="${KAFKA_CLUSTER_PORT:-9300}"
CLUSTER_DIR="${KAFKA_CLUSTER_DIR:-$ROOT/.kafka/cluster}"
NODES=(1 2 3)

say() { echo "[kafka-cluster] $*"; }
die() { echo "[kafka-cluster] error: $*" >&2; exit 1; }

[[ "$BASE_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_CLUSTER_PORT must be a number, got '$BASE_PORT'"
((BASE_PORT > 0 && BASE_PORT + 5 < 65535)) || die "KAFKA_CLUSTER_PORT out of range: $BASE_PORT"

port_of() { echo $((BASE_PORT + 2 * ($1 - 1))); }
dir_of() { echo "$CLUSTER_DIR/node-$1"; }

voters() {
  local node out=""
  for node in "${NODES[@]}"; do out+="${out:+,}$node@127.0.0.1:$(($(port_of "$node") + 1))"; done
  echo "$out"
}

cluster_id() {
  local file="$CLUSTER_DIR/cluster-id" id
  if [[ ! -s "$file" ]]; then
    mkdir -p "$CLUSTER_DIR"
    # 16 random bytes, base64url without padding and not starting with '-' (Kafka's Uuid format)
    while :; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
      [[ ${#id} -eq 22 && "$id" != -* ]] && break
    done
    echo "$id" >"$file"
  fi
  cat "$file"
}

node() { # node-number kafka.sh-command [args...]
  local number="$1"
  shift
  KAFKA_PORT="$(port_of "$number")" KAFKA_STATE_DIR="$(dir_of "$number")" \
    KAFKA_NODE_ID="$number" KAFKA_QUORUM_VOTERS="$(voters)" KAFKA_CLUSTER_ID="$(cluster_id)" \
    KAFKA_REPLICATION_FACTOR=3 bash "$SCRIPT_DIR/kafka.sh" "$@"
}

check_node() {
  [[ "${1:-}" =~ ^[1-3]$ ]] || die "name a node: 1, 2 or 3 (got '${1:-}')"
}

cmd_start() {
  bash "$SCRIPT_DIR/kafka.sh" fetch --quiet
  cluster_id >/dev/null # made once, before the nodes read it at the same time
  # All at once: a node answers only once a quorum of controllers (two) is up.
  local pids=() node failed=0
  for node in "${NODES[@]}"; do
    node "$node" start &
    pids+=($!)
  done
  for node in "${!pids[@]}"; do wait "${pids[$node]}" || failed=1; done
  ((failed == 0)) || die "a node did not start (see the lines above)"
  say "running: $(cmd_brokers)"
}

cmd_stop() {
  local node pids=() failed=0
  if [[ " $* " == *" --clean "* ]]; then
    # The data goes anyway: no controlled shutdown, which the last node would wait out
    # (KAFKA_STOP_TIMEOUT) for want of a quorum to hand its partitions to.
    for node in "${NODES[@]}"; do kill_node "$node" 2>/dev/null || true; done
    rm -rf "$CLUSTER_DIR"
    say "stopped every node and deleted $CLUSTER_DIR"
    return 0
  fi
  # All at once, so the quorum is there while each node shuts down.
  for node in "${NODES[@]}"; do
    node "$node" stop &
    pids+=($!)
  done
  for node in "${!pids[@]}"; do wait "${pids[$node]}" || failed=1; done
  return "$failed"
}

cmd_status() {
  local node failed=0
  for node in "${NODES[@]}"; do node "$node" status || failed=1; done
  return "$failed"
}

kill_node() {
  local dir pid
  dir="$(dir_of "$1")"
  pid="$(tr -dc '0-9' <"$dir/broker.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || die "node $1 is not running"
  [[ "$(ps -ww -p "$pid" -o args= 2>/dev/null)" == *" kafka.Kafka $dir/server.properties" ]] ||
    die "pid $pid is not node $1's broker"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$dir/broker.pid"
  say "killed node $1 (pid $pid)"
}

cmd_kill() {
  check_node "${1:-}"
  kill_node "$1"
}

cmd_start_node() {
  check_node "${1:-}"
  node "$1" start
}

cmd_brokers() {
  local node out=""
  for node in "${NODES[@]}"; do out+="${out:+,}127.0.0.1:$(port_of "$node")"; done
  echo "$out"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status ;;
    kill) cmd_kill "$@" ;;
    start-node) cmd_start_node "$@" ;;
    brokers) cmd_brokers ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' ;;
    *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
