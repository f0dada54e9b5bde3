import { SilentLogger } from '../logging/silent-logger';
import { ActivityCounter } from './activity-counter';
import type { FetchedBatch, FetchedMessage } from './fetched-batch';
import { partitionKey } from './partition-key';
import { runReaderBatch } from './reader-batch';
import { RedeliveryPauses } from './redelivery-pauses';
import type { DeliveredRecord } from './transport';

function message(offset: number): FetchedMessage {
  return {
    offset: String(offset),
    key: Buffer.from(`k${offset}`),
    value: Buffer.from(`v${offset}`),
    headers: { 'sw-producer': Buffer.from('writer') },
    timestamp: String(1_000 + offset),
  };
}

interface FakeBatch {
  readonly payload: FetchedBatch;
  readonly staleChecks: () => number;
  readonly pauses: () => number;
  readonly heartbeats: () => number;
}

function fakeBatch(offsets: number[], state: { stale?: boolean } = {}): FakeBatch {
  const messages = offsets.map(message);
  let staleChecks = 0;
  let pauses = 0;
  let heartbeats = 0;
  const payload: FetchedBatch = {
    batch: {
      topic: 'levels',
      partition: 3,
      messages,
      firstOffset: () => (messages[0] === undefined ? null : String(messages[0].offset)),
      lastOffset: () => String(messages[messages.length - 1]?.offset ?? '-1'),
    },
    resolveOffset: () => undefined,
    heartbeat: () => {
      heartbeats++;
      return Promise.resolve();
    },
    isRunning: () => true,
    isStale: () => {
      staleChecks++;
      return state.stale === true;
    },
    pause: () => {
      pauses++;
      return () => undefined;
    },
    uncommittedOffsets: () => ({ topics: [] }),
    commitOffsetsIfNecessary: () => Promise.resolve(),
  };
  return {
    payload,
    staleChecks: () => staleChecks,
    pauses: () => pauses,
    heartbeats: () => heartbeats,
  };
}

describe('runReaderBatch', () => {
  let redelivery: RedeliveryPauses;
  let handlers: ActivityCounter;
  beforeEach(() => {
    redelivery = new RedeliveryPauses({ initialMs: 1_000, maxMs: 1_000 }, new SilentLogger());
    handlers = new ActivityCounter();
  });
  afterEach(() => redelivery.cancelTimers());

  const deps = (readBatch: (records: readonly DeliveredRecord[]) => Promise<void> | void) => ({
    readBatch,
    handlers,
    pauses: redelivery,
    halted: () => false,
  });

  it('hands the whole batch over in one call, in offset order, checking staleness once', async () => {
    const fetched = fakeBatch([10, 11, 12, 13]);
    const calls: (readonly DeliveredRecord[])[] = [];
    const done = await runReaderBatch(
      fetched.payload,
      undefined,
      deps((r) => void calls.push(r)),
    );

    expect(done).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.map((record) => record.offset)).toEqual([10, 11, 12, 13]);
    expect(calls[0]?.[1]).toMatchObject({
      topic: 'levels',
      partition: 3,
      offset: 11,
      key: Buffer.from('k11'),
      value: Buffer.from('v11'),
      headers: { 'sw-producer': 'writer' },
      timestamp: 1_011,
    });
    expect(fetched.staleChecks()).toBe(1);
    expect(fetched.heartbeats()).toBe(1);
  });

  it('leaves out the records below the floor, and calls nothing when none is left', async () => {
    const calls: number[][] = [];
    const handle = deps((records) => void calls.push(records.map((record) => record.offset)));

    expect(await runReaderBatch(fakeBatch([10, 11, 12]).payload, 12, handle)).toBe(true);
    expect(await runReaderBatch(fakeBatch([10, 11]).payload, 12, handle)).toBe(true);
    expect(calls).toEqual([[12]]);
  });

  it('pauses the partition when the reader rejects: nothing done, delivered again from its first record', async () => {
    const fetched = fakeBatch([20, 21]);
    const done = await runReaderBatch(
      fetched.payload,
      undefined,
      deps(() => Promise.reject(new Error('registry down'))),
    );

    expect(done).toBe(false);
    expect(fetched.pauses()).toBe(1);
    expect(
      redelivery.backingOff(
        partitionKey({ topic: 'levels', partition: 3 }),
        fakeBatch([20]).payload,
      ),
    ).toBe(true);
    expect(handlers.count).toBe(0);
  });

  it('hands nothing over from a stale batch or once halted', async () => {
    const calls: unknown[] = [];
    const handle = deps((records) => void calls.push(records));

    expect(await runReaderBatch(fakeBatch([1], { stale: true }).payload, undefined, handle)).toBe(
      false,
    );
    expect(
      await runReaderBatch(fakeBatch([1]).payload, undefined, { ...handle, halted: () => true }),
    ).toBe(false);
    expect(calls).toEqual([]);
  });

  it('counts the call as running work until the reader settles', async () => {
    let release!: () => void;
    const running = runReaderBatch(
      fakeBatch([5]).payload,
      undefined,
      deps(() => new Promise<void>((resolve) => (release = resolve))),
    );
    await Promise.resolve();
    expect(handlers.count).toBe(1);
    release();
    expect(await running).toBe(true);
    expect(handlers.count).toBe(0);
  });
});
