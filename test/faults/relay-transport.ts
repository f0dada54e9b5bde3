import type { Logger } from '../../src/logging/logger';
import type { KafkaConsumerTuning } from '../../src/transport/kafka/kafka-options';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import type { Transport } from '../../src/transport/transport';

/** The Kafka clients the fault tests run their services on, each in its own worker processes. */
export const RELAY_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type RelayClient = (typeof RELAY_CLIENTS)[number];

export function relayClient(value: string | undefined): RelayClient {
  const client = RELAY_CLIENTS.find((candidate) => candidate === (value ?? 'kafkajs'));
  if (client === undefined) {
    throw new Error(`RELAY_CLIENT must be one of ${RELAY_CLIENTS.join(', ')}, got "${value}"`);
  }
  return client;
}

/**
 * A worker's (or an in-process app's) transport on `client`. By default short sessions, so the
 * survivor takes the killed instance's partitions over within seconds; a test that shows the
 * takeover the default session gives passes its own `consumer`.
 */
export function relayTransport(
  client: RelayClient,
  options: { brokers: string[]; clientId: string; logger: Logger; consumer?: KafkaConsumerTuning },
): Transport {
  const consumer = options.consumer ?? {
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 200,
  };
  return client === 'kafkajs'
    ? new KafkaTransport({ ...options, consumer })
    : new PlatformaticKafkaTransport({ ...options, consumer });
}
