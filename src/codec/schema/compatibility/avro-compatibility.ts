import type { Type, types } from 'avsc';

import type { AvroRecordSchema } from '../../../model/topics/avro-schema';
import { avroTypeOf, typeText } from '../avro-validator';

/**
 * Why Avro's schema resolution cannot read data written with `writer` using `reader`, naming each
 * field; empty when it can. Fields are matched by name (or alias): a reader field missing from the
 * writer needs a default, writer fields the reader lacks are skipped, and types must be equal or
 * promotable (int → long → float → double, string ↔ bytes). avsc's resolver has the last word.
 */
export function avroReaderIssues(reader: AvroRecordSchema, writer: AvroRecordSchema): string[] {
  return compare(avroTypeOf(reader), avroTypeOf(writer), '');
}

function compare(reader: Type, writer: Type, path: string): string[] {
  if (reader.typeName === 'record' && writer.typeName === 'record') {
    const issues = compareRecords(reader as types.RecordType, writer as types.RecordType, path);
    if (issues.length > 0) return issues;
  }
  try {
    reader.createResolver(writer);
    return [];
  } catch (error) {
    return reader.typeName === writer.typeName
      ? [`${where(path)} cannot be read: ${error instanceof Error ? error.message : String(error)}`]
      : [`${where(path)} changed type from ${typeText(writer)} to ${typeText(reader)}`];
  }
}

function compareRecords(
  reader: types.RecordType,
  writer: types.RecordType,
  path: string,
): string[] {
  const written = new Map(writer.fields.map((field) => [field.name, field]));
  const issues: string[] = [];
  for (const field of reader.fields) {
    const name = join(path, field.name);
    const match =
      written.get(field.name) ??
      field.aliases.map((alias) => written.get(alias)).find((f) => f !== undefined);
    if (match !== undefined) {
      issues.push(...compare(field.type, match.type, name));
    } else if (field.defaultValue() === undefined) {
      issues.push(
        `field "${name}" is required by the reader (it has no default) but missing from the writer's data`,
      );
    }
  }
  return issues;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function where(path: string): string {
  return path === '' ? 'the record' : `field "${path}"`;
}
