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
   * persistent store writes all of the batch's rows and positions in one transaction once `apply`
   * returns (in the background: reads see them at once), however many records it holds. If
   * `apply` throws, what it applied before is written as any put.
   */
  writeBatch<T>(apply: () => T): T;
  /**
   * Undefined when the store can take another batch now; else a promise to wait for before
   * applying more: a persistent store writes in the background and holds its writer back once a
   * whole batch waits for the one being written. Rejects (once) when a write failed; its changes
   * are kept and written again with the next batch.
   */
  backpressure(): Promise<void> | undefined;
  /**
   * Makes what put and remove applied before the call durable. A persistent store writes a batch
   * of them in one transaction by itself (rows and positions together); this waits for that, or
   * writes the batch early. Rejects when the write fails (the changes are kept for the next try).
   */
  flush(): Promise<void>;
  /** Next offset to apply per partition; absent partitions start at the log start. */
  positions(): ReadonlyMap<number, number>;
  /** Forget the rows and position of one partition (it was assigned to another instance). */
  dropPartition(partition: number): Promise<void>;
  /** Forget everything (for a rebuild from offset 0). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
