import type { Consumer, RecordsBatch } from '@platformatic/kafka';

import { SilentLogger } from '../../logging/silent-logger';
import type { FetchedBatch } from '../fetched-batch';
import type { TopicPartition } from '../transport';
import { PartitionPositions } from './partition-positions';
import { type FetchLoopHost, PlatformaticFetchLoop } from './platformatic-fetch-loop';

type FetchOptions = Parameters<Consumer['fetch']>[0];
type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

const TOPIC = 't';
const TOPIC_ID = 'topic-id-t';
const P0: TopicPartition = { topic: TOPIC, partition: 0 };

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Records at `offsets` of partition 0, as one record batch of a fetch response. */
function response(offsets: readonly number[]): FetchResponse {
  const first = offsets[0] ?? 0;
  const batch: RecordsBatch = {
    firstOffset: BigInt(first),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: 0,
    lastOffsetDelta: (offsets[offsets.length - 1] ?? first) - first,
    firstTimestamp: 0n,
    maxTimestamp: 0n,
    producerId: -1n,
    producerEpoch: -1,
    firstSequence: -1,
    records: offsets.map((offset) => ({
      length: 0,
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: offset - first,
      key: Buffer.from(`k${offset}`),
      value: Buffer.from(`v${offset}`),
      headers: [],
    })),
  };
  const records = offsets.length === 0 ? [] : [batch];
  return {
    responses: [{ topicId: TOPIC_ID, partitions: [{ partitionIndex: 0, records }] }],
  } as unknown as FetchResponse;
}

/** A consumer whose fetches the test answers one by one. */
class ScriptedConsumer {
  readonly fetches: { options: FetchOptions; answer: Deferred<FetchResponse> }[] = [];
  #asked: (() => void) | undefined;

  metadata(): Promise<unknown> {
    const partitions = [{ leader: 1, leaderEpoch: 0 }];
    return Promise.resolve({ topics: new Map([[TOPIC, { id: TOPIC_ID, partitions }]]) });
  }

  fetch(options: FetchOptions): Promise<FetchResponse> {
    const answer = deferred<FetchResponse>();
    this.fetches.push({ options, answer });
    this.#asked?.();
    return answer.promise;
  }

  clearMetadata(): void {}

  /** Resolves once the consumer was asked for its `count`-th fetch. */
  async asked(count: number): Promise<{ options: FetchOptions; answer: Deferred<FetchResponse> }> {
    while (this.fetches.length < count) {
      await new Promise<void>((resolve) => (this.#asked = resolve));
    }
    const fetch = this.fetches[count - 1];
    if (fetch === undefined) throw new Error(`fetch ${count} was not sent`);
    return fetch;
  }
}

function fetchOffset(options: FetchOptions): bigint | undefined {
  return options.topics[0]?.partitions[0]?.fetchOffset;
}

/** What the record path did with each batch: the offsets it got and how far it resolved. */
interface RunCall {
  readonly offsets: number[];
  readonly batch: FetchedBatch;
  readonly done: Deferred<void>;
}

function setUp() {
  const consumer = new ScriptedConsumer();
  const positions = new PartitionPositions();
  positions.start(P0, 0n, undefined);
  const runs: RunCall[] = [];
  let ran: (() => void) | undefined;
  let stopping = false;
  let generation = 1;
  const host: FetchLoopHost = {
    consumer: consumer as unknown as Consumer,
    positions,
    offsetReset: 'earliest',
    maxWaitTimeMs: 500,
    concurrency: 1,
    logger: new SilentLogger(),
    onPosition: undefined,
    stopping: () => stopping,
    halted: () => stopping,
    assignment: () => [P0],
    generation: () => generation,
    assigned: () => Promise.resolve(),
    waiting: () => false,
    commit: () => Promise.resolve(),
    run: (batch) => {
      const call: RunCall = {
        offsets: batch.batch.messages.map((message) => Number(message.offset)),
        batch,
        done: deferred<void>(),
      };
      runs.push(call);
      ran?.();
      return call.done.promise;
    },
  };
  const loop = new PlatformaticFetchLoop(host);
  const ranBatch = async (count: number): Promise<RunCall> => {
    while (runs.length < count) await new Promise<void>((resolve) => (ran = resolve));
    const run = runs[count - 1];
    if (run === undefined) throw new Error(`batch ${count} did not run`);
    return run;
  };
  const stop = async (): Promise<void> => {
    stopping = true;
    loop.wake();
    for (const { answer } of consumer.fetches) answer.resolve(response([]));
    for (const { done } of runs) done.resolve();
    await loop.finished();
  };
  return {
    consumer,
    loop,
    runs,
    ranBatch,
    stop,
    newGeneration: () => generation++,
  };
}

/** Resolves every record of the batch (what the record path does once all were handled). */
function finish(run: RunCall): void {
  run.batch.resolveOffset(run.batch.batch.lastOffset());
  run.done.resolve();
}

describe('PlatformaticFetchLoop', () => {
  it("asks for the next records while a round's batches run, without waiting at the broker", async () => {
    const { consumer, loop, ranBatch, stop } = setUp();
    loop.start();
    try {
      const first = await consumer.asked(1);
      expect(first.options.maxWaitTime).toBe(500);
      first.answer.resolve(response([0, 1, 2]));
      const run = await ranBatch(1);
      expect(run.offsets).toEqual([0, 1, 2]);

      // The batch is still running: the read-ahead is already out, from after its last record.
      const ahead = await consumer.asked(2);
      expect(fetchOffset(ahead.options)).toBe(3n);
      expect(ahead.options.maxWaitTime).toBe(0);
      ahead.answer.resolve(response([3, 4]));
      finish(run);

      expect((await ranBatch(2)).offsets).toEqual([3, 4]);
    } finally {
      await stop();
    }
  });

  it('drops the read-ahead of a partition whose batch stopped short, and fetches it again from there', async () => {
    const { consumer, loop, ranBatch, stop } = setUp();
    loop.start();
    try {
      (await consumer.asked(1)).answer.resolve(response([0, 1, 2]));
      const run = await ranBatch(1);
      (await consumer.asked(2)).answer.resolve(response([3, 4]));
      // Only offset 0 was handled (a failure left 1 for redelivery).
      run.batch.resolveOffset('0');
      run.done.resolve();

      const again = await consumer.asked(3);
      expect(fetchOffset(again.options)).toBe(1n);
      expect(again.options.maxWaitTime).toBe(500);
      again.answer.resolve(response([1, 2, 3, 4]));
      expect((await ranBatch(2)).offsets).toEqual([1, 2, 3, 4]);
    } finally {
      await stop();
    }
  });

  it('drops a read-ahead sent before the assignment changed', async () => {
    const { consumer, loop, ranBatch, stop, newGeneration } = setUp();
    loop.start();
    try {
      (await consumer.asked(1)).answer.resolve(response([0, 1, 2]));
      const run = await ranBatch(1);
      (await consumer.asked(2)).answer.resolve(response([3, 4]));
      newGeneration();
      finish(run);

      const again = await consumer.asked(3);
      expect(fetchOffset(again.options)).toBe(3n);
      again.answer.resolve(response([3, 4, 5]));
      expect((await ranBatch(2)).offsets).toEqual([3, 4, 5]);
    } finally {
      await stop();
    }
  });

  it('fetches as usual when a read-ahead failed', async () => {
    const { consumer, loop, ranBatch, stop } = setUp();
    loop.start();
    try {
      (await consumer.asked(1)).answer.resolve(response([0, 1, 2]));
      const run = await ranBatch(1);
      (await consumer.asked(2)).answer.reject(new Error('connection closed'));
      finish(run);

      const again = await consumer.asked(3);
      expect(fetchOffset(again.options)).toBe(3n);
      again.answer.resolve(response([3]));
      expect((await ranBatch(2)).offsets).toEqual([3]);
    } finally {
      await stop();
    }
  });

  it('reads no further ahead once a read-ahead came back empty', async () => {
    const { consumer, loop, ranBatch, stop } = setUp();
    loop.start();
    try {
      (await consumer.asked(1)).answer.resolve(response([0]));
      finish(await ranBatch(1));
      (await consumer.asked(2)).answer.resolve(response([]));

      // Caught up: the next fetch waits at the broker for records again.
      const next = await consumer.asked(3);
      expect(fetchOffset(next.options)).toBe(1n);
      expect(next.options.maxWaitTime).toBe(500);
    } finally {
      await stop();
    }
  });
});
