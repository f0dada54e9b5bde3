#!/usr/bin/env bash
# npm run test:all: every test tier (unit, contract, integration, faults, secured, e2e; see
# jest.config.js) in ONE Jest run, so its closing "tests: N passed, N failed, N skipped" line covers all of them.
# Extra arguments go to Jest (e.g. `npm run test:all -- src/app`).
#
# The broker tiers run against a Kafka broker and a schema registry that this script starts
# itself and always stops again (EXIT trap, also on failure, Ctrl-C or SIGTERM). It never adopts
# one it did not start:
#   KAFKA_BROKERS set        use that broker; start none
#   KAFKA_BROKERS unset      start a fresh broker on 127.0.0.1:KAFKA_PORT (default 9092; its
#                            controller uses KAFKA_PORT + 1), with its state in .kafka/test-all,
#                            deleted when it stops
#   SCHEMA_REGISTRY_URL set  use that registry; start none
#   SCHEMA_REGISTRY_URL unset  start one on 127.0.0.1:REGISTRY_PORT (default 8081), keeping its
#                            schemas in the broker above
# If a port it would start on is taken (by `npm run kafka:start`, another checkout's broker, ...)
# it stops with a message and starts nothing: free the port, pick other ports (KAFKA_PORT=19092
# REGISTRY_PORT=18081 npm run test:all), or point KAFKA_BROKERS / SCHEMA_REGISTRY_URL at what is
# running there to use it.
#
# The broker-restart fault test starts and restarts a broker of its own on
# STREAMWISE_FAULT_KAFKA_PORT (default: KAFKA_PORT + 2, and the port after it).
# The node-failover fault test starts a three-node cluster of its own (scripts/kafka/kafka-cluster.sh)
# on STREAMWISE_CLUSTER_KAFKA_PORT (default: KAFKA_PORT + 30, and the five ports after it).
#
# The secured tier runs against a second broker with SASL logins and ACLs:
#   KAFKA_SECURED_BROKERS set    use that broker (with KAFKA_SECURED_USERS,
#                                KAFKA_SECURED_ADMIN_PASSWORD, KAFKA_SECURED_TLS_BROKERS and
#                                KAFKA_SECURED_CA, see test/support/secured-env.ts)
#   KAFKA_SECURED_BROKERS unset  start one (KAFKA_SECURITY=sasl KAFKA_TLS=1) on
#                                127.0.0.1:KAFKA_SECURED_PORT (default KAFKA_PORT + 10; its
#                                controller the port after, its SASL_SSL listener the one after
#                                that), with a user per service of the orders example, state in
#                                .kafka/test-all-secured, deleted when it stops
#
# The replica tests run against a real PostgreSQL server:
#   STREAMWISE_PG_URL (or DATABASE_URL) set  use that database; start none
#   both unset               start one (scripts/postgres/postgres.sh) on 127.0.0.1:PG_PORT
#                            (default KAFKA_PORT + 20), state in .postgres/test-all, deleted
#                            when it stops
# The database-outage fault test starts and stops a PostgreSQL server of its own on
# STREAMWISE_FAULT_PG_PORT (default: PG_PORT + 1).
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA_PORT="${KAFKA_PORT:-9092}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
TEST_KAFKA_DIR="$PWD/.kafka/test-all"
SECURED_PORT="${KAFKA_SECURED_PORT:-$((KAFKA_PORT + 10))}"
SECURED_DIR="$PWD/.kafka/test-all-secured"
PG_PORT="${PG_PORT:-$((KAFKA_PORT + 20))}"
TEST_PG_DIR="$PWD/.postgres/test-all"
# Marks a registry this script started, so a run killed before its trap ran (SIGKILL) can be told
# apart from a registry someone started with `npm run registry:start`.
REGISTRY_MARK="$PWD/.registry/started-by-test-all"

say() { echo "[test-all] $*"; }
die() {
  echo "[test-all] error: $*" >&2
  exit 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
test_kafka() { KAFKA_STATE_DIR="$TEST_KAFKA_DIR" KAFKA_PORT="$KAFKA_PORT" bash scripts/kafka/kafka.sh "$@"; }
secured_kafka() {
  KAFKA_SECURITY=sasl KAFKA_TLS=1 KAFKA_TLS_PORT="$((SECURED_PORT + 2))" \
    KAFKA_STATE_DIR="$SECURED_DIR" KAFKA_PORT="$SECURED_PORT" \
    KAFKA_SASL_USERS="$KAFKA_SECURED_USERS" KAFKA_ADMIN_PASSWORD="$KAFKA_SECURED_ADMIN_PASSWORD" \
    bash scripts/kafka/kafka.sh "$@"
}
test_postgres() { PG_STATE_DIR="$TEST_PG_DIR" PG_PORT="$PG_PORT" bash scripts/postgres/postgres.sh "$@"; }

started_kafka=0
started_registry=0
started_secured=0
started_postgres=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ "$started_registry" = 1 ]; then
    bash scripts/registry/registry.sh stop || true
    rm -f "$REGISTRY_MARK"
  fi
  if [ "$started_kafka" = 1 ]; then test_kafka stop --clean || true; fi
  if [ "$started_secured" = 1 ]; then secured_kafka stop --clean || true; fi
  if [ "$started_postgres" = 1 ]; then test_postgres stop --clean || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_taken_message() { # what, port, variable to point at it
  echo "port $2 is already in use, so test:all cannot start its own $1 there. Stop what listens" \
    "on it, choose other ports with KAFKA_PORT (the broker uses it and the next port, the" \
    "broker-restart test the two after) and REGISTRY_PORT, or set $3 to use what is running there."
}

start_kafka() {
  # A broker of our own state directory can only be the leftover of a run that was killed
  # before its trap ran: stop it rather than reuse it, so every run starts on a fresh broker.
  if test_kafka status >/dev/null 2>&1; then
    say "stopping a broker left behind by an earlier test:all run"
    test_kafka stop --clean
  fi
  for port in "$KAFKA_PORT" "$((KAFKA_PORT + 1))"; do
    if port_open "$port"; then die "$(port_taken_message 'Kafka broker' "$port" KAFKA_BROKERS)"; fi
  done
  started_kafka=1
  test_kafka stop --clean >/dev/null # deletes data a killed run may have left
  test_kafka start
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
}

start_registry() {
  if [ -f "$REGISTRY_MARK" ] && bash scripts/registry/registry.sh status >/dev/null 2>&1; then
    say "stopping a registry left behind by an earlier test:all run"
    bash scripts/registry/registry.sh stop
  fi
  rm -f "$REGISTRY_MARK"
  if bash scripts/registry/registry.sh status >/dev/null 2>&1; then
    die "this checkout's schema registry is already running (npm run registry:start?); stop it" \
      "with npm run registry:stop, or set SCHEMA_REGISTRY_URL to use it."
  fi
  if port_open "$REGISTRY_PORT"; then
    die "$(port_taken_message 'schema registry' "$REGISTRY_PORT" SCHEMA_REGISTRY_URL)"
  fi
  started_registry=1
  mkdir -p "$(dirname "$REGISTRY_MARK")"
  echo "$$" >"$REGISTRY_MARK"
  REGISTRY_PORT="$REGISTRY_PORT" bash scripts/registry/registry.sh start
  export SCHEMA_REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"
}

# The users of the secured tier: one per service of examples/orders, and two of its own.
start_secured_kafka() {
  local user users=""
  for user in sw-writer sw-intruder orders-service order-details-service inventory-service \
    fraud-service email-service warehouse-service payments-service customers-service; do
    users+="${users:+,}$user:$user-secret"
  done
  export KAFKA_SECURED_USERS="$users" KAFKA_SECURED_ADMIN_PASSWORD="admin-secret"
  if secured_kafka status >/dev/null 2>&1; then
    say "stopping a secured broker left behind by an earlier test:all run"
    secured_kafka stop --clean
  fi
  for port in "$SECURED_PORT" "$((SECURED_PORT + 1))" "$((SECURED_PORT + 2))"; do
    if port_open "$port"; then
      die "port $port is already in use, so test:all cannot start its secured broker there; choose" \
        "another with KAFKA_SECURED_PORT (it uses that port and the two after), or set" \
        "KAFKA_SECURED_BROKERS (and KAFKA_SECURED_USERS) to use a running one."
    fi
  done
  started_secured=1
  secured_kafka stop --clean >/dev/null
  secured_kafka start
  export KAFKA_SECURED_BROKERS="127.0.0.1:$SECURED_PORT"
  export KAFKA_SECURED_TLS_BROKERS="127.0.0.1:$((SECURED_PORT + 2))"
  export KAFKA_SECURED_CA="$SECURED_DIR/tls/ca.pem"
}

start_postgres() {
  # Like the broker: a server in our own state directory is a killed run's leftover.
  if test_postgres status >/dev/null 2>&1; then
    say "stopping a PostgreSQL server left behind by an earlier test:all run"
    test_postgres stop --clean
  fi
  if port_open "$PG_PORT"; then
    die "port $PG_PORT is already in use, so test:all cannot start its own PostgreSQL server" \
      "there. Stop what listens on it, choose another port with PG_PORT (the database-outage" \
      "test uses the port after it too), or set STREAMWISE_PG_URL to use what is running there."
  fi
  started_postgres=1
  test_postgres stop --clean >/dev/null
  test_postgres start
  export STREAMWISE_PG_URL
  STREAMWISE_PG_URL="$(test_postgres url)"
}

t0=$SECONDS
if [ -n "${KAFKA_BROKERS:-}" ]; then
  say "using the broker at KAFKA_BROKERS=$KAFKA_BROKERS (not starting one)"
else
  start_kafka
fi
if [ -n "${SCHEMA_REGISTRY_URL:-}" ]; then
  say "using the registry at SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL (not starting one)"
else
  start_registry
fi
if [ -n "${KAFKA_SECURED_BROKERS:-}" ]; then
  say "using the secured broker at KAFKA_SECURED_BROKERS=$KAFKA_SECURED_BROKERS (not starting one)"
else
  start_secured_kafka
fi
if [ -n "${STREAMWISE_PG_URL:-${DATABASE_URL:-}}" ]; then
  export STREAMWISE_PG_URL="${STREAMWISE_PG_URL:-$DATABASE_URL}"
  say "using the PostgreSQL database at STREAMWISE_PG_URL (not starting one)"
else
  start_postgres
fi
export STREAMWISE_FAULT_PG_PORT="${STREAMWISE_FAULT_PG_PORT:-$((PG_PORT + 1))}"
export STREAMWISE_FAULT_KAFKA_PORT="${STREAMWISE_FAULT_KAFKA_PORT:-$((KAFKA_PORT + 2))}"
export STREAMWISE_CLUSTER_KAFKA_PORT="${STREAMWISE_CLUSTER_KAFKA_PORT:-$((KAFKA_PORT + 30))}"
say "brokers, registry and database ready after $((SECONDS - t0))s; running all six tiers"

STREAMWISE_TIERS=unit,contract,integration,faults,secured,e2e npx jest "$@"
