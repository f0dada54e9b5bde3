import { avroProblems } from './avro-validator';
import { jsonSchemaProblems } from './json-schema-validator';
import type { TopicSchema } from './topic-schema';

/** Every failing path of `value` against a schema of either kind; empty when it is valid. */
export function schemaProblems(schema: TopicSchema, value: unknown): string[] {
  return schema.type === 'AVRO'
    ? avroProblems(schema.schema, value)
    : jsonSchemaProblems(schema.schema, value);
}
