import { defineTopic } from '../codec/define-topic';
import { readReplicas } from '../decorators/read-replicas';
import { Replicate } from '../decorators/replicate';
import type { ReplicateOptions } from '../model/service/replica-metadata';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { replicaFingerprint } from './replica-fingerprint';

interface Order {
  readonly id: string;
  readonly state: string;
}

const Orders = defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id });

function fingerprint(options: ReplicateOptions<Order>, topic: TopicDefinition<Order> = Orders) {
  class View {
    @Replicate(topic, options)
    orders!: unknown;
  }
  return replicaFingerprint(readReplicas(View)[0]);
}

describe('replicaFingerprint', () => {
  const base = fingerprint({ table: 'orders', keyColumn: 'id', columns: { state: 'text' } });

  it('is the same for the same mapping, whatever the from functions', () => {
    expect(fingerprint({ table: 'orders', keyColumn: 'id', columns: { state: 'text' } })).toBe(
      base,
    );
    expect(
      fingerprint({
        table: 'orders',
        keyColumn: 'id',
        columns: { state: { type: 'text', from: (o) => o.state.toLowerCase() } },
      }),
    ).toBe(base);
    // The table's name is not the mapping: the same mapping elsewhere has the same fingerprint.
    expect(fingerprint({ table: 'orders_copy', keyColumn: 'id', columns: { state: 'text' } })).toBe(
      base,
    );
  });

  it('changes with a column, a type, the key column, the mapping version and the topic', () => {
    const changed = [
      fingerprint({ table: 'orders', keyColumn: 'id', columns: { state: 'text', n: 'integer' } }),
      fingerprint({ table: 'orders', keyColumn: 'id', columns: { state: 'jsonb' } }),
      fingerprint({ table: 'orders', keyColumn: 'order_id', columns: { state: 'text' } }),
      fingerprint({ table: 'orders', keyColumn: 'id', columns: { state: 'text' }, version: 2 }),
      fingerprint(
        { table: 'orders', keyColumn: 'id', columns: { state: 'text' } },
        defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id, version: 2 }),
      ),
      fingerprint(
        { table: 'orders', keyColumn: 'id', columns: { state: 'text' } },
        defineTopic<Order>({ name: 'orders-v2', entity: 'Order', key: (o) => o.id }),
      ),
    ];
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
  });
});
