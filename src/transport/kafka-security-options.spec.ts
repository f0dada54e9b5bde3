import { ConfigurationError } from '../errors/configuration-error';
import { resolveKafkaConfig } from './kafka/kafka-config';
import { kafkaClientConfig } from './kafka/kafka-connection';

const SECRET = 'hunter2-very-secret';

/** Options as a caller might write them, mistakes and all (hence `object`). */
const resolve = (options: object) =>
  resolveKafkaConfig({ brokers: ['127.0.0.1:9092'], ...options });

function messageOf(options: object): string {
  try {
    resolve(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected the options to be refused');
}

describe('KafkaTransport security options', () => {
  it.each([
    ['PLAIN', { mechanism: 'plain', username: 'svc', password: SECRET }],
    ['SCRAM-SHA-256', { mechanism: 'scram-sha-256', username: 'svc', password: SECRET }],
    ['SCRAM-SHA-512', { mechanism: 'scram-sha-512', username: 'svc', password: SECRET }],
  ] as const)('passes a %s login to the client as given', (_, sasl) => {
    const client = kafkaClientConfig(resolve({ sasl }));
    expect(client.sasl).toEqual(sasl);
    expect(client.ssl).toBeUndefined();
  });

  it('passes an OAUTHBEARER token provider to the client, uncalled', () => {
    const oauthBearerProvider = jest.fn(() => Promise.resolve({ value: 'token' }));
    const client = kafkaClientConfig(
      resolve({ sasl: { mechanism: 'oauthbearer', oauthBearerProvider } }),
    );
    expect(client.sasl).toEqual({ mechanism: 'oauthbearer', oauthBearerProvider });
    expect(oauthBearerProvider).not.toHaveBeenCalled();
  });

  it('passes ssl: true and TLS connection options to the client', () => {
    expect(kafkaClientConfig(resolve({ ssl: true })).ssl).toBe(true);
    const tls = { ca: ['-----BEGIN CERTIFICATE-----'], servername: 'broker.example' };
    expect(kafkaClientConfig(resolve({ ssl: tls })).ssl).toEqual(tls);
  });

  it('connects without TLS or SASL when neither is given', () => {
    const client = kafkaClientConfig(resolve({}));
    expect(client.ssl).toBeUndefined();
    expect(client.sasl).toBeUndefined();
    expect(client.brokers).toEqual(['127.0.0.1:9092']);
  });

  it.each([
    ['an unknown mechanism', { mechanism: 'gssapi', username: 'svc', password: SECRET }, /sasl/],
    ['no password', { mechanism: 'plain', username: 'svc' }, /sasl.password must be/],
    ['a number as password', { mechanism: 'plain', username: 'svc', password: 42 }, /password/],
    ['no username', { mechanism: 'scram-sha-256', password: SECRET }, /sasl.username must be/],
    [
      'a password with OAUTHBEARER',
      { mechanism: 'oauthbearer', password: SECRET, oauthBearerProvider: () => undefined },
      /unknown sasl field "password"/,
    ],
    ['OAUTHBEARER without a provider', { mechanism: 'oauthbearer' }, /oauthBearerProvider/],
    ['a misspelt field', { mechanism: 'plain', username: 'svc', pasword: SECRET }, /pasword/],
    ['a string', `svc:${SECRET}`, /sasl must be/],
  ])('refuses %s, never showing the secret', (_, sasl, message) => {
    const text = messageOf({ sasl });
    expect(text).toMatch(message);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('42');
  });

  it('refuses bad TLS options without showing their keys', () => {
    const text = messageOf({ ssl: `key-${SECRET}` });
    expect(text).toMatch(/ssl must be true or an object of TLS connection options/);
    expect(text).not.toContain(SECRET);
  });
});
