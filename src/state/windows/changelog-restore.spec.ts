import { ChangelogRestoreError } from '../../errors/changelog-restore-error';
import { ErrorCodes } from '../../errors/error-codes';
import type { WindowSpec } from '../../model/windows/window-spec';
import { hopping, session, tumbling } from '../../model/windows/window-spec';
import type { AggregatorRecord } from './aggregator-records';
import type { ChangelogEntry } from './changelog-entry';
import type { JoinRecord } from './join-records';
import { WindowJoin } from './window-join';
import { WindowedAggregator } from './windowed-aggregator';

/** mulberry32: a tiny seeded generator, so every run sees the same "random" records. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Op =
  | {
      readonly kind: 'add';
      readonly side: 'left' | 'right';
      readonly key: string;
      readonly value: number;
      readonly ts: number;
    }
  | { readonly kind: 'advance'; readonly to: number };

/** Mostly ascending event times over four keys, some records out of order, some far too late. */
function operations(seed: number, count: number): Op[] {
  const random = seeded(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const ops: Op[] = [];
  let clock = 1_000;
  for (let i = 0; i < count; i += 1) {
    if (random() < 0.04) {
      clock += pick(60);
      ops.push({ kind: 'advance', to: clock });
      continue;
    }
    clock += pick(12);
    const roll = random();
    const lag = roll < 0.04 ? pick(300) : roll < 0.25 ? pick(90) : 0;
    ops.push({
      kind: 'add',
      side: random() < 0.5 ? 'left' : 'right',
      key: 'abcd'[pick(4)],
      value: pick(100),
      ts: Math.max(0, clock - lag),
    });
  }
  return ops;
}

/** What the property needs from an engine: apply an operation, and the changelog contract. */
interface Engine {
  apply(op: Op): unknown;
  snapshotChanges(): ChangelogEntry<unknown>[];
  restore(entries: ChangelogEntry<unknown>[]): void;
  readonly lateCount: number;
}

interface Trail {
  readonly count: number;
  readonly items: number[];
}

function aggregatorEngine(window: WindowSpec, emit: 'update' | 'close'): Engine {
  const engine = new WindowedAggregator<string, number, Trail>({
    window,
    initial: () => ({ count: 0, items: [] }),
    aggregate: (acc, value) => ({ count: acc.count + 1, items: [...acc.items, value] }),
    merge: (a, b) => ({ count: a.count + b.count, items: [...a.items, ...b.items] }),
    emit,
  });
  return {
    apply: (op) =>
      op.kind === 'add' ? engine.add(op.key, op.value, op.ts) : engine.advanceTo(op.to),
    snapshotChanges: () => engine.snapshotChanges(),
    restore: (entries) =>
      engine.restore(entries as ChangelogEntry<AggregatorRecord<string, Trail>>[]),
    get lateCount() {
      return engine.lateCount;
    },
  };
}

function joinEngine(withinMs: number, graceMs: number): Engine {
  const engine = new WindowJoin<string, number, number, string>({
    withinMs,
    graceMs,
    join: (left, right, key) => `${key}:${left}+${right}`,
  });
  return {
    apply: (op) => {
      if (op.kind === 'advance') return engine.advanceTo(op.to);
      return op.side === 'left'
        ? engine.addLeft(op.key, op.value, op.ts)
        : engine.addRight(op.key, op.value, op.ts);
    },
    snapshotChanges: () => engine.snapshotChanges(),
    restore: (entries) =>
      engine.restore(entries as ChangelogEntry<JoinRecord<string, number, number>>[]),
    get lateCount() {
      return engine.lateCount;
    },
  };
}

/** A changelog topic: every entry in order (as JSON, so nothing is shared by reference), and its compaction. */
class Changelog {
  readonly all: ChangelogEntry<unknown>[] = [];

  append(entries: readonly ChangelogEntry<unknown>[]): void {
    for (const entry of entries)
      this.all.push(JSON.parse(JSON.stringify(entry)) as ChangelogEntry<unknown>);
  }

  compacted(): ChangelogEntry<unknown>[] {
    const latest = new Map<string, unknown>();
    for (const { id, value } of this.all) {
      latest.delete(id); // a compacted topic keeps the latest record, at its own position
      if (value !== null) latest.set(id, value);
    }
    return [...latest].map(([id, value]) => ({ id, value }));
  }
}

/**
 * Runs `ops` through one engine that never stops, and through engines that write their changes
 * to a changelog at random commit points and crash at random moments: each replacement restores
 * from the changelog (compacted or in full) and resumes at the last commit, replaying what came
 * after it. Every output, first run or replay, must equal the continuous engine's.
 */
function checkRestarts(make: () => Engine, seed: number) {
  const ops = operations(seed, 600);
  const continuous = make();
  const expected = ops.map((op) => continuous.apply(op));
  const random = seeded(seed ^ 0x5eed);
  const log = new Changelog();
  let engine = make();
  let committed = 0;
  let restarts = 0;
  let replayed = 0;
  for (let i = 0; i < ops.length;) {
    expect([i, engine.apply(ops[i])]).toEqual([i, expected[i]]);
    i += 1;
    if (random() < 0.15) {
      log.append(engine.snapshotChanges());
      committed = i;
    }
    if (random() < 0.04) {
      engine = make();
      engine.restore(random() < 0.5 ? log.compacted() : log.all);
      replayed += i - committed;
      restarts += 1;
      i = committed;
    }
  }
  log.append(engine.snapshotChanges());
  const final = new Changelog();
  final.append(continuous.snapshotChanges());
  expect(sortById(log.compacted())).toEqual(sortById(final.compacted()));
  return { restarts, replayed, late: continuous.lateCount, outputs: expected };
}

function sortById(entries: ChangelogEntry<unknown>[]): ChangelogEntry<unknown>[] {
  return [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface Outcome {
  readonly results: readonly { readonly replaced?: readonly unknown[] }[];
}

describe('restoring from the changelog', () => {
  const seeds = [1, 42, 2025];

  describe.each([
    ['tumbling, update', () => aggregatorEngine(tumbling(100, { graceMs: 30 }), 'update')],
    ['tumbling, close', () => aggregatorEngine(tumbling(100, { graceMs: 30 }), 'close')],
    ['hopping, update', () => aggregatorEngine(hopping(100, 40, { graceMs: 20 }), 'update')],
    ['hopping, close', () => aggregatorEngine(hopping(100, 40, { graceMs: 20 }), 'close')],
    ['session, update', () => aggregatorEngine(session(15, { graceMs: 40 }), 'update')],
    ['session, close', () => aggregatorEngine(session(15, { graceMs: 40 }), 'close')],
    ['join', () => joinEngine(20, 15)],
  ])('%s', (_label, make) => {
    it.each(seeds)('reproduces the outputs of an engine that never stopped (seed %i)', (seed) => {
      const run = checkRestarts(make, seed);
      // The property only means something if the sequence crashed, replayed and was late at times.
      expect(run.restarts).toBeGreaterThanOrEqual(3);
      expect(run.replayed).toBeGreaterThan(0);
      expect(run.late).toBeGreaterThan(0);
      expect(
        run.outputs.some((o) =>
          Array.isArray(o) ? o.length > 0 : (o as Outcome).results.length > 0,
        ),
      ).toBe(true);
    });
  });

  it('exercises session merges that replace two sessions at once', () => {
    const { outputs } = checkRestarts(
      () => aggregatorEngine(session(15, { graceMs: 40 }), 'update'),
      42,
    );
    const bridged = outputs.filter(
      (o) =>
        !Array.isArray(o) && (o as Outcome).results.some((r) => (r.replaced?.length ?? 0) >= 2),
    );
    expect(bridged.length).toBeGreaterThan(0);
  });
});

describe('restore', () => {
  function totals(window: WindowSpec = tumbling(100), emit: 'update' | 'close' = 'update') {
    return new WindowedAggregator<string, number, number>({
      window,
      initial: () => 0,
      aggregate: (sum, value) => sum + value,
      merge: (a, b) => a + b,
      emit,
      name: 'totals',
    });
  }

  function restoreError(restore: () => void): ChangelogRestoreError {
    try {
      restore();
    } catch (error) {
      if (error instanceof ChangelogRestoreError) return error;
      throw error;
    }
    throw new Error('expected a ChangelogRestoreError');
  }

  const window = (key: string, start: number, end: number, aggregate: number) => ({
    id: `${key}@${start}-${end}`,
    value: { type: 'window' as const, key, start, end, aggregate },
  });
  const clock = (streamTime: number) => ({
    id: '~stream-time',
    value: { type: 'stream-time' as const, streamTime },
  });

  it('applies entries in log order: later values win and tombstones delete', () => {
    const engine = totals(tumbling(100, { graceMs: 100 }));
    engine.restore([
      window('a', 0, 100, 1),
      window('b', 0, 100, 2),
      clock(50),
      window('a', 0, 100, 5),
      { id: 'b@0-100', value: null },
    ]);
    expect(engine.size).toBe(1);
    expect(engine.streamTime).toBe(50);
    expect(engine.add('a', 1, 60).results).toMatchObject([{ key: 'a', aggregate: 6 }]);
    expect(engine.add('b', 1, 60).results).toMatchObject([{ key: 'b', aggregate: 1 }]);
  });

  it('closes on the next call the windows it restored already closed (a changelog cut mid-write)', () => {
    const engine = totals(tumbling(100), 'close');
    engine.restore([window('a', 0, 100, 7), clock(250)]);
    expect(engine.advanceTo(0)).toEqual([
      { key: 'a', window: { start: 0, end: 100 }, aggregate: 7, replaced: [], final: true },
    ]);
    expect(engine.snapshotChanges()).toEqual([{ id: 'a@0-100', value: null }]);
  });

  it('refuses windows without a stream time: entries of another partition, or a lost entry', () => {
    const error = restoreError(() => totals().restore([window('a', 0, 100, 1)]));
    expect(error.code).toBe(ErrorCodes.CHANGELOG_RESTORE);
    expect(error.message).toBe(
      'Cannot restore WindowedAggregator "totals" from its changelog: it holds windows but no "~stream-time" entry. Each input partition\'s aggregator must write its changelog to (and restore from) that same changelog partition only.',
    );
  });

  it('refuses windows written with other window options, and says how to start over', () => {
    const error = restoreError(() =>
      totals(tumbling(50)).restore([window('a', 0, 100, 1), clock(10)]),
    );
    expect(error.message).toContain(
      'entry "a@0-100" is 100 ms long, but the windows are 50 ms: the window options changed since it was written. Keep the old options, or start this aggregation from an empty changelog',
    );
    expect(
      restoreError(() => totals(hopping(100, 50)).restore([window('a', 25, 125, 1), clock(10)]))
        .message,
    ).toContain('starts at 25, not a multiple of the 50 ms advance');
  });

  it.each([
    [
      'an id that does not match the window',
      { id: 'x', value: window('a', 0, 100, 1).value },
      'entry "x" holds window a@0-100',
    ],
    [
      'an unknown type',
      { id: 'a@0-100', value: { type: 'row' } },
      'entry "a@0-100" has unknown type "row"',
    ],
    ['a value that is no object', { id: 'a@0-100', value: 3 }, 'entry "a@0-100" is not an object'],
    [
      'a bad stream time',
      { id: '~stream-time', value: { type: 'stream-time', streamTime: -1 } },
      'has no valid streamTime',
    ],
    [
      'a window without an aggregate',
      { id: 'a@0-100', value: { type: 'window', key: 'a', start: 0, end: 100 } },
      'has no aggregate',
    ],
  ])('refuses %s', (_label, entry, text) => {
    const error = restoreError(() =>
      totals().restore([clock(1), entry as ChangelogEntry<AggregatorRecord<string, number>>]),
    );
    expect(error.message).toContain(text);
  });

  it('changes nothing when it refuses', () => {
    const engine = totals();
    engine.add('a', 3, 10);
    restoreError(() =>
      engine.restore([{ id: 'a@0-100', value: null }, window('b', 0, 10, 1), clock(5)]),
    );
    expect(engine.size).toBe(1);
    expect(engine.streamTime).toBe(10);
    expect(engine.add('a', 1, 20).results).toMatchObject([{ aggregate: 4 }]);
  });

  it('restores a join and refuses a join changelog without its stream time', () => {
    const join = new WindowJoin<string, string, string, string>({
      withinMs: 10,
      join: (l, r) => l + r,
      name: 'emails',
    });
    join.addLeft('k', 'L', 100);
    const entries = join.snapshotChanges();
    const restored = new WindowJoin<string, string, string, string>({
      withinMs: 10,
      join: (l, r) => l + r,
    });
    restored.restore(entries);
    expect(restored.addRight('k', 'R', 105).results).toEqual([
      { key: 'k', value: 'LR', timestamp: 105 },
    ]);
    expect(restored.snapshotChanges()).toEqual([
      {
        id: 'right:k@105#1',
        value: { type: 'right', key: 'k', timestamp: 105, seq: 1, value: 'R' },
      },
      { id: '~stream-time', value: { type: 'stream-time', streamTime: 105, nextSeq: 2 } },
    ]);
    const error = restoreError(() => join.restore(entries.filter((e) => e.id !== '~stream-time')));
    expect(error.message).toContain(
      'Cannot restore WindowJoin "emails" from its changelog: it holds buffered records but no "~stream-time" entry.',
    );
    expect(
      restoreError(() =>
        join.restore([
          { id: 'left:k@1#0', value: { type: 'left', key: 'k', timestamp: 2, seq: 0, value: 'L' } },
        ]),
      ).message,
    ).toContain('entry "left:k@1#0" holds left:k@2#0');
  });
});
