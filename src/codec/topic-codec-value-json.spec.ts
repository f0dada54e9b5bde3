import { HeaderNames } from '../model/topics/header-names';
import { jsonSerde } from '../model/topics/json-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { DeliveredRecord } from '../transport/transport';
import { defineTopic } from './define-topic';
import type { ReadRecord } from './read-record';
import { InMemorySchemaRegistry } from './registry/in-memory-schema-registry';
import { encodeWireFormat } from './registry/wire-format';
import { TopicCodec } from './topic-codec';

interface Level {
  sku: string;
  units: number;
}

const Levels = defineTopic<Level>({ name: 'levels', entity: 'Level', key: (l) => l.sku });
const LevelsV2 = defineTopic<Level>({
  name: 'levels',
  entity: 'Level',
  key: (l) => l.sku,
  version: 2,
  upcast: { 1: (old) => ({ ...(old as object), units: 0 }) },
});
const text = jsonSerde<Level>();
const Custom = defineTopic<Level>({
  name: 'levels',
  entity: 'Level',
  key: (l) => l.sku,
  // The same bytes as the default, but not known to be: the table re-encodes its values.
  valueSerde: { serialize: (v) => text.serialize(v), deserialize: (b) => text.deserialize(b) },
});
const WithSchema = defineTopic<Level>({
  name: 'levels',
  entity: 'Level',
  key: (l) => l.sku,
  schema: { type: 'object', properties: { sku: { type: 'string' } } },
});

function record(value: Buffer | null, headers: Record<string, string> = {}): DeliveredRecord {
  return {
    topic: 'levels',
    partition: 0,
    offset: 0,
    key: Buffer.from('a'),
    value,
    headers,
    timestamp: 0,
  };
}

/** The record read as a table reads it (synchronously, no registry round trip). */
async function read(codec: TopicCodec, topic: TopicDefinition, delivered: DeliveredRecord) {
  const result: ReadRecord = await codec.decode(topic, delivered);
  return codec.valueJson(topic, delivered, result);
}

describe('TopicCodec.valueJson', () => {
  const spaced = Buffer.from('{ "sku" : "a", "units" : 3 }');

  it('gives the record’s own bytes for a JSON value the table keeps as decoded', async () => {
    const codec = new TopicCodec();
    const delivered = record(spaced);
    expect(await read(codec, Levels, delivered)).toBe(delivered.value);
    // A newer record than the topic is kept as decoded too.
    const newer = record(spaced, { [HeaderNames.SCHEMA_VERSION]: '3' });
    expect(await read(codec, Levels, newer)).toBe(newer.value);
  });

  it('gives nothing when the kept value is not the bytes’ JSON text', async () => {
    const codec = new TopicCodec();
    // An upcast value is a value of its own.
    const old = record(spaced, { [HeaderNames.SCHEMA_VERSION]: '1' });
    expect(await read(codec, LevelsV2, old)).toBeUndefined();
    expect(await read(codec, Custom, record(spaced))).toBeUndefined();
    expect(await read(codec, Levels, record(null))).toBeUndefined();
  });

  it('gives nothing for registry-framed bytes', async () => {
    const registry = new InMemorySchemaRegistry();
    const id = await registry.register('levels-value', WithSchema.schema ?? {}, 'JSON');
    const codec = new TopicCodec(registry);
    const framed = record(encodeWireFormat(id, Buffer.from('{"sku":"a","units":3}')));
    expect(await read(codec, WithSchema, framed)).toBeUndefined();
  });
});
