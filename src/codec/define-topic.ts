import { InvalidTopicDefinitionError } from '../errors/invalid-topic-definition-error';
import type { AvroRecordSchema } from '../model/topics/avro-schema';
import type { CompatibilityLevel } from '../model/topics/compatibility-level';
import { jsonSerde } from '../model/topics/json-serde';
import type { TopicKey } from '../model/topics/key-serde';
import { textKeySerde } from '../model/topics/key-serde';
import type { Serde } from '../model/topics/serde';
import type { JsonSchema, TopicDefinition, Upcaster } from '../model/topics/topic-definition';
import { TOPIC_BRAND } from '../model/topics/topic-definition';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import { UNSIGNED_RECORDS_POLICIES } from '../model/topics/unsigned-records';
import { checkTopicSchemaOptions } from './schema/check-topic-schema-options';

interface BaseTopicOptions<T, K extends TopicKey> {
  /** Kafka topic name: letters, digits, '.', '_' and '-', at most 249 characters. */
  name: string;
  /** The business entity the topic carries, e.g. "Order". */
  entity: string;
  /** The partitioning key: records with the same key stay in order on one partition. */
  key: (value: T) => K;
  /** Entity id for event ids when it differs from the partitioning key. */
  id?: (value: T) => string | number;
  /** The entity's own revision, used as the version in event ids; without it ids are `-v<version>-<ULID>`. */
  revision?: (value: T) => number;
  /** Schema version of values written now (default 1). */
  version?: number;
  /** Default 1. Fixed for the life of the topic: changing it moves keys. */
  partitions?: number;
  /** Keep only the latest value per key; publishing a tombstone deletes the key. */
  compacted?: boolean;
  /** JSON Schema (draft-07, or 2020-12 when its `$schema` says so) of the values. */
  schema?: JsonSchema;
  /** Avro record schema of the values, instead of `schema`. */
  avro?: AvroRecordSchema;
  /** Rule between schema versions in the registry (default BACKWARD). */
  compatibility?: CompatibilityLevel;
  /** `upcast[n]` turns a version n value into version n + 1; keys run without gaps up to version - 1. */
  upcast?: Readonly<Record<number, Upcaster>>;
  /**
   * The @Service name of the topic's single writer. Every app that reads the topic checks each
   * record's producer (in its envelope) against it, also when the owner runs in another process; a service
   * declaring @OwnsTopic on it must have this name.
   */
  owner?: string;
  /** Records without a producer in their envelope (a foreign writer's): 'accept' (default), 'warn' or 'dead-letter'. */
  unsignedRecords?: UnsignedRecordsPolicy;
  config?: Record<string, string>;
  valueSerde?: Serde<T>;
  keySerde?: Serde<K>;
}

/** Numeric keys must say so (keyType: 'number'), so they decode back to numbers, not text. */
export type TopicOptions<T, K extends TopicKey> = BaseTopicOptions<T, K> &
  ([K] extends [number] ? { keyType: 'number' } : { keyType?: 'string' });

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** The rule @Service applies to service names. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,98}[a-z0-9]$/;

/** Declares a business topic (principle 2). Validated here, so mistakes fail at import time. */
export function defineTopic<T, K extends TopicKey = string>(
  options: TopicOptions<T, K>,
): TopicDefinition<T, K> {
  const name = typeof options.name === 'string' ? options.name : String(options.name);
  const fail = (problem: string): never => {
    throw new InvalidTopicDefinitionError(name, problem);
  };

  if (typeof options.name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    fail("name must be 1-249 characters of letters, digits, '.', '_' or '-'");
  }
  if (name.endsWith('.dlq')) fail("names ending in '.dlq' are reserved for dead-letter topics");
  if (name.startsWith('__'))
    fail("names starting with '__' are reserved for Kafka's internal topics");
  if (typeof options.entity !== 'string' || !ENTITY_NAME.test(options.entity)) {
    fail('entity must be an identifier such as "Order" (it becomes part of every event id)');
  }
  if (typeof options.key !== 'function') fail('key must be a function from a value to its key');
  const version = options.version ?? 1;
  if (!Number.isInteger(version) || version < 1) fail('version must be an integer >= 1');
  const partitions = options.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 10_000) {
    fail('partitions must be an integer between 1 and 10000');
  }
  const keyType = options.keyType ?? 'string';
  if (keyType !== 'string' && keyType !== 'number') fail("keyType must be 'string' or 'number'");
  if (
    options.owner !== undefined &&
    (typeof options.owner !== 'string' || !SERVICE_NAME.test(options.owner))
  ) {
    fail(
      `owner must be the @Service name of the topic's single writer (kebab-case, e.g. 'orders-service'), got ${JSON.stringify(options.owner)}`,
    );
  }
  if (
    options.unsignedRecords !== undefined &&
    !UNSIGNED_RECORDS_POLICIES.includes(options.unsignedRecords)
  ) {
    fail("unsignedRecords must be 'accept', 'warn' or 'dead-letter'");
  }
  const schemas = checkTopicSchemaOptions(options, version, fail);
  const idOf = options.id ?? options.key;
  const revision = options.revision;

  const definition: TopicDefinition<T, K> = {
    [TOPIC_BRAND]: true,
    name,
    entity: options.entity,
    version,
    partitions,
    compacted: options.compacted ?? false,
    keyType,
    schema: options.schema,
    avro: options.avro,
    compatibility: schemas.compatibility,
    upcast: schemas.upcast,
    owner: options.owner,
    unsignedRecords: options.unsignedRecords,
    config: Object.freeze({ ...(options.config ?? {}) }),
    keyOf: (value) => options.key(value),
    entityIdOf: (value) => String(idOf(value)),
    revisionOf: (value) => {
      if (revision === undefined) return version;
      const result = revision(value);
      if (!Number.isInteger(result) || result < 0) {
        throw new TypeError(`revision must return a whole number >= 0, got ${String(result)}`);
      }
      return result;
    },
    hasRevision: revision !== undefined,
    keySerde: options.keySerde ?? textKeySerde<K>(keyType),
    valueSerde: options.valueSerde ?? jsonSerde<T>(),
  };
  return Object.freeze(definition);
}
