import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';

import { KafkaAuthenticationError } from '../../src/errors/kafka-authentication-error';
import { KafkaAuthorizationError } from '../../src/errors/kafka-authorization-error';
import { UnknownTopicError } from '../../src/errors/unknown-topic-error';
import { SilentLogger } from '../../src/logging/silent-logger';
import type { KafkaSaslOptions } from '../../src/transport/kafka-security-options';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import { adminLogin, securedBrokers, securedTls, userPassword } from '../support/secured-env';

const WRITER = 'sw-writer';

/** The second Kafka client with the same ssl and sasl options as KafkaTransport. */
describe('PlatformaticKafkaTransport on a secured broker', () => {
  const opened: PlatformaticKafkaTransport[] = [];
  const topic = `secured-platformatic-${randomUUID().slice(0, 8)}`;
  const transport = (
    brokers: string[],
    sasl: KafkaSaslOptions,
    ssl?: { ca: string[] } | true,
  ): PlatformaticKafkaTransport => {
    const made = new PlatformaticKafkaTransport({
      brokers,
      sasl,
      ...(ssl === undefined ? {} : { ssl }),
      logger: new SilentLogger(),
      startupTimeoutMs: 10_000,
    });
    opened.push(made);
    return made;
  };

  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((t) => t.disconnect()));
  });

  afterAll(async () => {
    const admin = transport(securedBrokers(), adminLogin());
    await admin.connect();
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.disconnect();
  });

  it('logs in over SASL_SSL with ssl: { ca }, creates a topic and writes it', async () => {
    const { brokers, ca } = securedTls();
    const client = transport(brokers, adminLogin(), { ca: [readFileSync(ca, 'utf8')] });
    await client.connect();
    await client.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const written = await client.produce(topic, [
      { key: Buffer.from('k'), value: Buffer.from('over TLS'), partition: 0 },
    ]);
    expect(written).toEqual([{ topic, partition: 0, offset: 0 }]);
    expect(await client.endOffsets(topic)).toEqual([1]);
  });

  it('refuses a broker whose certificate the system CAs do not trust (ssl: true)', async () => {
    const failure = transport(securedTls().brokers, adminLogin(), true).connect();
    await expect(failure).rejects.toThrow(/certificate/i);
    await expect(failure).rejects.not.toBeInstanceOf(KafkaAuthenticationError);
  });

  it('refuses a wrong SCRAM password with a named error that does not contain it', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const failure = transport(securedBrokers(), {
      mechanism: 'scram-sha-256',
      username: WRITER,
      password: wrong,
    }).connect();
    await expect(failure).rejects.toBeInstanceOf(KafkaAuthenticationError);
    await expect(failure).rejects.toMatchObject({ retriable: false });
    const message = await failure.then(
      () => '',
      (error: unknown) => String((error as Error).message),
    );
    expect(message).toContain(`User:${WRITER}`);
    expect(message).not.toContain(wrong);
  });

  it('says a topic the login may not describe can look missing, and refuses a write without WRITE', async () => {
    const admin = transport(securedBrokers(), adminLogin());
    await admin.connect();
    await admin.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const writer = transport(securedBrokers(), {
      mechanism: 'scram-sha-256',
      username: WRITER,
      password: userPassword(WRITER),
    });
    await writer.connect();
    const record = { key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 };
    const hidden = writer.produce(topic, [record]);
    await expect(hidden).rejects.toBeInstanceOf(UnknownTopicError);
    await expect(hidden).rejects.toThrow(`User:${WRITER} has no DESCRIBE ACL`);

    await grantDescribe(topic, WRITER);
    const refused = transport(securedBrokers(), {
      mechanism: 'scram-sha-256',
      username: WRITER,
      password: userPassword(WRITER),
    });
    await refused.connect();
    const failure = refused.produce(topic, [record]);
    await expect(failure).rejects.toBeInstanceOf(KafkaAuthorizationError);
    // Without WRITE on any topic the broker refuses the idempotent producer's id first
    // (CLUSTER_AUTHORIZATION_FAILED): a named, final error all the same.
    await expect(failure).rejects.toMatchObject({ retriable: false });
    await expect(failure).rejects.toThrow(
      /refused it \(\w+_AUTHORIZATION_FAILED\): User:sw-writer lacks/,
    );
  });
});

/** DESCRIBE only: the topic is visible to the user, writing it is not allowed. */
async function grantDescribe(topic: string, user: string): Promise<void> {
  const admin = new Kafka({
    brokers: securedBrokers(),
    sasl: adminLogin(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: `User:${user}`,
          host: '*',
          operation: AclOperationTypes.DESCRIBE,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}
