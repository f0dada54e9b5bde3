import { Partitioners } from 'kafkajs';

import { defineTopic } from '../../src/codec/define-topic';
import { buildEnvelope } from '../../src/codec/envelope';
import { ConfigurationError } from '../../src/errors/configuration-error';
import { UnknownTopicError } from '../../src/errors/unknown-topic-error';
import { deadLetterRecord } from '../../src/runtime/dead-letter-record';
import { partitionForKey } from '../../src/transport/partitioner';
import type {
  DeliveredRecord,
  OutgoingRecord,
  Subscription,
  SubscriptionOptions,
  Transport,
} from '../../src/transport/transport';
import { RecordCollector } from '../support/record-collector';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { ContractHarness } from './contract-harness';

function keyed(
  key: string,
  value: string,
  partitions: number,
  extra: Partial<OutgoingRecord> = {},
): OutgoingRecord {
  const keyBytes = Buffer.from(key);
  return {
    key: keyBytes,
    value: Buffer.from(value),
    partition: partitionForKey(keyBytes, partitions),
    ...extra,
  };
}

function javaPartition(key: Buffer, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  return partitioner({
    topic: 't',
    partitionMetadata: Array.from({ length: partitions }, (_, i) => ({
      partitionId: i,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    })),
    message: { key, value: null },
  });
}

/**
 * The behaviour both transports must share. Any difference found here is fixed in the memory
 * transport, which is the model; Kafka is the reference.
 */
export function transportContract(harness: ContractHarness): void {
  describe(`transport contract: ${harness.name}`, () => {
    const transports: Transport[] = [];
    const open = async (): Promise<Transport> => {
      const transport = harness.createTransport();
      transports.push(transport);
      await transport.connect();
      return transport;
    };
    const topicWith = async (
      transport: Transport,
      partitions: number,
      compacted = false,
    ): Promise<string> => {
      const name = uniqueName('contract');
      await transport.createTopics([{ name, partitions, compacted }]);
      return name;
    };

    afterEach(async () => {
      await Promise.all(transports.splice(0).map((t) => t.disconnect()));
    });

    it('puts a key on the partition Java’s default partitioner picks', async () => {
      const transport = await open();
      const Things = defineTopic<{ id: string }>({
        name: await topicWith(transport, 6),
        entity: 'Thing',
        key: (t) => t.id,
        partitions: 6,
      });
      const keys = ['a', 'order-1', 'ключ', '顧客-42', '', 'x'.repeat(37), '🙂'];
      for (const key of keys) {
        const { record } = buildEnvelope(Things, { id: key }, { producer: 'p', timestamp: 1 });
        const [meta] = await transport.produce(Things.name, [record]);
        expect(meta.partition).toBe(javaPartition(Buffer.from(key), 6));
      }
    });

    it('keeps per-key order within a partition and reports offsets and end offsets', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 3);
      const records = Array.from({ length: 120 }, (_, i) =>
        keyed(`k${i % 10}`, `${i % 10}:${i}`, 3),
      );
      const metadata = await transport.produce(topic, records);
      const perPartition = new Map<number, number[]>();
      for (const m of metadata)
        perPartition.set(m.partition, [...(perPartition.get(m.partition) ?? []), m.offset]);
      for (const offsets of perPartition.values())
        expect(offsets).toEqual(offsets.map((_, i) => i));
      expect((await transport.endOffsets(topic)).reduce((a, b) => a + b, 0)).toBe(120);

      const collector = new RecordCollector();
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: collector.handle,
      });
      await collector.waitForCount(120);
      const lastByKey = new Map<string, number>();
      for (const value of collector.values()) {
        const [key, seq] = value.split(':');
        expect(Number(seq)).toBeGreaterThan(lastByKey.get(key) ?? -1);
        lastByKey.set(key, Number(seq));
      }
      await subscription.stop();
    });

    it('round-trips headers, timestamps, null keys and null values', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1);
      await transport.produce(topic, [
        {
          key: Buffer.from('k'),
          value: Buffer.from('v'),
          partition: 0,
          headers: { 'x-trace': 'abc', 'x-empty': '' },
          timestamp: 1_700_000_000_123,
        },
        { key: null, value: null, partition: 0, timestamp: 1_700_000_000_456 },
      ]);
      const collector = new RecordCollector();
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: collector.handle,
      });
      const [first, second] = await collector.waitForCount(2);
      expect(first).toMatchObject({ topic, partition: 0, offset: 0, timestamp: 1_700_000_000_123 });
      expect(first.key?.toString()).toBe('k');
      expect(first.value?.toString()).toBe('v');
      expect(first.headers).toEqual({ 'x-trace': 'abc', 'x-empty': '' });
      expect(second).toMatchObject({
        offset: 1,
        key: null,
        value: null,
        timestamp: 1_700_000_000_456,
      });
      await subscription.stop();
    });

    it('copies raw header bytes verbatim into a dead letter: non-UTF-8 values and repeated names', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1);
      const dlq = await topicWith(transport, 1);
      const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3]);
      await transport.produce(topic, [
        {
          key: Buffer.from('k'),
          value: Buffer.from('v'),
          partition: 0,
          headers: { 'x-text': 'plain' },
          rawHeaders: { 'x-bin': binary, 'x-rep': [Buffer.from('one'), Buffer.from([0x80])] },
          timestamp: 1_700_000_000_000,
        },
      ]);
      const source = new RecordCollector();
      const reading = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: source.handle,
      });
      const [delivered] = await source.waitForCount(1);
      await reading.stop();
      const info = {
        reason: 'handler-failed' as const,
        error: new Error('boom'),
        service: 'svc',
        handler: 'h',
        attempts: 1,
        failedAt: 1_700_000_000_000,
      };
      await transport.produce(dlq, [deadLetterRecord(delivered, info)]);
      const copies = new RecordCollector();
      const dead = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [dlq],
        offsetReset: 'earliest',
        handle: copies.handle,
      });
      const [copy] = await copies.waitForCount(1);
      await dead.stop();
      const raw = copy.rawHeaders ?? {};
      const bytes = (value: Buffer | readonly Buffer[] | undefined): string[] =>
        (value === undefined ? [] : Buffer.isBuffer(value) ? [value] : [...value]).map((b) =>
          b.toString('hex'),
        );
      expect(bytes(raw['x-bin'])).toEqual([binary.toString('hex')]);
      expect(bytes(raw['x-rep'])).toEqual(['6f6e65', '80']);
      expect(bytes(raw['x-text'])).toEqual([Buffer.from('plain').toString('hex')]);
      expect(copy.headers['sw-dlq-reason']).toBe('handler-failed');
      expect(copy.headers['x-text']).toBe('plain');
    });

    it('refuses a record batch above max.message.bytes (default 1 MiB, or the topic config) as non-retriable', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1);
      const record = (size: number): OutgoingRecord => ({
        key: Buffer.from('k'),
        value: Buffer.alloc(size, 'x'),
        partition: 0,
        timestamp: 1_700_000_000_000,
      });
      await expect(transport.produce(topic, [record(1_048_500)])).resolves.toHaveLength(1);
      const refused = transport.produce(topic, [record(1_048_600)]);
      await expect(refused).rejects.toMatchObject({
        retriable: false,
        code: 'SW_RECORD_TOO_LARGE',
      });
      await expect(refused).rejects.toThrow(/MESSAGE_TOO_LARGE/);

      const roomy = uniqueName('contract');
      await transport.createTopics([
        {
          name: roomy,
          partitions: 1,
          compacted: false,
          config: { 'max.message.bytes': '2097152' },
        },
      ]);
      await expect(transport.produce(roomy, [record(1_500_000)])).resolves.toHaveLength(1);
      expect(await transport.endOffsets(topic)).toEqual([1]);
    });

    it('rejects unknown topics with UnknownTopicError', async () => {
      const transport = await open();
      const missing = uniqueName('missing');
      await expect(
        transport.subscribe({
          groupId: uniqueName('g'),
          topics: [missing],
          offsetReset: 'earliest',
          handle: () => Promise.resolve(),
        }),
      ).rejects.toBeInstanceOf(UnknownTopicError);
      await expect(transport.describeTopic(missing)).resolves.toBeUndefined();
    });

    // Each case breaks one option of an otherwise valid subscription to an existing topic. The
    // casts stand for callers without type checking (plain JavaScript, options read from config).
    const invalidSubscriptions: readonly [string, (topic: string) => object, string][] = [
      [
        'an empty groupId',
        () => ({ groupId: '' }),
        'subscribe(): groupId must be a non-empty string; instances with the same groupId share partitions.',
      ],
      [
        'a blank groupId',
        () => ({ groupId: '   ' }),
        'subscribe(): groupId must be a non-empty string; instances with the same groupId share partitions.',
      ],
      ['no topics', () => ({ topics: [] }), 'subscribe(): topics must list at least one topic.'],
      [
        'topics that are not a list',
        (topic) => ({ topics: topic }),
        'subscribe(): topics must list at least one topic.',
      ],
      [
        'an empty topic name',
        (topic) => ({ topics: [topic, ''] }),
        'subscribe(): every entry of topics must be a non-empty topic name.',
      ],
      [
        'a topic listed twice',
        (topic) => ({ topics: [topic, topic] }),
        'subscribe(): topics lists a topic twice',
      ],
      [
        'an unknown offsetReset',
        () => ({ offsetReset: 'sideways' }),
        'subscribe(): offsetReset must be "earliest" or "latest", got "sideways".',
      ],
      [
        'a handle that is not a function',
        () => ({ handle: 'not a function' }),
        'subscribe(): handle must be a function (record, output) => Promise<void>.',
      ],
      [
        'a readBatch that is not a function',
        () => ({ readBatch: 'not a function' }),
        'subscribe(): readBatch must be a function (records) => Promise<void> | void, or left out.',
      ],
      [
        'a readBatch with exactlyOnce',
        () => ({ readBatch: () => undefined, exactlyOnce: true }),
        'subscribe(): readBatch is for readers that write nothing',
      ],
      [
        'a readBatch with concurrency above 1',
        () => ({ readBatch: () => undefined, concurrency: 4 }),
        'subscribe(): readBatch applies a partition’s records in offset order',
      ],
    ];

    it.each(invalidSubscriptions)(
      'refuses a subscription with %s with ConfigurationError',
      async (_case, invalid, message) => {
        const transport = await open();
        const topic = await topicWith(transport, 1);
        const options = {
          groupId: uniqueName('g'),
          topics: [topic],
          offsetReset: 'earliest',
          handle: () => Promise.resolve(),
          ...invalid(topic),
        } as unknown as SubscriptionOptions;
        const subscribing = transport.subscribe(options);
        await expect(subscribing).rejects.toBeInstanceOf(ConfigurationError);
        await expect(subscribing).rejects.toThrow(message);
      },
    );

    it('shares partitions across members of a group, co-partitioned, and hands them over with nothing lost', async () => {
      const [first, second] = [await open(), await open()];
      const input = await topicWith(first, 6);
      const other = await topicWith(first, 6);
      const groupId = uniqueName('g');
      const seen = new Map<string, number>();
      const handledBy = new Map<string, string>();
      const member = (name: string) => (record: DeliveredRecord) => {
        const value = record.value?.toString() ?? '';
        seen.set(value, (seen.get(value) ?? 0) + 1);
        handledBy.set(value, name);
        return Promise.resolve();
      };
      const a = await first.subscribe({
        groupId,
        topics: [input, other],
        offsetReset: 'earliest',
        handle: member('a'),
      });
      const b = await second.subscribe({
        groupId,
        topics: [input, other],
        offsetReset: 'earliest',
        handle: member('b'),
      });
      await waitFor(
        () => a.assignment().length === 6 && b.assignment().length === 6,
        'a 6/6 split of 12 partitions',
      );
      const partitionsOf = (s: Subscription, topic: string) =>
        s
          .assignment()
          .filter((tp) => tp.topic === topic)
          .map((tp) => tp.partition)
          .sort();
      expect(partitionsOf(a, input)).toEqual(partitionsOf(a, other));
      expect(partitionsOf(b, input)).toEqual(partitionsOf(b, other));
      expect([...partitionsOf(a, input), ...partitionsOf(b, input)].sort()).toEqual([
        0, 1, 2, 3, 4, 5,
      ]);

      const batch = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) =>
          keyed(`key-${(from + i) % 17}`, `r${from + i}`, 6),
        );
      await first.produce(input, batch(0, 200));
      await waitFor(() => seen.size >= 200, 'the first 200 records');
      expect(new Set(handledBy.values())).toEqual(new Set(['a', 'b']));

      await b.stop();
      await waitFor(() => a.assignment().length === 12, 'a to own every partition');
      await first.produce(input, batch(200, 400));
      await waitFor(() => seen.size >= 400, 'all 400 records');
      for (let i = 0; i < 400; i++) expect(seen.get(`r${i}`)).toBe(1);
      await a.stop();
    });

    it('redelivers a record whose handler rejected, and holds its partition until it succeeds', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1);
      await transport.produce(
        topic,
        ['a', 'b', 'c'].map((v) => keyed('k', v, 1)),
      );
      const handled: string[] = [];
      let failuresLeft = 2;
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: (record) => {
          const value = record.value?.toString() ?? '';
          handled.push(value);
          if (value === 'b' && failuresLeft-- > 0)
            return Promise.reject(new Error('crash before commit'));
          return Promise.resolve();
        },
      });
      await waitFor(() => handled.includes('c'), 'c to be handled');
      expect(handled).toEqual(['a', 'b', 'b', 'b', 'c']);
      await waitFor(
        async () => (await transport.committedOffsets(subscription.groupId, topic))[0] === 3,
        'offset 3 committed',
      );
      await subscription.stop();
    });

    it('writes every output when several subscriptions of one transport write one partition at once', async () => {
      // Their batches end together, so their outputs are sent concurrently to the same partition
      // (as the services of one app writing one topic, or a service's changelog from several
      // inputs). On an idempotent producer two such sends must not share a sequence number: the
      // broker drops the second as a duplicate of the first, or refuses every later send.
      const transport = await open();
      const output = await topicWith(transport, 1);
      const inputs = await Promise.all([1, 2, 3, 4].map(() => topicWith(transport, 1)));
      const handled = new Set<string>();
      const subscriptions = await Promise.all(
        inputs.map((topic) =>
          transport.subscribe({
            groupId: uniqueName('g'),
            topics: [topic],
            offsetReset: 'earliest',
            handle: async (record, out) => {
              await out.produce(output, [{ key: record.key, value: record.value, partition: 0 }]);
              handled.add(record.value?.toString() ?? '');
            },
          }),
        ),
      );
      const rounds = 25;
      for (let round = 0; round < rounds; round++) {
        await Promise.all(
          inputs.map((topic, i) => transport.produce(topic, [keyed('k', `${i}-${round}`, 1)])),
        );
      }
      const expected = inputs.flatMap((_, i) =>
        Array.from({ length: rounds }, (__, round) => `${i}-${round}`),
      );
      await waitFor(() => handled.size === expected.length, 'every input handled');
      const committed = () =>
        Promise.all(
          subscriptions.map((s, i) => transport.committedOffsets(s.groupId, inputs[i] ?? '')),
        );
      await waitFor(
        async () => (await committed()).every(([offset]) => offset === rounds),
        'every input committed (its outputs acknowledged)',
      );
      const written = new RecordCollector();
      const reader = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [output],
        offsetReset: 'earliest',
        handle: written.handle,
      });
      const [end] = await transport.endOffsets(output);
      await written.waitForCount(end ?? 0);
      expect(new Set(written.values())).toEqual(new Set(expected));
      await Promise.all([reader, ...subscriptions].map((s) => s.stop()));
    });

    it('gives a reader with readBatch every record once, in order, whole batches on Kafka, and a rejected batch again', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 2);
      const perPartition = 60;
      await transport.produce(
        topic,
        Array.from({ length: 2 * perPartition }, (_, i) => ({
          key: Buffer.from(`k${i}`),
          value: Buffer.from(`v${i}`),
          partition: i % 2,
        })),
      );
      const accepted = new Map<number, number[]>([
        [0, []],
        [1, []],
      ]);
      let batchCalls = 0;
      let mixedBatches = 0;
      let rejected = false;
      const read = (records: readonly DeliveredRecord[]): Promise<void> => {
        // The first call holding offset 3 of partition 0 fails, as a reader whose registry is down.
        if (!rejected && records.some((r) => r.partition === 0 && r.offset === 3)) {
          rejected = true;
          return Promise.reject(new Error('registry down'));
        }
        for (const record of records) accepted.get(record.partition)?.push(record.offset);
        return Promise.resolve();
      };
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: (record) => read([record]),
        readBatch: (records) => {
          batchCalls++;
          if (new Set(records.map((r) => r.partition)).size !== 1) mixedBatches++;
          return read(records);
        },
      });
      const all = Array.from({ length: perPartition }, (_, offset) => offset);
      await waitFor(
        () => accepted.get(0)?.length === perPartition && accepted.get(1)?.length === perPartition,
        `${perPartition} records of each partition`,
      );
      expect(accepted).toEqual(
        new Map([
          [0, all],
          [1, all],
        ]),
      );
      expect(rejected).toBe(true);
      expect(mixedBatches).toBe(0);
      // The memory transport calls handle per record; the Kafka transports hand batches over.
      expect(batchCalls > 0).toBe(transport.kind === 'kafka');
      if (transport.kind === 'kafka') expect(batchCalls).toBeLessThan(2 * perPartition);
      await waitFor(
        async () =>
          (await transport.committedOffsets(subscription.groupId, topic)).every(
            (offset) => offset === perPartition,
          ),
        'every partition committed to its end',
      );
      await subscription.stop();
    });

    it('replays from the beginning and from a timestamp by rewinding a stopped group', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 2);
      // Kafka 4 rejects timestamps more than an hour ahead of its clock: use the recent past.
      const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
      await transport.produce(
        topic,
        Array.from({ length: 10 }, (_, i) =>
          keyed(`k${i}`, `v${i}`, 2, { timestamp: base + i * 1000 }),
        ),
      );
      const groupId = uniqueName('g');
      const all = new RecordCollector();
      const first = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: all.handle,
      });
      await all.waitForCount(10);
      await first.stop();
      expect(await transport.committedOffsets(groupId, topic)).toEqual(
        await transport.endOffsets(topic),
      );

      const fromTime = await transport.offsetsForTimestamp(topic, base + 6500);
      await transport.setCommittedOffsets(groupId, topic, fromTime);
      const later = new RecordCollector();
      const second = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: later.handle,
      });
      await later.waitForCount(3);
      await second.stop();
      expect(later.values().sort()).toEqual(['v7', 'v8', 'v9']);

      await transport.setCommittedOffsets(groupId, topic, await transport.startOffsets(topic));
      const replay = new RecordCollector();
      const third = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: replay.handle,
      });
      await replay.waitForCount(10);
      await third.stop();
      expect(replay.values().sort()).toEqual(all.values().sort());
      expect(await transport.offsetsForTimestamp(topic, base + 999_999)).toEqual(
        await transport.endOffsets(topic),
      );
    });

    it('drops the committed offsets of a deleted topic: a re-created topic is read from its start', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1);
      await transport.produce(topic, [keyed('k', 'a', 1), keyed('k', 'b', 1)]);
      const groupId = uniqueName('g');
      const before = new RecordCollector();
      const first = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: before.handle,
      });
      await before.waitForCount(2);
      await first.stop();
      expect(await transport.committedOffsets(groupId, topic)).toEqual([2]);

      await transport.deleteTopics([topic]);
      // Kafka finishes a deletion in the background: the same name is free again a moment later.
      await waitFor(async () => {
        try {
          await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
          return (await transport.describeTopic(topic)) !== undefined;
        } catch {
          return false;
        }
      }, 're-creating the deleted topic');
      await transport.produce(topic, [keyed('k', 'c', 1)]);
      expect(await transport.committedOffsets(groupId, topic)).toEqual([undefined]);
      const after = new RecordCollector();
      const second = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: after.handle,
      });
      await after.waitForCount(1);
      await second.stop();
      expect(after.values()).toEqual(['c']);
    });

    it('starts a new group at the end with offsetReset latest', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1);
      await transport.produce(topic, [keyed('k', 'old', 1)]);
      const collector = new RecordCollector();
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'latest',
        handle: collector.handle,
      });
      await transport.produce(topic, [keyed('k', 'new', 1)]);
      await collector.waitForCount(1);
      expect(collector.values()).toEqual(['new']);
      await subscription.stop();
    });

    it('describes compacted topics, refuses keyless records on them, and keeps tombstones readable', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 1, true);
      expect(await transport.describeTopic(topic)).toEqual({
        name: topic,
        partitions: 1,
        compacted: true,
      });
      await expect(
        transport.produce(topic, [{ key: null, value: Buffer.from('x'), partition: 0 }]),
      ).rejects.toThrow();
      await transport.produce(topic, [
        keyed('a', '1', 1),
        keyed('b', '1', 1),
        keyed('a', '2', 1),
        { key: Buffer.from('b'), value: null, partition: 0 },
      ]);
      const collector = new RecordCollector();
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: collector.handle,
      });
      await collector.waitForCount(4);
      await subscription.stop();
      const table = new Map<string, string>();
      for (const r of collector.records) {
        const key = r.key?.toString() ?? '';
        if (r.value === null) table.delete(key);
        else table.set(key, r.value.toString());
      }
      expect([...table]).toEqual([['a', '2']]);
    });

    it('calls onAssigned before the first record of the assignment and onRevoked on stop', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 2);
      await transport.produce(topic, [keyed('x', '1', 2)]);
      const events: string[] = [];
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        onAssigned: (tps) => void events.push(`assigned:${tps.length}`),
        onRevoked: (tps) => void events.push(`revoked:${tps.length}`),
        handle: () => {
          events.push('record');
          return Promise.resolve();
        },
      });
      await waitFor(() => events.includes('record'), 'the record');
      await subscription.stop();
      expect(events[0]).toBe('assigned:2');
      expect(events).toContain('revoked:2');
      expect(events.indexOf('record')).toBeGreaterThan(events.indexOf('assigned:2'));
    });

    it('starts a partition where onAssigned seeks it, on the first assignment and after a restart', async () => {
      const transport = await open();
      const topic = await topicWith(transport, 2);
      await transport.produce(
        topic,
        ['a', 'b', 'c', 'd'].map((value) => ({
          key: null,
          value: Buffer.from(value),
          partition: 0,
        })),
      );
      await transport.produce(topic, [{ key: null, value: Buffer.from('p1'), partition: 1 }]);
      const groupId = uniqueName('g');
      const run = async (from: number): Promise<string[]> => {
        const collector = new RecordCollector();
        const subscription = await transport.subscribe({
          groupId,
          topics: [topic],
          offsetReset: 'earliest',
          onAssigned: (partitions, seek) => {
            for (const tp of partitions) if (tp.partition === 0) seek(topic, 0, from);
          },
          handle: collector.handle,
        });
        try {
          // Partition 1's record comes in the first run only: the group committed it there.
          await collector.waitForCount(3);
          return collector.records
            .filter((r) => r.partition === 0)
            .map((r) => r.value?.toString() ?? '');
        } finally {
          await subscription.stop();
        }
      };
      // The first run seeks past what the group would read; the second seeks back behind the
      // offsets the first one committed: the caller's offsets win both times.
      expect(await run(2)).toEqual(['c', 'd']);
      expect(await run(1)).toEqual(['b', 'c', 'd']);
    });

    // Registered only where it applies, so a transport's run counts no skipped case.
    if (harness.exactlyOnce === 'refuses') {
      it('exactly-once: refused at subscribe() by a transport that cannot run it', async () => {
        const transport = await open();
        const input = await topicWith(transport, 1);
        await expect(
          transport.subscribe({
            groupId: uniqueName('g'),
            topics: [input],
            offsetReset: 'earliest',
            exactlyOnce: true,
            handle: () => Promise.resolve(),
          }),
        ).rejects.toThrow(ConfigurationError);
      });
      return;
    }

    it('exactly-once: the output of a failed attempt is never visible', async () => {
      const transport = await open();
      const input = await topicWith(transport, 1);
      const output = await topicWith(transport, 1);
      await transport.produce(
        input,
        ['1', '2', '3'].map((v) => keyed('k', v, 1)),
      );
      let failed = false;
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [input],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: async (record, out) => {
          const value = record.value?.toString() ?? '';
          await out.produce(output, [keyed('k', `out-${value}`, 1)]);
          if (value === '2' && !failed) {
            failed = true;
            throw new Error('fail after writing output');
          }
        },
      });
      const reader = new RecordCollector();
      const readerSub = await transport.subscribe({
        groupId: uniqueName('r'),
        topics: [output],
        offsetReset: 'earliest',
        handle: reader.handle,
      });
      await reader.waitForCount(3);
      await waitFor(
        async () => (await transport.committedOffsets(subscription.groupId, input))[0] === 3,
        'input committed',
      );
      await subscription.stop();
      await readerSub.stop();
      expect(reader.values()).toEqual(['out-1', 'out-2', 'out-3']);
    });

    it('exactly-once across a rebalance: every input yields its output once', async () => {
      const transport = await open();
      const input = await topicWith(transport, 4);
      const output = await topicWith(transport, 1);
      const groupId = uniqueName('g');
      const handledBy = new Map<string, string[]>();
      const options = (member: string): SubscriptionOptions => ({
        groupId,
        topics: [input],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: async (record, out) => {
          const value = record.value?.toString() ?? '';
          handledBy.set(value, [...(handledBy.get(value) ?? []), member]);
          await out.produce(output, [keyed('k', `out-${value}`, 1)]);
          // Some work per record, so that the rebalance lands in the middle of transactions:
          // a's last ones commit (or are refused) after b joined.
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      });
      // Records keep coming until b handled some, so the rebalance lands while a is busy.
      const inputs: string[] = [];
      const produceRound = async (): Promise<void> => {
        const round = Array.from({ length: 8 }, (_, i) => `m${inputs.length + i}`);
        await transport.produce(
          input,
          round.map((value, i) => ({
            key: null,
            value: Buffer.from(value),
            partition: (inputs.length + i) % 4,
          })),
        );
        inputs.push(...round);
      };
      const handledByB = (): boolean => [...handledBy.values()].some((m) => m.includes('b'));
      await produceRound();
      const a = await transport.subscribe(options('a'));
      await waitFor(() => handledBy.size >= 4, 'a to be under way');
      const joining = transport.subscribe(options('b'));
      // Bounded by time, not rounds: with the KIP-848 protocol the broker's heartbeat interval
      // (5 s) paces the handover, and faster commits make each round shorter.
      const deadline = Date.now() + 30_000;
      while (!handledByB() && Date.now() < deadline) {
        await produceRound();
        await waitFor(
          () => handledBy.size >= inputs.length - 8 || handledByB(),
          'the members to keep up',
        );
      }
      const b = await joining;
      expect(handledByB()).toBe(true);
      const perPartition = inputs.length / 4;
      await waitFor(
        async () =>
          (await transport.committedOffsets(groupId, input)).every((o) => o === perPartition),
        `all ${inputs.length} inputs committed`,
      );
      await Promise.all([a.stop(), b.stop()]);

      // A read_committed reader, up to the end of the output (aborted records and markers too).
      const reader = new RecordCollector();
      let position = 0;
      const readerSub = await transport.subscribe({
        groupId: uniqueName('r'),
        topics: [output],
        offsetReset: 'earliest',
        handle: reader.handle,
        onPosition: (_topic, _partition, next) => {
          position = Math.max(position, next);
        },
      });
      const [end] = await transport.endOffsets(output);
      await waitFor(() => position >= (end ?? 0), 'the reader at the end of the output');
      await readerSub.stop();
      expect([...reader.values()].sort()).toEqual(inputs.map((value) => `out-${value}`).sort());
    });
  });
}
