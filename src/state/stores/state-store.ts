import type { TopicKey } from '../../model/topics/key-serde';

/**
 * A service-owned key-value store (principle 4: state regenerated from the log). Only the owning
 * service's handlers can write it, and only keys of the partition being handled: keep the input
 * keyed by the store key (republish to a topic keyed by it if needed), so each key has one writer.
 * A handler's writes become visible to others, and go to the changelog, when the handler
 * succeeds; a failed attempt leaves no trace (with exactlyOnce, not even in the changelog).
 */
export interface StateStore<K extends TopicKey, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  /** The entries of the partitions this instance holds. */
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  put(key: K, value: V): void;
  delete(key: K): void;
}
