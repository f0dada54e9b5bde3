import { Kafka, type KafkaConfig, logLevel, Partitioners, type SASLOptions } from 'kafkajs';

import type { Logger } from '../../logging/logger';
import { checkKafkaProtocol } from '../kafka-protocol-check';
import { PROCESS_DENIALS } from './authorization-denials';
import { KafkaAdminOps } from './kafka-admin-ops';
import type { ResolvedKafkaConfig } from './kafka-config';
import { errorMessage, toTransportError } from './kafka-errors';
import { kafkaClientLogLevel, kafkaLogCreator } from './kafka-log-adapter';
import { KafkaOffsetAdmin } from './kafka-offset-admin';
import { KafkaRecordWriter } from './kafka-record-writer';
import { KafkaSharedProducer } from './kafka-shared-producer';
import { sortKafkajsAbortedTransactions } from './kafkajs-aborted-order';
import { registerKafkajsCodecs } from './kafkajs-codecs';

/** The clients of one connected KafkaTransport; subscriptions each add their own consumer. */
export interface KafkaConnection {
  readonly kafka: Kafka;
  readonly admin: KafkaAdminOps;
  readonly offsets: KafkaOffsetAdmin;
  readonly producer: KafkaSharedProducer;
  readonly writer: KafkaRecordWriter;
}

/** What every client of the transport connects with: brokers, TLS, login and timeouts. */
export function kafkaClientConfig(config: ResolvedKafkaConfig): KafkaConfig {
  return {
    clientId: config.clientId,
    brokers: [...config.brokers],
    // Our option types are kafkajs' own, written out so the public API does not depend on them.
    ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
    ...(config.sasl === undefined ? {} : { sasl: config.sasl as SASLOptions }),
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
  };
}

/** The principal the broker sees for a password login ("User:billing"), for error messages. */
export function kafkaPrincipal(config: ResolvedKafkaConfig): string | undefined {
  const sasl = config.sasl;
  return sasl === undefined || sasl.mechanism === 'oauthbearer'
    ? undefined
    : `User:${sasl.username}`;
}

/**
 * One metadata round trip without kafkajs' retries: while the broker is down an attempt costs one
 * connection timeout instead of kafkajs' ~8 s of retries, so connect() keeps to its deadline, and
 * it logs nothing (the caller logs what it waits for).
 */
export async function probeBroker(config: ResolvedKafkaConfig): Promise<void> {
  // A TLS listener does not answer plain bytes; with ssl set, kafkajs' own handshake must tell.
  if (config.ssl === undefined) {
    await checkKafkaProtocol(config.brokers, {
      connectTimeoutMs: config.connectionTimeoutMs,
      answerTimeoutMs: config.requestTimeoutMs,
    });
  }
  const admin = new Kafka({
    ...kafkaClientConfig(config),
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
  } catch (error) {
    throw toTransportError(
      error,
      `reach a broker at ${config.brokers.join(', ')}`,
      kafkaPrincipal(config),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** One idempotent producer (acks=all) and one admin client, connected; nothing is left open on failure. */
export async function openKafkaConnection(
  config: ResolvedKafkaConfig,
  logger: Logger,
): Promise<KafkaConnection> {
  sortKafkajsAbortedTransactions();
  registerKafkajsCodecs();
  const kafka = new Kafka({
    ...kafkaClientConfig(config),
    retry: config.retry,
    logLevel: kafkaClientLogLevel(config.kafkaLogLevel),
    logCreator: kafkaLogCreator(logger, PROCESS_DENIALS, config.kafkaLogLevel),
  });
  const admin = new KafkaAdminOps(kafka, {
    replicationFactor: config.replicationFactor,
    logger,
    // A broker with ACLs hides the topics a principal may not describe.
    secured:
      config.sasl === undefined && config.ssl === undefined
        ? undefined
        : { principal: kafkaPrincipal(config) },
  });
  const producer = new KafkaSharedProducer(
    () =>
      kafka.producer({
        idempotent: true,
        allowAutoTopicCreation: false,
        // Every record carries its partition; the partitioner is never asked. Passing one
        // explicitly also silences kafkajs' "default partitioner changed" warning.
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    logger,
  );
  try {
    await admin.connect();
    await producer.connect();
  } catch (error) {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    throw toTransportError(
      error,
      `connect to ${config.brokers.join(', ')}`,
      kafkaPrincipal(config),
    );
  }
  return {
    kafka,
    admin,
    offsets: new KafkaOffsetAdmin(kafka, admin, logger),
    producer,
    writer: new KafkaRecordWriter(admin, config.producer.compression),
  };
}

/** Disconnects the producer and the admin client; failures are only logged. */
export async function closeKafkaConnection(
  connection: KafkaConnection,
  logger: Logger,
): Promise<void> {
  const results = await Promise.allSettled([
    connection.producer.disconnect(),
    connection.admin.disconnect(),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') {
      logger.warn('disconnecting from Kafka failed', { error: errorMessage(result.reason) });
    }
  }
}
