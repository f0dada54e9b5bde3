import { logLevel } from 'kafkajs';

import { ConfigurationError } from '../../errors/configuration-error';
import { SilentLogger } from '../../logging/silent-logger';
import { KAFKA_COMPRESSIONS } from '../kafka-compression';
import { KAFKA_DEFAULTS, type KafkaTransportOptions, resolveKafkaConfig } from './kafka-config';

/** Options as a caller might write them, typos and all (hence `object`). */
const resolve = (options: object | null) => {
  const full = (
    options === null ? null : { brokers: ['127.0.0.1:9092'], ...options }
  ) as KafkaTransportOptions;
  return resolveKafkaConfig(full);
};

describe('resolveKafkaConfig', () => {
  it('fills in defaults', () => {
    const config = resolve({});
    expect(config).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      clientId: 'streamwise',
      connectionTimeoutMs: KAFKA_DEFAULTS.connectionTimeoutMs,
      requestTimeoutMs: KAFKA_DEFAULTS.requestTimeoutMs,
      startupTimeoutMs: 60_000,
      retry: undefined,
      replicationFactor: undefined, // the cluster's default.replication.factor
      partitionsConsumedConcurrently: 4,
      redelivery: { initialMs: 100, maxMs: 5_000 },
      consumer: {
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 3_000,
        rebalanceTimeoutMs: 60_000,
        maxWaitTimeMs: 500,
      },
      kafkaLogLevel: logLevel.WARN,
    });
  });

  it('lets a killed member go within 10 s, as Kafka Streams does, heartbeating 3 times in it', () => {
    const { consumer } = resolve({});
    expect(consumer.sessionTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(consumer.heartbeatIntervalMs * 3).toBeLessThanOrEqual(consumer.sessionTimeoutMs);
  });

  it('merges concurrent produce calls with no linger beyond the event-loop turn by default, bounded well below 1 MiB', () => {
    expect(resolve({}).producer).toEqual({
      lingerMs: 0,
      batchMaxRecords: 1_000,
      batchMaxBytes: 512 * 1024,
      compression: 'none',
    });
    expect(resolve({ producer: { lingerMs: 2 } }).producer.lingerMs).toBe(2);
  });

  it('refuses a producer linger or batch bound out of range, naming the option', () => {
    expect(() => resolve({ producer: { lingerMs: -1 } })).toThrow(/producer.lingerMs must be/);
    expect(() => resolve({ producer: { batchMaxRecords: 0 } })).toThrow(
      /producer.batchMaxRecords must be a positive whole number/,
    );
    expect(() => resolve({ producer: { batchMaxBytes: 2_000_000 } })).toThrow(
      /producer.batchMaxBytes must be .*message.max.bytes/,
    );
    expect(() => resolve({ producer: { linger: 2 } })).toThrow(/producer/);
  });

  it('writes every codec Node has (kafkajs given the ones it lacks), and refuses another naming the ones it takes', () => {
    for (const codec of KAFKA_COMPRESSIONS) {
      expect(resolve({ producer: { compression: codec } }).producer.compression).toBe(codec);
    }
    expect(() => resolve({ producer: { compression: 'brotli' } })).toThrow(
      /KafkaTransport.*producer.compression must be one of "none", "gzip", "snappy", "lz4"/s,
    );
  });

  it('reads startupTimeoutMs with a message naming it', () => {
    expect(resolve({ startupTimeoutMs: 2_000 }).startupTimeoutMs).toBe(2_000);
    expect(() => resolve({ startupTimeoutMs: 0 })).toThrow(
      /startupTimeoutMs must be a positive whole number/,
    );
  });

  it('maps retry options to kafkajs names', () => {
    expect(
      resolve({
        retry: {
          retries: 0,
          initialRetryTimeMs: 50,
          maxRetryTimeMs: 500,
          factor: 0.1,
          multiplier: 2,
        },
      }).retry,
    ).toEqual({ retries: 0, initialRetryTime: 50, maxRetryTime: 500, factor: 0.1, multiplier: 2 });
  });

  it('uses the given logger', () => {
    const logger = new SilentLogger();
    expect(resolve({ logger }).logger).toBe(logger);
  });

  it("trims brokers and leaves the caller's options as they were", () => {
    const options = { brokers: [' 127.0.0.1:9092 '], consumer: { maxWaitTimeMs: 100 } };
    const copy = structuredClone(options);
    const config = resolveKafkaConfig(options);
    expect(config.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.consumer.sessionTimeoutMs).toBe(KAFKA_DEFAULTS.sessionTimeoutMs);
    expect(options).toEqual(copy);
  });

  it('checks the heartbeat against the default session timeout too', () => {
    expect(() => resolve({ consumer: { heartbeatIntervalMs: 40_000 } })).toThrow(
      /heartbeatIntervalMs \(40000\) must be lower than consumer.sessionTimeoutMs \(10000\)/,
    );
  });

  it('lists every problem at once', () => {
    expect(() => resolve({ clientId: '', requestTimeoutMs: -1, brokerz: [] })).toThrow(
      /^KafkaTransport: clientId must be .*, got "". requestTimeoutMs must be .*, got -1. unknown option "brokerz"/,
    );
  });

  it.each<[string, object | null, RegExp]>([
    ['no brokers', { brokers: [] }, /brokers must be a non-empty array/],
    [
      'a broker without port',
      { brokers: ['localhost'] },
      /brokers\[0\] must be a "host:port" string .*, got "localhost"/,
    ],
    ['a port out of range', { brokers: ['h:70000'] }, /port from 1 to 65535/],
    ['an empty clientId', { clientId: ' ' }, /clientId must be a non-empty string/],
    ['a zero timeout', { requestTimeoutMs: 0 }, /requestTimeoutMs must be a positive whole number/],
    [
      'a fractional count',
      { partitionsConsumedConcurrently: 1.5 },
      /partitionsConsumedConcurrently/,
    ],
    [
      'heartbeat >= session timeout',
      { consumer: { heartbeatIntervalMs: 10_000, sessionTimeoutMs: 10_000 } },
      /heartbeatIntervalMs \(10000\) must be lower than consumer.sessionTimeoutMs/,
    ],
    [
      'backoff start above its cap',
      { redeliveryBackoff: { initialMs: 2_000, maxMs: 1_000 } },
      /redeliveryBackoff.initialMs \(2000\) must not exceed/,
    ],
    [
      'a negative retry count',
      { retry: { retries: -1 } },
      /retry.retries must be a whole number >= 0/,
    ],
    ['a misspelt option', { broker: ['x:1'] }, /unknown option "broker"/],
    [
      'a misspelt nested option',
      { consumer: { sessionTimeout: 1 } },
      /unknown consumer field "sessionTimeout"/,
    ],
    ['an unknown log level', { kafkaLogLevel: 'loud' }, /kafkaLogLevel/],
    [
      'a logger without child()',
      { logger: { info: () => undefined } },
      /logger must be a Logger .*, got an object without debug, warn, error, child/,
    ],
    [
      'a retry start above its cap',
      { retry: { initialRetryTimeMs: 500, maxRetryTimeMs: 100 } },
      /retry.initialRetryTimeMs \(500\) must not exceed retry.maxRetryTimeMs \(100\)/,
    ],
    [
      'a retry factor above 1',
      { retry: { factor: 2 } },
      /retry.factor must be a number from 0 to 1, got 2/,
    ],
    ['a string timeout', { requestTimeoutMs: '100' }, /requestTimeoutMs .*, got "100"/],
    ['no options object', null, /options must be an object such as \{ brokers/],
  ])('rejects %s with a ConfigurationError that says what to fix', (_, options, message) => {
    expect(() => resolve(options)).toThrow(ConfigurationError);
    expect(() => resolve(options)).toThrow(message);
  });
});
