import type { Serde } from './serde';

export type TopicKey = string | number;

/**
 * Keys as UTF-8 text; numbers as their decimal text. Text keys partition the same way from any
 * Kafka client that sends the key as a UTF-8 string (Java's StringSerializer, kafkajs).
 */
export function textKeySerde<K extends TopicKey>(sample: 'string' | 'number'): Serde<K> {
  return {
    serialize: (key) => {
      // A key function that reads a misspelled field returns undefined; never key records "undefined".
      if (typeof key !== 'string' && !(typeof key === 'number' && Number.isFinite(key))) {
        throw new TypeError(`the key must be a string or a finite number, got ${String(key)}`);
      }
      return Buffer.from(String(key), 'utf8');
    },
    deserialize: (bytes) => {
      const text = bytes.toString('utf8');
      return (sample === 'number' ? Number(text) : text) as K;
    },
  };
}
