import { DeserializationError } from '../errors/deserialization-error';
import type { TopicKey } from '../topic/key-serde';
import type { TopicDefinition } from '../topic/topic-definition';
import type { DeliveredRecord } from '../transport/transport';

export interface DecodedRecord {
  readonly key: TopicKey | undefined;
  /** undefined for a tombstone. */
  readonly value: unknown;
}

/** Decodes key and value with the topic's serdes; DeserializationError names the part that failed. */
export function decodeRecord(topic: TopicDefinition, record: DeliveredRecord): DecodedRecord {
  const key = decodeKey(topic, record);
  if (record.value === null) return { key, value: undefined };
  try {
    return { key, value: topic.valueSerde.deserialize(record.value) };
  } catch (error) {
    throw new DeserializationError(topic.name, 'value', reason(error), error);
  }
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
