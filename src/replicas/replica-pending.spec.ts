import { ReplicaPending } from './replica-pending';

const T = 'orders';

describe('ReplicaPending', () => {
  it('keeps the latest row per key and hands a batch over with the offsets it covers', () => {
    const pending = new ReplicaPending();
    pending.assign(0, new Map([[T, 10]]));
    pending.take(T, 0, 10, 'a', ['a', 1]);
    pending.take(T, 0, 11, 'a', ['a', 2]);
    pending.take(T, 0, 12, 'b', null);
    pending.take(T, 0, 13, '');
    expect(pending.size).toBe(2);
    const batch = pending.drain();
    expect(batch).toEqual([
      {
        partition: 0,
        offsets: [{ topic: T, from: 10, to: 14 }],
        rows: new Map<string, unknown>([
          ['a', ['a', 2]],
          ['b', null],
        ]),
      },
    ]);
    expect(pending.size).toBe(0);
    pending.written(batch);
    expect(pending.dirty).toBe(false);
    expect(pending.accepts(T, 0, 13)).toBe(false);
    expect(pending.accepts(T, 0, 14)).toBe(true);
  });

  it('puts a batch that failed back under the rows taken in since, which are newer', () => {
    const pending = new ReplicaPending();
    pending.assign(1, new Map([[T, 0]]));
    pending.take(T, 1, 0, 'a', ['a', 'old']);
    pending.take(T, 1, 1, 'b', ['b', 'old']);
    const failed = pending.drain();
    pending.take(T, 1, 2, 'a', ['a', 'new']);
    pending.restore(failed);
    expect(pending.size).toBe(2);
    const retry = pending.drain();
    expect(retry).toEqual([
      {
        partition: 1,
        offsets: [{ topic: T, from: 0, to: 3 }],
        rows: new Map<string, unknown>([
          ['a', ['a', 'new']],
          ['b', ['b', 'old']],
        ]),
      },
    ]);
  });

  it('ignores records of partitions it does not hold and repeats below what it took in', () => {
    const pending = new ReplicaPending();
    pending.assign(0, new Map([[T, 5]]));
    expect(pending.accepts(T, 0, 4)).toBe(false);
    expect(pending.accepts(T, 1, 0)).toBe(false);
    pending.take(T, 0, 5, 'a', ['a']);
    pending.revoke(0);
    expect(pending.size).toBe(0);
    expect(pending.drain()).toEqual([]);
  });
});
