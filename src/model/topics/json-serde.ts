import { toJsonBytes } from './json-bytes';
import type { Serde } from './serde';

/** The serdes jsonSerde made: their bytes are the value's JSON text, nothing around it. */
const jsonSerdes = new WeakSet<Serde<unknown>>();

/** UTF-8 JSON: the default value format. */
export function jsonSerde<T>(): Serde<T> {
  const serde: Serde<T> = {
    serialize: (value) => toJsonBytes(value),
    deserialize: (bytes) => JSON.parse(bytes.toString('utf8')) as T,
  };
  jsonSerdes.add(serde);
  return serde;
}

/**
 * Whether `serde` is one jsonSerde made, so a record's bytes are the JSON text of the value they
 * decode to: a persistent table can store those bytes instead of encoding the value again.
 */
export function isJsonSerde(serde: Serde<unknown>): boolean {
  return jsonSerdes.has(serde);
}
