import type { TopicState } from '../transport/topic-admin';
import { topicChanges, wantedConfigs } from './topic-changes';

const state = (name: string, partitions: number, configs: Record<string, string>): TopicState => ({
  name,
  partitions,
  configs,
});

describe('topicChanges', () => {
  it('creates a topic the broker does not have', () => {
    const spec = { name: 'orders', partitions: 3, compacted: false };
    expect(topicChanges([spec], new Map())).toEqual([{ action: 'create', spec }]);
  });

  it('leaves a topic that matches, whatever order its cleanup.policy lists', () => {
    const spec = {
      name: 'prices',
      partitions: 2,
      compacted: true,
      config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '1000' },
    };
    const existing = state('prices', 2, {
      'cleanup.policy': 'delete, compact',
      'retention.ms': '1000',
    });
    expect(topicChanges([spec], new Map([['prices', existing]]))).toEqual([
      { action: 'unchanged', topic: 'prices', partitions: 2 },
    ]);
  });

  it('grows partitions and alters the configs that differ, naming the old values', () => {
    const spec = {
      name: 'orders',
      partitions: 4,
      compacted: true,
      config: { 'retention.ms': '60000' },
    };
    const existing = state('orders', 2, {
      'cleanup.policy': 'delete',
      'retention.ms': '604800000',
    });
    expect(topicChanges([spec], new Map([['orders', existing]]))).toEqual([
      {
        action: 'alter',
        topic: 'orders',
        partitions: { from: 2, to: 4 },
        configs: [
          { name: 'cleanup.policy', from: 'delete', to: 'compact' },
          { name: 'retention.ms', from: '604800000', to: '60000' },
        ],
      },
    ]);
  });

  it('refuses fewer partitions than the topic has, pointing at repartition', () => {
    const spec = { name: 'orders', partitions: 2, compacted: false };
    const [change] = topicChanges([spec], new Map([['orders', state('orders', 6, {})]]));
    expect(change).toMatchObject({ action: 'refused', partitions: { from: 6, to: 2 } });
    expect(change.action === 'refused' && change.reason).toContain(
      'streamwise repartition orders --partitions 2 --to <new-topic>',
    );
  });

  it('wants cleanup.policy=delete for a topic that is not compacted', () => {
    expect(wantedConfigs({ name: 't', partitions: 1, compacted: false })).toEqual({
      'cleanup.policy': 'delete',
    });
  });
});
