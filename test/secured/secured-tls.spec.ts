import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Kafka, logLevel } from 'kafkajs';

import { runCli } from '../../src/cli/run-cli';
import { KafkaAuthenticationError } from '../../src/errors/kafka-authentication-error';
import { SilentLogger } from '../../src/logging/silent-logger';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { adminLogin, securedTls } from '../support/secured-env';

/** SASL over TLS, as managed clusters take it: the broker's certificate checked against a CA. */
describe('a secured broker over SASL_SSL', () => {
  const { brokers, ca } = securedTls();
  const tls = { ca: [readFileSync(ca, 'utf8')] };
  const topic = `secured-tls-${randomUUID().slice(0, 8)}`;
  const opened: KafkaTransport[] = [];
  const transport = (ssl: typeof tls | true) => {
    const made = new KafkaTransport({
      brokers,
      ssl,
      sasl: adminLogin(),
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
      startupTimeoutMs: 10_000,
    });
    opened.push(made);
    return made;
  };

  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((t) => t.disconnect()));
  });

  afterAll(async () => {
    const admin = new Kafka({
      brokers,
      ssl: tls,
      sasl: adminLogin(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('logs in, creates a topic and writes it with ssl: { ca }', async () => {
    const client = transport(tls);
    await client.connect();
    await client.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const written = await client.produce(topic, [
      { key: Buffer.from('k'), value: Buffer.from('over TLS'), partition: 0 },
    ]);
    expect(written).toHaveLength(1);
    expect(await client.endOffsets(topic)).toEqual([1]);
  });

  it('lets the CLI trust the private CA of ssl.ca.location in its --command-config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-tls-cli-'));
    try {
      const login = adminLogin();
      const config = join(dir, 'client.properties');
      const properties = [
        `bootstrap.servers=${brokers.join(',')}`,
        'security.protocol=SASL_SSL',
        'sasl.mechanism=PLAIN',
        `sasl.username=${login.username}`,
        `sasl.password=${login.password}`,
      ];
      const out: string[] = [];
      const err: string[] = [];
      const cli = (lines: string[]) => {
        writeFileSync(config, lines.join('\n'));
        out.length = 0;
        err.length = 0;
        return runCli(['topics', 'list', '--json', '--command-config', config], {
          io: { out: (l) => out.push(l), err: (l) => err.push(l) },
          env: {},
          version: '0.0.0-test',
        });
      };
      // Without the CA the system CAs refuse the broker (the test below); with it, it answers.
      expect(await cli([...properties, `ssl.ca.location=${ca}`])).toBe(0);
      expect(err).toEqual([]);
      expect(JSON.parse(out.join('\n'))).toEqual(expect.any(Array));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a broker whose certificate the system CAs do not trust', async () => {
    const failure = transport(true).connect();
    await expect(failure).rejects.toThrow(/certificate/i);
    await expect(failure).rejects.not.toBeInstanceOf(KafkaAuthenticationError);
  });
});
