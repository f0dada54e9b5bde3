import { type Consumer, Kafka, logLevel } from 'kafkajs';

import { kafkaBrokers } from '../../../test/support/kafka-env';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { TopicMismatchError } from '../../errors/topic-mismatch-error';
import { TransportClosedError } from '../../errors/transport-closed-error';
import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { LogFields, Logger } from '../../logging/logger';
import type {
  DeliveredRecord,
  OutgoingRecord,
  Subscription,
  SubscriptionOptions,
  TopicPartition,
} from '../transport';
import { KafkaTransport } from './kafka-transport';

/** Keeps warnings and errors so a test can look at them; prints nothing. */
class CapturingLogger implements Logger {
  readonly entries: { level: string; message: string; fields: LogFields }[];
  constructor(entries: { level: string; message: string; fields: LogFields }[] = []) {
    this.entries = entries;
  }
  debug(): void {}
  info(): void {}
  warn(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'error', message, fields });
  }
  child(): Logger {
    return this;
  }
}

const text = (value: Buffer | null): string => value?.toString('utf8') ?? '<null>';
const record = (value: string, partition: number, key: string | null = 'k'): OutgoingRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
  partition,
});
const byPartition = (partitions: readonly TopicPartition[], topic: string): number[] =>
  partitions
    .filter((tp) => tp.topic === topic)
    .map((tp) => tp.partition)
    .sort((a, b) => a - b);

describe('KafkaTransport against a real broker', () => {
  const logger = new CapturingLogger();
  const transports: KafkaTransport[] = [];
  const subscriptions: Subscription[] = [];
  const rawConsumers: Consumer[] = [];
  // Releases handlers a test holds back; one still held would keep stop() and disconnect()
  // waiting for ever after a failed assertion.
  const gates: (() => void)[] = [];
  const gate = (): { passed: Promise<void>; release: () => void } => {
    let release: () => void = () => undefined;
    const passed = new Promise<void>((resolve) => {
      release = resolve;
    });
    gates.push(release);
    return { passed, release };
  };

  const open = async (): Promise<KafkaTransport> => {
    const transport = new KafkaTransport({
      brokers: kafkaBrokers(),
      clientId: uniqueName('int'),
      logger,
      consumer: { heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, maxWaitTimeMs: 100 },
      redeliveryBackoff: { initialMs: 100, maxMs: 1_000 },
    });
    transports.push(transport);
    await transport.connect();
    return transport;
  };
  const subscribe = async (
    transport: KafkaTransport,
    options: SubscriptionOptions,
  ): Promise<Subscription> => {
    const subscription = await transport.subscribe(options);
    subscriptions.push(subscription);
    return subscription;
  };
  const topic = async (transport: KafkaTransport, partitions: number, compacted = false) => {
    const name = uniqueName('kt');
    await transport.createTopics([{ name, partitions, compacted }]);
    return name;
  };

  let transport: KafkaTransport;
  beforeAll(async () => {
    transport = await open();
  });

  afterEach(async () => {
    for (const release of gates.splice(0)) release();
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await Promise.all(rawConsumers.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => {
    await Promise.all(transports.splice(0).map((t) => t.disconnect()));
  });

  it('round-trips keys, null values, headers and timestamps on the partition asked for, with batch offsets', async () => {
    const name = await topic(transport, 3);
    const sent = await transport.produce(name, [
      {
        ...record('a0', 2),
        headers: { 'x-trace': 'abc', 'x-empty': '' },
        timestamp: 1_700_000_000_001,
      },
      record('b0', 0, null),
      { key: Buffer.from('tomb'), value: null, partition: 2, timestamp: 1_700_000_000_002 },
      record('a1', 2),
      record('c0', 1),
      record('a2', 2),
    ]);
    expect(sent).toEqual([
      { topic: name, partition: 2, offset: 0 },
      { topic: name, partition: 0, offset: 0 },
      { topic: name, partition: 2, offset: 1 },
      { topic: name, partition: 2, offset: 2 },
      { topic: name, partition: 1, offset: 0 },
      { topic: name, partition: 2, offset: 3 },
    ]);
    const second = await transport.produce(name, [record('a3', 2), record('a4', 2)]);
    expect(second.map((m) => m.offset)).toEqual([4, 5]);
    expect(await transport.endOffsets(name)).toEqual([1, 1, 6]);
    expect(await transport.startOffsets(name)).toEqual([0, 0, 0]);

    const received: DeliveredRecord[] = [];
    await subscribe(transport, {
      groupId: uniqueName('g'),
      topics: [name],
      offsetReset: 'earliest',
      handle: (r) => {
        received.push(r);
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length === 8, '8 records');
    const p2 = received.filter((r) => r.partition === 2);
    expect(p2.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p2.map((r) => (r.value === null ? null : text(r.value)))).toEqual([
      'a0',
      null,
      'a1',
      'a2',
      'a3',
      'a4',
    ]);
    expect(p2[0]).toMatchObject({
      topic: name,
      timestamp: 1_700_000_000_001,
      headers: { 'x-trace': 'abc', 'x-empty': '' },
    });
    expect(text(p2[0].key)).toBe('k');
    expect(p2[1]).toMatchObject({ timestamp: 1_700_000_000_002, headers: {}, value: null });
    const keyless = received.find((r) => r.partition === 0);
    expect(keyless).toMatchObject({ key: null, offset: 0 });
    expect(text(keyless?.value ?? null)).toBe('b0');
    // No timestamp given: the transport stamps the send time.
    expect(
      Math.abs((received.find((r) => r.partition === 1)?.timestamp ?? 0) - Date.now()),
    ).toBeLessThan(60_000);
  });

  it('creates topics idempotently, describes partitions and compaction, lists and deletes them', async () => {
    const plain = uniqueName('kt-plain');
    const compacted = uniqueName('kt-compact');
    const specs = [
      { name: plain, partitions: 4, compacted: false, config: { 'retention.ms': '3600000' } },
      { name: compacted, partitions: 2, compacted: true },
    ];
    await transport.createTopics(specs);
    await transport.createTopics(specs);
    await expect(transport.describeTopic(plain)).resolves.toEqual({
      name: plain,
      partitions: 4,
      compacted: false,
    });
    await expect(transport.describeTopic(compacted)).resolves.toEqual({
      name: compacted,
      partitions: 2,
      compacted: true,
    });
    await expect(transport.describeTopic(uniqueName('kt-missing'))).resolves.toBeUndefined();
    const listed = await transport.listTopics();
    expect(listed).toEqual(expect.arrayContaining([plain, compacted]));
    expect(listed.some((t) => t.startsWith('__'))).toBe(false);

    // Keyless records on a compacted topic are refused by the broker.
    await expect(transport.produce(compacted, [record('x', 0, null)])).rejects.toBeInstanceOf(
      TransportError,
    );
    await expect(transport.produce(plain, [record('x', 4)])).rejects.toBeInstanceOf(
      TopicMismatchError,
    );
    await expect(
      transport.produce(uniqueName('kt-missing'), [record('x', 0)]),
    ).rejects.toBeInstanceOf(UnknownTopicError);

    await transport.produce(plain, [record('before delete', 0)]);
    await transport.deleteTopics([plain, compacted, uniqueName('kt-never-existed')]);
    await waitFor(
      async () => (await transport.describeTopic(plain)) === undefined,
      'the deleted topic to disappear',
    );
    // The shared producer wrote to a now deleted topic and must still work for the others.
    const other = await topic(transport, 1);
    await expect(transport.produce(other, [record('after delete', 0)])).resolves.toEqual([
      { topic: other, partition: 0, offset: 0 },
    ]);
  });

  it('reads offsets by timestamp, commits, and replays a rewound group', async () => {
    const name = await topic(transport, 2);
    // Kafka 4 rejects timestamps more than message.timestamp.after.max.ms (1 h) in the future.
    const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    await transport.produce(
      name,
      Array.from({ length: 10 }, (_, i) => ({
        ...record(`v${i}`, i % 2),
        timestamp: base + i * 1_000,
      })),
    );
    expect(await transport.offsetsForTimestamp(name, base + 6_500)).toEqual([4, 3]);
    expect(await transport.offsetsForTimestamp(name, base)).toEqual([0, 0]);
    expect(await transport.offsetsForTimestamp(name, base + 999_999)).toEqual([5, 5]);

    const groupId = uniqueName('g');
    expect(await transport.committedOffsets(groupId, name)).toEqual([undefined, undefined]);
    const seen: string[] = [];
    const first = await subscribe(transport, {
      groupId,
      topics: [name],
      offsetReset: 'earliest',
      handle: (r) => {
        seen.push(text(r.value));
        return Promise.resolve();
      },
    });
    await waitFor(() => seen.length === 10, 'all 10 records');
    await expect(transport.setCommittedOffsets(groupId, name, [0, 0])).rejects.toThrow(
      /the group is active/,
    );
    await first.stop();
    expect(await transport.committedOffsets(groupId, name)).toEqual([5, 5]);

    await transport.setCommittedOffsets(
      groupId,
      name,
      await transport.offsetsForTimestamp(name, base + 6_500),
    );
    expect(await transport.committedOffsets(groupId, name)).toEqual([4, 3]);
    const replayed: string[] = [];
    const second = await subscribe(transport, {
      groupId,
      topics: [name],
      offsetReset: 'latest',
      handle: (r) => {
        replayed.push(text(r.value));
        return Promise.resolve();
      },
    });
    await waitFor(() => replayed.length === 3, 'the three records at or after the timestamp');
    expect(replayed.sort()).toEqual(['v7', 'v8', 'v9']);
    await second.stop();
    expect(await transport.committedOffsets(groupId, name)).toEqual([5, 5]);
  });

  it('starts a new group at the end with offsetReset latest, as of subscribe()', async () => {
    const name = await topic(transport, 2);
    await transport.produce(name, [record('old', 0), record('old', 1)]);
    const seen: string[] = [];
    await subscribe(transport, {
      groupId: uniqueName('g'),
      topics: [name],
      offsetReset: 'latest',
      handle: (r) => {
        seen.push(text(r.value));
        return Promise.resolve();
      },
    });
    await transport.produce(name, [record('new', 0), record('new', 1)]);
    await waitFor(() => seen.length === 2, 'the two new records');
    expect(seen).toEqual(['new', 'new']);
  });

  it('redelivers a rejected record after a backoff while its partition waits and others go on', async () => {
    const name = await topic(transport, 2);
    await transport.produce(name, [record('a', 0), record('b', 0), record('c', 0), record('x', 1)]);
    const handled: string[] = [];
    const times: number[] = [];
    let failures = 0;
    await subscribe(transport, {
      groupId: uniqueName('g'),
      topics: [name],
      offsetReset: 'earliest',
      handle: async (r) => {
        const value = text(r.value);
        handled.push(value);
        if (value === 'b' && failures < 3) {
          failures++;
          times.push(Date.now());
          throw new Error(`boom ${failures}`);
        }
        if (value === 'x') {
          // Partition 1 gets more records while partition 0 waits for "b".
          await transport.produce(name, [record('y', 1)]);
        }
      },
    });
    await waitFor(() => handled.includes('c'), 'c after b succeeded', { timeoutMs: 15_000 });
    const partition0 = handled.filter((v) => ['a', 'b', 'c'].includes(v));
    expect(partition0).toEqual(['a', 'b', 'b', 'b', 'b', 'c']);
    expect(handled.indexOf('y')).toBeLessThan(handled.lastIndexOf('b'));
    // 100 ms, then 200 ms, then 400 ms between attempts (a little scheduling slack allowed).
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(90);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(180);
    // The first failure is logged in full; its repeats within 10 s are only counted (a summary
    // line with the count follows), so a record failing in a loop cannot flood the log.
    const warnings = logger.entries.filter((e) => e.message.startsWith('handler failed'));
    expect(warnings.map((e) => e.fields)).toEqual([
      expect.objectContaining({ partition: 0, offset: 1, attempt: 1, error: 'boom 1' }),
    ]);
    await waitFor(
      async () => (await transport.committedOffsets(subscriptions[0].groupId, name))[0] === 3,
      'offset 3 committed on partition 0',
    );
  });

  it('splits co-partitioned topics across two members, then hands everything to the survivor without loss', async () => {
    const other = await open();
    const input = await topic(transport, 6);
    const table = await topic(transport, 6);
    const groupId = uniqueName('g');
    const counts = new Map<string, number>();
    const members = new Map<string, string>();
    const events: string[] = [];
    const member =
      (name: string): SubscriptionOptions['handle'] =>
      (r) => {
        const value = text(r.value);
        counts.set(value, (counts.get(value) ?? 0) + 1);
        members.set(value, name);
        return Promise.resolve();
      };
    const options = (name: string): SubscriptionOptions => ({
      groupId,
      topics: [input, table],
      offsetReset: 'earliest',
      handle: member(name),
      onAssigned: (tps) => void events.push(`${name} assigned ${tps.length}`),
      onRevoked: (tps) => void events.push(`${name} revoked ${tps.length}`),
    });
    const a = await subscribe(transport, options('a'));
    expect(a.assignment()).toHaveLength(12);
    const b = await subscribe(other, options('b'));
    await waitFor(
      () => a.assignment().length === 6 && b.assignment().length === 6,
      'a 6/6 split of 12 partitions',
    );
    for (const s of [a, b]) {
      expect(byPartition(s.assignment(), input)).toEqual(byPartition(s.assignment(), table));
      expect(byPartition(s.assignment(), input)).toHaveLength(3);
    }
    expect(
      [...byPartition(a.assignment(), input), ...byPartition(b.assignment(), input)].sort(),
    ).toEqual([0, 1, 2, 3, 4, 5]);

    const batch = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => record(`r${from + i}`, (from + i) % 6));
    await transport.produce(input, batch(0, 120));
    await waitFor(() => counts.size === 120, 'the first 120 records');
    expect(new Set(members.values())).toEqual(new Set(['a', 'b']));

    await b.stop();
    await waitFor(() => a.assignment().length === 12, 'a to own all 12 partitions');
    await transport.produce(input, batch(120, 240));
    await waitFor(() => counts.size === 240, 'all 240 records');
    for (let i = 0; i < 240; i++) expect(counts.get(`r${i}`)).toBe(1);
    expect(events).toEqual(
      expect.arrayContaining([
        'a assigned 12',
        'a revoked 12',
        'a assigned 6',
        'b assigned 6',
        'b revoked 6',
      ]),
    );
    expect(events.indexOf('b revoked 6')).toBeLessThan(events.lastIndexOf('a assigned 12'));
  });

  it('exactly-once: output of an attempt that failed after writing is never visible to read_committed', async () => {
    const input = await topic(transport, 2);
    const output = await topic(transport, 1);
    const values = Array.from({ length: 6 }, (_, i) => `m${i}`);
    await transport.produce(
      input,
      values.map((v, i) => record(v, i % 2)),
    );
    const attempts = new Map<string, number>();
    const groupId = uniqueName('eos');
    const processing = await subscribe(transport, {
      groupId,
      topics: [input],
      offsetReset: 'earliest',
      exactlyOnce: true,
      handle: async (r, out) => {
        const value = text(r.value);
        const attempt = (attempts.get(value) ?? 0) + 1;
        attempts.set(value, attempt);
        await out.produce(output, [record(`out-${value}`, 0), record(`audit-${value}`, 0)]);
        if (value === 'm2' && attempt === 1) throw new Error('fails after writing its output');
      },
    });

    // An independent read_committed consumer (kafkajs' default isolation).
    const seen: string[] = [];
    const reader = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('reader'),
      maxWaitTimeInMs: 100,
    });
    rawConsumers.push(reader);
    await reader.connect();
    await reader.subscribe({ topics: [output], fromBeginning: true });
    await reader.run({
      eachMessage: ({ message }) => {
        seen.push(text(message.value));
        return Promise.resolve();
      },
    });

    await waitFor(() => seen.length >= 12, '12 committed outputs', { timeoutMs: 20_000 });
    await waitFor(
      async () => (await transport.committedOffsets(groupId, input)).every((o) => o === 3),
      'input offsets committed by the transactions',
    );
    expect(attempts.get('m2')).toBe(2);
    expect(seen).toHaveLength(12);
    expect([...seen].sort()).toEqual(values.flatMap((v) => [`audit-${v}`, `out-${v}`]).sort());
    // The aborted attempt's records occupy offsets, but no reader sees them.
    const end = (await transport.endOffsets(output))[0];
    expect(end).toBeGreaterThan(12);
    await processing.stop();
  });

  it('stop() lets the running handler finish, commits it, and handles nothing after it', async () => {
    const name = await topic(transport, 1);
    await transport.produce(
      name,
      ['a', 'b', 'c'].map((v) => record(v, 0)),
    );
    const groupId = uniqueName('g');
    const handled: string[] = [];
    const { passed, release } = gate();
    const first = await subscribe(transport, {
      groupId,
      topics: [name],
      offsetReset: 'earliest',
      handle: async (r) => {
        handled.push(text(r.value));
        if (text(r.value) === 'b') await passed;
      },
    });
    await waitFor(() => handled.includes('b'), 'b to start');
    let stopped = false;
    const stopping = first.stop().then(() => {
      stopped = true;
    });
    // A broker round trip later, stop() is still waiting for the handler of "b".
    await transport.endOffsets(name);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await first.stop();
    expect(handled).toEqual(['a', 'b']);
    expect(await transport.committedOffsets(groupId, name)).toEqual([2]);

    const rest: string[] = [];
    await subscribe(transport, {
      groupId,
      topics: [name],
      offsetReset: 'earliest',
      handle: (r) => {
        rest.push(text(r.value));
        return Promise.resolve();
      },
    });
    await waitFor(() => rest.length === 1, 'c after the restart');
    expect(rest).toEqual(['c']);
  });

  it('disconnect() waits for a running handler, keeps its output and commits it', async () => {
    const own = await open();
    const input = await topic(own, 1);
    const output = await topic(own, 1);
    await own.produce(input, [record('a', 0)]);
    const groupId = uniqueName('g');
    let started = false;
    const { passed, release } = gate();
    await own.subscribe({
      groupId,
      topics: [input],
      offsetReset: 'earliest',
      handle: async (r, out) => {
        started = true;
        await passed;
        await out.produce(output, [record(`out-${text(r.value)}`, 0)]);
      },
    });
    await waitFor(() => started, 'the handler to start');
    const disconnecting = own.disconnect();
    release();
    await disconnecting;
    expect(await transport.endOffsets(output)).toEqual([1]);
    expect(await transport.committedOffsets(groupId, input)).toEqual([1]);
  });

  it('calls onAssigned before the first record, supports seek, and stops cleanly on disconnect', async () => {
    const own = await open();
    const name = await topic(own, 1);
    await own.produce(
      name,
      ['a', 'b', 'c', 'd'].map((v) => record(v, 0)),
    );
    const events: string[] = [];
    const current: { subscription?: Subscription } = {};
    const subscription = await own.subscribe({
      groupId: uniqueName('g'),
      topics: [name],
      offsetReset: 'earliest',
      onAssigned: async (tps) => {
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`assigned ${tps.map((tp) => tp.partition).join(',')}`);
      },
      onRevoked: (tps) => void events.push(`revoked ${tps.length}`),
      handle: (r) => {
        const value = text(r.value);
        events.push(value);
        if (value === 'c' && !events.includes('seeked')) {
          events.push('seeked');
          current.subscription?.seek(name, 0, 1);
        }
        return Promise.resolve();
      },
    });
    current.subscription = subscription;
    expect(subscription.assignment()).toEqual([{ topic: name, partition: 0 }]);
    expect(() => subscription.seek(name, 7, 0)).toThrow(/not assigned/);
    await waitFor(() => events.filter((e) => e === 'd').length === 1, 'd after the seek');
    expect(events).toEqual(['assigned 0', 'a', 'b', 'c', 'seeked', 'b', 'c', 'd']);

    await expect(
      own.subscribe({
        groupId: uniqueName('g'),
        topics: [name, uniqueName('kt-missing')],
        offsetReset: 'earliest',
        handle: () => Promise.resolve(),
      }),
    ).rejects.toBeInstanceOf(UnknownTopicError);

    await own.disconnect();
    expect(events[events.length - 1]).toBe('revoked 1');
    await expect(own.listTopics()).rejects.toBeInstanceOf(TransportClosedError);
    await subscription.stop();
    await own.disconnect();
  });
});
