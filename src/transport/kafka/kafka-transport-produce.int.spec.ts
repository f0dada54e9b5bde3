import { type Consumer, Kafka, type KafkaMessage, logLevel } from 'kafkajs';

import { kafkaBrokers } from '../../../test/support/kafka-env';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { TransportClosedError } from '../../errors/transport-closed-error';
import { TransportError } from '../../errors/transport-error';
import { SilentLogger } from '../../logging/silent-logger';
import type { OutgoingRecord, RecordMetadata } from '../transport';
import { KafkaTransport } from './kafka-transport';

const PARTITIONS = 6;
const CALLS = 100;

interface ReadBack {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
  /** Where the broker's record batch holding this record starts: one batch per partition per request. */
  readonly batch: string;
}

/** kafkajs decodes the record batch of each message into `batchContext`; its types leave it out. */
function batchStart(message: KafkaMessage): string {
  const { batchContext } = message as unknown as { batchContext?: { firstOffset?: string } };
  return batchContext?.firstOffset ?? 'unknown';
}

describe('KafkaTransport.produce, many calls at once, against a real broker', () => {
  const transports: KafkaTransport[] = [];
  const consumers: Consumer[] = [];

  const open = async (): Promise<KafkaTransport> => {
    const transport = new KafkaTransport({
      brokers: kafkaBrokers(),
      clientId: uniqueName('produce'),
      logger: new SilentLogger(),
    });
    transports.push(transport);
    await transport.connect();
    return transport;
  };

  const readBack = async (topic: string, count: number): Promise<ReadBack[]> => {
    const read: ReadBack[] = [];
    const consumer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('produce-reader'),
      maxWaitTimeInMs: 100,
    });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        read.push({
          partition,
          offset: Number(message.offset),
          value: message.value?.toString('utf8') ?? '<null>',
          batch: `${partition}@${batchStart(message)}`,
        });
        return Promise.resolve();
      },
    });
    await waitFor(() => read.length >= count, `${count} records read back from "${topic}"`, {
      timeoutMs: 30_000,
    });
    return read;
  };

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
    await Promise.all(transports.splice(0).map((transport) => transport.disconnect()));
  });

  it('acknowledges 100 concurrent calls with the offsets their records landed at, sharing requests', async () => {
    const transport = await open();
    const topic = uniqueName('produce-many');
    await transport.createTopics([{ name: topic, partitions: PARTITIONS, compacted: false }]);
    // The first call looks the topic up once; the calls after it only check the cached count.
    await transport.produce(topic, [record('warm-up', 0)]);

    // Every 10th call writes three records to two partitions: they must stay contiguous.
    const calls = Array.from({ length: CALLS }, (_, i): OutgoingRecord[] =>
      i % 10 === 0
        ? [
            record(`c${i}.0`, i % PARTITIONS),
            record(`c${i}.1`, 5),
            record(`c${i}.2`, i % PARTITIONS),
          ]
        : [record(`c${i}`, i % PARTITIONS)],
    );
    const results = await Promise.all(calls.map((records) => transport.produce(topic, records)));

    const total = 1 + calls.reduce((sum, records) => sum + records.length, 0);
    const read = await readBack(topic, total);
    expect(read).toHaveLength(total);
    const at = new Map(read.map((r) => [`${r.partition}/${r.offset}`, r.value]));
    calls.forEach((records, i) => {
      const metadata: RecordMetadata[] = results[i] ?? [];
      expect(metadata).toHaveLength(records.length);
      records.forEach((sent, j) => {
        expect(metadata[j]).toMatchObject({ topic, partition: sent.partition });
        expect(at.get(`${metadata[j]?.partition}/${metadata[j]?.offset}`)).toBe(text(sent));
      });
    });

    // Calls to one partition land in call order.
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const order = read
        .filter((r) => r.partition === partition && r.value !== 'warm-up')
        .sort((a, b) => a.offset - b.offset)
        .map((r) => Number(/^c(\d+)/.exec(r.value)?.[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }

    // One request writes one record batch per partition; a request per call would write 100.
    const batches = new Set(read.filter((r) => r.value !== 'warm-up').map((r) => r.batch));
    expect(batches.size).toBeLessThanOrEqual(2 * PARTITIONS);
  });

  it('rejects only the call whose records the broker would refuse; the calls beside it are written', async () => {
    const transport = await open();
    const topic = uniqueName('produce-mixed');
    await transport.createTopics([{ name: topic, partitions: 2, compacted: false }]);
    await transport.produce(topic, [record('warm-up', 0)]);
    const results = await Promise.allSettled([
      transport.produce(topic, [record('a', 0)]),
      transport.produce(topic, [record('no such partition', 2)]),
      transport.produce(topic, [record('b', 1)]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toEqual({
      status: 'fulfilled',
      value: [{ topic, partition: 0, offset: 1 }],
    });
    expect(results[2]).toEqual({
      status: 'fulfilled',
      value: [{ topic, partition: 1, offset: 0 }],
    });
    expect(await transport.endOffsets(topic)).toEqual([2, 1]);
  });

  it('lets calls taken before disconnect() finish, and refuses calls after it', async () => {
    const transport = await open();
    const topic = uniqueName('produce-close');
    await transport.createTopics([{ name: topic, partitions: 2, compacted: false }]);
    await transport.produce(topic, [record('warm-up', 0)]);
    const taken = Array.from({ length: 20 }, (_, i) =>
      transport.produce(topic, [record(`t${i}`, i % 2)]),
    );
    const closing = transport.disconnect();
    await expect(transport.produce(topic, [record('late', 0)])).rejects.toBeInstanceOf(
      TransportClosedError,
    );
    const settled = await Promise.allSettled(taken);
    await closing;
    expect(settled.every((result) => result.status === 'fulfilled')).toBe(true);

    const reader = await open();
    expect(await reader.endOffsets(topic)).toEqual([11, 10]);
  });

  it('a call too large for the broker fails alone, as TransportError', async () => {
    const transport = await open();
    const topic = uniqueName('produce-large');
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    await transport.produce(topic, [record('warm-up', 0)]);
    const huge: OutgoingRecord = { key: null, value: Buffer.alloc(2 * 1024 * 1024), partition: 0 };
    const results = await Promise.allSettled([
      transport.produce(topic, [record('before', 0)]),
      transport.produce(topic, [huge]),
      transport.produce(topic, [record('after', 0)]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]?.status === 'rejected' && results[1].reason).toBeInstanceOf(TransportError);
  });
});

function record(value: string, partition: number): OutgoingRecord {
  return { key: Buffer.from(`k-${value}`), value: Buffer.from(value), partition };
}

function text(record: OutgoingRecord): string {
  return record.value?.toString('utf8') ?? '<null>';
}
