import { SchemaIncompatibleError } from '../../errors/schema-incompatible-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import type { CompatibilityLevel } from '../../model/topics/compatibility-level';
import { isCompatibilityLevel } from '../../model/topics/compatibility-level';
import { readOptions } from '../../options/read-options';
import { avroTypeOf } from '../schema/avro-validator';
import type { SchemaVersion } from '../schema/compatibility/compatibility-problems';
import { compatibilityProblems } from '../schema/compatibility/compatibility-problems';
import { compileJsonSchema } from '../schema/json-schema-validator';
import type { SchemaType } from '../schema/topic-schema';
import type { RegistryConnection, RegistryResponse } from './registry-http';
import { errorMessage, registryConnection, registryRequest } from './registry-http';
import type { ConfluentSchemaRegistryOptions } from './registry-options-spec';
import { REGISTRY_CLIENT_OPTIONS } from './registry-options-spec';
import { topicSchemaFromDocument } from './schema-document';
import type {
  CompatibilityResult,
  RegisteredSchema,
  SchemaDocument,
  SchemaRegistry,
} from './schema-registry';

/**
 * A Confluent-compatible registry over its REST API (Confluent's paths; Apicurio's ccompat API
 * answers them too). When the registry refuses a
 * schema without saying why (Apicurio does), the same local check InMemorySchemaRegistry uses
 * explains it against the registered versions, so messages always name the field.
 */
export class ConfluentSchemaRegistryClient implements SchemaRegistry {
  readonly url: string;
  readonly #connection: RegistryConnection;

  constructor(options: ConfluentSchemaRegistryOptions) {
    const { url, auth, tls } = readOptions(REGISTRY_CLIENT_OPTIONS, options);
    this.url = url.replace(/\/+$/, '');
    this.#connection = registryConnection(this.url, auth, tls);
  }

  async register(subject: string, schema: SchemaDocument, type: SchemaType): Promise<number> {
    // Refuse what could never be a schema before the registry sees it, as Confluent's clients do.
    validateSchemaDocument(schema, type);
    const path = `/subjects/${encode(subject)}/versions`;
    // Confluent's API reads a missing schemaType as AVRO.
    const body = {
      schema: JSON.stringify(schema),
      ...(type === 'AVRO' ? {} : { schemaType: type }),
    };
    const answer = await withRetries(() => this.#request('POST', path, body));
    if (answer.status === 409) {
      const level = await this.#effectiveLevel(subject);
      throw new SchemaIncompatibleError(
        subject,
        level,
        await this.#explain(subject, level, schema, type),
      );
    }
    const id = field(this.#expectOk(answer, `register a ${type} schema under "${subject}"`), 'id');
    if (typeof id !== 'number') {
      throw new SchemaRegistryError(
        `The schema registry at ${this.url} registered a schema under "${subject}" but answered no id: ${JSON.stringify(answer.body)}.`,
      );
    }
    return id;
  }

  async getSchema(id: number): Promise<RegisteredSchema> {
    const found = await this.#request('GET', `/schemas/ids/${id}`);
    if (found.status === 404) {
      throw new SchemaRegistryError(`Schema id ${id} is not in the registry at ${this.url}.`, {
        status: 404,
      });
    }
    const { schema, type } = this.#document(this.#expectOk(found, `look up schema id ${id}`));
    const where = await this.#request('GET', `/schemas/ids/${id}/versions`);
    const first: unknown = Array.isArray(where.body) ? where.body[0] : undefined;
    const subject = field(first, 'subject');
    const version = field(first, 'version');
    return {
      schema,
      type,
      subject: typeof subject === 'string' ? subject : '',
      version: typeof version === 'number' ? version : 0,
    };
  }

  async latestVersion(subject: string): Promise<number | undefined> {
    const found = await this.#request('GET', `/subjects/${encode(subject)}/versions/latest`);
    if (found.status === 404) return undefined;
    const version = field(
      this.#expectOk(found, `read the latest version of "${subject}"`),
      'version',
    );
    return typeof version === 'number' ? version : undefined;
  }

  async checkCompatibility(
    subject: string,
    schema: SchemaDocument,
    type: SchemaType,
  ): Promise<CompatibilityResult> {
    // Confluent picks the versions to compare with by the level; Apicurio compares with every
    // version unless asked for the latest, so ask for what the level means.
    const level = await this.#effectiveLevel(subject);
    const against = level.endsWith('_TRANSITIVE') ? 'versions' : 'versions/latest';
    const answer = await this.#request(
      'POST',
      `/compatibility/subjects/${encode(subject)}/${against}?verbose=true`,
      { schema: JSON.stringify(schema), schemaType: type },
    );
    // No versions yet: anything may be the first one.
    if (answer.status === 404) return { compatible: true, messages: [] };
    const body = this.#expectOk(answer, `check a schema against "${subject}"`);
    if (field(body, 'is_compatible') === true) return { compatible: true, messages: [] };
    const given = field(body, 'messages');
    const messages = Array.isArray(given) ? given.map(String) : [];
    if (messages.length > 0) return { compatible: false, messages };
    return { compatible: false, messages: await this.#explain(subject, level, schema, type) };
  }

  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const answer = await this.#request('PUT', `/config/${encode(subject)}`, {
      compatibility: level,
    });
    // Apicurio stores NONE as "no rule" and answers 404 for a subject that has no versions and no
    // rule yet: the subject then has no rule, which is what NONE asks for.
    if (answer.status === 404 && level === 'NONE') return;
    this.#expectOk(answer, `set the compatibility of "${subject}" to ${level}`);
  }

  /** The subject's own level, undefined when it has none (it follows the global one). */
  async #subjectLevel(subject: string): Promise<CompatibilityLevel | undefined> {
    const answer = await this.#request('GET', `/config/${encode(subject)}`);
    const level = answer.status === 200 ? field(answer.body, 'compatibilityLevel') : undefined;
    return isCompatibilityLevel(level) ? level : undefined;
  }

  async #effectiveLevel(subject: string): Promise<CompatibilityLevel> {
    const own = await this.#subjectLevel(subject);
    if (own !== undefined) return own;
    const global = await this.#request('GET', '/config');
    const level = field(global.body, 'compatibilityLevel');
    return isCompatibilityLevel(level) ? level : 'BACKWARD';
  }

  /** Why the registry refused `schema`, worked out locally against the subject's versions. */
  async #explain(
    subject: string,
    level: CompatibilityLevel,
    schema: SchemaDocument,
    type: SchemaType,
  ): Promise<string[]> {
    const listed = await this.#request('GET', `/subjects/${encode(subject)}/versions`);
    const numbers = Array.isArray(listed.body)
      ? listed.body.filter((v): v is number => typeof v === 'number')
      : [];
    const versions: SchemaVersion[] = [];
    for (const version of numbers) {
      const found = await this.#request('GET', `/subjects/${encode(subject)}/versions/${version}`);
      if (found.status !== 200) continue;
      const document = this.#document(found.body);
      versions.push({ version, schema: topicSchemaFromDocument(document.schema, document.type) });
    }
    const problems = compatibilityProblems(level, topicSchemaFromDocument(schema, type), versions);
    return problems.length > 0
      ? problems
      : [`the registry found it incompatible under ${level} without saying why`];
  }

  #document(body: unknown): { schema: SchemaDocument; type: SchemaType } {
    const text = field(body, 'schema');
    const declared = field(body, 'schemaType') ?? 'AVRO';
    if (declared !== 'AVRO' && declared !== 'JSON') {
      throw new SchemaRegistryError(
        `The registry at ${this.url} holds a ${JSON.stringify(declared)} schema; streamwise reads JSON Schema and Avro only.`,
      );
    }
    let schema: unknown;
    try {
      schema = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch {
      schema = undefined;
    }
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new SchemaRegistryError(
        `The registry at ${this.url} returned a schema that is not a JSON object: ${String(text).slice(0, 200)}.`,
      );
    }
    return { schema: schema as SchemaDocument, type: declared };
  }

  #request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<RegistryResponse> {
    return registryRequest(this.#connection, method, path, body);
  }

  #expectOk(response: RegistryResponse, action: string): unknown {
    if (response.status >= 200 && response.status < 300) return response.body;
    throw new SchemaRegistryError(
      `The schema registry at ${this.url} could not ${action}: HTTP ${response.status}, ${errorMessage(response.body)}.`,
      { status: response.status },
    );
  }
}

function encode(subject: string): string {
  return encodeURIComponent(subject);
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** The registry's 5xx answers and dropped connections are worth two more tries. */
async function withRetries<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof SchemaRegistryError) || !error.retriable) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

function validateSchemaDocument(schema: SchemaDocument, type: SchemaType): void {
  const topicSchema = topicSchemaFromDocument(schema, type);
  if (topicSchema.type === 'JSON') compileJsonSchema(topicSchema.schema);
  else avroTypeOf(topicSchema.schema);
}
