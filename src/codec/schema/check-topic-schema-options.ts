import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import type { CompatibilityLevel } from '../../model/topics/compatibility-level';
import { COMPATIBILITY_LEVELS, isCompatibilityLevel } from '../../model/topics/compatibility-level';
import type { JsonSchema, Upcaster } from '../../model/topics/topic-definition';
import { avroTypeOf } from './avro-validator';
import { compileJsonSchema } from './json-schema-validator';

export interface TopicSchemaOptions {
  readonly schema?: JsonSchema;
  readonly avro?: AvroRecordSchema;
  readonly compatibility?: CompatibilityLevel;
  readonly upcast?: Readonly<Record<number, Upcaster>>;
}

export interface CheckedSchemaOptions {
  readonly compatibility: CompatibilityLevel;
  readonly upcast: Readonly<Record<number, Upcaster>>;
}

/**
 * The schema-related options of defineTopic, checked so mistakes fail at import time: one schema
 * kind that compiles, a known compatibility level, and upcasters forming a chain up to `version`.
 */
export function checkTopicSchemaOptions(
  options: TopicSchemaOptions,
  version: number,
  fail: (problem: string) => never,
): CheckedSchemaOptions {
  const { schema, avro } = options;
  if (schema !== undefined && avro !== undefined) {
    fail('give either schema (JSON Schema) or avro, not both');
  }
  if (schema !== undefined) checkJsonSchema(schema, fail);
  if (avro !== undefined) checkAvroSchema(avro, fail);
  const compatibility = options.compatibility ?? 'BACKWARD';
  if (!isCompatibilityLevel(compatibility)) {
    fail(`compatibility must be one of ${COMPATIBILITY_LEVELS.join(', ')}`);
  }
  return { compatibility, upcast: checkUpcast(options.upcast, version, fail) };
}

function checkJsonSchema(schema: unknown, fail: (problem: string) => never): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    fail('schema must be a JSON Schema object such as { type: "object", properties: {...} }');
  }
  try {
    compileJsonSchema(schema as JsonSchema);
  } catch (error) {
    fail(`schema is not a valid JSON Schema (draft-07 or 2020-12): ${text(error)}`);
  }
}

function checkAvroSchema(avro: unknown, fail: (problem: string) => never): void {
  const candidate = avro as Partial<Record<string, unknown>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    candidate.type !== 'record' ||
    typeof candidate.name !== 'string' ||
    !Array.isArray(candidate.fields)
  ) {
    fail("avro must be an Avro record schema: { type: 'record', name: 'Order', fields: [...] }");
  }
  try {
    avroTypeOf(avro as AvroRecordSchema);
  } catch (error) {
    fail(`avro is not a valid Avro schema: ${text(error)}`);
  }
}

function checkUpcast(
  upcast: unknown,
  version: number,
  fail: (problem: string) => never,
): Readonly<Record<number, Upcaster>> {
  if (upcast === undefined) return Object.freeze({});
  if (typeof upcast !== 'object' || upcast === null || Array.isArray(upcast)) {
    fail('upcast must be an object such as { 1: (v1) => v2 }');
  }
  const entries = Object.entries(upcast as Record<string, unknown>);
  const chain: Record<number, Upcaster> = {};
  for (const [key, upcaster] of entries) {
    const from = Number(key);
    if (!Number.isInteger(from) || from < 1 || from >= version) {
      fail(
        version === 1
          ? `upcast needs version >= 2: upcast[n] turns version n into n + 1, and this topic is at version 1`
          : `upcast keys must be integers from 1 to ${version - 1} (upcast[n] turns version n into n + 1), got "${key}"`,
      );
    }
    if (typeof upcaster !== 'function') {
      fail(
        `upcast[${from}] must be a function from a version ${from} value to a version ${from + 1} value`,
      );
    }
    chain[from] = upcaster as Upcaster;
  }
  // Records at the oldest version with an upcaster can reach `version` only without gaps.
  const froms = Object.keys(chain).map(Number);
  if (froms.length > 0) {
    for (let from = Math.min(...froms); from < version; from++) {
      if (chain[from] === undefined) {
        fail(
          `upcast must be a chain without gaps ending at version ${version}: upcast[${from}] is missing`,
        );
      }
    }
  }
  return Object.freeze(chain);
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
