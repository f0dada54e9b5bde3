import type { Admin, ITopicConfig, Kafka } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import { SilentLogger } from '../../logging/silent-logger';
import { KafkaAdminOps } from './kafka-admin-ops';

// A protocol error as kafkajs raises it: a type and its own retriable flag.
const protocolError = (type: string, retriable: boolean): Error =>
  Object.assign(new Error(`broker said ${type}`), {
    name: 'KafkaJSProtocolError',
    type,
    retriable,
  });

/**
 * The admin calls createTopics makes, with a broker whose metadata lags behind a create (as a
 * fresh or busy single-node broker does): kafkajs' own wait for leaders then fails with
 * UNKNOWN_TOPIC_OR_PARTITION although the topic was created.
 */
function laggingBroker(lagAnswers: number) {
  const topics = new Set<string>();
  let metadataCalls = 0;
  const admin = {
    listTopics: () => Promise.resolve([...topics]),
    createTopics: ({
      topics: created,
      waitForLeaders,
    }: {
      topics: ITopicConfig[];
      waitForLeaders?: boolean;
    }) => {
      for (const config of created) topics.add(config.topic);
      if (waitForLeaders === true && lagAnswers > 0)
        return Promise.reject(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true));
      return Promise.resolve(true);
    },
    fetchTopicMetadata: ({ topics: names }: { topics: string[] }) => {
      metadataCalls += 1;
      if (metadataCalls <= lagAnswers)
        return Promise.reject(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true));
      return Promise.resolve({
        topics: names.map((name) => ({
          name,
          partitions: [
            { partitionId: 0, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 },
          ],
        })),
      });
    },
  };
  const kafka = { admin: () => admin as unknown as Admin } as unknown as Kafka;
  return { kafka, topics, metadataCalls: () => metadataCalls };
}

describe('KafkaAdminOps.createTopics', () => {
  it('waits out metadata that lags behind the create instead of failing', async () => {
    const broker = laggingBroker(2);
    const ops = new KafkaAdminOps(broker.kafka, {
      replicationFactor: 1,
      logger: new SilentLogger(),
    });
    await ops.createTopics([{ name: 'orders', partitions: 1, compacted: false }]);
    expect([...broker.topics]).toEqual(['orders']);
    expect(broker.metadataCalls()).toBe(3);
  });

  it('gives up with a retriable TransportError naming the topics when leaders never appear', async () => {
    const broker = laggingBroker(Number.MAX_SAFE_INTEGER);
    const ops = new KafkaAdminOps(broker.kafka, {
      replicationFactor: 1,
      logger: new SilentLogger(),
      leaderWaitMs: 300,
    });
    const failure = ops.createTopics([{ name: 'payments', partitions: 1, compacted: false }]);
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toMatchObject({ retriable: true });
    await expect(failure).rejects.toThrow(/payments/);
  });
});
