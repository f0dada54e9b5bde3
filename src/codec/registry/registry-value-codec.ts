import { DeserializationError } from '../../errors/deserialization-error';
import { StreamwiseError } from '../../errors/streamwise-error';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type { TopicSchema } from '../schema/topic-schema';
import { valueSubject } from '../schema/topic-schema';
import type { ValueCodec, WrittenValue } from '../value-codec';
import { decodePayload, encodePayload } from './registry-payload';
import type { SchemaCache } from './schema-cache';
import type { SchemaRegistry } from './schema-registry';
import { decodeWireFormat, encodeWireFormat } from './wire-format';

/**
 * A topic's values in the Confluent wire format. Writes carry the id of the topic's schema (set at
 * start-up for owned topics, registered on first write otherwise); reads decode with the schema
 * their id names, fetched once per id.
 */
export class RegistryValueCodec implements ValueCodec {
  readonly #topic: TopicDefinition;
  readonly #schema: TopicSchema;
  readonly #registry: SchemaRegistry;
  readonly #cache: SchemaCache;
  #writerId: Promise<number> | undefined;

  constructor(
    topic: TopicDefinition,
    schema: TopicSchema,
    registry: SchemaRegistry,
    cache: SchemaCache,
  ) {
    this.#topic = topic;
    this.#schema = schema;
    this.#registry = registry;
    this.#cache = cache;
  }

  /** The id start-up registration got for the topic's schema. */
  useSchemaId(id: number): void {
    this.#cache.remember(id, this.#schema);
    this.#writerId = Promise.resolve(id);
  }

  async encode(value: unknown): Promise<Buffer> {
    const id = await this.#schemaId();
    return encodeWireFormat(id, encodePayload(this.#schema, value));
  }

  async decode(bytes: Buffer): Promise<WrittenValue> {
    const { schemaId, payload } = this.#split(bytes);
    let writerSchema: TopicSchema;
    try {
      writerSchema = await this.#cache.fetch(schemaId);
    } catch (error) {
      // An unreachable registry is not the record's fault: let the transport deliver it again.
      if (error instanceof StreamwiseError && error.retriable) throw error;
      throw this.#undecodable(`its schema id ${schemaId} cannot be read: ${reason(error)}`, error);
    }
    try {
      return { value: decodePayload(writerSchema, payload), writerSchema };
    } catch (error) {
      throw this.#undecodable(
        `the payload does not decode with schema id ${schemaId}: ${reason(error)}`,
        error,
      );
    }
  }

  decodeKnown(bytes: Buffer): unknown {
    const { schemaId, payload } = decodeWireFormat(bytes);
    const schema = this.#cache.known(schemaId);
    if (schema === undefined) throw new Error(`schema id ${schemaId} has not been seen yet`);
    return decodePayload(schema, payload);
  }

  #schemaId(): Promise<number> {
    if (this.#writerId === undefined) {
      // Not registered at start-up (no service here owns the topic): register as any producer would.
      const pending = this.#registry
        .register(valueSubject(this.#topic.name), this.#schema.schema, this.#schema.type)
        .then((id) => {
          this.#cache.remember(id, this.#schema);
          return id;
        });
      this.#writerId = pending;
      pending.catch(() => {
        if (this.#writerId === pending) this.#writerId = undefined; // try again next time
      });
    }
    return this.#writerId;
  }

  #split(bytes: Buffer): ReturnType<typeof decodeWireFormat> {
    try {
      return decodeWireFormat(bytes);
    } catch (error) {
      throw this.#undecodable(reason(error), error);
    }
  }

  #undecodable(why: string, cause: unknown): DeserializationError {
    return new DeserializationError(this.#topic.name, 'value', why, cause);
  }
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
