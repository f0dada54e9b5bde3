import { toTopicConfig } from './kafka-topic-spec';

const SPEC = { name: 'orders', partitions: 6, compacted: true };

describe('toTopicConfig', () => {
  it("leaves the replication factor to the cluster's default.replication.factor unless one is set", () => {
    expect(toTopicConfig(SPEC, undefined)).not.toHaveProperty('replicationFactor');
    expect(toTopicConfig(SPEC, 3)).toMatchObject({ replicationFactor: 3 });
  });

  it('creates a compacted spec with cleanup.policy=compact', () => {
    expect(toTopicConfig(SPEC, undefined)).toEqual({
      topic: 'orders',
      numPartitions: 6,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    });
  });
});
