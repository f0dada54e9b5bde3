import type { EachBatchPayload, KafkaMessage } from 'kafkajs';

import { waitFor } from '../../test/support/wait-for';
import { SilentLogger } from '../logging/silent-logger';
import { ActivityCounter } from './activity-counter';
import { BatchOutput, type OutputSink } from './batch-output';
import type { TopicRecords } from './kafka/kafka-records';
import { KeyedPartitionTask } from './keyed-partition-task';
import { PartitionTask } from './partition-task';
import { RedeliveryPauses } from './redelivery-pauses';
import type { DeliveredRecord, OutgoingRecord, RecordBatch, RecordOutput } from './transport';

const target = { topic: 'in', partition: 0 };

function message(offset: number, key: string | null): KafkaMessage {
  return {
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(`v${offset}`),
    timestamp: '0',
    attributes: 0,
    headers: {},
  };
}

interface FakePayload {
  readonly payload: EachBatchPayload;
  readonly resolved: number[];
  readonly paused: number;
  readonly heartbeats: number;
}

function fakePayload(messages: KafkaMessage[]): FakePayload {
  const resolved: number[] = [];
  let paused = 0;
  let heartbeats = 0;
  const payload = {
    batch: {
      topic: target.topic,
      partition: target.partition,
      messages,
      firstOffset: () => messages[0]?.offset ?? null,
      lastOffset: () => messages[messages.length - 1]?.offset ?? '-1',
    },
    resolveOffset: (offset: string) => resolved.push(Number(offset)),
    heartbeat: () => {
      heartbeats++;
      return Promise.resolve();
    },
    isRunning: () => true,
    isStale: () => false,
    pause: () => {
      paused++;
      return () => undefined;
    },
  } as unknown as EachBatchPayload;
  return {
    payload,
    resolved,
    get paused() {
      return paused;
    },
    get heartbeats() {
      return heartbeats;
    },
  };
}

interface Sent {
  readonly sends: TopicRecords[][];
  readonly commits: number[];
  aborts: number;
}

function fakeSink(transactional: boolean, failSend = false): OutputSink & Sent {
  const sink = {
    transactional,
    sends: [] as TopicRecords[][],
    commits: [] as number[],
    aborts: 0,
    send: (entries: readonly TopicRecords[]) => {
      if (failSend) return Promise.reject(new Error('broker gone'));
      sink.sends.push([...entries]);
      return Promise.resolve();
    },
    commit: (next: number) => {
      sink.commits.push(next);
      return Promise.resolve();
    },
    abort: () => {
      sink.aborts++;
      return Promise.resolve();
    },
  };
  return sink;
}

const out = (value: string): OutgoingRecord => ({
  key: null,
  value: Buffer.from(value),
  partition: 0,
});

function task(
  payload: EachBatchPayload,
  sink: OutputSink,
  handle: (record: DeliveredRecord, output: RecordOutput) => Promise<void>,
  extra: {
    concurrency?: number;
    onRollback?: () => void;
    late?: TopicRecords[][];
    backoffMs?: number;
    handleBatch?: (batch: RecordBatch) => Promise<void>;
  } = {},
): { task: PartitionTask | KeyedPartitionTask; pauses: RedeliveryPauses } {
  const backoffMs = extra.backoffMs ?? 10_000;
  const pauses = new RedeliveryPauses(
    { initialMs: backoffMs, maxMs: backoffMs },
    new SilentLogger(),
  );
  const Task = (extra.concurrency ?? 1) > 1 ? KeyedPartitionTask : PartitionTask;
  const late = extra.late ?? [];
  const sendLate = (entries: readonly TopicRecords[]): Promise<void> => {
    late.push([...entries]);
    return Promise.resolve();
  };
  return {
    pauses,
    task: new Task(target, payload, {
      output: new BatchOutput(sink, () => Promise.resolve(), {
        send: sendLate,
        logger: new SilentLogger(),
      }),
      handle,
      handleBatch: extra.handleBatch,
      handlers: new ActivityCounter(),
      concurrency: extra.concurrency ?? 1,
      onRollback: extra.onRollback,
      pauses,
      logger: new SilentLogger(),
      afterCommit: () => Promise.resolve(),
    }),
  };
}

describe('PartitionTask', () => {
  const running: RedeliveryPauses[] = [];
  afterEach(() => {
    for (const pauses of running.splice(0)) pauses.cancelTimers();
  });

  it.each([false, true])(
    'writes a publish that arrives after its batch committed at once, outside the batch (transactional: %s)',
    async (transactional) => {
      const fake = fakePayload([message(5, 'a')]);
      const sink = fakeSink(transactional);
      const late: TopicRecords[][] = [];
      let kept: RecordOutput | undefined;
      const { task: t } = task(
        fake.payload,
        sink,
        (_record, output) => {
          kept = output; // a handler that did not await its publish
          return Promise.resolve();
        },
        { late },
      );
      expect(await t.run(undefined, () => false)).toBe(true);
      expect(sink.sends).toHaveLength(0);

      await kept?.produce('out', [out('late')]);
      expect(late.map((entries) => entries.map((e) => e.records[0]?.value?.toString()))).toEqual([
        ['late'],
      ]);
      expect(sink.sends).toHaveLength(0);
    },
  );

  it.each([1, 4])(
    'lets the event loop serve I/O while a long batch of handlers that never wait runs (concurrency %i)',
    async (concurrency) => {
      const records = 60;
      const fake = fakePayload(Array.from({ length: records }, (_, i) => message(i, `k${i}`)));
      let handled = 0;
      const { task: t } = task(
        fake.payload,
        fakeSink(false),
        () => {
          // A millisecond of work without awaiting anything, like decoding and a map update.
          const until = Date.now() + 1;
          while (Date.now() < until);
          handled++;
          return Promise.resolve();
        },
        { concurrency },
      );
      let handledWhenServed: number | undefined;
      setImmediate(() => (handledWhenServed = handled));
      expect(await t.run(undefined, () => false)).toBe(true);
      expect(handled).toBe(records);
      expect(handledWhenServed).toBeLessThan(records);
    },
  );

  it('hands the records to handleBatch in RecordBatches, committing between them once the output is full', async () => {
    const count = 5_200; // more outputs than a commit waits for (5,000)
    const fake = fakePayload(Array.from({ length: count }, (_, i) => message(i, 'k')));
    const sink = fakeSink(false);
    const sizes: number[] = [];
    const refuse = (): Promise<void> => Promise.reject(new Error('handle must not be called'));
    const { task: t } = task(fake.payload, sink, refuse, {
      handleBatch: async (batch) => {
        sizes.push(batch.records.length);
        for (const record of batch.records) {
          if (batch.halted()) return;
          await batch.output(record).produce('out', [out(String(record.offset))]);
          batch.handled(record);
        }
      },
    });
    expect(await t.run(undefined, () => false)).toBe(true);
    expect(sizes[0]).toBe(count);
    expect(sizes.length).toBeGreaterThan(1);
    expect(sink.commits.length).toBeGreaterThan(1);
    expect(sink.commits.at(-1)).toBe(count);
    const sent = sink.sends.flat().flatMap((entry) => entry.records);
    expect(sent.map((record) => Number(record.value?.toString()))).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
    expect(fake.resolved.at(-1)).toBe(count - 1);
  });

  it('after handleBatch rejects, commits the records it reported and pauses at the next one', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b'), message(2, 'c'), message(3, 'd')]);
    const sink = fakeSink(false);
    const refuse = (): Promise<void> => Promise.reject(new Error('handle must not be called'));
    const { task: t, pauses } = task(fake.payload, sink, refuse, {
      handleBatch: async (batch) => {
        for (const record of batch.records) {
          await batch.output(record).produce('out', [out(`copy of ${record.offset}`)]);
          if (record.offset === 2) throw new Error('registry away');
          batch.handled(record);
        }
      },
    });
    running.push(pauses);
    expect(await t.run(undefined, () => false)).toBe(false);
    const sent = sink.sends.flat().flatMap((entry) => entry.records);
    expect(sent.map((record) => record.value?.toString())).toEqual(['copy of 0', 'copy of 1']);
    expect(sink.commits).toEqual([2]);
    expect(fake.resolved).toEqual([1]);
    expect(fake.paused).toBe(1);
  });

  it('sends the outputs of a whole batch in one send, then moves the offset past it', async () => {
    const fake = fakePayload([message(5, 'a'), message(6, 'b'), message(7, 'c')]);
    const sink = fakeSink(false);
    const { task: t } = task(fake.payload, sink, (record, output) =>
      output.produce('out', [out(`copy of ${record.offset}`)]),
    );
    expect(await t.run(undefined, () => false)).toBe(true);
    expect(sink.sends).toHaveLength(1);
    expect(sink.sends[0]?.map((entry) => entry.records[0]?.value?.toString())).toEqual([
      'copy of 5',
      'copy of 6',
      'copy of 7',
    ]);
    expect(sink.commits).toEqual([8]);
    expect(fake.resolved).toEqual([7]);
  });

  it('resolves no offset when the outputs cannot be sent, rolls back and pauses the partition', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b')]);
    const sink = fakeSink(true, true);
    const onRollback = jest.fn();
    const { task: t, pauses } = task(
      fake.payload,
      sink,
      (_record, output) => output.produce('out', [out('x')]),
      { onRollback },
    );
    running.push(pauses);
    expect(await t.run(undefined, () => false)).toBe(false);
    expect(fake.resolved).toEqual([]);
    expect(sink.aborts).toBe(1);
    expect(onRollback).toHaveBeenCalledWith([target]);
    expect(fake.paused).toBe(1);
  });

  it('commits what came before a failing record and drops the failed attempt’s outputs', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    const sink = fakeSink(true);
    const { task: t, pauses } = task(fake.payload, sink, async (record, output) => {
      await output.produce('out', [out(`copy of ${record.offset}`)]);
      if (record.offset === 1) throw new Error('handler failed');
    });
    running.push(pauses);
    expect(await t.run(undefined, () => false)).toBe(false);
    expect(sink.sends.flat().map((e) => e.records[0]?.value?.toString())).toEqual(['copy of 0']);
    expect(sink.commits).toEqual([1]);
    expect(fake.resolved).toEqual([0]);
    expect(fake.paused).toBe(1);
  });

  it('aborts the transaction when a failed record’s flushed output is already in it', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b')]);
    const sink = fakeSink(true);
    const onRollback = jest.fn();
    const { task: t, pauses } = task(
      fake.payload,
      sink,
      async (record, output) => {
        await output.produce('out', [out(`copy of ${record.offset}`)], { flush: true });
        if (record.offset === 1) throw new Error('handler failed after a flushed publish');
      },
      { onRollback },
    );
    running.push(pauses);
    expect(await t.run(undefined, () => false)).toBe(false);
    expect(sink.commits).toEqual([]);
    expect(sink.aborts).toBe(1);
    expect(onRollback).toHaveBeenCalled();
    expect(fake.resolved).toEqual([]);
  });

  it.each([1, 2])(
    'aborts the transaction when the batch’s first record fails after a flushed publish (concurrency %i)',
    async (concurrency) => {
      // Nothing before it to commit: the batch ends without a commit, and the open transaction
      // (which holds the shared producer on @platformatic/kafka) must not outlive it.
      const fake = fakePayload([message(0, 'a')]);
      const sink = fakeSink(true);
      const { task: t, pauses } = task(
        fake.payload,
        sink,
        async (record, output) => {
          await output.produce('out', [out(`copy of ${record.offset}`)], { flush: true });
          throw new Error('handler failed after a flushed publish');
        },
        { concurrency, backoffMs: 1 },
      );
      running.push(pauses);
      const halted = { now: false };
      // With concurrency the record is retried in place: stop the batch after its first failure.
      const run = t.run(undefined, () => halted.now);
      await waitFor(() => sink.sends.length >= 1, 'the flushed publish');
      halted.now = true;
      expect(await run).toBe(false);
      expect(sink.commits).toEqual([]);
      expect(sink.aborts).toBe(1);
      expect(fake.resolved).toEqual([]);
    },
  );

  it('with concurrency (KeyedPartitionTask), overlaps different keys but never two records of one key', async () => {
    const keys = ['a', 'b', 'a', 'c', 'b', 'a'];
    const fake = fakePayload(keys.map((key, offset) => message(offset, key)));
    const sink = fakeSink(false);
    const active = new Set<string>();
    let maxActive = 0;
    const order = new Map<string, number[]>();
    const releases: (() => void)[] = [];
    const { task: t } = task(
      fake.payload,
      sink,
      async (record) => {
        const key = record.key?.toString() ?? '';
        expect(active.has(key)).toBe(false);
        active.add(key);
        maxActive = Math.max(maxActive, active.size);
        order.set(key, [...(order.get(key) ?? []), record.offset]);
        await new Promise<void>((resolve) => releases.push(resolve));
        active.delete(key);
      },
      { concurrency: 4 },
    );
    const done = t.run(undefined, () => false);
    // Release handlers as they queue up, until the batch completes.
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.splice(0).forEach((release) => release());
    }
    expect(await done).toBe(true);
    expect(maxActive).toBe(3);
    expect(order.get('a')).toEqual([0, 2, 5]);
    expect(order.get('b')).toEqual([1, 4]);
    expect(fake.resolved.at(-1)).toBe(5);
  });
  it('with concurrency, commits below the lowest unfinished record and holds later outputs back', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    const sink = fakeSink(false);
    let releaseB = (): void => undefined;
    let bRunning = false;
    const { task: t } = task(
      fake.payload,
      sink,
      async (record, output) => {
        if (record.offset === 1) {
          bRunning = true;
          await new Promise<void>((resolve) => (releaseB = resolve));
        }
        await output.produce('out', [out(`from-${record.offset}`)]);
      },
      { concurrency: 3 },
    );
    const sent = (): string[] =>
      sink.sends.flat().flatMap((entry) => entry.records.map((r) => String(r.value)));
    const done = t.run(undefined, () => false);
    try {
      // a and c finish while b runs: a is committed with its output; c's output waits for b.
      await waitFor(() => bRunning && sink.commits.length > 0, 'a commit while b runs');
      expect(sink.commits).toEqual([1]);
      expect(sent()).toEqual(['from-0']);
    } finally {
      // Also when an expectation failed: the task must end, or it keeps Jest alive.
      releaseB();
    }
    expect(await done).toBe(true);
    expect(sink.commits).toEqual([1, 3]);
    expect(sent()).toEqual(['from-0', 'from-2', 'from-1']);
  });

  it('with concurrency, retries a failing record in place while other keys go on', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b'), message(2, 'a'), message(3, 'b')]);
    const sink = fakeSink(false);
    const handled: number[] = [];
    let failures = 2;
    const { task: t } = task(
      fake.payload,
      sink,
      async (record, output) => {
        handled.push(record.offset);
        await output.produce('out', [out(`from-${record.offset}`)]);
        if (record.offset === 0 && failures-- > 0) throw new Error('not yet');
      },
      { concurrency: 2, backoffMs: 20 },
    );
    expect(await t.run(undefined, () => false)).toBe(true);
    expect(handled.filter((offset) => offset === 0)).toHaveLength(3);
    // b's records did not wait for a's retries; a's second record waited for its first.
    expect(handled.indexOf(3)).toBeLessThan(handled.lastIndexOf(0));
    expect(handled.lastIndexOf(0)).toBeLessThan(handled.indexOf(2));
    const sent = sink.sends.flat().flatMap((entry) => entry.records.map((r) => String(r.value)));
    // The failed attempts' outputs were dropped: one output per record.
    expect([...sent].sort()).toEqual(['from-0', 'from-1', 'from-2', 'from-3']);
    expect(fake.resolved.at(-1)).toBe(3);
  });

  it('with concurrency and a transaction, commits only when no handler runs', async () => {
    const fake = fakePayload([message(0, 'a'), message(1, 'b')]);
    const sink = fakeSink(true);
    let releaseB = (): void => undefined;
    let bRunning = false;
    const { task: t } = task(
      fake.payload,
      sink,
      async (record, output) => {
        if (record.offset === 1) {
          bRunning = true;
          await new Promise<void>((resolve) => (releaseB = resolve));
        }
        await output.produce('out', [out(`from-${record.offset}`)], { flush: true });
      },
      { concurrency: 2 },
    );
    const done = t.run(undefined, () => false);
    try {
      await waitFor(() => bRunning, 'b running');
      const seen = fake.heartbeats;
      await waitFor(() => fake.heartbeats >= seen + 2, 'two more heartbeats');
      // a is done and sent into the transaction (flush), but b still runs: no commit yet.
      expect(sink.commits).toEqual([]);
    } finally {
      releaseB();
    }
    expect(await done).toBe(true);
    expect(sink.commits).toEqual([2]);
  });
});
