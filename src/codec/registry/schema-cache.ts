import { SchemaRegistryError } from '../../errors/schema-registry-error';
import type { TopicSchema } from '../schema/topic-schema';
import { topicSchemaFromDocument } from './schema-document';
import type { SchemaRegistry } from './schema-registry';

/**
 * Schemas by registry id, shared by an app's codecs: each id is fetched once (ids never change
 * meaning) and kept, so decoding asks the registry only for ids it has not met.
 */
export class SchemaCache {
  readonly #registry: SchemaRegistry;
  readonly #known = new Map<number, TopicSchema>();
  readonly #pending = new Map<number, Promise<TopicSchema>>();

  constructor(registry: SchemaRegistry) {
    this.#registry = registry;
  }

  known(id: number): TopicSchema | undefined {
    return this.#known.get(id);
  }

  remember(id: number, schema: TopicSchema): void {
    this.#known.set(id, schema);
  }

  /** The schema with `id`; rejects with SchemaRegistryError (404 when the id is unknown). */
  fetch(id: number): Promise<TopicSchema> {
    const known = this.#known.get(id);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.#pending.get(id);
    if (pending === undefined) {
      pending = this.#load(id).finally(() => this.#pending.delete(id));
      this.#pending.set(id, pending);
    }
    return pending;
  }

  async #load(id: number): Promise<TopicSchema> {
    const found = await this.#registry.getSchema(id);
    let schema: TopicSchema;
    try {
      schema = topicSchemaFromDocument(found.schema, found.type);
    } catch (error) {
      throw new SchemaRegistryError(
        `Schema id ${id} cannot be used: ${error instanceof Error ? error.message : String(error)}.`,
        { cause: error },
      );
    }
    this.#known.set(id, schema);
    return schema;
  }
}
