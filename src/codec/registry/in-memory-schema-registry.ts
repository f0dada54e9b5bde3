import { SchemaIncompatibleError } from '../../errors/schema-incompatible-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import type { CompatibilityLevel } from '../../model/topics/compatibility-level';
import { avroTypeOf } from '../schema/avro-validator';
import type { SchemaVersion } from '../schema/compatibility/compatibility-problems';
import { compatibilityProblems } from '../schema/compatibility/compatibility-problems';
import { compileJsonSchema } from '../schema/json-schema-validator';
import type { SchemaType, TopicSchema } from '../schema/topic-schema';
import { canonicalSchemaText, topicSchemaFromDocument } from './schema-document';
import type {
  CompatibilityResult,
  RegisteredSchema,
  SchemaDocument,
  SchemaRegistry,
} from './schema-registry';

interface StoredVersion extends SchemaVersion {
  readonly id: number;
}

/**
 * A schema registry in memory, for TestBed and unit tests. It answers like a Confluent-compatible
 * registry: global ids shared by equal schemas, per-subject versions, a compatibility level per
 * subject (default BACKWARD) checked on register, and 404-style errors for unknown ids.
 */
export class InMemorySchemaRegistry implements SchemaRegistry {
  readonly #idsByContent = new Map<string, number>();
  readonly #schemasById = new Map<number, RegisteredSchema>();
  readonly #subjects = new Map<string, StoredVersion[]>();
  readonly #levels = new Map<string, CompatibilityLevel>();
  readonly #defaultLevel: CompatibilityLevel;

  constructor(options: { defaultCompatibility?: CompatibilityLevel } = {}) {
    this.#defaultLevel = options.defaultCompatibility ?? 'BACKWARD';
  }

  register(subject: string, schema: SchemaDocument, type: SchemaType): Promise<number> {
    return settle(() => this.#register(subject, schema, type));
  }

  getSchema(id: number): Promise<RegisteredSchema> {
    const found = this.#schemasById.get(id);
    return found === undefined
      ? Promise.reject(
          new SchemaRegistryError(`Schema id ${id} is not in the registry.`, { status: 404 }),
        )
      : Promise.resolve(found);
  }

  latestVersion(subject: string): Promise<number | undefined> {
    return Promise.resolve(this.#subjects.get(subject)?.at(-1)?.version);
  }

  checkCompatibility(
    subject: string,
    schema: SchemaDocument,
    type: SchemaType,
  ): Promise<CompatibilityResult> {
    return settle(() => {
      const versions = this.#subjects.get(subject) ?? [];
      const messages = compatibilityProblems(this.#levelOf(subject), parse(schema, type), versions);
      return { compatible: messages.length === 0, messages };
    });
  }

  setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    this.#levels.set(subject, level);
    return Promise.resolve();
  }

  /** The subjects registered so far, for tests. */
  subjects(): string[] {
    return [...this.#subjects.keys()];
  }

  #register(subject: string, schema: SchemaDocument, type: SchemaType): number {
    const candidate = parse(schema, type);
    const content = contentKey(candidate);
    const versions = this.#subjects.get(subject) ?? [];
    // Registering a schema the subject already has is a lookup, as in Confluent's registry.
    const existing = versions.find((v) => contentKey(v.schema) === content);
    if (existing !== undefined) return existing.id;
    const level = this.#levelOf(subject);
    const problems = compatibilityProblems(level, candidate, versions);
    if (problems.length > 0) throw new SchemaIncompatibleError(subject, level, problems);
    const version = (versions.at(-1)?.version ?? 0) + 1;
    let id = this.#idsByContent.get(content);
    if (id === undefined) {
      id = this.#idsByContent.size + 1;
      this.#idsByContent.set(content, id);
      this.#schemasById.set(id, { schema, type, version, subject });
    }
    this.#subjects.set(subject, [...versions, { id, version, schema: candidate }]);
    return id;
  }

  #levelOf(subject: string): CompatibilityLevel {
    return this.#levels.get(subject) ?? this.#defaultLevel;
  }
}

/** The registry's answers are asynchronous, like a real one's: failures reject, never throw. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

function parse(schema: SchemaDocument, type: SchemaType): TopicSchema {
  try {
    const parsed = topicSchemaFromDocument(schema, type);
    // A real registry refuses schemas it cannot parse (HTTP 422); so does this one.
    if (parsed.type === 'AVRO') avroTypeOf(parsed.schema);
    else compileJsonSchema(parsed.schema);
    return parsed;
  } catch (error) {
    throw new SchemaRegistryError(
      `Invalid ${type} schema: ${error instanceof Error ? error.message : String(error)}.`,
      { status: 422 },
    );
  }
}

function contentKey(schema: TopicSchema): string {
  return `${schema.type}:${canonicalSchemaText(schema.schema)}`;
}
