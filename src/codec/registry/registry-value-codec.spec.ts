import { DeserializationError } from '../../errors/deserialization-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import type { CompatibilityLevel } from '../../model/topics/compatibility-level';
import { defineTopic } from '../define-topic';
import { avroTypeOf } from '../schema/avro-validator';
import type { SchemaType, TopicSchema } from '../schema/topic-schema';
import { InMemorySchemaRegistry } from './in-memory-schema-registry';
import { RegistryValueCodec } from './registry-value-codec';
import { SchemaCache } from './schema-cache';
import type { SchemaDocument, SchemaRegistry } from './schema-registry';
import { decodeWireFormat, encodeWireFormat } from './wire-format';

/** An in-memory registry that counts calls and can be switched off. */
class CountingRegistry implements SchemaRegistry {
  readonly inner = new InMemorySchemaRegistry();
  lookups = 0;
  registrations = 0;
  reachable = true;

  register(subject: string, schema: SchemaDocument, type: SchemaType): Promise<number> {
    this.registrations++;
    return this.#ifReachable(() => this.inner.register(subject, schema, type));
  }
  getSchema(id: number) {
    this.lookups++;
    return this.#ifReachable(() => this.inner.getSchema(id));
  }
  latestVersion(subject: string) {
    return this.inner.latestVersion(subject);
  }
  checkCompatibility(subject: string, schema: SchemaDocument, type: SchemaType) {
    return this.inner.checkCompatibility(subject, schema, type);
  }
  setCompatibility(subject: string, level: CompatibilityLevel) {
    return this.inner.setCompatibility(subject, level);
  }
  #ifReachable<T>(work: () => Promise<T>): Promise<T> {
    return this.reachable
      ? work()
      : Promise.reject(new SchemaRegistryError('registry down', { retriable: true }));
  }
}

const OrderJson = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'number' } },
};
const OrderAvro: AvroRecordSchema = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
};
const Orders = defineTopic<{ id: string; total: number }>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  schema: OrderJson,
});
const jsonSchema: TopicSchema = { type: 'JSON', schema: OrderJson };
const avroSchema: TopicSchema = { type: 'AVRO', schema: OrderAvro };

function codec(registry: SchemaRegistry, schema: TopicSchema = jsonSchema) {
  return new RegistryValueCodec(Orders, schema, registry, new SchemaCache(registry));
}

describe('RegistryValueCodec', () => {
  it('writes JSON Schema values as magic byte, schema id and UTF-8 JSON, and reads them back', async () => {
    const registry = new CountingRegistry();
    const orders = codec(registry);
    orders.useSchemaId(await registry.register('orders-value', OrderJson, 'JSON'));
    const bytes = await orders.encode({ id: 'o-1', total: 5 });
    expect(decodeWireFormat(bytes)).toEqual({
      schemaId: 1,
      payload: Buffer.from('{"id":"o-1","total":5}'),
    });
    expect(await orders.decode(bytes)).toEqual({
      value: { id: 'o-1', total: 5 },
      writerSchema: jsonSchema,
    });
    expect(orders.decodeKnown(bytes)).toEqual({ id: 'o-1', total: 5 });
  });

  it('writes Avro values as Avro binary and reads them back as plain objects', async () => {
    const registry = new CountingRegistry();
    const orders = codec(registry, avroSchema);
    const bytes = await orders.encode({ id: 'o-1', total: 5 });
    const { payload } = decodeWireFormat(bytes);
    expect(payload).toEqual(avroTypeOf(OrderAvro).toBuffer({ id: 'o-1', total: 5 }));
    const { value } = await orders.decode(bytes);
    expect(value).toEqual({ id: 'o-1', total: 5 });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('registers on first write when start-up gave no id, once', async () => {
    const registry = new CountingRegistry();
    const orders = codec(registry);
    await orders.encode({ id: 'a', total: 1 });
    await orders.encode({ id: 'b', total: 2 });
    expect(registry.registrations).toBe(1);
    expect(registry.inner.subjects()).toEqual(['orders-value']);
  });

  it('tries the registration again after a failure instead of keeping it', async () => {
    const registry = new CountingRegistry();
    registry.reachable = false;
    const orders = codec(registry);
    await expect(orders.encode({ id: 'a', total: 1 })).rejects.toThrow('registry down');
    registry.reachable = true;
    await expect(orders.encode({ id: 'a', total: 1 })).resolves.toBeInstanceOf(Buffer);
  });

  it('fetches a schema it has not seen once per id, however many records carry it', async () => {
    const registry = new CountingRegistry();
    const id = await registry.register('orders-value', OrderAvro, 'AVRO');
    const reader = codec(registry);
    const bytes = encodeWireFormat(id, avroTypeOf(OrderAvro).toBuffer({ id: 'x', total: 1 }));
    const reads = await Promise.all([
      reader.decode(bytes),
      reader.decode(bytes),
      reader.decode(bytes),
    ]);
    expect(reads.map((r) => r.value)).toEqual(Array(3).fill({ id: 'x', total: 1 }));
    expect(reads[0].writerSchema).toEqual(avroSchema);
    await reader.decode(bytes);
    expect(registry.lookups).toBe(1);
  });

  it('makes a wrong magic byte, an unknown id or a broken payload a DeserializationError', async () => {
    const registry = new CountingRegistry();
    const reader = codec(registry);
    await expect(reader.decode(Buffer.from('{"id":"x"}'))).rejects.toThrow(
      /Cannot decode the value of a record on "orders": the first byte is 123, not the wire format's magic byte 0/,
    );
    const unknown = reader.decode(encodeWireFormat(999, Buffer.from('{}')));
    await expect(unknown).rejects.toBeInstanceOf(DeserializationError);
    await expect(unknown).rejects.toThrow(
      'its schema id 999 cannot be read: Schema id 999 is not in the registry',
    );
    const id = await registry.register('orders-value', OrderJson, 'JSON');
    await expect(reader.decode(encodeWireFormat(id, Buffer.from('{not json')))).rejects.toThrow(
      `the payload does not decode with schema id ${id}`,
    );
  });

  it('passes a retriable registry failure on, so the record is delivered again rather than dead-lettered', async () => {
    const registry = new CountingRegistry();
    const id = await registry.register('orders-value', OrderJson, 'JSON');
    registry.reachable = false;
    const attempt = codec(registry).decode(encodeWireFormat(id, Buffer.from('{}')));
    await expect(attempt).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(attempt).rejects.toMatchObject({ retriable: true });
  });

  it('decodes synchronously only with schemas it has already seen', async () => {
    const registry = new CountingRegistry();
    const id = await registry.register('orders-value', OrderJson, 'JSON');
    expect(() => codec(registry).decodeKnown(encodeWireFormat(id, Buffer.from('{}')))).toThrow(
      `schema id ${id} has not been seen yet`,
    );
  });
});
