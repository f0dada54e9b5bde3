import type { TopicDefinition } from '../model/topics/topic-definition';
import type { ValueCodec, WrittenValue } from './value-codec';

/** Values through the topic's own valueSerde (JSON by default), as without a registry. */
export class SerdeValueCodec implements ValueCodec {
  readonly #topic: TopicDefinition;

  constructor(topic: TopicDefinition) {
    this.#topic = topic;
  }

  encode(value: unknown): Buffer {
    return this.#topic.valueSerde.serialize(value);
  }

  decode(bytes: Buffer): WrittenValue {
    return { value: this.decodeKnown(bytes), writerSchema: undefined };
  }

  decodeKnown(bytes: Buffer): unknown {
    return this.#topic.valueSerde.deserialize(bytes);
  }
}
