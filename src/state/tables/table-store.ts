/**
 * Where a table keeps its rows and, per partition, the next offset to apply. A store that
 * persists must write rows and their offsets atomically (it may group records into one write),
 * so a restart resumes exactly after the last rows it holds.
 */
export interface TableStore<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  /** Whether put writes the `json` it is given: when false, callers need not find it. */
  readonly writesJson: boolean;
  /**
   * `json`, when given, is the value's UTF-8 JSON text exactly as its record carried it (the value
   * is that text parsed): a store that writes JSON may write these bytes instead of encoding again,
   * and may hold them until its commit (a delivered record's bytes are never changed).
   */
  put(key: K, value: V, partition: number, nextOffset: number, json?: Buffer): void;
  remove(key: K, partition: number, nextOffset: number): void;
  /**
   * Runs `apply`, the puts and removes of one fetched batch, and makes them durable together: a
   * persistent store commits all of the batch's rows and positions in one transaction when
   * `apply` returns, however many records it holds. If `apply` throws, what it applied before is
   * committed as any put (by the end of the event-loop turn).
   */
  writeBatch<T>(apply: () => T): T;
  /**
   * Makes what put and remove applied durable now. A persistent store commits a batch of them in
   * one transaction by itself (rows and positions together); this commits the batch early.
   */
  flush(): void;
  /** Next offset to apply per partition; absent partitions start at the log start. */
  positions(): ReadonlyMap<number, number>;
  /** Forget the rows and position of one partition (it was assigned to another instance). */
  dropPartition(partition: number): void;
  /** Forget everything (for a rebuild from offset 0). */
  clear(): void;
  close(): Promise<void>;
}
