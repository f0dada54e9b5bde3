import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import type { SchemaType, TopicSchema } from '../schema/topic-schema';
import type { SchemaDocument } from './schema-registry';

/** A registry document as a TopicSchema; throws when an Avro schema is not a record schema. */
export function topicSchemaFromDocument(schema: SchemaDocument, type: SchemaType): TopicSchema {
  if (type === 'JSON') return { type, schema };
  if (
    schema.type !== 'record' ||
    typeof schema.name !== 'string' ||
    !Array.isArray(schema.fields)
  ) {
    throw new Error('the Avro schema is not a record schema ({ type: "record", name, fields })');
  }
  return { type, schema: schema as AvroRecordSchema };
}

/** The schema as JSON with object keys sorted, so equal schemas give equal text. */
export function canonicalSchemaText(schema: unknown): string {
  return JSON.stringify(sortKeys(schema));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
