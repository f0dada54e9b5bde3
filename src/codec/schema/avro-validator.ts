import type { types } from 'avsc';
import { Type } from 'avsc';

import type { AvroRecordSchema } from '../../model/topics/avro-schema';

const byObject = new WeakMap<object, Type>();
const byContent = new Map<string, Type>();

/** Parses an Avro schema once into an avsc Type. Throws if it is not valid Avro. */
export function avroTypeOf(schema: AvroRecordSchema): Type {
  const known = byObject.get(schema);
  if (known !== undefined) return known;
  const content = JSON.stringify(schema);
  let type = byContent.get(content);
  if (type === undefined) {
    // Unions of null and one type take plain values ({ note: 'x' }), as JSON producers write them.
    type = Type.forSchema(schema as Parameters<typeof Type.forSchema>[0], { wrapUnions: 'auto' });
    byContent.set(content, type);
  }
  byObject.set(schema, type);
  return type;
}

/** Every failing path of `value` against an Avro record schema; empty when it is valid. */
export function avroProblems(schema: AvroRecordSchema, value: unknown): string[] {
  const problems: string[] = [];
  avroTypeOf(schema).isValid(value, {
    // Avro would drop undeclared fields silently on encode; refusing them keeps data honest.
    noUndeclaredFields: true,
    errorHook: (path: string[], invalid: unknown, type: Type) => {
      problems.push(...describe(`/${path.join('/')}`, invalid, type));
    },
  });
  return [...new Set(problems)];
}

function describe(path: string, invalid: unknown, type: Type): string[] {
  if (invalid === undefined) return [`${path} is required`];
  if (type.typeName === 'record' && isPlainObject(invalid)) {
    // A record that fails as a whole with fields that are each fine has undeclared fields.
    const declared = new Set((type as types.RecordType).fields.map((f) => f.name));
    const prefix = path === '/' ? '' : path;
    return Object.keys(invalid)
      .filter((key) => !declared.has(key))
      .map((key) => `${prefix}/${key} is not allowed`);
  }
  return [`${path} must be ${typeText(type)}`];
}

/** An Avro type as a reader would name it: `double`, `record Customer`, `one of null, string`. */
export function typeText(type: Type): string {
  if (type.typeName.startsWith('union')) {
    return `one of ${(type as types.UnwrappedUnionType).types.map(typeText).join(', ')}`;
  }
  const name = (type as { name?: unknown }).name;
  return typeof name === 'string' ? `${type.typeName} ${name}` : type.typeName;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
