import type { EachBatchPayload, KafkaMessage } from 'kafkajs';

import { SilentLogger } from '../../logging/silent-logger';
import type { DeliveredRecord, OutgoingRecord, RecordOutput } from '../transport';
import { ActivityCounter } from './activity-counter';
import { BatchOutput, type OutputSink } from './batch-output';
import type { TopicRecords } from './kafka-records';
import { PartitionTask } from './partition-task';
import { RedeliveryPauses } from './redelivery-pauses';

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
}

function fakePayload(messages: KafkaMessage[]): FakePayload {
  const resolved: number[] = [];
  let paused = 0;
  const payload = {
    batch: {
      topic: target.topic,
      partition: target.partition,
      messages,
      firstOffset: () => messages[0]?.offset ?? null,
      lastOffset: () => messages[messages.length - 1]?.offset ?? '-1',
    },
    resolveOffset: (offset: string) => resolved.push(Number(offset)),
    heartbeat: () => Promise.resolve(),
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
  extra: { concurrency?: number; onRollback?: () => void; late?: TopicRecords[][] } = {},
): { task: PartitionTask; pauses: RedeliveryPauses } {
  const pauses = new RedeliveryPauses({ initialMs: 10_000, maxMs: 10_000 }, new SilentLogger());
  const late = extra.late ?? [];
  const sendLate = (entries: readonly TopicRecords[]): Promise<void> => {
    late.push([...entries]);
    return Promise.resolve();
  };
  return {
    pauses,
    task: new PartitionTask(target, payload, {
      output: new BatchOutput(sink, () => Promise.resolve(), {
        send: sendLate,
        logger: new SilentLogger(),
      }),
      handle,
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

  it('with concurrency, overlaps different keys but never two records of one key', async () => {
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
});
