import { DeserializationError } from '../errors/deserialization-error';
import { SchemaValidationError } from '../errors/schema-validation-error';
import { SerializationError } from '../errors/serialization-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { ENVELOPE_HEADER, envelopeField } from '../model/topics/envelope-header';
import { HeaderNames } from '../model/topics/header-names';
import { NonFiniteNumbersError } from '../model/topics/json-bytes';
import { isJsonSerde } from '../model/topics/json-serde';
import { nonFiniteNumberPaths } from '../model/topics/non-finite-numbers';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { DeliveredRecord } from '../transport/transport';
import { decodeKey } from './decode-key';
import type { ReadRecord } from './read-record';
import { RegistryValueCodec } from './registry/registry-value-codec';
import { SchemaCache } from './registry/schema-cache';
import type { SchemaRegistry } from './registry/schema-registry';
import { conformValue } from './schema/conform-value';
import { schemaProblems } from './schema/schema-problems';
import { type TopicSchema, topicSchemaOf } from './schema/topic-schema';
import { SerdeValueCodec } from './serde-value-codec';
import type { ValueCodec, WrittenValue } from './value-codec';

/**
 * An app's way between topic values and record bytes (principle 9). Publishing validates against
 * the topic's schema before anything is sent, then encodes with the topic's codec; consuming
 * decodes, validates and upcasts. With a registry, topics that have a schema use its wire format;
 * without one, values stay as the topic's valueSerde writes them and are still validated.
 */
export class TopicCodec {
  readonly registry: SchemaRegistry | undefined;
  readonly #cache: SchemaCache | undefined;
  readonly #codecs = new WeakMap<TopicDefinition, ValueCodec>();

  constructor(registry?: SchemaRegistry) {
    this.registry = registry;
    this.#cache = registry === undefined ? undefined : new SchemaCache(registry);
  }

  /** The codec of a topic, chosen on first use and kept. */
  codecFor(topic: TopicDefinition): ValueCodec {
    let codec = this.#codecs.get(topic);
    if (codec === undefined) {
      const schema = topicSchemaOf(topic);
      codec =
        this.registry !== undefined && this.#cache !== undefined && schema !== undefined
          ? new RegistryValueCodec(topic, schema, this.registry, this.#cache)
          : new SerdeValueCodec(topic);
      this.#codecs.set(topic, codec);
    }
    return codec;
  }

  /** Writes of `topic` carry schema `id` (what start-up registration got). */
  useSchemaId(topic: TopicDefinition, id: number): void {
    const codec = this.codecFor(topic);
    if (codec instanceof RegistryValueCodec) codec.useSchemaId(id);
  }

  /**
   * The bytes of a value to publish. Throws SchemaValidationError listing every failing path.
   * Synchronous unless the registry is involved, so a publish costs no promise here.
   */
  encode(topic: TopicDefinition, value: unknown): Buffer | Promise<Buffer> {
    const schema = topicSchemaOf(topic);
    const problems = schema === undefined ? [] : schemaProblems(schema, value);
    if (schema !== undefined && problems.length > 0) {
      throw this.#invalid(topic, [...nonFinitePaths(schema, value), ...problems]);
    }
    let encoded: Buffer | Promise<Buffer>;
    try {
      encoded = this.codecFor(topic).encode(value);
    } catch (error) {
      throw this.#encodeError(topic, schema !== undefined, error);
    }
    if (!(encoded instanceof Promise)) return encoded;
    return encoded.catch((error: unknown) => {
      throw this.#encodeError(topic, schema !== undefined, error);
    });
  }

  #encodeError(topic: TopicDefinition, hasSchema: boolean, error: unknown): StreamwiseError {
    if (error instanceof StreamwiseError) return error;
    // ajv counts Infinity as an integer, so a schema passes it; the JSON encoder refuses it.
    if (hasSchema && error instanceof NonFiniteNumbersError)
      return this.#invalid(topic, error.paths);
    return new SerializationError(topic.name, 'value', reason(error), error);
  }

  #invalid(topic: TopicDefinition, problems: readonly string[]): SchemaValidationError {
    return new SchemaValidationError(topic.name, topic.version, problems, 'publish');
  }

  /**
   * Key, value and written version of a consumed record. Throws DeserializationError for bytes
   * that cannot be read (dead-letter them), or a retriable error when the registry is unreachable.
   * Synchronous unless the registry is involved.
   */
  decode(topic: TopicDefinition, record: DeliveredRecord): ReadRecord | Promise<ReadRecord> {
    const key = decodeKey(topic, record);
    const version = writtenVersion(topic, record);
    if (record.value === null) return { key, value: undefined, version, writerSchema: undefined };
    const codec = this.codecFor(topic);
    let written: WrittenValue | Promise<WrittenValue>;
    try {
      // Without a registry the value needs no writer schema: one object per record, not two.
      if (codec instanceof SerdeValueCodec) {
        return { key, value: codec.decodeKnown(record.value), version, writerSchema: undefined };
      }
      written = codec.decode(record.value);
    } catch (error) {
      throw decodeError(topic, error);
    }
    // Closures only on the registry's (asynchronous) path: the plain one runs once per record.
    if (written instanceof Promise) {
      return written.then(
        (value) => readRecord(key, version, value),
        (error: unknown) => {
          throw decodeError(topic, error);
        },
      );
    }
    return readRecord(key, version, written);
  }

  /** The value handlers get: validated and upcast (see conformValue). */
  conform(topic: TopicDefinition, read: ReadRecord): unknown {
    return conformValue(topic, read);
  }

  /**
   * The record's value bytes when they are exactly the JSON text of what `conform` returns for
   * `read`: the topic's own JSON serde (no registry framing) and a record at or past the topic's
   * version, which conform hands back as decoded (an upcast result is a value of its own).
   * Otherwise undefined. Lets a persistent table store the bytes as they came.
   */
  valueJson(topic: TopicDefinition, record: DeliveredRecord, read: ReadRecord): Buffer | undefined {
    if (record.value === null || read.version < topic.version) return undefined;
    if (!isJsonSerde(topic.valueSerde) || !(this.codecFor(topic) instanceof SerdeValueCodec)) {
      return undefined;
    }
    return record.value;
  }

  /** Decodes bytes with schemas already seen, for synchronous views in tests. */
  decodeKnown(topic: TopicDefinition, bytes: Buffer): unknown {
    return this.codecFor(topic).decodeKnown(bytes);
  }
}

function writtenVersion(topic: TopicDefinition, record: DeliveredRecord): number {
  const header = envelopeField(record.headers, 'schemaVersion');
  if (header === undefined) return topic.version;
  const version = Number(header);
  if (!/^[0-9]+$/.test(header) || version < 1) {
    throw new DeserializationError(
      topic.name,
      'value',
      `its schema version (${ENVELOPE_HEADER} or ${HeaderNames.SCHEMA_VERSION} header) is "${header}", not a version number`,
    );
  }
  return version;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Avro has no Infinity problem of its own (avsc writes doubles as they are). */
function nonFinitePaths(schema: TopicSchema, value: unknown): string[] {
  return schema.type === 'AVRO' ? [] : nonFiniteNumberPaths(value);
}

function readRecord(key: ReadRecord['key'], version: number, written: WrittenValue): ReadRecord {
  return { key, value: written.value, version, writerSchema: written.writerSchema };
}

function decodeError(topic: TopicDefinition, error: unknown): StreamwiseError {
  if (error instanceof StreamwiseError) return error;
  return new DeserializationError(topic.name, 'value', reason(error), error);
}
