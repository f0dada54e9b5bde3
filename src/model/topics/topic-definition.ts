import type { AvroRecordSchema } from './avro-schema';
import type { CompatibilityLevel } from './compatibility-level';
import type { TopicKey } from './key-serde';
import type { Serde } from './serde';
import type { UnsignedRecordsPolicy } from './unsigned-records';

/** A JSON Schema document (draft 2020-12 or 07) describing a topic's values. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Turns a value written at schema version n into version n + 1. */
export type Upcaster = (old: unknown) => unknown;

const TOPIC_BRAND = Symbol.for('streamwise.topic');

/**
 * A business topic: its name, the entity it carries, how to key it and at which version. Made by
 * defineTopic(); immutable. Decorators and the runtime both refer to topics by this object, so a
 * typo in a topic name is a compile error rather than a silent new topic.
 */
export interface TopicDefinition<T = unknown, K extends TopicKey = TopicKey> {
  readonly [TOPIC_BRAND]: true;
  readonly name: string;
  /** The business entity, e.g. "Order"; part of every event id. */
  readonly entity: string;
  /** Schema version of the values written now. */
  readonly version: number;
  readonly partitions: number;
  readonly compacted: boolean;
  readonly keyType: 'string' | 'number';
  readonly schema: JsonSchema | undefined;
  /** The Avro record schema of the values (a topic has `schema` or `avro`, not both). */
  readonly avro: AvroRecordSchema | undefined;
  /** The rule its registry subject enforces between schema versions (default BACKWARD). */
  readonly compatibility: CompatibilityLevel;
  /** Upcasters by the version they read: `upcast[n]` turns a version n value into version n + 1. */
  readonly upcast: Readonly<Record<number, Upcaster>>;
  /**
   * The service that is the topic's single writer, when the definition names it: every app that
   * reads the topic then knows which producer to expect in its records' envelopes, not only the app that runs the owner.
   */
  readonly owner: string | undefined;
  /** What consumers do with records without a producer in their envelope; the app's default if unset. */
  readonly unsignedRecords: UnsignedRecordsPolicy | undefined;
  /** Broker-level topic configs, e.g. { 'retention.ms': '604800000' }. */
  readonly config: Readonly<Record<string, string>>;
  /** The partitioning key of a value. */
  keyOf(value: T): K;
  /** The entity id that goes into the event id (defaults to the key). */
  entityIdOf(value: T): string;
  /** The version in the event id: the entity's own revision if the topic defines one, else `version`. */
  revisionOf(value: T): number;
  /** Whether the topic defines `revision`: then event ids are `-v<revision>`, else they end in a ULID. */
  readonly hasRevision: boolean;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<T>;
}

export function isTopicDefinition(candidate: unknown): candidate is TopicDefinition {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate as Partial<Record<typeof TOPIC_BRAND, unknown>>)[TOPIC_BRAND] === true
  );
}

export { TOPIC_BRAND };
