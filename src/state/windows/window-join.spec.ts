import { InvalidEventTimeError } from '../../errors/invalid-event-time-error';
import { InvalidWindowError } from '../../errors/invalid-window-error';
import { WindowJoin } from './window-join';

/** Joins text labels, so outputs show which pair made them. */
function labels(withinMs: number, graceMs?: number) {
  return new WindowJoin<string, string, string, string>({
    withinMs,
    graceMs,
    join: (left, right) => `${left}+${right}`,
  });
}

function values(outcome: { results: readonly { value: string }[] }): string[] {
  return outcome.results.map((r) => r.value);
}

describe('WindowJoin', () => {
  it('joins records of one key whose times differ by exactly withinMs, not by withinMs + 1', () => {
    const join = labels(10, 100);
    join.addLeft('k', 'L', 100);
    expect(values(join.addRight('k', 'R110', 110))).toEqual(['L+R110']);
    expect(values(join.addRight('k', 'R90', 90))).toEqual(['L+R90']);
    expect(values(join.addRight('k', 'R111', 111))).toEqual([]);
    expect(values(join.addRight('k', 'R89', 89))).toEqual([]);
  });

  it('gives the same pair whichever side comes first, stamped with the later time', () => {
    const leftFirst = labels(10);
    leftFirst.addLeft('k', 'order', 100);
    const rightFirst = labels(10);
    rightFirst.addRight('k', 'payment', 105);
    expect(leftFirst.addRight('k', 'payment', 105)).toEqual({
      results: [{ key: 'k', value: 'order+payment', timestamp: 105 }],
      late: false,
    });
    expect(rightFirst.addLeft('k', 'order', 100)).toEqual({
      results: [{ key: 'k', value: 'order+payment', timestamp: 105 }],
      late: false,
    });
  });

  it('pairs a record with every match, in event time then arrival order', () => {
    const join = labels(10, 50);
    join.addRight('k', 'r105', 105);
    join.addRight('k', 'r95', 95);
    join.addRight('k', 'r100a', 100);
    join.addRight('k', 'r100b', 100);
    join.addRight('other', 'x', 100);
    expect(values(join.addLeft('k', 'l', 100))).toEqual(['l+r95', 'l+r100a', 'l+r100b', 'l+r105']);
    join.addLeft('k', 'm', 101);
    expect(values(join.addRight('k', 'r', 100))).toEqual(['l+r', 'm+r']);
  });

  it('counts a record late once stream time passes ts + withinMs + graceMs, and never buffers it', () => {
    const join = labels(10, 5);
    join.addLeft('a', 'first', 100);
    expect(join.addRight('a', 'edge', 85)).toEqual({ results: [], late: false }); // 85 + 15 = 100
    expect(join.addRight('a', 'late', 84)).toEqual({ results: [], late: true });
    expect(join.lateCount).toBe(1);
    expect(values(join.addLeft('a', 'second', 90))).toEqual(['second+edge']); // not 'late'
  });

  it('keeps a record buffered until ts + 2 * withinMs + graceMs, as long as a record that is not late may need it', () => {
    const join = labels(10);
    join.addLeft('k', 'old', 0);
    join.addLeft('other', 'x', 20); // stream time 20
    // 10 + 10 >= 20: not late, and 0 is within 10 of it, so 'old' must still be there.
    expect(values(join.addRight('k', 'r', 10))).toEqual(['old+r']);
    expect(join.size).toBe(3);
    join.advanceTo(20);
    expect(join.size).toBe(3);
    join.advanceTo(21); // 0 + 20 < 21: 'old' goes; 10 and 20 stay
    expect(join.size).toBe(2);
    join.advanceTo(31);
    expect(join.size).toBe(1);
    join.advanceTo(41);
    expect(join.size).toBe(0);
  });

  it('reports buffered records, evictions and the stream time as store changes', () => {
    const join = labels(10);
    join.addLeft('k', 'L', 0);
    expect(join.snapshotChanges()).toEqual([
      { id: 'left:k@0#0', value: { type: 'left', key: 'k', timestamp: 0, seq: 0, value: 'L' } },
      { id: '~stream-time', value: { type: 'stream-time', streamTime: 0, nextSeq: 1 } },
    ]);
    join.addRight('k', 'R', 30); // evicts left:k@0#0
    expect(join.snapshotChanges()).toEqual([
      { id: 'right:k@30#1', value: { type: 'right', key: 'k', timestamp: 30, seq: 1, value: 'R' } },
      { id: '~stream-time', value: { type: 'stream-time', streamTime: 30, nextSeq: 2 } },
      { id: 'left:k@0#0', value: null },
    ]);
    expect(join.snapshotChanges()).toEqual([]);
  });

  it('leaves everything as it was when the join function throws', () => {
    const join = new WindowJoin<string, number, number, number>({
      withinMs: 10,
      join: (left, right) => {
        if (right < 0) throw new Error('boom');
        return left + right;
      },
    });
    join.addRight('k', -1, 5);
    join.snapshotChanges();
    expect(() => join.addLeft('k', 1, 8)).toThrow('boom');
    expect(join.size).toBe(1);
    expect(join.streamTime).toBe(5);
    expect(join.snapshotChanges()).toEqual([]);
  });

  it('reproduces the email rule: an order and its payment join within one minute', () => {
    const MINUTE = 60_000;
    const emails = new WindowJoin<string, { id: string }, { amount: number }, string>({
      withinMs: MINUTE,
      join: (order, payment) => `${order.id} paid ${payment.amount}`,
    });
    const t0 = Date.UTC(2025, 0, 1);
    emails.addLeft('o-1', { id: 'o-1' }, t0);
    emails.addLeft('o-2', { id: 'o-2' }, t0);
    expect(emails.addRight('o-1', { amount: 10 }, t0 + MINUTE).results).toEqual([
      { key: 'o-1', value: 'o-1 paid 10', timestamp: t0 + MINUTE },
    ]);
    expect(emails.addRight('o-2', { amount: 20 }, t0 + MINUTE + 1).results).toEqual([]);
  });
});

describe('WindowJoin input checks', () => {
  it.each([
    [{ withinMs: -1 }, 'withinMs must be a whole number of milliseconds >= 0'],
    [{ withinMs: 1.5 }, 'withinMs must be'],
    [{ withinMs: 10, graceMs: -5 }, 'graceMs must be a whole number of milliseconds >= 0'],
  ])('rejects %p', (options, text) => {
    const build = () =>
      new WindowJoin<string, string, string, string>({
        ...options,
        join: (l) => l,
        name: 'emails',
      });
    expect(build).toThrow(InvalidWindowError);
    expect(build).toThrow(`WindowJoin "emails": ${text}`);
  });

  it('rejects a missing join function', () => {
    const build = () =>
      new WindowJoin<string, string, string, string>({
        withinMs: 10,
        join: undefined as unknown as (l: string) => string,
      });
    expect(build).toThrow('WindowJoin: join must be a function (left, right, key) => output.');
  });

  it('rejects records without an event time', () => {
    const join = labels(10);
    expect(() => join.addLeft('k', 'L', -1)).toThrow(InvalidEventTimeError);
    expect(() => join.addRight('k', 'R', NaN)).toThrow(
      'WindowJoin.addRight: NaN is not an event time.',
    );
    expect(() => join.advanceTo(0.5)).toThrow(InvalidEventTimeError);
  });
});
