import { toJsonBytes } from './json-bytes';
import type { Serde } from './serde';

/** UTF-8 JSON: the default value format. */
export function jsonSerde<T>(): Serde<T> {
  return {
    serialize: (value) => toJsonBytes(value),
    deserialize: (bytes) => JSON.parse(bytes.toString('utf8')) as T,
  };
}
