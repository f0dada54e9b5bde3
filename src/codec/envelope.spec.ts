import { ErrorCodes } from '../errors/error-codes';
import { SerializationError } from '../errors/serialization-error';
import { ENVELOPE_HEADER, readEnvelope } from '../model/topics/envelope-header';
import { HeaderNames } from '../model/topics/header-names';
import type { Serde } from '../model/topics/serde';
import { partitionForKey } from '../transport/partitioner';
import { defineTopic } from './define-topic';
import type { EnvelopeOptions } from './envelope';
import { buildEnvelope, buildTombstone } from './envelope';

interface Order {
  id: string;
  revision: number;
  total: number | bigint;
}

const Orders = defineTopic<Order>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  revision: (o) => o.revision,
  version: 2,
  partitions: 12,
});

const options: EnvelopeOptions = { producer: 'orders-service', timestamp: 1_700_000_000_123 };

function serializationError(build: () => unknown): SerializationError {
  try {
    build();
  } catch (error) {
    if (error instanceof SerializationError) return error;
    throw error;
  }
  throw new Error('expected a SerializationError');
}

describe('buildEnvelope', () => {
  const order: Order = { id: '1234', revision: 3, total: 10 };

  it('gives the event id <service>-<Entity>-<entityId>-v<revision>', () => {
    expect(buildEnvelope(Orders, order, options).eventId).toBe('orders-service-Order-1234-v3');
  });

  it('uses the schema version and a per-event ULID in the event id when the topic has no revision', () => {
    const Plain = defineTopic<Order>({
      name: 'plain',
      entity: 'Order',
      key: (o) => o.id,
      version: 5,
    });
    expect(buildEnvelope(Plain, order, options).eventId).toMatch(
      /^orders-service-Order-1234-v5-[0-9A-HJKMNP-TV-Z]{26}$/,
    );
  });

  it('gives two updates of one key different event ids when the topic has no revision', () => {
    const Plain = defineTopic<Order>({ name: 'plain', entity: 'Order', key: (o) => o.id });
    const ids = [1, 2, 3].map(() => buildEnvelope(Plain, order, options).eventId);
    expect(new Set(ids).size).toBe(3);
  });

  it('sorts event ids without a revision in publishing order, also within one millisecond', () => {
    const Plain = defineTopic<Order>({ name: 'plain', entity: 'Order', key: (o) => o.id });
    const at = (timestamp: number): string =>
      buildEnvelope(Plain, order, { ...options, timestamp }).eventId;
    const ids = [
      at(1_700_000_000_000),
      at(1_700_000_000_000),
      at(1_700_000_000_001),
      at(1_800_000_000_000),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps the id of a topic with a revision as it is: the same revision, the same id', () => {
    expect(buildEnvelope(Orders, order, options).eventId).toBe(
      buildEnvelope(Orders, order, options).eventId,
    );
  });

  it('uses the entity id, not the key, when the topic defines `id`', () => {
    const ByCustomer = defineTopic<Order>({
      name: 'by-customer',
      entity: 'Order',
      key: () => 'customer-7',
      id: (o) => o.id,
    });
    const envelope = buildEnvelope(ByCustomer, order, options);
    expect(envelope.eventId).toMatch(/^orders-service-Order-1234-v1-[0-9A-Z]{26}$/);
    expect(envelope.record.key?.toString('utf8')).toBe('customer-7');
  });

  it('writes the envelope in one sw-envelope header', () => {
    const envelope = buildEnvelope(Orders, order, options);
    expect(envelope.record.headers).toEqual({
      [ENVELOPE_HEADER]: '1;2;orders-service;Order;orders-service-Order-1234-v3',
    });
    expect(readEnvelope(envelope.record.headers ?? {})?.eventId).toBe(envelope.eventId);
    expect(envelope.record.timestamp).toBe(1_700_000_000_123);
  });

  it("writes the four separate headers with envelopeHeaders: 'separate'", () => {
    const envelope = buildEnvelope(Orders, order, { ...options, envelopeHeaders: 'separate' });
    expect(envelope.record.headers).toEqual({
      [HeaderNames.EVENT_ID]: 'orders-service-Order-1234-v3',
      [HeaderNames.EVENT_TYPE]: 'Order',
      [HeaderNames.SCHEMA_VERSION]: '2',
      [HeaderNames.PRODUCER]: 'orders-service',
    });
  });

  it.each(['single', 'separate'] as const)(
    'keeps user headers but never lets them forge the envelope (%s)',
    (envelopeHeaders) => {
      const forged = {
        'trace-id': 'abc',
        [ENVELOPE_HEADER]: '1;99;intruder-service;Refund;forged',
        'sw-event-id': 'forged',
        'sw-event-type': 'Refund',
        'sw-schema-version': '99',
        'sw-producer': 'intruder-service',
      };
      const envelope = buildEnvelope(Orders, order, {
        ...options,
        envelopeHeaders,
        headers: forged,
      });
      const headers = envelope.record.headers ?? {};
      expect(Object.keys(headers).filter((name) => name.startsWith('sw-'))).toHaveLength(
        envelopeHeaders === 'single' ? 1 : 4,
      );
      expect(headers['trace-id']).toBe('abc');
      expect(readEnvelope(headers)).toEqual({
        schemaVersion: '2',
        producer: 'orders-service',
        eventType: 'Order',
        eventId: 'orders-service-Order-1234-v3',
      });
    },
  );

  it('serializes the value with the topic value serde', () => {
    const envelope = buildEnvelope(Orders, order, options);
    expect(JSON.parse(envelope.record.value?.toString('utf8') ?? 'null')).toEqual(order);
  });

  it('partitions by murmur2 of the key bytes', () => {
    const partitions = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const record = buildEnvelope(Orders, { ...order, id: `order-${i}` }, options).record;
      expect(record.key).not.toBeNull();
      expect(record.partition).toBe(partitionForKey(record.key as Buffer, Orders.partitions));
      partitions.add(record.partition);
    }
    expect(partitions.size).toBeGreaterThan(1);
  });

  it('serializes the key exactly once and partitions by those serialized bytes', () => {
    const serialize = jest.fn((k: string) => Buffer.from(`tenant-a/${k}`, 'utf8'));
    const keySerde: Serde<string> = { serialize, deserialize: (b) => b.toString('utf8') };
    const Prefixed = defineTopic<Order>({
      name: 'prefixed',
      entity: 'Order',
      key: (o) => o.id,
      partitions: 7,
      keySerde,
    });
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8'];
    const differs = ids.filter(
      (id) =>
        partitionForKey(Buffer.from(`tenant-a/${id}`), 7) !== partitionForKey(Buffer.from(id), 7),
    );
    expect(differs.length).toBeGreaterThan(0);
    for (const id of ids) {
      serialize.mockClear();
      const record = buildEnvelope(Prefixed, { ...order, id }, options).record;
      expect(serialize).toHaveBeenCalledTimes(1);
      expect(serialize).toHaveBeenCalledWith(id);
      expect(record.key?.toString('utf8')).toBe(`tenant-a/${id}`);
      expect(record.partition).toBe(partitionForKey(Buffer.from(`tenant-a/${id}`), 7));
    }
  });

  it('writes numeric keys as decimal text that reads back as numbers', () => {
    const Readings = defineTopic<{ sensor: number }, number>({
      name: 'readings',
      entity: 'Reading',
      key: (r) => r.sensor,
      keyType: 'number',
      partitions: 6,
    });
    for (const sensor of [42, -7, 0, 1234567]) {
      const record = buildEnvelope(Readings, { sensor }, options).record;
      expect(record.key?.toString('utf8')).toBe(String(sensor));
      expect(Readings.keySerde.deserialize(record.key as Buffer)).toBe(sensor);
      expect(record.partition).toBe(partitionForKey(Buffer.from(String(sensor)), 6));
    }
  });

  it('turns a throwing key function into a SerializationError naming the topic and the key', () => {
    const cause = new Error('no id yet');
    const Broken = defineTopic<Order>({
      name: 'broken-orders',
      entity: 'Order',
      key: () => {
        throw cause;
      },
    });
    const error = serializationError(() => buildEnvelope(Broken, order, options));
    expect(error.code).toBe(ErrorCodes.SERIALIZATION);
    expect(error.message).toBe(
      'Cannot encode the key for "broken-orders": no id yet. Nothing was sent.',
    );
    expect(error.cause).toBe(cause);
  });

  it('turns a value JSON cannot encode (a BigInt) into a SerializationError for the value', () => {
    const error = serializationError(() =>
      buildEnvelope(Orders, { id: '1', revision: 1, total: 10n }, options),
    );
    expect(error.message).toMatch(
      /^Cannot encode the value for "orders": .*BigInt.*Nothing was sent\.$/,
    );
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('turns a throwing key serde into a SerializationError for the key', () => {
    const Strict = defineTopic<Order>({
      name: 'strict',
      entity: 'Order',
      key: (o) => o.id,
      keySerde: {
        serialize: () => {
          throw new Error('key too long');
        },
        deserialize: (b) => b.toString(),
      },
    });
    expect(serializationError(() => buildEnvelope(Strict, order, options)).message).toBe(
      'Cannot encode the key for "strict": key too long. Nothing was sent.',
    );
  });
});

describe('buildTombstone', () => {
  it('has a null value and an event id ending in -tombstone', () => {
    const tombstone = buildTombstone(Orders, '1234', options);
    expect(tombstone.record.value).toBeNull();
    expect(tombstone.eventId).toMatch(/^orders-service-Order-1234-v2-[0-9A-Z]{26}-tombstone$/);
    expect(tombstone.eventId).not.toBe(buildTombstone(Orders, '1234', options).eventId);
    expect(readEnvelope(tombstone.record.headers ?? {})).toMatchObject({
      eventId: tombstone.eventId,
      producer: 'orders-service',
    });
  });

  it('lands on the same partition as the records of its key', () => {
    for (const id of ['a', 'b', 'order-17', '中文', '😀']) {
      const tombstone = buildTombstone(Orders, id, options);
      const record = buildEnvelope(Orders, { id, revision: 1, total: 1 }, options).record;
      expect(tombstone.record.key).toEqual(record.key);
      expect(tombstone.record.partition).toBe(record.partition);
    }
  });

  it('turns a throwing key serde into a SerializationError', () => {
    const Strict = defineTopic<Order>({
      name: 'strict',
      entity: 'Order',
      key: (o) => o.id,
      keySerde: {
        serialize: () => {
          throw new Error('bad key');
        },
        deserialize: (b) => b.toString(),
      },
    });
    expect(serializationError(() => buildTombstone(Strict, 'x', options)).message).toBe(
      'Cannot encode the key for "strict": bad key. Nothing was sent.',
    );
  });
});

describe('buildEnvelope on broken key, id and revision functions', () => {
  const base = { name: 'broken', entity: 'Order' } as const;

  it.each([undefined, null, Number.NaN])('refuses a key function that returns %p', (key) => {
    const Broken = defineTopic<Order>({ ...base, key: () => key as unknown as string });
    expect(
      serializationError(() => buildEnvelope(Broken, { id: '1', revision: 1, total: 1 }, options))
        .message,
    ).toContain('the key must be a string or a finite number');
  });

  it('wraps a throwing id function in SerializationError', () => {
    const Broken = defineTopic<Order>({
      ...base,
      key: (o) => o.id,
      id: () => {
        throw new Error('no id');
      },
    });
    expect(
      serializationError(() => buildEnvelope(Broken, { id: '1', revision: 1, total: 1 }, options))
        .message,
    ).toContain('no id');
  });

  it.each([Number.NaN, -1, 1.5])('refuses a revision of %p', (revision) => {
    const Broken = defineTopic<Order>({ ...base, key: (o) => o.id, revision: () => revision });
    expect(
      serializationError(() => buildEnvelope(Broken, { id: '1', revision: 1, total: 1 }, options))
        .message,
    ).toContain('revision must return a whole number >= 0');
  });
});
