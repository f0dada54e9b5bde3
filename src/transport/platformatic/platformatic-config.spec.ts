import { ConfigurationError } from '../../errors/configuration-error';
import { KAFKA_COMPRESSIONS } from '../kafka-compression';
import {
  platformaticClientOptions,
  platformaticPrincipal,
  resolvePlatformaticConfig,
} from './platformatic-config';
import { PLATFORMATIC_KAFKA_DEFAULTS } from './platformatic-options-spec';

/** Options as a caller might write them, typos and all (hence `object`). */
const resolve = (options: object) =>
  resolvePlatformaticConfig({
    brokers: ['127.0.0.1:9092'],
    ...options,
  });

describe('resolvePlatformaticConfig', () => {
  it("fills in KafkaTransport's defaults and the client's own retry", () => {
    expect(resolve({})).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      clientId: 'streamwise',
      startupTimeoutMs: 60_000,
      retry: { retries: 3, retryDelayMs: 250 },
      partitionsConsumedConcurrently: 4,
      redeliveryBackoff: { initialMs: 100, maxMs: 5_000 },
      consumer: {
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 3_000,
        rebalanceTimeoutMs: 60_000,
        maxWaitTimeMs: 500,
      },
      producer: {
        lingerMs: 0,
        batchMaxRecords: 1_000,
        batchMaxBytes: 512 * 1024,
        compression: 'none',
      },
      groupProtocol: 'classic',
      transactionTimeoutMs: 10_000,
    });
    expect(PLATFORMATIC_KAFKA_DEFAULTS.clientId).toBe('streamwise');
    expect(resolve({ groupProtocol: 'consumer' }).groupProtocol).toBe('consumer');
  });

  it.each<[string, object, RegExp]>([
    ['no brokers', { brokers: [] }, /brokers must be a non-empty array of "host:port" strings/],
    ['a broker without a port', { brokers: ['localhost'] }, /brokers\[0\] must be a "host:port"/],
    ['an unknown option', { kafkaLogLevel: 'debug' }, /kafkaLogLevel/],
    [
      'a negative retry count',
      { retry: { retries: -1 } },
      /retry.retries must be a whole number >= 0/,
    ],
    [
      'a heartbeat not below the session timeout',
      { consumer: { heartbeatIntervalMs: 10_000 } },
      /consumer.heartbeatIntervalMs \(10000\) must be lower than consumer.sessionTimeoutMs/,
    ],
    [
      'an unknown group protocol',
      { groupProtocol: 'cooperative' },
      /groupProtocol must be "classic" \(JoinGroup\/SyncGroup, eager rebalances\) or "consumer" \(KIP-848/,
    ],
    [
      'a transaction timeout below a second',
      { transactionTimeoutMs: 500 },
      /transactionTimeoutMs must be a whole number of milliseconds from 1000 to 900000/,
    ],
    [
      'a blank instance id',
      { instanceId: ' ' },
      /instanceId must be a non-empty string, the same across restarts of this instance/,
    ],
    [
      'a SASL login without a password',
      { sasl: { mechanism: 'scram-sha-512', username: 'u' } },
      /sasl/,
    ],
  ])('refuses %s with a ConfigurationError naming the option', (_case, options, message) => {
    expect(() => resolve(options)).toThrow(ConfigurationError);
    expect(() => resolve(options)).toThrow(message);
    expect(() => resolve(options)).toThrow(/PlatformaticKafkaTransport/);
  });

  it('writes every codec Node has, and refuses another naming the ones it takes', () => {
    for (const codec of KAFKA_COMPRESSIONS) {
      expect(resolve({ producer: { compression: codec } }).producer.compression).toBe(codec);
    }
    expect(() => resolve({ producer: { compression: 'brotli' } })).toThrow(
      /PlatformaticKafkaTransport.*producer.compression must be one of "none", "gzip", "snappy", "lz4"/s,
    );
  });

  it('never puts a misplaced password into the message', () => {
    let message = '';
    try {
      resolve({ sasl: { mechanism: 'plain', username: 'u', password: 's3cret', extra: 1 } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/sasl/);
    expect(message).not.toContain('s3cret');
  });

  it('gives every client the brokers, timeouts, retries, TLS and the login in the client shape', async () => {
    const config = resolve({
      clientId: 'billing',
      connectionTimeoutMs: 1_500,
      requestTimeoutMs: 9_000,
      retry: { retries: 5, retryDelayMs: 100 },
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'billing', password: 'pw' },
    });
    expect(platformaticClientOptions(config, 'admin')).toEqual({
      clientId: 'billing-admin',
      bootstrapBrokers: ['127.0.0.1:9092'],
      connectTimeout: 1_500,
      requestTimeout: 9_000,
      timeout: 9_000,
      retries: 5,
      retryDelay: 100,
      tls: {},
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'billing', password: 'pw' },
    });
    expect(platformaticPrincipal(config)).toBe('User:billing');

    const oauth = resolve({
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: () => Promise.resolve({ value: 't0k' }),
      },
    });
    const { sasl } = platformaticClientOptions(oauth, 'consumer');
    expect(sasl?.mechanism).toBe('OAUTHBEARER');
    const token = sasl?.token;
    expect(typeof token === 'function' ? await token() : token).toBe('t0k');
    expect(platformaticPrincipal(oauth)).toBeUndefined();
  });
});
