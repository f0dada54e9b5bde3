import { logLevel as KafkaLogLevel, type RetryOptions } from 'kafkajs';

import { adaptLogger } from '../../logging/adapt-logger';
import { ConsoleLogger } from '../../logging/console-logger';
import type { Logger } from '../../logging/logger';
import { readOptions } from '../../options/read-options';
import type { KafkaCompression } from '../kafka-compression';
import type { KafkaSaslOptions, KafkaSslOptions } from '../kafka-security-options';
import type {
  KafkaClientLogLevel,
  KafkaRetryOptions,
  KafkaTransportOptions,
} from './kafka-options';
import { KAFKA_OPTIONS } from './kafka-options-spec';

export type {
  KafkaOauthBearerLogin,
  KafkaPasswordLogin,
  KafkaSaslOptions,
  KafkaSslOptions,
} from '../kafka-security-options';
export type {
  KafkaClientLogLevel,
  KafkaConsumerTuning,
  KafkaProducerTuning,
  KafkaRetryOptions,
  KafkaTransportOptions,
  RedeliveryBackoffOptions,
} from './kafka-options';
export { KAFKA_DEFAULTS } from './kafka-options-spec';

/** The options in the shape the transport and kafkajs use them. */
export interface ResolvedKafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: KafkaSslOptions | undefined;
  readonly sasl: KafkaSaslOptions | undefined;
  readonly logger: Logger;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly startupTimeoutMs: number;
  /** Already in kafkajs' shape; undefined keeps kafkajs' defaults. */
  readonly retry: RetryOptions | undefined;
  /** undefined: the cluster's default.replication.factor. */
  readonly replicationFactor: number | undefined;
  readonly partitionsConsumedConcurrently: number;
  readonly redelivery: { readonly initialMs: number; readonly maxMs: number };
  readonly consumer: {
    readonly sessionTimeoutMs: number;
    readonly heartbeatIntervalMs: number;
    readonly rebalanceTimeoutMs: number;
    readonly maxWaitTimeMs: number;
  };
  /** Merging of concurrent produce calls (see ProduceCoalescer) and the batches' codec. */
  readonly producer: {
    readonly lingerMs: number;
    readonly batchMaxRecords: number;
    readonly batchMaxBytes: number;
    readonly compression: KafkaCompression;
  };
  readonly kafkaLogLevel: KafkaLogLevel;
}

const LOG_LEVELS: Readonly<Record<KafkaClientLogLevel, KafkaLogLevel>> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/** Validates the options and fills in defaults; every problem names the option and the fix. */
export function resolveKafkaConfig(options: KafkaTransportOptions): ResolvedKafkaConfig {
  const read = readOptions(KAFKA_OPTIONS, options);
  return {
    brokers: read.brokers.map((broker) => broker.trim()),
    clientId: read.clientId,
    ssl: read.ssl,
    sasl: read.sasl,
    logger: (read.logger === undefined
      ? new ConsoleLogger('warn')
      : adaptLogger(read.logger)
    ).child({
      component: 'kafka-transport',
    }),
    connectionTimeoutMs: read.connectionTimeoutMs,
    requestTimeoutMs: read.requestTimeoutMs,
    startupTimeoutMs: read.startupTimeoutMs,
    retry: kafkaRetry(read.retry),
    replicationFactor: read.replicationFactor,
    partitionsConsumedConcurrently: read.partitionsConsumedConcurrently,
    redelivery: read.redeliveryBackoff,
    consumer: read.consumer,
    producer: read.producer,
    kafkaLogLevel: LOG_LEVELS[read.kafkaLogLevel],
  };
}

/** Our names to kafkajs' (which drop the unit); options not given keep kafkajs' defaults. */
function kafkaRetry(retry: KafkaRetryOptions | undefined): RetryOptions | undefined {
  if (retry === undefined) return undefined;
  const resolved: RetryOptions = {};
  if (retry.retries !== undefined) resolved.retries = retry.retries;
  if (retry.initialRetryTimeMs !== undefined) resolved.initialRetryTime = retry.initialRetryTimeMs;
  if (retry.maxRetryTimeMs !== undefined) resolved.maxRetryTime = retry.maxRetryTimeMs;
  if (retry.factor !== undefined) resolved.factor = retry.factor;
  if (retry.multiplier !== undefined) resolved.multiplier = retry.multiplier;
  return resolved;
}
