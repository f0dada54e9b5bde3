import { toJsonBytes } from '../../model/topics/json-bytes';
import { avroTypeOf } from '../schema/avro-validator';
import type { TopicSchema } from '../schema/topic-schema';

/** The payload after the wire-format header: UTF-8 JSON for JSON Schema, Avro binary for Avro. */
export function encodePayload(schema: TopicSchema, value: unknown): Buffer {
  return schema.type === 'AVRO' ? avroTypeOf(schema.schema).toBuffer(value) : toJsonBytes(value);
}

export function decodePayload(schema: TopicSchema, payload: Buffer): unknown {
  return schema.type === 'AVRO'
    ? toPlain(avroTypeOf(schema.schema).fromBuffer(payload))
    : JSON.parse(payload.toString('utf8'));
}

/** avsc decodes records into generated classes; handlers get plain objects like JSON gives. */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
}
