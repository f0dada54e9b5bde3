import { defineTopic } from '../../codec/define-topic';
import { isTopicDefinition } from './topic-definition';

const Orders = defineTopic<{ id: string }>({ name: 'orders', entity: 'Order', key: (o) => o.id });

describe('isTopicDefinition', () => {
  it('is true for a defineTopic result', () => {
    expect(isTopicDefinition(Orders)).toBe(true);
  });

  it('is false for a plain object with every field of a topic but no brand', () => {
    const lookAlike = {
      name: Orders.name,
      entity: Orders.entity,
      version: Orders.version,
      partitions: Orders.partitions,
      compacted: Orders.compacted,
      keyType: Orders.keyType,
      schema: Orders.schema,
      config: Orders.config,
      keyOf: Orders.keyOf,
      entityIdOf: Orders.entityIdOf,
      revisionOf: Orders.revisionOf,
      keySerde: Orders.keySerde,
      valueSerde: Orders.valueSerde,
    };
    expect(isTopicDefinition(lookAlike)).toBe(false);
  });

  it('is false for a JSON round trip of a topic (the brand is a symbol)', () => {
    expect(isTopicDefinition(JSON.parse(JSON.stringify(Orders)))).toBe(false);
  });

  it('is false for a brand that is truthy but not true', () => {
    expect(isTopicDefinition({ [Symbol.for('streamwise.topic')]: 'true' })).toBe(false);
    expect(isTopicDefinition({ [Symbol('streamwise.topic')]: true })).toBe(false);
  });

  it.each([undefined, null, 'orders', 42, () => Orders])('is false for %p', (candidate) => {
    expect(isTopicDefinition(candidate)).toBe(false);
  });
});
