import type { CommitOffsets } from '../fetched-batch';
import { type BatchContext, PartitionPositions } from './partition-positions';

const target = { topic: 't', partition: 1 };
const message = (offset: number) => ({
  offset: String(offset),
  key: null,
  value: null,
  timestamp: '0',
});

function context(overrides: Partial<BatchContext> = {}) {
  const commits: CommitOffsets[] = [];
  let wakes = 0;
  const made: BatchContext = {
    running: () => true,
    generation: 1,
    currentGeneration: () => 1,
    commit: (offsets) => {
      commits.push(offsets);
      return Promise.resolve();
    },
    wake: () => {
      wakes++;
    },
    ...overrides,
  };
  return { made, commits, wakes: () => wakes };
}

describe('PartitionPositions', () => {
  it('fetches again from the last resolved offset and commits only what moved', async () => {
    const positions = new PartitionPositions();
    positions.start(target, 10n, 10n);
    const { made, commits } = context();
    const batch = positions.batch(target, [message(10), message(11), message(12)], 12n, made);
    expect(batch.batch.firstOffset()).toBe('10');
    expect(batch.batch.lastOffset()).toBe('12');
    expect(positions.uncommitted()).toEqual({ topics: [] });

    batch.resolveOffset('11');
    expect(positions.fetchable(target)).toBe(12n);
    const offsets = batch.uncommittedOffsets();
    expect(offsets).toEqual({
      topics: [{ topic: 't', partitions: [{ partition: 1, offset: '12' }] }],
    });
    await batch.commitOffsetsIfNecessary(offsets);
    expect(commits).toEqual([offsets]);
    expect(positions.uncommitted()).toEqual({ topics: [] });
  });

  it('makes a batch stale on seek and ignores its later resolves', () => {
    const positions = new PartitionPositions();
    positions.start(target, 10n, undefined);
    const batch = positions.batch(target, [message(10)], 10n, context().made);
    expect(batch.isStale()).toBe(false);
    positions.seek(target, 3);
    expect(batch.isStale()).toBe(true);
    batch.resolveOffset('10');
    expect(positions.fetchable(target)).toBe(3n);
  });

  it('makes a batch stale when the assignment generation changes', () => {
    const positions = new PartitionPositions();
    positions.start(target, 0n, undefined);
    let generation = 1;
    const batch = positions.batch(
      target,
      [message(0)],
      0n,
      context({ currentGeneration: () => generation }).made,
    );
    generation = 2;
    expect(batch.isStale()).toBe(true);
  });

  it('commits what a batch that outlived its assignment resolved, for that assignment', async () => {
    const positions = new PartitionPositions();
    positions.start(target, 0n, 0n);
    let generation = 1;
    const { made, commits } = context({ currentGeneration: () => generation });
    const batch = positions.batch(target, [message(0), message(1)], 1n, made);
    // The client re-joined while the batch ran: a new assignment, its positions not read yet.
    generation = 2;
    positions.clear();
    batch.resolveOffset('1');
    const offsets = batch.uncommittedOffsets();
    expect(offsets).toEqual({
      topics: [{ topic: 't', partitions: [{ partition: 1, offset: '2' }] }],
    });
    await batch.commitOffsetsIfNecessary(offsets);
    expect(commits).toEqual([offsets]);
    expect(batch.uncommittedOffsets()).toEqual({ topics: [] });
    // The new assignment starts from the committed offsets, read after the batch ended.
    expect(positions.has(target)).toBe(false);
    expect(positions.uncommitted()).toEqual({ topics: [] });
  });

  it('skips a paused partition until resumed, and wakes the fetch loop on resume', () => {
    const positions = new PartitionPositions();
    positions.start(target, 5n, undefined);
    const { made, wakes } = context();
    const resume = positions.batch(target, [message(5)], 5n, made).pause();
    expect(positions.fetchable(target)).toBeUndefined();
    resume();
    expect(positions.fetchable(target)).toBe(5n);
    expect(wakes()).toBe(1);
  });

  it('moves past transaction markers without going back', () => {
    const positions = new PartitionPositions();
    positions.start(target, 7n, undefined);
    positions.advance(target, 9n);
    positions.advance(target, 8n);
    expect(positions.next(target)).toBe(9n);
  });
});
