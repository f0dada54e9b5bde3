import type { Logger } from '../../src/logging/logger';
import type { KafkaConsumerTuning } from '../../src/transport/kafka/kafka-options';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import type { Transport } from '../../src/transport/transport';

/** The Kafka clients the fault tests run their services on, each in its own worker processes. */
export const RELAY_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type RelayClient = (typeof RELAY_CLIENTS)[number];

/**
 * @platformatic/kafka with the KIP-848 group protocol, for the cases that differ there: the
 * exactly-once kill test (its offsets are fenced by the member epoch, not the generation).
 */
export const KIP848_CLIENT = 'platformatic-consumer';
/** A client a worker process can be started on. */
export type WorkerClient = RelayClient | typeof KIP848_CLIENT;
const WORKER_CLIENTS: readonly WorkerClient[] = [...RELAY_CLIENTS, KIP848_CLIENT];

export function relayClient(value: string | undefined): WorkerClient {
  const client = WORKER_CLIENTS.find((candidate) => candidate === (value ?? 'kafkajs'));
  if (client === undefined) {
    throw new Error(`RELAY_CLIENT must be one of ${WORKER_CLIENTS.join(', ')}, got "${value}"`);
  }
  return client;
}

/**
 * A worker's (or an in-process app's) transport on `client`. By default short sessions, so the
 * survivor takes the killed instance's partitions over within seconds; a test that shows the
 * takeover the default session gives passes its own `consumer`. (With the KIP-848 protocol the
 * broker sets the session: group.consumer.session.timeout.ms, 45 s by default and at least.)
 */
export function relayTransport(
  client: WorkerClient,
  options: {
    brokers: string[];
    clientId: string;
    logger: Logger;
    consumer?: KafkaConsumerTuning;
    /** @platformatic/kafka only: a stable transactional id, `<group>-<instanceId>`. */
    instanceId?: string;
  },
): Transport {
  const consumer = options.consumer ?? {
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 200,
  };
  const { instanceId, ...common } = options;
  if (client === 'kafkajs') return new KafkaTransport({ ...common, consumer });
  const groupProtocol = client === KIP848_CLIENT ? 'consumer' : 'classic';
  return new PlatformaticKafkaTransport({
    ...common,
    consumer,
    groupProtocol,
    ...(instanceId === undefined ? {} : { instanceId }),
  });
}
