import { logLevel as KafkaLogLevel, type RetryOptions } from 'kafkajs';

import { ConfigurationError } from '../../errors/configuration-error';
import { ConsoleLogger } from '../../logging/console-logger';
import type { Logger } from '../../logging/logger';

/** How kafkajs retries a failed request (its own retrier; see kafkajs' "retry" client option). */
export interface KafkaRetryOptions {
  /** Attempts after the first one. */
  readonly retries?: number;
  readonly initialRetryTimeMs?: number;
  /** Cap of one wait between attempts. */
  readonly maxRetryTimeMs?: number;
  /** Randomization factor, 0..1. */
  readonly factor?: number;
  /** Exponential growth of the wait, >= 1. */
  readonly multiplier?: number;
}

/** Consumer-group tuning; the defaults are kafkajs' except `maxWaitTimeMs` (Java's fetch.max.wait.ms). */
export interface KafkaConsumerTuning {
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /**
   * Longest a fetch waits on the broker for new records. It also bounds how late a paused
   * partition (a record waiting for redelivery) resumes and how long stop() waits for a fetch.
   */
  readonly maxWaitTimeMs?: number;
}

export interface RedeliveryBackoffOptions {
  /** Wait before the first redelivery of a record whose handler rejected. */
  readonly initialMs?: number;
  /** The wait doubles per failed attempt up to this cap. */
  readonly maxMs?: number;
}

export type KafkaClientLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaTransportOptions {
  /** Bootstrap brokers as "host:port". */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** Where the transport and kafkajs log; default: JSON lines on stderr, warnings and errors only. */
  readonly logger?: Logger;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly retry?: KafkaRetryOptions;
  /** Replication factor of topics created by createTopics (default 1, for a single dev broker). */
  readonly replicationFactor?: number;
  /** Partitions a subscription handles at the same time (kafkajs partitionsConsumedConcurrently). */
  readonly partitionsConsumedConcurrently?: number;
  readonly redeliveryBackoff?: RedeliveryBackoffOptions;
  readonly consumer?: KafkaConsumerTuning;
  /** The lowest kafkajs log level passed to the logger (default "warn"). */
  readonly kafkaLogLevel?: KafkaClientLogLevel;
}

export interface ResolvedKafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Already in kafkajs' shape; undefined keeps kafkajs' defaults. */
  readonly retry: RetryOptions | undefined;
  readonly replicationFactor: number;
  readonly partitionsConsumedConcurrently: number;
  readonly redelivery: { readonly initialMs: number; readonly maxMs: number };
  readonly consumer: {
    readonly sessionTimeoutMs: number;
    readonly heartbeatIntervalMs: number;
    readonly rebalanceTimeoutMs: number;
    readonly maxWaitTimeMs: number;
  };
  readonly kafkaLogLevel: KafkaLogLevel;
}

export const KAFKA_DEFAULTS = {
  clientId: 'streamwise',
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 30_000,
  replicationFactor: 1,
  partitionsConsumedConcurrently: 4,
  redeliveryInitialMs: 100,
  redeliveryMaxMs: 5_000,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 500,
  kafkaLogLevel: 'warn',
} as const;

const OPTION_NAMES: readonly string[] = [
  'brokers',
  'clientId',
  'logger',
  'connectionTimeoutMs',
  'requestTimeoutMs',
  'retry',
  'replicationFactor',
  'partitionsConsumedConcurrently',
  'redeliveryBackoff',
  'consumer',
  'kafkaLogLevel',
];
const RETRY_NAMES: readonly string[] = [
  'retries',
  'initialRetryTimeMs',
  'maxRetryTimeMs',
  'factor',
  'multiplier',
];
const CONSUMER_NAMES: readonly string[] = [
  'sessionTimeoutMs',
  'heartbeatIntervalMs',
  'rebalanceTimeoutMs',
  'maxWaitTimeMs',
];
const BACKOFF_NAMES: readonly string[] = ['initialMs', 'maxMs'];

const LOG_LEVELS: Readonly<Record<KafkaClientLogLevel, KafkaLogLevel>> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

function fail(problem: string): never {
  throw new ConfigurationError(`KafkaTransport: ${problem}`);
}

/** Validates the options and fills in defaults; every problem names the option and the fix. */
export function resolveKafkaConfig(options: KafkaTransportOptions): ResolvedKafkaConfig {
  if (typeof options !== 'object' || options === null) {
    fail('options must be an object such as { brokers: ["127.0.0.1:9092"] }.');
  }
  rejectUnknown(options, OPTION_NAMES, 'options');

  const retry = optionalObject(options.retry, 'retry', RETRY_NAMES);
  const consumer = optionalObject(options.consumer, 'consumer', CONSUMER_NAMES);
  const backoff = optionalObject(options.redeliveryBackoff, 'redeliveryBackoff', BACKOFF_NAMES);

  const sessionTimeoutMs = positiveInt(
    consumer?.sessionTimeoutMs,
    'consumer.sessionTimeoutMs',
    KAFKA_DEFAULTS.sessionTimeoutMs,
  );
  const heartbeatIntervalMs = positiveInt(
    consumer?.heartbeatIntervalMs,
    'consumer.heartbeatIntervalMs',
    KAFKA_DEFAULTS.heartbeatIntervalMs,
  );
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    fail(
      `consumer.heartbeatIntervalMs (${heartbeatIntervalMs}) must be lower than consumer.sessionTimeoutMs (${sessionTimeoutMs}); about a third of it is usual.`,
    );
  }
  const redelivery = {
    initialMs: positiveInt(
      backoff?.initialMs,
      'redeliveryBackoff.initialMs',
      KAFKA_DEFAULTS.redeliveryInitialMs,
    ),
    maxMs: positiveInt(backoff?.maxMs, 'redeliveryBackoff.maxMs', KAFKA_DEFAULTS.redeliveryMaxMs),
  };
  if (redelivery.initialMs > redelivery.maxMs) {
    fail(
      `redeliveryBackoff.initialMs (${redelivery.initialMs}) must not exceed redeliveryBackoff.maxMs (${redelivery.maxMs}).`,
    );
  }

  return {
    brokers: resolveBrokers(options.brokers),
    clientId: resolveClientId(options.clientId),
    logger: resolveLogger(options.logger),
    connectionTimeoutMs: positiveInt(
      options.connectionTimeoutMs,
      'connectionTimeoutMs',
      KAFKA_DEFAULTS.connectionTimeoutMs,
    ),
    requestTimeoutMs: positiveInt(
      options.requestTimeoutMs,
      'requestTimeoutMs',
      KAFKA_DEFAULTS.requestTimeoutMs,
    ),
    retry: resolveRetry(retry),
    replicationFactor: positiveInt(
      options.replicationFactor,
      'replicationFactor',
      KAFKA_DEFAULTS.replicationFactor,
    ),
    partitionsConsumedConcurrently: positiveInt(
      options.partitionsConsumedConcurrently,
      'partitionsConsumedConcurrently',
      KAFKA_DEFAULTS.partitionsConsumedConcurrently,
    ),
    redelivery,
    consumer: {
      sessionTimeoutMs,
      heartbeatIntervalMs,
      rebalanceTimeoutMs: positiveInt(
        consumer?.rebalanceTimeoutMs,
        'consumer.rebalanceTimeoutMs',
        KAFKA_DEFAULTS.rebalanceTimeoutMs,
      ),
      maxWaitTimeMs: positiveInt(
        consumer?.maxWaitTimeMs,
        'consumer.maxWaitTimeMs',
        KAFKA_DEFAULTS.maxWaitTimeMs,
      ),
    },
    kafkaLogLevel: resolveLogLevel(options.kafkaLogLevel),
  };
}

function resolveBrokers(brokers: unknown): readonly string[] {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    return fail(
      'brokers must be a non-empty array of "host:port" strings, e.g. ["127.0.0.1:9092"].',
    );
  }
  return brokers.map((broker: unknown, index) => {
    if (typeof broker !== 'string') {
      return fail(`brokers[${index}] must be a "host:port" string, got ${describe(broker)}.`);
    }
    const match = /^(.+):(\d+)$/.exec(broker.trim());
    const port = match === null ? NaN : Number(match[2]);
    if (match === null || match[1].trim() === '' || port < 1 || port > 65_535) {
      return fail(
        `brokers[${index}] is "${broker}"; write it as "host:port" with a port from 1 to 65535, e.g. "127.0.0.1:9092".`,
      );
    }
    return broker.trim();
  });
}

function resolveClientId(clientId: unknown): string {
  if (clientId === undefined) return KAFKA_DEFAULTS.clientId;
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    return fail('clientId must be a non-empty string (it shows up in broker logs and quotas).');
  }
  return clientId;
}

function resolveLogger(logger: Logger | undefined): Logger {
  if (logger === undefined) {
    return new ConsoleLogger('warn').child({ component: 'kafka-transport' });
  }
  const methods: readonly (keyof Logger)[] = ['debug', 'info', 'warn', 'error', 'child'];
  const candidate: unknown = logger;
  if (typeof candidate !== 'object' || candidate === null) {
    return fail('logger must implement the Logger interface (debug, info, warn, error, child).');
  }
  const missing = methods.filter(
    (name) => typeof (candidate as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length > 0) {
    return fail(`logger is missing ${missing.join(', ')}; pass an object implementing Logger.`);
  }
  return logger.child({ component: 'kafka-transport' });
}

function resolveRetry(retry: KafkaRetryOptions | undefined): RetryOptions | undefined {
  if (retry === undefined) return undefined;
  const resolved: RetryOptions = {};
  if (retry.retries !== undefined)
    resolved.retries = nonNegativeInt(retry.retries, 'retry.retries');
  if (retry.initialRetryTimeMs !== undefined) {
    resolved.initialRetryTime = positiveInt(
      retry.initialRetryTimeMs,
      'retry.initialRetryTimeMs',
      1,
    );
  }
  if (retry.maxRetryTimeMs !== undefined) {
    resolved.maxRetryTime = positiveInt(retry.maxRetryTimeMs, 'retry.maxRetryTimeMs', 1);
  }
  if (retry.factor !== undefined) {
    if (typeof retry.factor !== 'number' || !(retry.factor >= 0 && retry.factor <= 1)) {
      fail(`retry.factor must be a number from 0 to 1, got ${describe(retry.factor)}.`);
    }
    resolved.factor = retry.factor;
  }
  if (retry.multiplier !== undefined) {
    if (typeof retry.multiplier !== 'number' || !(retry.multiplier >= 1)) {
      fail(`retry.multiplier must be a number >= 1, got ${describe(retry.multiplier)}.`);
    }
    resolved.multiplier = retry.multiplier;
  }
  if (
    resolved.initialRetryTime !== undefined &&
    resolved.maxRetryTime !== undefined &&
    resolved.initialRetryTime > resolved.maxRetryTime
  ) {
    fail('retry.initialRetryTimeMs must not exceed retry.maxRetryTimeMs.');
  }
  return resolved;
}

function resolveLogLevel(level: unknown): KafkaLogLevel {
  if (level === undefined) return LOG_LEVELS[KAFKA_DEFAULTS.kafkaLogLevel];
  if (typeof level === 'string' && Object.prototype.hasOwnProperty.call(LOG_LEVELS, level)) {
    return LOG_LEVELS[level as KafkaClientLogLevel];
  }
  return fail(
    `kafkaLogLevel must be one of ${Object.keys(LOG_LEVELS).join(', ')}, got ${describe(level)}.`,
  );
}

function optionalObject<T extends object>(
  value: T | undefined,
  name: string,
  allowed: readonly string[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`${name} must be an object with ${allowed.join(', ')}.`);
  }
  rejectUnknown(value, allowed, name);
  return value;
}

function rejectUnknown(value: object, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    fail(
      `unknown ${where === 'options' ? 'option' : `${where} field`}${unknown.length > 1 ? 's' : ''} ${unknown
        .map((key) => `"${key}"`)
        .join(', ')}; the valid ones are ${allowed.join(', ')}.`,
    );
  }
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    return fail(`${name} must be a positive whole number, got ${describe(value)}.`);
  }
  return value;
}

function nonNegativeInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail(`${name} must be a whole number >= 0, got ${describe(value)}.`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  if (value === undefined) return 'undefined';
  return Array.isArray(value) ? 'an array' : typeof value;
}
