import { Kafka, logLevel, type Producer } from 'kafkajs';

import { kafkaBrokers } from '../../../test/support/kafka-env';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { SilentLogger } from '../../logging/silent-logger';
import { PlatformaticKafkaTransport } from '../platformatic/platformatic-transport';
import type { Transport } from '../transport';
import { KafkaTransport } from './kafka-transport';

/**
 * Two transactions interleaved in one partition and aborted in the reverse order of their first
 * records: the broker lists aborted transactions in the order they ended, not by first offset.
 * This is what exactly-once services do all the time (one transactional producer per input
 * partition, all writing to the same output partitions), and what a migrate resumed after a kill
 * -9 does when it fences the killed run's open transactions.
 */
describe.each([
  {
    client: 'kafkajs',
    create: (clientId: string): Transport =>
      new KafkaTransport({ brokers: kafkaBrokers(), clientId, logger: new SilentLogger() }),
  },
  {
    client: '@platformatic/kafka',
    create: (clientId: string): Transport =>
      new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        clientId,
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
  },
])('a subscription on $client reads committed records only', ({ create }) => {
  const topic = uniqueName('aborted-order');
  const kafka = new Kafka({ brokers: kafkaBrokers(), clientId: topic, logLevel: logLevel.NOTHING });
  const transport = create(topic);
  const producers: Producer[] = [];

  beforeAll(async () => {
    await transport.connect();
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
  });
  afterAll(async () => {
    await Promise.all(producers.map((producer) => producer.disconnect()));
    await transport.deleteTopics([topic]);
    await transport.disconnect();
  });

  async function transactional(name: string): Promise<Producer> {
    const producer = kafka.producer({
      transactionalId: `${topic}-${name}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    producers.push(producer);
    await producer.connect();
    return producer;
  }

  it('skips every record of transactions aborted out of the order they began', async () => {
    const [a, b] = await Promise.all([transactional('a'), transactional('b')]);
    const [first, second] = [await a.transaction(), await b.transaction()];
    await first.send({ topic, messages: [{ value: 'a1' }] });
    await second.send({ topic, messages: [{ value: 'b1' }] });
    await first.send({ topic, messages: [{ value: 'a2' }] });
    await second.abort();
    await first.abort();
    const plain = kafka.producer();
    producers.push(plain);
    await plain.connect();
    await plain.send({ topic, messages: [{ value: 'committed' }] });

    const seen: string[] = [];
    const subscription = await transport.subscribe({
      groupId: uniqueName('aborted-order-reader'),
      topics: [topic],
      offsetReset: 'earliest',
      handle: (record) => {
        seen.push(record.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => seen.includes('committed'), 'the committed record read');
    } finally {
      await subscription.stop();
    }
    expect(seen).toEqual(['committed']);
  });
});
