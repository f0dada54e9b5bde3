import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { clientSecurity } from './client-properties';
import { parseProperties } from './java-properties';
import { type CliConnectOptions, runCli } from './run-cli';

const SECRET = 'pw-9d8e7f';

describe('parseProperties (Java .properties)', () => {
  it('reads key=value, key: value and key value lines, skipping comments and blank lines', () => {
    const text = [
      '# a comment',
      '! another',
      '',
      'security.protocol=SASL_SSL',
      '  sasl.mechanism : SCRAM-SHA-512',
      'bootstrap.servers broker-1:9092,broker-2:9092',
      'empty=',
    ].join('\n');
    expect(parseProperties(text)).toEqual(
      new Map([
        ['security.protocol', 'SASL_SSL'],
        ['sasl.mechanism', 'SCRAM-SHA-512'],
        ['bootstrap.servers', 'broker-1:9092,broker-2:9092'],
        ['empty', ''],
      ]),
    );
  });

  it('joins continued lines and reads escapes, as Kafka does with a multi-line JAAS config', () => {
    const text = [
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\',
      '    username="svc" \\',
      '    password="a\\\\b\\u0041";',
      'key\\=with\\:colon=v\\tw',
    ].join('\r\n');
    const parsed = parseProperties(text);
    expect(parsed.get('sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="a\\bA";',
    );
    expect(parsed.get('key=with:colon')).toBe('v\tw');
  });
});

describe('clientSecurity (Kafka client config to KafkaTransport options)', () => {
  const props = (entries: Record<string, string>) => new Map(Object.entries(entries));

  it.each([
    [
      'PlainLoginModule',
      'PLAIN',
      'plain',
      'org.apache.kafka.common.security.plain.PlainLoginModule',
    ],
    [
      'ScramLoginModule',
      'SCRAM-SHA-256',
      'scram-sha-256',
      'org.apache.kafka.common.security.scram.ScramLoginModule',
    ],
  ])('reads a %s login from sasl.jaas.config', (_, mechanism, expected, module) => {
    const security = clientSecurity(
      props({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': mechanism,
        'sasl.jaas.config': `${module} required username="svc" password="${SECRET}";`,
      }),
    );
    expect(security).toEqual({
      sasl: { mechanism: expected, username: 'svc', password: SECRET },
    });
  });

  it('reads sasl.username / sasl.password, TLS from SASL_SSL and brokers from bootstrap.servers', () => {
    expect(
      clientSecurity(
        props({
          'bootstrap.servers': 'b1:9092, b2:9092',
          'security.protocol': 'SASL_SSL',
          'sasl.mechanism': 'SCRAM-SHA-512',
          'sasl.username': 'svc',
          'sasl.password': SECRET,
        }),
      ),
    ).toEqual({
      brokers: ['b1:9092', 'b2:9092'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: SECRET },
    });
    expect(clientSecurity(props({ 'security.protocol': 'SSL' }))).toEqual({ ssl: true });
    expect(clientSecurity(props({}))).toEqual({});
  });

  it.each([
    [{ 'security.protocol': 'SASL_SSLL' }, /security.protocol/],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'GSSAPI' }, /GSSAPI/],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' }, /username/],
    [
      {
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.jaas.config': `PlainLoginModule required username="svc" passwd="${SECRET}";`,
      },
      /password/,
    ],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.location': '/x.jks' }, /ssl.ca.location=/],
    [{ 'security.protocol': 'SSL', 'ssl.keystore.location': '/k.p12' }, /ssl.keystore.location/],
    [{ 'ssl.ca.location': '/ca.pem' }, /security.protocol is PLAINTEXT: set security.protocol=SSL/],
    [
      { 'security.protocol': 'SSL', 'ssl.ca.location': '/no/such/ca.pem' },
      /cannot read the CA file/,
    ],
  ])('refuses %j, saying what to fix without showing a secret', (entries, message) => {
    expect(() => clientSecurity(props(entries))).toThrow(message);
    try {
      clientSecurity(props(entries));
    } catch (error) {
      expect((error as Error).message).not.toContain(SECRET);
    }
  });
});

describe('the CLI with --command-config and environment variables', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-cli-props-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function connectOptions(
    argv: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; options: CliConnectOptions | undefined; err: string[] }> {
    let options: CliConnectOptions | undefined;
    const err: string[] = [];
    const code = await runCli(argv, {
      io: { out: () => undefined, err: (line) => err.push(line) },
      env,
      version: '0.0.0',
      connect: (given) => {
        options = given;
        return new MemoryTransport({ broker: new MemoryBroker() });
      },
    });
    return { code, options, err };
  }

  it('logs in with the SASL settings of a Kafka client properties file', async () => {
    const file = join(dir, 'client.properties');
    writeFileSync(
      file,
      [
        'bootstrap.servers=127.0.0.1:29592',
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=SCRAM-SHA-256',
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="${SECRET}";`,
      ].join('\n'),
    );
    const { code, options } = await connectOptions(['topics', 'list', '--command-config', file]);
    expect(code).toBe(0);
    expect(options).toEqual({
      brokers: ['127.0.0.1:29592'],
      sasl: { mechanism: 'scram-sha-256', username: 'svc', password: SECRET },
    });
  });

  it('prefers -b to bootstrap.servers, and takes the login from environment variables', async () => {
    const { options } = await connectOptions(['topics', 'list', '-b', 'h:1'], {
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: SECRET,
    });
    expect(options).toEqual({
      brokers: ['h:1'],
      ssl: true,
      sasl: { mechanism: 'plain', username: 'svc', password: SECRET },
    });
  });

  it('trusts the private CA of ssl.ca.location, or of a PEM truststore, instead of the system CAs', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, pem);
    const file = join(dir, 'tls.properties');
    writeFileSync(file, `security.protocol=SSL\nssl.ca.location=${ca}\n`);
    const librdkafka = await connectOptions([
      'topics',
      'list',
      '-b',
      'h:1',
      '--command-config',
      file,
    ]);
    expect(librdkafka.options).toEqual({ brokers: ['h:1'], ssl: { ca: [pem] } });

    const java = join(dir, 'java.properties');
    writeFileSync(
      java,
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.username=svc\nsasl.password=${SECRET}\nssl.truststore.type=PEM\nssl.truststore.location=${ca}\n`,
    );
    const pemStore = await connectOptions([
      'topics',
      'list',
      '-b',
      'h:1',
      '--command-config',
      java,
    ]);
    expect(pemStore.options).toEqual({
      brokers: ['h:1'],
      ssl: { ca: [pem] },
      sasl: { mechanism: 'plain', username: 'svc', password: SECRET },
    });

    writeFileSync(ca, 'not a certificate');
    const garbage = await connectOptions(['topics', 'list', '--command-config', file]);
    expect(garbage.code).toBe(2);
    expect(garbage.err.join('\n')).toMatch(/holds no PEM certificate/);
  });

  it('fails a missing file or a broken login before connecting, never printing the password', async () => {
    const missing = await connectOptions(['topics', 'list', '--command-config', join(dir, 'no')]);
    expect(missing.code).toBe(2);
    expect(missing.options).toBeUndefined();
    expect(missing.err.join('\n')).toMatch(/cannot read --command-config/);

    const file = join(dir, 'bad.properties');
    writeFileSync(
      file,
      `security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.password=${SECRET}\n`,
    );
    const broken = await connectOptions(['topics', 'list', '--command-config', file]);
    expect(broken.code).toBe(2);
    expect(broken.options).toBeUndefined();
    expect(broken.err.join('\n')).toMatch(/username/);
    expect(broken.err.join('\n')).not.toContain(SECRET);
  });
});
