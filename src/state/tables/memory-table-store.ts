import type { TableStore } from './table-store';

/** Rows in a Map; nothing survives a restart, so the table is rebuilt from the log each time. */
export class MemoryTableStore<K, V> implements TableStore<K, V> {
  readonly #rows = new Map<K, V>();
  readonly #positions = new Map<number, number>();
  /** Which partition each row came from, so a partition can be dropped on revocation. */
  readonly #partitionOf = new Map<K, number>();

  get(key: K): V | undefined {
    return this.#rows.get(key);
  }
  has(key: K): boolean {
    return this.#rows.has(key);
  }
  entries(): IterableIterator<[K, V]> {
    return this.#rows.entries();
  }
  get size(): number {
    return this.#rows.size;
  }
  put(key: K, value: V, partition: number, nextOffset: number): void {
    this.#rows.set(key, value);
    this.#partitionOf.set(key, partition);
    this.#positions.set(partition, nextOffset);
  }
  remove(key: K, partition: number, nextOffset: number): void {
    this.#rows.delete(key);
    this.#partitionOf.delete(key);
    this.#positions.set(partition, nextOffset);
  }
  /** Nothing to make durable: the rows live only as long as the process. */
  flush(): void {
    // Nothing to write.
  }
  positions(): ReadonlyMap<number, number> {
    return this.#positions;
  }
  dropPartition(partition: number): void {
    for (const [key, from] of this.#partitionOf) {
      if (from !== partition) continue;
      this.#rows.delete(key);
      this.#partitionOf.delete(key);
    }
    this.#positions.delete(partition);
  }
  clear(): void {
    this.#rows.clear();
    this.#partitionOf.clear();
    this.#positions.clear();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
