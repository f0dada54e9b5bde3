#!/usr/bin/env bash
# The whole test suite: both transports and the real schema registry. Starts the local Kafka
# broker and schema registry unless something already listens on their ports (or KAFKA_BROKERS /
# SCHEMA_REGISTRY_URL point elsewhere), runs `npm test` with those halves required, and stops
# what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

started_kafka=0
started_registry=0
cleanup() {
  if [ "$started_registry" = 1 ]; then bash scripts/registry/registry.sh stop || true; fi
  if [ "$started_kafka" = 1 ]; then bash scripts/kafka/kafka.sh stop || true; fi
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -z "${KAFKA_BROKERS:-}" ] && ! port_open "${KAFKA_PORT:-9092}"; then
  bash scripts/kafka/kafka.sh start
  started_kafka=1
fi
if [ -z "${SCHEMA_REGISTRY_URL:-}" ] && ! port_open "${REGISTRY_PORT:-8081}"; then
  bash scripts/registry/registry.sh start
  started_registry=1
fi

STREAMWISE_REQUIRE_KAFKA=1 STREAMWISE_REQUIRE_REGISTRY=1 npm test -- "$@"
