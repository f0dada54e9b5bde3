import { ReplicaPending } from './replica-pending';

describe('ReplicaPending', () => {
  it('keeps the latest row per key and hands a batch over with the offsets it covers', () => {
    const pending = new ReplicaPending();
    pending.assign(0, 10);
    pending.take(0, 10, 'a', ['a', 1]);
    pending.take(0, 11, 'a', ['a', 2]);
    pending.take(0, 12, 'b', null);
    pending.take(0, 13, '');
    expect(pending.size).toBe(2);
    const batch = pending.drain();
    expect(batch).toEqual([
      {
        partition: 0,
        from: 10,
        to: 14,
        rows: new Map<string, unknown>([
          ['a', ['a', 2]],
          ['b', null],
        ]),
      },
    ]);
    expect(pending.size).toBe(0);
    pending.written(batch);
    expect(pending.dirty).toBe(false);
    expect(pending.accepts(0, 13)).toBe(false);
    expect(pending.accepts(0, 14)).toBe(true);
  });

  it('puts a batch that failed back under the rows taken in since, which are newer', () => {
    const pending = new ReplicaPending();
    pending.assign(1, 0);
    pending.take(1, 0, 'a', ['a', 'old']);
    pending.take(1, 1, 'b', ['b', 'old']);
    const failed = pending.drain();
    pending.take(1, 2, 'a', ['a', 'new']);
    pending.restore(failed);
    expect(pending.size).toBe(2);
    const retry = pending.drain();
    expect(retry).toEqual([
      {
        partition: 1,
        from: 0,
        to: 3,
        rows: new Map<string, unknown>([
          ['a', ['a', 'new']],
          ['b', ['b', 'old']],
        ]),
      },
    ]);
  });

  it('ignores records of partitions it does not hold and repeats below what it took in', () => {
    const pending = new ReplicaPending();
    pending.assign(0, 5);
    expect(pending.accepts(0, 4)).toBe(false);
    expect(pending.accepts(1, 0)).toBe(false);
    pending.take(0, 5, 'a', ['a']);
    pending.revoke(0);
    expect(pending.size).toBe(0);
    expect(pending.drain()).toEqual([]);
  });
});
