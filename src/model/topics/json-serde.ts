import { nonFiniteNumberPaths, nonFiniteNumbersText } from './non-finite-numbers';
import type { Serde } from './serde';

/** UTF-8 JSON: the default value format. */
export function jsonSerde<T>(): Serde<T> {
  return {
    serialize: (value) => {
      const nonFinite = nonFiniteNumberPaths(value);
      if (nonFinite.length > 0) throw new TypeError(nonFiniteNumbersText(nonFinite));
      return Buffer.from(JSON.stringify(value), 'utf8');
    },
    deserialize: (bytes) => JSON.parse(bytes.toString('utf8')) as T,
  };
}
