import { DeserializationError } from '../errors/deserialization-error';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { DeliveredRecord } from '../transport/transport';

export interface DecodedRecord {
  readonly key: TopicKey | undefined;
  /** undefined for a tombstone. */
  readonly value: unknown;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The record's key with the topic's key serde (undefined for a null key). */
export function decodeKey(topic: TopicDefinition, record: DeliveredRecord): TopicKey | undefined {
  try {
    return record.key === null ? undefined : topic.keySerde.deserialize(record.key);
  } catch (error) {
    throw new DeserializationError(topic.name, 'key', reason(error), error);
  }
}
