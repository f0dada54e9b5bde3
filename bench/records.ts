import { partitionForKey } from '../src';
import type { Item } from '../test/faults/relay-service';

/** What the produce scenarios write: a small entity with `valueBytes` of padding. */
export interface BenchEvent {
  readonly id: number;
  readonly key: string;
  readonly payload: string;
}

/** Keys repeat every KEY_SPACE records, so every partition gets a share. */
const KEY_SPACE = 1_000;

export function benchEvents(count: number, valueBytes: number): BenchEvent[] {
  const payload = 'x'.repeat(valueBytes);
  return Array.from({ length: count }, (_, id) => ({ id, key: `key-${id % KEY_SPACE}`, payload }));
}

/** The relay's input: items exactly as the fault tests write them (JSON value, text key). */
export function relayItems(count: number): Item[] {
  return Array.from({ length: count }, (_, id) => ({ id, key: `key-${id % KEY_SPACE}` }));
}

/** Key, value and partition of an item; usable as a kafkajs Message and as an OutgoingRecord. */
export interface ItemRecord {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly partition: number;
}

/** An item as the fault tests write it, its partition chosen like streamwise chooses it. */
export function itemRecord(item: Item, partitions: number): ItemRecord {
  const key = Buffer.from(item.key);
  return {
    key,
    value: Buffer.from(JSON.stringify(item)),
    partition: partitionForKey(key, partitions),
  };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}
