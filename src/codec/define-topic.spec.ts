import { ErrorCodes } from '../errors/error-codes';
import { InvalidTopicDefinitionError } from '../errors/invalid-topic-definition-error';
import type { TopicKey } from '../model/topics/key-serde';
import type { Serde } from '../model/topics/serde';
import type { TopicOptions } from './define-topic';
import { defineTopic } from './define-topic';

interface Order {
  id: string;
  number: number;
  revision: number;
}

const order: Order = { id: 'o-1234', number: 77, revision: 9 };

function valid(overrides: Partial<TopicOptions<Order, string>> = {}): TopicOptions<Order, string> {
  return { name: 'orders', entity: 'Order', key: (o) => o.id, ...overrides };
}

function invalid<K extends TopicKey>(options: TopicOptions<Order, K>): InvalidTopicDefinitionError {
  try {
    defineTopic(options);
  } catch (error) {
    if (error instanceof InvalidTopicDefinitionError) return error;
    throw error;
  }
  throw new Error(`expected defineTopic(${JSON.stringify(options.name)}) to throw`);
}

describe('defineTopic validation', () => {
  describe('name', () => {
    it.each([
      ['empty', ''],
      ['a space', 'my orders'],
      ['a slash', 'orders/v1'],
      ['an exclamation mark', 'orders!'],
      ['a non-ASCII letter', 'bestellungen-ü'],
      ['250 characters', 'a'.repeat(250)],
      ['"."', '.'],
      ['".."', '..'],
    ])('rejects %s', (_label, name) => {
      const error = invalid(valid({ name }));
      expect(error.code).toBe(ErrorCodes.INVALID_TOPIC_DEFINITION);
      expect(error.message).toBe(
        `defineTopic(${JSON.stringify(name)}): name must be 1-249 characters of letters, digits, '.', '_' or '-'`,
      );
    });

    it.each([
      ['249 characters', 'a'.repeat(249)],
      ['every allowed character', 'Orders.v2_EU-west'],
      ['a single character', 'o'],
      ['a single leading underscore', '_orders'],
      ['".dlq" not at the end', 'orders.dlq.archive'],
      ['"..." (only "." and ".." are reserved)', '...'],
    ])('accepts %s', (_label, name) => {
      expect(defineTopic(valid({ name })).name).toBe(name);
    });

    it("rejects the '.dlq' suffix reserved for dead-letter topics", () => {
      expect(invalid(valid({ name: 'orders.dlq' })).message).toBe(
        `defineTopic("orders.dlq"): names ending in '.dlq' are reserved for dead-letter topics`,
      );
    });

    it("rejects the '__' prefix reserved for Kafka", () => {
      expect(invalid(valid({ name: '__consumer_offsets' })).message).toBe(
        `defineTopic("__consumer_offsets"): names starting with '__' are reserved for Kafka's internal topics`,
      );
    });
  });

  describe('entity', () => {
    it.each([
      ['empty', ''],
      ['a leading digit', '1Order'],
      ['a dash', 'Order-Line'],
      ['a space', 'Order Line'],
      ['a leading underscore', '_Order'],
      ['not a string', 42 as unknown as string],
      ['missing', undefined as unknown as string],
    ])('rejects %s', (_label, entity) => {
      const error = invalid(valid({ entity }));
      expect(error.message).toBe(
        'defineTopic("orders"): entity must be an identifier such as "Order" (it becomes part of every event id)',
      );
    });

    it('accepts letters, digits and underscores after a leading letter', () => {
      expect(defineTopic(valid({ entity: 'order_Line2' })).entity).toBe('order_Line2');
    });
  });

  it.each([
    ['missing', undefined],
    ['a property name instead of a function', 'id'],
  ])('rejects a key that is %s', (_label, key) => {
    const error = invalid(valid({ key: key as unknown as (o: Order) => string }));
    expect(error.message).toBe(
      'defineTopic("orders"): key must be a function from a value to its key',
    );
  });

  it.each([0, -1, 1.5, NaN, Infinity])('rejects version %p', (version) => {
    expect(invalid(valid({ version })).message).toBe(
      'defineTopic("orders"): version must be an integer >= 1',
    );
  });

  it.each([0, -3, 2.5, 10_001, NaN])('rejects %p partitions', (partitions) => {
    expect(invalid(valid({ partitions })).message).toBe(
      'defineTopic("orders"): partitions must be an integer between 1 and 10000',
    );
  });

  it.each([1, 7, 10_000])('accepts %p partitions', (partitions) => {
    expect(defineTopic(valid({ partitions })).partitions).toBe(partitions);
  });

  it('rejects an unknown keyType', () => {
    const error = invalid(valid({ keyType: 'uuid' as unknown as 'string' }));
    expect(error.message).toBe(`defineTopic("orders"): keyType must be 'string' or 'number'`);
  });
});

describe('defineTopic defaults and accessors', () => {
  it('defaults to version 1, one partition, not compacted, string keys, no schema', () => {
    const topic = defineTopic(valid());
    expect(topic).toMatchObject({
      name: 'orders',
      entity: 'Order',
      version: 1,
      partitions: 1,
      compacted: false,
      keyType: 'string',
      schema: undefined,
      config: {},
    });
  });

  it('keeps explicit settings', () => {
    const schema = { type: 'object' };
    const topic = defineTopic(
      valid({
        version: 4,
        partitions: 12,
        compacted: true,
        schema,
        config: { 'retention.ms': '1000' },
      }),
    );
    expect(topic).toMatchObject({
      version: 4,
      partitions: 12,
      compacted: true,
      schema,
      config: { 'retention.ms': '1000' },
    });
  });

  it('keyOf applies the key function', () => {
    expect(defineTopic(valid()).keyOf(order)).toBe('o-1234');
  });

  it('entityIdOf falls back to the key when no id is given', () => {
    expect(defineTopic(valid()).entityIdOf(order)).toBe('o-1234');
  });

  it('entityIdOf uses `id` when given, as text', () => {
    const topic = defineTopic(valid({ id: (o) => o.number }));
    expect(topic.entityIdOf(order)).toBe('77');
    expect(topic.keyOf(order)).toBe('o-1234');
  });

  it('entityIdOf turns a numeric key into text', () => {
    const topic = defineTopic<Order, number>({
      name: 'orders',
      entity: 'Order',
      key: (o) => o.number,
      keyType: 'number',
    });
    expect(topic.entityIdOf(order)).toBe('77');
  });

  it('revisionOf is the schema version without a revision function', () => {
    expect(defineTopic(valid({ version: 3 })).revisionOf(order)).toBe(3);
  });

  it('revisionOf uses the revision function when given', () => {
    const topic = defineTopic(valid({ version: 3, revision: (o) => o.revision }));
    expect(topic.revisionOf(order)).toBe(9);
    expect(topic.version).toBe(3);
  });

  it('uses the given serdes instead of the defaults', () => {
    const keySerde: Serde<string> = {
      serialize: (k) => Buffer.from(k.toUpperCase()),
      deserialize: (b) => b.toString(),
    };
    const valueSerde: Serde<Order> = {
      serialize: () => Buffer.from('custom'),
      deserialize: () => order,
    };
    const topic = defineTopic(valid({ keySerde, valueSerde }));
    expect(topic.keySerde).toBe(keySerde);
    expect(topic.valueSerde).toBe(valueSerde);
  });

  it('defaults to JSON values', () => {
    const topic = defineTopic(valid());
    expect(topic.valueSerde.serialize(order).toString('utf8')).toBe(JSON.stringify(order));
    expect(topic.valueSerde.deserialize(Buffer.from(JSON.stringify(order)))).toEqual(order);
  });
});

describe('defineTopic immutability', () => {
  it('returns a frozen definition', () => {
    const topic = defineTopic(valid());
    expect(Object.isFrozen(topic)).toBe(true);
    expect(() => {
      (topic as unknown as { partitions: number }).partitions = 6;
    }).toThrow(TypeError);
    expect(topic.partitions).toBe(1);
  });

  it('freezes a copy of config, so later changes to the options do not leak in', () => {
    const config: Record<string, string> = { 'retention.ms': '1000' };
    const topic = defineTopic(valid({ config }));
    config['retention.ms'] = '5';
    expect(topic.config).toEqual({ 'retention.ms': '1000' });
    expect(Object.isFrozen(topic.config)).toBe(true);
  });
});

describe('defineTopic owner and unsignedRecords', () => {
  it('records the owner and the unsigned-record policy on the definition', () => {
    const topic = defineTopic(valid({ owner: 'orders-service', unsignedRecords: 'dead-letter' }));
    expect(topic.owner).toBe('orders-service');
    expect(topic.unsignedRecords).toBe('dead-letter');
    expect(defineTopic(valid()).owner).toBeUndefined();
  });

  it.each([[''], ['Orders Service'], ['-x'], [42]])('refuses the owner %j', (owner) => {
    const error = invalid(valid({ owner: owner as string }));
    expect(error.message).toContain("owner must be the @Service name of the topic's single writer");
  });

  it('refuses an unknown unsigned-record policy', () => {
    const error = invalid(valid({ unsignedRecords: 'drop' as 'accept' }));
    expect(error.message).toContain("unsignedRecords must be 'accept', 'warn' or 'dead-letter'");
  });
});
