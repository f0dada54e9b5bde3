import type { TopicSchema } from './schema/topic-schema';

/** A value as its bytes say it was written. */
export interface WrittenValue {
  readonly value: unknown;
  /** The schema the bytes name (a registry id); undefined when the bytes name none. */
  readonly writerSchema: TopicSchema | undefined;
}

/**
 * Turns one topic's values into record bytes and back, chosen per topic when the app starts: the
 * registry wire format for a topic with a schema and a registry, else the topic's own valueSerde.
 */
export interface ValueCodec {
  /** Synchronous when nothing needs the registry: most records then cost no promise here. */
  encode(value: unknown): Buffer | Promise<Buffer>;
  /** Throws DeserializationError for bytes it cannot read; a retriable error when it cannot tell yet. */
  decode(bytes: Buffer): WrittenValue | Promise<WrittenValue>;
  /** Decodes using only schemas already seen, for synchronous views in tests; throws otherwise. */
  decodeKnown(bytes: Buffer): unknown;
}
