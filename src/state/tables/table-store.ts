/**
 * Where a table keeps its rows and, per partition, the next offset to apply. A store that
 * persists must write a row and its offset atomically, so a restart resumes exactly there.
 */
export interface TableStore<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  put(key: K, value: V, partition: number, nextOffset: number): void;
  remove(key: K, partition: number, nextOffset: number): void;
  /** Next offset to apply per partition; absent partitions start at the log start. */
  positions(): ReadonlyMap<number, number>;
  /** Forget the rows and position of one partition (it was assigned to another instance). */
  dropPartition(partition: number): void;
  /** Forget everything (for a rebuild from offset 0). */
  clear(): void;
  close(): Promise<void>;
}
