/**
 * A table view of a topic: the latest value per key (tombstones delete). Read-only by design
 * (principle 8): it changes only when its topic does, and is rebuilt from the log.
 */
export interface ReadOnlyTable<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  /**
   * Resolves with the key's value once `predicate` holds for it (default: the key exists),
   * checking now and after every change; rejects with TableWaitTimeoutError after `timeoutMs`.
   */
  waitFor(key: K, predicate?: (value: V) => boolean, timeoutMs?: number): Promise<V>;
}
