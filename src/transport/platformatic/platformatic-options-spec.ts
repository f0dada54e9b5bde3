import {
  closedObject,
  LOGGER_OPTION,
  nonBlankString,
  type OptionsSpec,
  positiveInt,
} from '../../options/option-schema';
import { KAFKA_DEFAULTS } from '../kafka/kafka-options-spec';
import { COMPRESSION_OPTION, type KafkaCompression } from '../kafka-compression';
import { SASL_OPTION, SSL_OPTION } from '../kafka-security-options';
import type {
  PlatformaticGroupProtocol,
  PlatformaticKafkaTransportOptions,
} from './platformatic-options';

/** The values PlatformaticKafkaTransport uses for options not given: KafkaTransport's. */
export const PLATFORMATIC_KAFKA_DEFAULTS = {
  clientId: KAFKA_DEFAULTS.clientId,
  connectionTimeoutMs: KAFKA_DEFAULTS.connectionTimeoutMs,
  requestTimeoutMs: KAFKA_DEFAULTS.requestTimeoutMs,
  startupTimeoutMs: KAFKA_DEFAULTS.startupTimeoutMs,
  retries: 3,
  retryDelayMs: 250,
  partitionsConsumedConcurrently: KAFKA_DEFAULTS.partitionsConsumedConcurrently,
  redeliveryInitialMs: KAFKA_DEFAULTS.redeliveryInitialMs,
  redeliveryMaxMs: KAFKA_DEFAULTS.redeliveryMaxMs,
  sessionTimeoutMs: KAFKA_DEFAULTS.sessionTimeoutMs,
  heartbeatIntervalMs: KAFKA_DEFAULTS.heartbeatIntervalMs,
  rebalanceTimeoutMs: KAFKA_DEFAULTS.rebalanceTimeoutMs,
  maxWaitTimeMs: KAFKA_DEFAULTS.maxWaitTimeMs,
  lingerMs: KAFKA_DEFAULTS.lingerMs,
  batchMaxRecords: KAFKA_DEFAULTS.batchMaxRecords,
  batchMaxBytes: KAFKA_DEFAULTS.batchMaxBytes,
  groupProtocol: 'classic',
  transactionTimeoutMs: 10_000,
} as const;

/** The options once read: every option with a default has its value. */
export interface ReadPlatformaticOptions extends PlatformaticKafkaTransportOptions {
  readonly clientId: string;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly retry: { readonly retries: number; readonly retryDelayMs: number };
  /** undefined: the cluster's default.replication.factor. */
  readonly replicationFactor: number | undefined;
  readonly partitionsConsumedConcurrently: number;
  readonly groupProtocol: PlatformaticGroupProtocol;
  readonly transactionTimeoutMs: number;
  readonly redeliveryBackoff: { readonly initialMs: number; readonly maxMs: number };
  readonly consumer: {
    readonly sessionTimeoutMs: number;
    readonly heartbeatIntervalMs: number;
    readonly rebalanceTimeoutMs: number;
    readonly maxWaitTimeMs: number;
  };
  readonly producer: {
    readonly lingerMs: number;
    readonly batchMaxRecords: number;
    readonly batchMaxBytes: number;
    readonly compression: KafkaCompression;
  };
}

const D = PLATFORMATIC_KAFKA_DEFAULTS;

export const PLATFORMATIC_KAFKA_OPTIONS: OptionsSpec<ReadPlatformaticOptions> = {
  owner: 'PlatformaticKafkaTransport',
  schema: closedObject(
    {
      brokers: {
        type: 'array',
        minItems: 1,
        expect: 'a non-empty array of "host:port" strings, e.g. ["127.0.0.1:9092"]',
        items: {
          type: 'string',
          format: 'host-port',
          expect: 'a "host:port" string with a port from 1 to 65535, e.g. "127.0.0.1:9092"',
        },
      },
      clientId: {
        ...nonBlankString('a non-empty string (it shows up in broker logs and quotas)'),
        default: D.clientId,
      },
      ssl: SSL_OPTION,
      sasl: SASL_OPTION,
      logger: LOGGER_OPTION,
      connectionTimeoutMs: positiveInt(D.connectionTimeoutMs),
      requestTimeoutMs: positiveInt(D.requestTimeoutMs),
      startupTimeoutMs: positiveInt(D.startupTimeoutMs),
      retry: closedObject(
        {
          retries: {
            type: 'integer',
            minimum: 0,
            expect: 'a whole number >= 0',
            default: D.retries,
          },
          retryDelayMs: positiveInt(D.retryDelayMs),
        },
        { default: {} },
      ),
      replicationFactor: positiveInt(),
      partitionsConsumedConcurrently: positiveInt(D.partitionsConsumedConcurrently),
      groupProtocol: {
        type: 'string',
        enum: ['classic', 'consumer'],
        expect:
          '"classic" (JoinGroup/SyncGroup, eager rebalances) or "consumer" (KIP-848, incremental rebalances; Kafka 4.0 or later)',
        default: D.groupProtocol,
      },
      transactionTimeoutMs: {
        type: 'integer',
        minimum: 1_000,
        maximum: 900_000,
        expect:
          "a whole number of milliseconds from 1000 to 900000 (the broker's default transaction.max.timeout.ms)",
        default: D.transactionTimeoutMs,
      },
      instanceId: nonBlankString(
        'a non-empty string, the same across restarts of this instance (the exactly-once transactional ids end with it)',
      ),
      redeliveryBackoff: closedObject(
        {
          initialMs: positiveInt(D.redeliveryInitialMs),
          maxMs: positiveInt(D.redeliveryMaxMs),
        },
        { default: {} },
      ),
      consumer: closedObject(
        {
          sessionTimeoutMs: positiveInt(D.sessionTimeoutMs),
          heartbeatIntervalMs: positiveInt(D.heartbeatIntervalMs),
          rebalanceTimeoutMs: positiveInt(D.rebalanceTimeoutMs),
          maxWaitTimeMs: positiveInt(D.maxWaitTimeMs),
        },
        { default: {} },
      ),
      producer: closedObject(
        {
          lingerMs: {
            type: 'integer',
            minimum: 0,
            maximum: 1_000,
            expect: 'a whole number of milliseconds from 0 to 1000 (a few ms at most is usual)',
            default: D.lingerMs,
          },
          batchMaxRecords: positiveInt(D.batchMaxRecords),
          batchMaxBytes: {
            type: 'integer',
            minimum: 1_024,
            maximum: 1_000_000,
            expect:
              "a whole number of bytes from 1024 to 1000000 (below the broker's message.max.bytes)",
            default: D.batchMaxBytes,
          },
          compression: COMPRESSION_OPTION,
        },
        { default: {} },
      ),
    },
    {
      required: ['brokers'],
      expect: 'an object such as { brokers: ["127.0.0.1:9092"] }',
    },
  ),
  rules: [
    ({ consumer: { heartbeatIntervalMs, sessionTimeoutMs } }) =>
      heartbeatIntervalMs < sessionTimeoutMs
        ? undefined
        : `consumer.heartbeatIntervalMs (${heartbeatIntervalMs}) must be lower than consumer.sessionTimeoutMs (${sessionTimeoutMs}); about a third of it is usual.`,
    ({ redeliveryBackoff: { initialMs, maxMs } }) =>
      initialMs <= maxMs
        ? undefined
        : `redeliveryBackoff.initialMs (${initialMs}) must not exceed redeliveryBackoff.maxMs (${maxMs}).`,
  ],
};
