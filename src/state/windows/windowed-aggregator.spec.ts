import { ErrorCodes } from '../../errors/error-codes';
import { InvalidEventTimeError } from '../../errors/invalid-event-time-error';
import { InvalidWindowError } from '../../errors/invalid-window-error';
import type { WindowSpec } from '../../model/windows/window-spec';
import { hopping, session, tumbling } from '../../model/windows/window-spec';
import { WindowedAggregator } from './windowed-aggregator';

/** Sums numbers per key. */
function summing(window: WindowSpec, emit: 'update' | 'close') {
  return new WindowedAggregator<string, number, number>({
    window,
    initial: () => 0,
    aggregate: (sum, value) => sum + value,
    merge: (a, b) => a + b,
    emit,
  });
}

/** [start, aggregate] of each result, the shape most assertions need. */
function sums(results: readonly { window: { start: number }; aggregate: number }[]) {
  return results.map((r) => [r.window.start, r.aggregate]);
}

describe('WindowedAggregator with emit "update"', () => {
  it('yields the new aggregate of the window a tumbling record lands in', () => {
    const totals = summing(tumbling(100), 'update');
    expect(totals.add('a', 5, 10)).toEqual({
      results: [
        { key: 'a', window: { start: 0, end: 100 }, aggregate: 5, replaced: [], final: false },
      ],
      late: false,
    });
    expect(sums(totals.add('a', 7, 99).results)).toEqual([[0, 12]]);
    expect(sums(totals.add('b', 1, 50).results)).toEqual([[0, 1]]);
  });

  it('puts a record at exactly a window end into the next window', () => {
    const totals = summing(tumbling(100), 'update');
    totals.add('a', 5, 99);
    expect(totals.add('a', 7, 100).results).toMatchObject([
      { window: { start: 100, end: 200 }, aggregate: 7 },
    ]);
  });

  it('updates every hopping window a record belongs to, earliest first', () => {
    const totals = summing(hopping(100, 25), 'update');
    expect(sums(totals.add('a', 1, 110).results)).toEqual([
      [25, 1],
      [50, 1],
      [75, 1],
      [100, 1],
    ]);
    expect(sums(totals.add('a', 10, 130).results)).toEqual([
      [50, 11],
      [75, 11],
      [100, 11],
      [125, 10],
    ]);
  });

  it('adds an out-of-order record inside the grace period to its own (earlier) window', () => {
    const totals = summing(tumbling(100, { graceMs: 20 }), 'update');
    totals.add('a', 1, 50);
    totals.add('a', 2, 110);
    expect(totals.add('a', 4, 90)).toMatchObject({
      results: [{ window: { start: 0, end: 100 }, aggregate: 5 }],
      late: false,
    });
  });

  it('accepts a record while stream time < end + grace, and counts it late from end + grace on', () => {
    const totals = summing(tumbling(100, { graceMs: 20 }), 'update');
    totals.add('a', 1, 50);
    totals.add('a', 1, 119);
    expect(totals.add('a', 1, 99)).toMatchObject({ late: false, results: [{ aggregate: 2 }] });
    totals.add('a', 1, 120);
    expect(totals.add('a', 1, 99)).toEqual({ results: [], late: true });
    expect(totals.add('a', 1, 0)).toEqual({ results: [], late: true });
    expect(totals.lateCount).toBe(2);
    expect(totals.streamTime).toBe(120);
  });

  it('still counts a hopping record in its open windows when its earliest ones have closed', () => {
    const totals = summing(hopping(100, 50), 'update');
    totals.add('a', 1, 160);
    // 120 belongs to [50, 150), closed at stream time 160, and to [100, 200), still open.
    expect(totals.add('a', 1, 120)).toMatchObject({
      results: [{ window: { start: 100, end: 200 }, aggregate: 2 }],
      late: false,
    });
    expect(totals.lateCount).toBe(0);
  });

  it('evicts a window once stream time reaches end + grace', () => {
    const totals = summing(tumbling(100, { graceMs: 20 }), 'update');
    totals.add('a', 1, 50);
    totals.add('b', 1, 60);
    totals.add('a', 1, 110);
    expect(totals.size).toBe(3);
    expect(totals.advanceTo(119)).toEqual([]);
    expect(totals.size).toBe(3);
    expect(totals.advanceTo(120)).toEqual([]); // evicted without a result: they were emitted as they changed
    expect(totals.size).toBe(1);
  });
});

describe('WindowedAggregator with emit "close"', () => {
  it('emits each window exactly once, when stream time reaches end + grace, in window-end order', () => {
    const totals = summing(tumbling(100, { graceMs: 10 }), 'close');
    expect(totals.add('b', 1, 20).results).toEqual([]);
    expect(totals.add('a', 2, 30).results).toEqual([]);
    expect(totals.add('a', 4, 105).results).toEqual([]);
    expect(totals.add('b', 8, 95).results).toEqual([]); // [0, 100) is in its grace period until 110
    expect(totals.add('a', 16, 150)).toEqual({
      results: [
        { key: 'a', window: { start: 0, end: 100 }, aggregate: 2, replaced: [], final: true },
        { key: 'b', window: { start: 0, end: 100 }, aggregate: 9, replaced: [], final: true },
      ],
      late: false,
    });
    expect(totals.add('b', 1, 99)).toEqual({ results: [], late: true });
    expect(totals.add('c', 1, 210).results).toEqual([
      { key: 'a', window: { start: 100, end: 200 }, aggregate: 20, replaced: [], final: true },
    ]);
    expect(totals.advanceTo(309)).toEqual([]);
    expect(totals.advanceTo(310)).toEqual([
      { key: 'c', window: { start: 200, end: 300 }, aggregate: 1, replaced: [], final: true },
    ]);
    expect(totals.advanceTo(1_000)).toEqual([]);
    expect(totals.size).toBe(0);
    expect(totals.lateCount).toBe(1);
  });

  it('orders hopping windows closing together by end, then key', () => {
    const totals = summing(hopping(100, 50), 'close');
    totals.add('b', 1, 60); // [0, 100) and [50, 150)
    totals.add('a', 1, 70);
    expect(totals.advanceTo(150).map((r) => [r.key, r.window.start, r.window.end])).toEqual([
      ['a', 0, 100],
      ['b', 0, 100],
      ['a', 50, 150],
      ['b', 50, 150],
    ]);
  });

  it('lets stream time only grow: advancing to an earlier time closes nothing more', () => {
    const totals = summing(tumbling(100), 'close');
    totals.add('a', 1, 50);
    totals.add('a', 1, 90);
    expect(totals.advanceTo(10)).toEqual([]);
    expect(totals.streamTime).toBe(90);
  });
});

describe('WindowedAggregator store changes', () => {
  it('reports the latest value per changed window and the stream time, once', () => {
    const totals = summing(tumbling(100, { graceMs: 50 }), 'update');
    totals.add('a', 1, 10);
    totals.add('a', 2, 20);
    totals.add('b', 4, 130);
    expect(totals.snapshotChanges()).toEqual([
      { id: 'a@0-100', value: { type: 'window', key: 'a', start: 0, end: 100, aggregate: 3 } },
      { id: '~stream-time', value: { type: 'stream-time', streamTime: 130 } },
      { id: 'b@100-200', value: { type: 'window', key: 'b', start: 100, end: 200, aggregate: 4 } },
    ]);
    expect(totals.snapshotChanges()).toEqual([]);
  });

  it('reports an evicted window as a deletion, unless it never reached the changelog', () => {
    const totals = summing(tumbling(100), 'update');
    totals.add('a', 1, 10);
    totals.snapshotChanges();
    totals.add('b', 1, 110); // evicts a@0-100
    totals.add('c', 1, 250); // creates c@200-300, evicts b@100-200: never reported, so no tombstone
    expect(totals.snapshotChanges()).toEqual([
      { id: '~stream-time', value: { type: 'stream-time', streamTime: 250 } },
      { id: 'a@0-100', value: null },
      { id: 'c@200-300', value: { type: 'window', key: 'c', start: 200, end: 300, aggregate: 1 } },
    ]);
  });
});

describe('WindowedAggregator input checks', () => {
  it('leaves everything as it was when the aggregate function throws', () => {
    let calls = 0;
    const totals = new WindowedAggregator<string, number, number>({
      window: hopping(100, 50),
      initial: () => 0,
      aggregate: (sum, value) => {
        calls += 1;
        if (value < 0 && calls % 2 === 0) throw new Error('boom');
        return sum + value;
      },
      emit: 'update',
    });
    totals.add('a', 1, 60);
    totals.snapshotChanges();
    expect(() => totals.add('a', -1, 300)).toThrow('boom'); // second window of the pair throws
    expect(totals.streamTime).toBe(60);
    expect(totals.snapshotChanges()).toEqual([]);
    expect(sums(totals.add('a', 1, 70).results)).toEqual([
      [0, 2],
      [50, 2],
    ]);
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects the event time %p', (timestamp) => {
    const totals = summing(tumbling(100), 'update');
    expect(() => totals.add('a', 1, timestamp)).toThrow(InvalidEventTimeError);
    expect(() => totals.advanceTo(timestamp)).toThrow(InvalidEventTimeError);
    expect(() => totals.add('a', 1, timestamp)).toThrow(
      `WindowedAggregator.add: ${String(timestamp)} is not an event time.`,
    );
  });

  it('asks for merge with session windows', () => {
    const build = () =>
      new WindowedAggregator<string, number, number>({
        window: session(100),
        initial: () => 0,
        aggregate: (sum, value) => sum + value,
        emit: 'update',
        name: 'fraud-totals',
      });
    expect(build).toThrow(InvalidWindowError);
    expect(build).toThrow(
      'WindowedAggregator "fraud-totals": session windows need merge: (a, b, key) => aggregate',
    );
  });

  it('rejects a window that is not a spec, and an unknown emit mode', () => {
    const base = { initial: () => 0, aggregate: (a: number) => a };
    expect(
      () =>
        new WindowedAggregator<string, number, number>({
          ...base,
          window: { kind: 'sliding' } as unknown as WindowSpec,
          emit: 'update',
        }),
    ).toThrow(
      'window must come from tumbling(sizeMs), hopping(sizeMs, advanceMs) or session(gapMs)',
    );
    const error = (() => {
      try {
        new WindowedAggregator<string, number, number>({
          ...base,
          window: tumbling(10),
          emit: 'final' as 'close',
        });
      } catch (e) {
        return e as InvalidWindowError;
      }
      return undefined;
    })();
    expect(error?.code).toBe(ErrorCodes.INVALID_WINDOW);
    expect(error?.message).toContain(`emit must be 'update'`);
  });
});
