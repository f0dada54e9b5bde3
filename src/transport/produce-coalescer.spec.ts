import type {
  ProducerBatch,
  ProducerRecord,
  RecordMetadata as KafkaRecordMetadata,
  TopicMessages,
} from 'kafkajs';

import { TopicMismatchError } from '../errors/topic-mismatch-error';
import { TransportClosedError } from '../errors/transport-closed-error';
import { TransportError } from '../errors/transport-error';
import type { KafkaAdminOps } from './kafka/kafka-admin-ops';
import { KafkaRecordWriter } from './kafka/kafka-record-writer';
import type { KafkaSender } from './kafka/kafka-records';
import { type CoalescingLimits, ProduceCoalescer } from './produce-coalescer';
import type { OutgoingRecord, RecordMetadata } from './transport';

const PARTITIONS = 3;

/** Held until released: lets a test keep a request (or a check) in flight. */
interface Gate {
  readonly passed: Promise<void>;
  release(): void;
}
/** Every gate is released after each test, so a failed assertion leaves nothing waiting. */
const gates: Gate[] = [];
function gate(): Gate {
  let release: () => void = () => undefined;
  const passed = new Promise<void>((resolve) => {
    release = resolve;
  });
  const made = { passed, release };
  gates.push(made);
  return made;
}

/**
 * A sender that answers as one broker would: each partition's records are appended in the order
 * given and the answer carries the partition's base offset.
 */
class FakeBroker implements KafkaSender {
  readonly requests: TopicMessages[][] = [];
  readonly #ends = new Map<string, number>();
  hold: Gate | undefined;
  failNext: Error | undefined;

  send(record: ProducerRecord): Promise<KafkaRecordMetadata[]> {
    return Promise.reject(new Error(`send() is not expected here (topic ${record.topic})`));
  }

  async sendBatch(batch: ProducerBatch): Promise<KafkaRecordMetadata[]> {
    const topicMessages = batch.topicMessages ?? [];
    this.requests.push(topicMessages);
    if (this.hold !== undefined) await this.hold.passed;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) throw failure;
    const answers: KafkaRecordMetadata[] = [];
    for (const { topic, messages } of topicMessages) {
      const counts = new Map<number, number>();
      for (const { partition = 0 } of messages)
        counts.set(partition, (counts.get(partition) ?? 0) + 1);
      for (const [partition, count] of counts) {
        const key = `${topic}/${partition}`;
        const base = this.#ends.get(key) ?? 0;
        this.#ends.set(key, base + count);
        answers.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base) });
      }
    }
    return answers;
  }

  /** The values each request carried, as "topic/partition:value". */
  sent(): string[][] {
    return this.requests.map((request) =>
      request.flatMap(({ topic, messages }) =>
        messages.map(({ partition, value }) => `${topic}/${partition}:${String(value)}`),
      ),
    );
  }
}

/** Topics of PARTITIONS partitions; `slow` holds the check of calls to one partition until released. */
function fakeAdmin(slow?: { partition: number; gate: Gate }): KafkaAdminOps {
  const admin = {
    async validatePartitions(topic: string, partitions: readonly number[]): Promise<void> {
      if (slow !== undefined && partitions.includes(slow.partition)) await slow.gate.passed;
      const highest = Math.max(...partitions);
      if (highest >= PARTITIONS) {
        throw new TopicMismatchError(topic, `partition ${highest} of ${PARTITIONS}`);
      }
    },
  };
  // Only validatePartitions is reached by KafkaRecordWriter.validate.
  return admin as unknown as KafkaAdminOps;
}

const LIMITS: CoalescingLimits = { lingerMs: 0, maxRecords: 1_000, maxBytes: 512 * 1024 };

describe('ProduceCoalescer', () => {
  let broker: FakeBroker;
  let coalescer: ProduceCoalescer;
  const open = (limits: Partial<CoalescingLimits> = {}, admin = fakeAdmin()): ProduceCoalescer => {
    const writer = new KafkaRecordWriter(admin);
    coalescer = new ProduceCoalescer(
      {
        validate: (topic, records) => writer.validate(topic, records),
        send: (entries) => writer.writeManyWithOffsets(broker, entries),
      },
      { ...LIMITS, ...limits },
    );
    return coalescer;
  };
  const record = (value: string, partition = 0): OutgoingRecord => ({
    key: Buffer.from('k'),
    value: Buffer.from(value),
    partition,
  });
  const at = (topic: string, partition: number, offset: number): RecordMetadata => ({
    topic,
    partition,
    offset,
  });

  beforeEach(() => {
    broker = new FakeBroker();
  });

  afterEach(async () => {
    for (const held of gates.splice(0)) held.release();
    await coalescer.close();
  });

  it('sends calls made together in one request, each resolving with its own offsets', async () => {
    open();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => coalescer.produce('t', [record(`v${i}`, i % 2)])),
    );
    expect(broker.requests).toHaveLength(1);
    expect(results).toEqual(
      Array.from({ length: 10 }, (_, i) => [at('t', i % 2, Math.floor(i / 2))]),
    );
  });

  it('numbers records of several calls, partitions and topics from their partition’s base offset', async () => {
    open();
    await coalescer.produce('t', [record('warm-up', 0)]);
    const [a, b, c, d] = await Promise.all([
      coalescer.produce('t', [record('a0', 0), record('a1', 1), record('a2', 0)]),
      coalescer.produce('u', [record('b0', 2)]),
      coalescer.produce('t', [record('c0', 0), record('c1', 1)]),
      coalescer.produce('u', [record('d0', 2), record('d1', 2)]),
    ]);
    expect(broker.requests).toHaveLength(2);
    expect(a).toEqual([at('t', 0, 1), at('t', 1, 0), at('t', 0, 2)]);
    expect(b).toEqual([at('u', 2, 0)]);
    expect(c).toEqual([at('t', 0, 3), at('t', 1, 1)]);
    expect(d).toEqual([at('u', 2, 1), at('u', 2, 2)]);
  });

  it('merges the calls made while a request is in flight into the next request', async () => {
    open();
    broker.hold = gate();
    const first = coalescer.produce('t', [record('first')]);
    await waitUntil(() => broker.requests.length === 1);
    const queued = [
      coalescer.produce('t', [record('second')]),
      coalescer.produce('t', [record('third', 1)]),
    ];
    // Several turns of the event loop: nothing leaves while the first request is in flight.
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(broker.requests).toHaveLength(1);
    broker.hold.release();
    await expect(first).resolves.toEqual([at('t', 0, 0)]);
    await expect(Promise.all(queued)).resolves.toEqual([[at('t', 0, 1)], [at('t', 1, 0)]]);
    expect(broker.sent()).toEqual([['t/0:first'], ['t/0:second', 't/1:third']]);
  });

  it('waits up to lingerMs for calls made in later turns of the event loop', async () => {
    open({ lingerMs: 200 });
    const first = coalescer.produce('t', [record('first')]);
    await nextTurn();
    const second = coalescer.produce('t', [record('second')]);
    await Promise.all([first, second]);
    expect(broker.sent()).toEqual([['t/0:first', 't/0:second']]);
  });

  it('rejects only the caller whose records are invalid, and sends none of them', async () => {
    open();
    const bad = { ...record('bad'), value: 'not a buffer' } as unknown as OutgoingRecord;
    const results = await Promise.allSettled([
      coalescer.produce('t', [record('before')]),
      coalescer.produce('t', [record('fine'), bad]),
      coalescer.produce('t', [record('no such partition', PARTITIONS)]),
      coalescer.produce('t', [record('after')]),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(reason(results[1])).toBeInstanceOf(TransportError);
    expect(reason(results[2])).toBeInstanceOf(TopicMismatchError);
    expect(broker.sent()).toEqual([['t/0:before', 't/0:after']]);
    expect(results[3]).toEqual({ status: 'fulfilled', value: [at('t', 0, 1)] });
  });

  it('keeps call order on a partition, even when an earlier call takes longer to check', async () => {
    const slow = { partition: 2, gate: gate() };
    open({}, fakeAdmin(slow));
    const calls = [
      coalescer.produce('t', [record('1'), record('2')]),
      coalescer.produce('t', [record('3', 2), record('4')]),
      coalescer.produce('t', [record('5'), record('6')]),
    ];
    await waitUntil(() => broker.requests.length === 1);
    // The third call was checked long ago, but must not overtake the second.
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(broker.requests).toHaveLength(1);
    slow.gate.release();
    await Promise.all(calls);
    expect(broker.sent()).toEqual([
      ['t/0:1', 't/0:2'],
      ['t/2:3', 't/0:4', 't/0:5', 't/0:6'],
    ]);
    await expect(calls[1]).resolves.toEqual([at('t', 2, 0), at('t', 0, 2)]);
    await expect(calls[2]).resolves.toEqual([at('t', 0, 3), at('t', 0, 4)]);
  });

  it('bounds a request by records and bytes, sending a larger call alone and whole', async () => {
    open({ maxRecords: 3 });
    await Promise.all([
      coalescer.produce('t', [record('a'), record('b')]),
      coalescer.produce('t', [record('c')]),
      coalescer.produce('t', [record('d'), record('e')]),
      coalescer.produce('t', [record('f'), record('g'), record('h'), record('i')]),
      coalescer.produce('t', [record('j')]),
    ]);
    expect(broker.sent().map((request) => request.length)).toEqual([3, 2, 4, 1]);

    await coalescer.close();
    broker = new FakeBroker();
    open({ maxBytes: 1_024 });
    const kilobyte = 'x'.repeat(1_000);
    await Promise.all([
      coalescer.produce('t', [record(kilobyte)]),
      coalescer.produce('t', [record('small')]),
      coalescer.produce('t', [record('small')]),
    ]);
    expect(broker.sent().map((request) => request.length)).toEqual([1, 2]);
  });

  it('rejects every caller of a failed request with its error; later requests still go out', async () => {
    open();
    broker.failNext = new Error('NOT_ENOUGH_REPLICAS');
    const failed = await Promise.allSettled([
      coalescer.produce('t', [record('a')]),
      coalescer.produce('t', [record('b')]),
    ]);
    expect(failed.map(reason)).toEqual([
      expect.objectContaining({ message: 'NOT_ENOUGH_REPLICAS' }),
      expect.objectContaining({ message: 'NOT_ENOUGH_REPLICAS' }),
    ]);
    await expect(coalescer.produce('t', [record('c')])).resolves.toEqual([at('t', 0, 0)]);
  });

  it('close() sends what it already took, cutting the linger short, then refuses new calls', async () => {
    const slow = { partition: 2, gate: gate() };
    open({ lingerMs: 60_000 }, fakeAdmin(slow));
    const taken = [
      coalescer.produce('t', [record('lingering')]),
      coalescer.produce('slow', [record('still being checked', 2)]),
    ];
    await nextTurn();
    let closed = false;
    const closing = coalescer.close().then(() => {
      closed = true;
    });
    await expect(taken[0]).resolves.toEqual([at('t', 0, 0)]);
    expect(closed).toBe(false);
    slow.gate.release();
    await closing;
    await expect(taken[1]).resolves.toEqual([at('slow', 2, 0)]);
    await expect(coalescer.produce('t', [record('late')])).rejects.toBeInstanceOf(
      TransportClosedError,
    );
  });

  it('close() waits for the request in flight, and resolves at once when idle', async () => {
    open();
    await expect(coalescer.close()).resolves.toBeUndefined();
    open();
    broker.hold = gate();
    const inFlight = coalescer.produce('t', [record('a')]);
    await waitUntil(() => broker.requests.length === 1);
    let closed = false;
    const closing = coalescer.close().then(() => {
      closed = true;
    });
    await nextTurn();
    expect(closed).toBe(false);
    broker.hold.release();
    await closing;
    await expect(inFlight).resolves.toEqual([at('t', 0, 0)]);
  });
});

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000 && !condition(); turn++) await nextTurn();
  if (!condition()) throw new Error('the condition never held');
}

function reason(result: PromiseSettledResult<unknown> | undefined): unknown {
  return result?.status === 'rejected' ? result.reason : undefined;
}
