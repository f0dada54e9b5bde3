import { readEnvelope } from '../model/topics/envelope-header';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { StoredRecord } from '../transport/memory/memory-partition';
import type { MemoryTopic } from '../transport/memory/memory-topic';
import type { TopicRecord } from './topic-record';

/** A read-only look at one topic of the memory broker, in the order records were written. */
export class TopicView<T, K extends TopicKey = TopicKey> {
  readonly #topic: MemoryTopic;
  readonly #definition: TopicDefinition<T, K> | undefined;
  readonly #decode: ((bytes: Buffer) => T) | undefined;

  /** `decode` reads values instead of the topic's serde (the app's codec: registry wire format). */
  constructor(
    topic: MemoryTopic,
    definition: TopicDefinition<T, K> | undefined,
    decode?: (bytes: Buffer) => T,
  ) {
    this.#topic = topic;
    this.#definition = definition;
    this.#decode = decode;
  }

  /** Every record, decoded with the topic's serdes (raw UTF-8 text for a topic given by name). */
  records(): TopicRecord<T, K>[] {
    return this.#stored().map((record) => ({
      partition: record.partition,
      offset: record.offset,
      key: this.#decodeKey(record.key),
      value: this.#decodeValue(record.value),
      headers: record.headers,
      envelope: readEnvelope(record.headers),
      timestamp: record.timestamp,
    }));
  }

  /** The values, tombstones left out. */
  values(): T[] {
    return this.records()
      .map((r) => r.value)
      .filter((v): v is T => v !== undefined);
  }

  /** Raw bytes, for tests of malformed input. */
  raw(): readonly StoredRecord[] {
    return this.#stored();
  }

  get count(): number {
    return this.#stored().length;
  }

  #stored(): StoredRecord[] {
    return this.#topic.partitions
      .flatMap((p) => [...p.records()])
      .sort((a, b) => a.sequence - b.sequence);
  }

  #decodeKey(key: Buffer | null): K | undefined {
    if (key === null) return undefined;
    return this.#definition === undefined
      ? (key.toString('utf8') as K)
      : this.#definition.keySerde.deserialize(key);
  }

  #decodeValue(value: Buffer | null): T | undefined {
    if (value === null) return undefined;
    if (this.#decode !== undefined) return this.#decode(value);
    if (this.#definition !== undefined) return this.#definition.valueSerde.deserialize(value);
    const text = value.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }
}
