import { randomUUID } from 'node:crypto';

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
import { SilentLogger } from '../../src/logging/silent-logger';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import type { Transport } from '../../src/transport/transport';
import { adminLogin, securedBrokers, userPassword } from '../support/secured-env';

const WRITER = 'sw-writer';
const INTRUDER = 'sw-intruder';

/**
 * The broker itself enforcing the single writer: with the StandardAuthorizer and no ACL meaning
 * no access, only the principal granted WRITE on a topic can write it, and every refusal
 * surfaces as a named, final error instead of a retry loop.
 */
function writerAcls(topic: string, user: string) {
  return [AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map((operation) => ({
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${user}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

describe('a secured broker (SASL + ACLs)', () => {
  const brokers = securedBrokers();
  const topic = `secured-orders-${randomUUID().slice(0, 8)}`;
  const group = `secured-billing-${randomUUID().slice(0, 8)}`;
  /** The intruder owns a topic of its own, as another service would. */
  const ownTopic = `secured-payments-${randomUUID().slice(0, 8)}`;
  const admin = new Kafka({
    clientId: 'secured-test-admin',
    brokers,
    sasl: adminLogin(),
    logLevel: logLevel.NOTHING,
  }).admin();
  const opened: Transport[] = [];

  const transport = (
    username: string,
    password: string,
    mechanism: 'scram-sha-256' | 'scram-sha-512' = 'scram-sha-256',
  ) => {
    const made = new KafkaTransport({
      brokers,
      sasl: { mechanism, username, password },
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
      startupTimeoutMs: 15_000,
    });
    opened.push(made);
    return made;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      topics: [topic, ownTopic].map((name) => ({ topic: name, numPartitions: 1 })),
      waitForLeaders: true,
    });
    // Each owner's ACLs, as `streamwise topology --acls` prints them for a topic's writer.
    // WRITE on some topic also lets a principal's idempotent producer start (Kafka 3+).
    await admin.createAcls({
      acl: [
        ...writerAcls(topic, WRITER),
        ...writerAcls(ownTopic, INTRUDER),
        // The intruder subscribes to the topic (READ, DESCRIBE) but has no ACL for its group.
        ...[AclOperationTypes.READ, AclOperationTypes.DESCRIBE].map((operation) => ({
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: `User:${INTRUDER}`,
          host: '*',
          operation,
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ],
    });
  });

  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((t) => t.disconnect()));
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, ownTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const record = (text: string) => ({
    key: Buffer.from('k'),
    value: Buffer.from(text),
    partition: 0,
  });

  it('refuses a wrong password with a named error that does not contain it', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const failure = transport(WRITER, wrong).connect();
    await expect(failure).rejects.toBeInstanceOf(KafkaAuthenticationError);
    await expect(failure).rejects.toMatchObject({ retriable: false });
    const message = await failure.then(
      () => '',
      (error: unknown) => String((error as Error).message),
    );
    expect(message).toContain(`User:${WRITER}`);
    expect(message).not.toContain(wrong);
  });

  it('lets the owner write its topic and refuses another principal with a named error', async () => {
    const owner = transport(WRITER, userPassword(WRITER));
    await owner.connect();
    const written = await owner.produce(topic, [record('by the owner')]);
    expect(written).toHaveLength(1);

    const intruder = transport(INTRUDER, userPassword(INTRUDER), 'scram-sha-512');
    await intruder.connect();
    const refused = intruder.produce(topic, [record('forged')]);
    await expect(refused).rejects.toBeInstanceOf(KafkaAuthorizationError);
    await expect(refused).rejects.toMatchObject({
      retriable: false,
      kafkaErrorType: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await expect(refused).rejects.toThrow(/lacks WRITE on topic/);
  });

  it('keeps a raw kafkajs producer logged in as another user from writing the topic', async () => {
    const producer = new Kafka({
      clientId: 'raw-intruder',
      brokers,
      sasl: { mechanism: 'plain', username: INTRUDER, password: userPassword(INTRUDER) },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).producer();
    await producer.connect();
    try {
      await expect(
        producer.send({ topic, messages: [{ key: 'k', value: 'forged' }] }),
      ).rejects.toThrow(/Topic authorization failed/);
    } finally {
      await producer.disconnect();
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => o.high)).toEqual(['1']);
  });

  it('fails a subscription without a group ACL at once, naming the group, never "coordinator not found"', async () => {
    const reader = transport(INTRUDER, userPassword(INTRUDER));
    await reader.connect();
    const started = Date.now();
    const subscribing = reader.subscribe({
      groupId: group,
      topics: [topic],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
    });
    await expect(subscribing).rejects.toBeInstanceOf(KafkaAuthorizationError);
    await expect(subscribing).rejects.toThrow(new RegExp(`READ on group "${group}"`));
    await expect(subscribing).rejects.not.toThrow(/coordinator/i);
    // Well inside startupTimeoutMs (15 s): the refusal is final, nothing waited it out.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
