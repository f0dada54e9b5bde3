#!/usr/bin/env bash
# The whole test suite: both transports. Starts the local Kafka broker unless one already answers
# (or KAFKA_BROKERS points at a cluster), runs `npm test` with the Kafka half required, and stops
# the broker again if it started it.
set -euo pipefail
cd "$(dirname "$0")/.."

started=0
if [ -z "${KAFKA_BROKERS:-}" ] && ! bash scripts/kafka/kafka.sh status >/dev/null 2>&1; then
  bash scripts/kafka/kafka.sh start
  started=1
fi
stop_broker() {
  if [ "$started" = 1 ]; then bash scripts/kafka/kafka.sh stop || true; fi
}
trap stop_broker EXIT

STREAMWISE_REQUIRE_KAFKA=1 npm test -- "$@"
