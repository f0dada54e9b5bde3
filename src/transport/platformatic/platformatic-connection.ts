import { Admin, ProduceAcks, Producer, type ProduceResult } from '@platformatic/kafka';

import type { Logger } from '../../logging/logger';
import { errorMessage } from '../kafka/kafka-errors';
import { assertValidRecord, type TopicRecords } from '../kafka/kafka-records';
import { checkKafkaProtocol } from '../kafka-protocol-check';
import { ProducerIdRenewal } from '../producer-id-renewal';
import type { OutgoingRecord, RecordMetadata } from '../transport';
import { PartitionSendOrder, partitionsOf } from './partition-send-order';
import {
  platformaticClientOptions,
  platformaticPrincipal,
  type ResolvedPlatformaticConfig,
} from './platformatic-config';
import { toPlatformaticTransportError } from './platformatic-errors';
import { PlatformaticOffsets } from './platformatic-offsets';
import { assignEntryOffsets, toPlatformaticMessages } from './platformatic-records';
import { PlatformaticTopics } from './platformatic-topics';

/** The clients of one connected PlatformaticKafkaTransport; subscriptions add their consumers. */
export interface PlatformaticConnection {
  readonly topics: PlatformaticTopics;
  readonly offsets: PlatformaticOffsets;
  readonly writer: PlatformaticRecordWriter;
}

/**
 * Sends records with their explicit partitions through the shared idempotent producer (acks=all),
 * after checking the topic exists and has those partitions; never two sends at once on one
 * partition (see partition-send-order.ts), and a new producer id after a send that failed (see
 * ../producer-id-renewal.ts).
 */
export class PlatformaticRecordWriter {
  readonly #producer: Producer;
  readonly #topics: PlatformaticTopics;
  readonly #order = new PartitionSendOrder();
  readonly #renewal: ProducerIdRenewal;

  constructor(producer: Producer, topics: PlatformaticTopics) {
    this.#producer = producer;
    this.#topics = topics;
    this.#renewal = new ProducerIdRenewal(() => producer.initIdempotentProducer({}));
  }

  /** Throws at once for a malformed record; undefined (no promise) once the partitions are known. */
  validate(topic: string, records: readonly OutgoingRecord[]): Promise<void> | undefined {
    records.forEach((record, index) => assertValidRecord(topic, record, index));
    return this.#topics.validatePartitions(
      topic,
      records.map((record) => record.partition),
    );
  }

  /** One send of already validated records; one array of metadata per entry, in order. */
  async writeManyWithOffsets(entries: readonly TopicRecords[]): Promise<RecordMetadata[][]> {
    const result = await this.#send(entries);
    return result === undefined ? entries.map(() => []) : assignEntryOffsets(entries, result);
  }

  /** The same send for a caller that needs no offsets (a batch's outputs). */
  async writeMany(entries: readonly TopicRecords[]): Promise<void> {
    await this.#send(entries);
  }

  #send(entries: readonly TopicRecords[]): Promise<ProduceResult> | undefined {
    const messages = toPlatformaticMessages(entries, Date.now());
    if (messages.length === 0) return undefined;
    return this.#order.run(partitionsOf(entries), () =>
      this.#renewal.run(() => this.#producer.send({ messages, acks: ProduceAcks.ALL })),
    );
  }

  close(): Promise<void> {
    return this.#producer.close();
  }
}

/**
 * Refuses a port that is not Kafka before the client talks to it (it would wait for an answer
 * that never comes), then checks a broker answers at all, with the configured login.
 */
export async function probePlatformaticBroker(config: ResolvedPlatformaticConfig): Promise<void> {
  // A TLS listener does not answer plain bytes; with ssl set, the client's handshake must tell.
  if (config.ssl === undefined) {
    await checkKafkaProtocol(config.brokers, {
      connectTimeoutMs: config.connectionTimeoutMs,
      answerTimeoutMs: config.requestTimeoutMs,
    });
  }
  const admin = new Admin({ ...platformaticClientOptions(config, 'probe'), retries: 0 });
  try {
    await admin.metadata({ topics: [] });
  } catch (error) {
    throw toPlatformaticTransportError(
      error,
      `reach a broker at ${config.brokers.join(', ')}`,
      platformaticPrincipal(config),
    );
  } finally {
    await admin.close().catch(() => undefined);
  }
}

export function openPlatformaticConnection(
  config: ResolvedPlatformaticConfig,
  logger: Logger,
): PlatformaticConnection & { close(): Promise<void> } {
  const admin = new Admin(platformaticClientOptions(config, 'admin'));
  const producer = new Producer({
    ...platformaticClientOptions(config, 'producer'),
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    compression: config.producer.compression,
  });
  const topics = new PlatformaticTopics(admin, {
    replicationFactor: config.replicationFactor,
    logger,
    leaderWaitMs: config.startupTimeoutMs,
    secured:
      config.sasl === undefined && config.ssl === undefined
        ? undefined
        : { principal: platformaticPrincipal(config) },
  });
  const writer = new PlatformaticRecordWriter(producer, topics);
  return {
    topics,
    offsets: new PlatformaticOffsets(topics),
    writer,
    async close() {
      const results = await Promise.allSettled([writer.close(), admin.close()]);
      for (const result of results) {
        if (result.status === 'rejected') {
          logger.warn('disconnecting from Kafka failed', { error: errorMessage(result.reason) });
        }
      }
    },
  };
}
