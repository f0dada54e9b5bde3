import { ReplicaAssignment, sameOffsets } from './replica-assignment';

describe('ReplicaAssignment', () => {
  it('holds a partition number once that partition of every input is assigned', () => {
    const assignment = new ReplicaAssignment(['orders', 'payments']);
    // Incremental rebalances may hand the inputs' partitions over in separate calls.
    expect(
      assignment.add([
        { topic: 'orders', partition: 0 },
        { topic: 'orders', partition: 1 },
        { topic: 'payments', partition: 1 },
      ]),
    ).toEqual({ complete: [1], waiting: [{ topic: 'orders', partition: 0 }] });
    expect(assignment.add([{ topic: 'payments', partition: 0 }])).toEqual({
      complete: [0],
      waiting: [],
    });
    assignment.remove([{ topic: 'payments', partition: 0 }]);
    expect(assignment.add([{ topic: 'orders', partition: 0 }])).toEqual({
      complete: [],
      waiting: [{ topic: 'orders', partition: 0 }],
    });
  });

  it('holds every assigned partition of a single input at once', () => {
    const assignment = new ReplicaAssignment(['orders']);
    expect(assignment.add([{ topic: 'orders', partition: 2 }]).complete).toEqual([2]);
  });
});

describe('sameOffsets', () => {
  it('compares the offsets of every input, a missing one as 0', () => {
    const topics = ['orders', 'payments'];
    expect(
      sameOffsets(
        new Map([['orders', 3]]),
        new Map([
          ['orders', 3],
          ['payments', 0],
        ]),
        topics,
      ),
    ).toBe(true);
    expect(sameOffsets(new Map([['orders', 3]]), new Map([['payments', 1]]), topics)).toBe(false);
    expect(sameOffsets(undefined, new Map(), topics)).toBe(false);
  });
});
