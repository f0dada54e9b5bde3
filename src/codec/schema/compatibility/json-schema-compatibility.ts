import type { JsonSchema } from '../../../model/topics/topic-definition';

type SchemaObject = Readonly<Record<string, unknown>>;

/**
 * Why a JSON Schema `reader` may reject data valid under `writer`, naming each field; empty when
 * it accepts all of it. Covers the common evolutions: properties added, removed, made required or
 * retyped, enums narrowed, nested objects and array items. A closed content model
 * (`additionalProperties: false`) refuses fields it does not know; an open one lets them through
 * but may then meet a new property with any type, as the Confluent and Apicurio registries judge.
 */
export function jsonReaderIssues(reader: JsonSchema, writer: JsonSchema): string[] {
  return compare(reader, writer, '');
}

function compare(reader: unknown, writer: unknown, path: string): string[] {
  if (JSON.stringify(reader) === JSON.stringify(writer)) return [];
  if (reader === true || (isObject(reader) && Object.keys(reader).length === 0)) return [];
  if (!isObject(reader) || !isObject(writer)) return [`${where(path)} changed its schema`];

  const readerTypes = typesOf(reader);
  const writerTypes = typesOf(writer);
  if (readerTypes !== undefined) {
    if (writerTypes === undefined) {
      return [`${where(path)} could be of any type and must now be ${readerTypes.join(' or ')}`];
    }
    if (writerTypes.some((type) => !accepts(readerTypes, type))) {
      return [
        `${where(path)} changed type from ${writerTypes.join(' or ')} to ${readerTypes.join(' or ')}`,
      ];
    }
  }
  const issues = enumIssues(reader, writer, path);
  if (readerTypes?.includes('object') ?? isObject(reader.properties)) {
    issues.push(...objectIssues(reader, writer, path));
  }
  if (readerTypes?.includes('array') === true && reader.items !== undefined) {
    issues.push(...compare(reader.items, writer.items ?? {}, `${path}[]`));
  }
  return issues;
}

function objectIssues(reader: SchemaObject, writer: SchemaObject, path: string): string[] {
  const readerProperties = propertiesOf(reader);
  const writerProperties = propertiesOf(writer);
  const readerRequired = requiredOf(reader);
  const writerRequired = requiredOf(writer);
  const readerClosed = reader.additionalProperties === false;
  const writerClosed = writer.additionalProperties === false;
  const issues: string[] = [];

  for (const [name, writerProperty] of Object.entries(writerProperties)) {
    const field = join(path, name);
    if (name in readerProperties) {
      issues.push(...compare(readerProperties[name], writerProperty, field));
    } else if (readerClosed) {
      issues.push(
        `field "${field}" is not allowed by the reader (additionalProperties: false), but the writer's data has it`,
      );
    }
  }
  for (const name of readerRequired) {
    if (writerRequired.has(name)) continue;
    const field = join(path, name);
    issues.push(
      name in writerProperties
        ? `field "${field}" is required by the reader but optional in the writer's data`
        : `field "${field}" is required by the reader but missing from the writer's data`,
    );
  }
  for (const name of Object.keys(readerProperties)) {
    if (name in writerProperties || readerRequired.has(name) || writerClosed) continue;
    issues.push(
      `field "${join(path, name)}" is new to the reader, but the writer's open content model (no additionalProperties: false) may carry it with any type`,
    );
  }
  if (readerClosed && !writerClosed) {
    issues.push(
      `${where(path)} allows no undeclared fields in the reader (additionalProperties: false), but the writer's data may have any`,
    );
  }
  return issues;
}

function enumIssues(reader: SchemaObject, writer: SchemaObject, path: string): string[] {
  if (!Array.isArray(reader.enum)) return [];
  if (!Array.isArray(writer.enum)) {
    return [`${where(path)} is now restricted to ${JSON.stringify(reader.enum)}`];
  }
  const allowed = new Set(reader.enum.map((v) => JSON.stringify(v)));
  const dropped = writer.enum.filter((v) => !allowed.has(JSON.stringify(v)));
  return dropped.length === 0
    ? []
    : [`${where(path)} no longer allows ${dropped.map((v) => JSON.stringify(v)).join(', ')}`];
}

function typesOf(schema: SchemaObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((t): t is string => typeof t === 'string');
  if (isObject(schema.properties)) return ['object'];
  return undefined;
}

/** JSON Schema's `number` includes integers. */
function accepts(readerTypes: readonly string[], writerType: string): boolean {
  return (
    readerTypes.includes(writerType) || (writerType === 'integer' && readerTypes.includes('number'))
  );
}

function propertiesOf(schema: SchemaObject): Record<string, unknown> {
  return isObject(schema.properties) ? { ...schema.properties } : {};
}

function requiredOf(schema: SchemaObject): Set<string> {
  return new Set(
    Array.isArray(schema.required)
      ? schema.required.filter((r): r is string => typeof r === 'string')
      : [],
  );
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function where(path: string): string {
  return path === '' ? 'the value' : `field "${path}"`;
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
