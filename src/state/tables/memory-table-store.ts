import type { TableStore } from './table-store';

export interface MemoryTableStoreOptions {
  /**
   * Remember which partition each row came from, so dropPartition can forget one partition's
   * rows (default true). A global table holds every partition for its whole life and never drops
   * one: without tracking, each row costs one Map entry instead of two.
   */
  readonly trackPartitions?: boolean;
}

/** Rows in a Map; nothing survives a restart, so the table is rebuilt from the log each time. */
export class MemoryTableStore<K, V> implements TableStore<K, V> {
  readonly #rows = new Map<K, V>();
  readonly #positions = new Map<number, number>();
  /** Rows are kept as values: the records' bytes are of no use here. */
  readonly writesJson = false;
  /** Which partition each row came from; undefined when partitions are not tracked. */
  readonly #partitionOf: Map<K, number> | undefined;

  constructor(options: MemoryTableStoreOptions = {}) {
    this.#partitionOf = options.trackPartitions === false ? undefined : new Map<K, number>();
  }

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
    this.#partitionOf?.set(key, partition);
    this.#positions.set(partition, nextOffset);
  }
  remove(key: K, partition: number, nextOffset: number): void {
    this.#rows.delete(key);
    this.#partitionOf?.delete(key);
    this.#positions.set(partition, nextOffset);
  }
  writeBatch<T>(apply: () => T): T {
    return apply();
  }
  /** Never behind: nothing is written anywhere. */
  backpressure(): Promise<void> | undefined {
    return undefined;
  }
  /** Nothing to make durable: the rows live only as long as the process. */
  flush(): Promise<void> {
    return Promise.resolve();
  }
  positions(): ReadonlyMap<number, number> {
    return this.#positions;
  }
  /** Drops the rows at once (the promise is settled already). */
  dropPartition(partition: number): Promise<void> {
    const partitionOf = this.#partitionOf;
    if (partitionOf === undefined) {
      return Promise.reject(
        new Error(
          'This MemoryTableStore does not track partitions (trackPartitions: false): create it with trackPartitions: true to drop one.',
        ),
      );
    }
    for (const [key, from] of partitionOf) {
      if (from !== partition) continue;
      this.#rows.delete(key);
      partitionOf.delete(key);
    }
    this.#positions.delete(partition);
    return Promise.resolve();
  }
  clear(): Promise<void> {
    this.#rows.clear();
    this.#partitionOf?.clear();
    this.#positions.clear();
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
