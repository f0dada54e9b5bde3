import { coPartitionGapMessage, coPartitionGaps } from './co-partition-check';

const counts = new Map([
  ['orders', 3],
  ['payments', 3],
  ['customers', 2],
]);

describe('coPartitionGaps', () => {
  it('finds nothing when partition p of every topic with the same count is held together', () => {
    const owned = [
      { topic: 'orders', partition: 1 },
      { topic: 'payments', partition: 1 },
      { topic: 'customers', partition: 0 },
    ];
    expect(coPartitionGaps(owned, counts)).toEqual([]);
    expect(coPartitionGaps([], counts)).toEqual([]);
  });

  it('names each partner partition missing, once, sorted', () => {
    const owned = [
      { topic: 'payments', partition: 2 },
      { topic: 'orders', partition: 0 },
      { topic: 'customers', partition: 1 },
    ];
    expect(coPartitionGaps(owned, counts)).toEqual([
      { topic: 'orders', partition: 2 },
      { topic: 'payments', partition: 0 },
    ]);
  });

  it('says which partitions are missing and what to check', () => {
    const message = coPartitionGapMessage('billing', [{ topic: 'orders', partition: 2 }], 'range');
    expect(message).toContain('group "billing"');
    expect(message).toContain('missing orders[2]');
    expect(message).toContain('group.consumer.assignors includes "range"');
  });
});
