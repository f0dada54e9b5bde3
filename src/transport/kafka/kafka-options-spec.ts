import {
  closedObject,
  LOGGER_OPTION,
  nonBlankString,
  type OptionsSpec,
  positiveInt,
} from '../../options/option-schema';
import { COMPRESSION_OPTION, type KafkaCompression } from '../kafka-compression';
import { SASL_OPTION, SSL_OPTION } from '../kafka-security-options';
import type {
  KafkaClientLogLevel,
  KafkaRetryOptions,
  KafkaTransportOptions,
} from './kafka-options';

/** The values KafkaTransport uses for options not given. */
export const KAFKA_DEFAULTS = {
  clientId: 'streamwise',
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 30_000,
  startupTimeoutMs: 60_000,
  partitionsConsumedConcurrently: 4,
  redeliveryInitialMs: 100,
  redeliveryMaxMs: 5_000,
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 500,
  lingerMs: 0,
  batchMaxRecords: 1_000,
  batchMaxBytes: 512 * 1024,
  kafkaLogLevel: 'warn',
} as const;

export const KAFKA_LOG_LEVELS: readonly KafkaClientLogLevel[] = [
  'nothing',
  'error',
  'warn',
  'info',
  'debug',
];

/** KafkaTransportOptions once read: every option with a default has its value. */
export interface ReadKafkaOptions extends KafkaTransportOptions {
  readonly clientId: string;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly startupTimeoutMs: number;
  /** undefined: the cluster's default.replication.factor. */
  readonly replicationFactor: number | undefined;
  readonly partitionsConsumedConcurrently: number;
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
  readonly kafkaLogLevel: KafkaClientLogLevel;
}

const retry = closedObject({
  retries: { type: 'integer', minimum: 0, expect: 'a whole number >= 0' },
  initialRetryTimeMs: positiveInt(),
  maxRetryTimeMs: positiveInt(),
  factor: { type: 'number', minimum: 0, maximum: 1, expect: 'a number from 0 to 1' },
  multiplier: { type: 'number', minimum: 1, expect: 'a number >= 1' },
});

export const KAFKA_OPTIONS: OptionsSpec<ReadKafkaOptions> = {
  owner: 'KafkaTransport',
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
        default: KAFKA_DEFAULTS.clientId,
      },
      ssl: SSL_OPTION,
      sasl: SASL_OPTION,
      logger: LOGGER_OPTION,
      connectionTimeoutMs: positiveInt(KAFKA_DEFAULTS.connectionTimeoutMs),
      requestTimeoutMs: positiveInt(KAFKA_DEFAULTS.requestTimeoutMs),
      startupTimeoutMs: positiveInt(KAFKA_DEFAULTS.startupTimeoutMs),
      retry,
      replicationFactor: positiveInt(),
      partitionsConsumedConcurrently: positiveInt(KAFKA_DEFAULTS.partitionsConsumedConcurrently),
      redeliveryBackoff: closedObject(
        {
          initialMs: positiveInt(KAFKA_DEFAULTS.redeliveryInitialMs),
          maxMs: positiveInt(KAFKA_DEFAULTS.redeliveryMaxMs),
        },
        { default: {} },
      ),
      consumer: closedObject(
        {
          sessionTimeoutMs: positiveInt(KAFKA_DEFAULTS.sessionTimeoutMs),
          heartbeatIntervalMs: positiveInt(KAFKA_DEFAULTS.heartbeatIntervalMs),
          rebalanceTimeoutMs: positiveInt(KAFKA_DEFAULTS.rebalanceTimeoutMs),
          maxWaitTimeMs: positiveInt(KAFKA_DEFAULTS.maxWaitTimeMs),
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
            default: KAFKA_DEFAULTS.lingerMs,
          },
          batchMaxRecords: positiveInt(KAFKA_DEFAULTS.batchMaxRecords),
          batchMaxBytes: {
            type: 'integer',
            minimum: 1_024,
            maximum: 1_000_000,
            expect:
              "a whole number of bytes from 1024 to 1000000 (below the broker's message.max.bytes)",
            default: KAFKA_DEFAULTS.batchMaxBytes,
          },
          compression: COMPRESSION_OPTION,
        },
        { default: {} },
      ),
      kafkaLogLevel: {
        enum: KAFKA_LOG_LEVELS,
        expect: `one of ${KAFKA_LOG_LEVELS.join(', ')}`,
        default: KAFKA_DEFAULTS.kafkaLogLevel,
      },
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
    ({ retry }: { retry?: KafkaRetryOptions }) =>
      retry?.initialRetryTimeMs === undefined ||
      retry.maxRetryTimeMs === undefined ||
      retry.initialRetryTimeMs <= retry.maxRetryTimeMs
        ? undefined
        : `retry.initialRetryTimeMs (${retry.initialRetryTimeMs}) must not exceed retry.maxRetryTimeMs (${retry.maxRetryTimeMs}).`,
  ],
};
