import { open } from 'lmdb';

import type { TopicKey } from '../../model/topics/key-serde';
import { LmdbBatchWriter } from './lmdb-batch-writer';
import {
  type CommitTableWrites,
  commitTableWrites,
  rowCount,
  type TableDatabases,
} from './lmdb-table-commit';
import type { StoredRow } from './pending-table-writes';
import { decodeTableKey, encodeTableKey } from './table-key-codec';
import type { TableStore } from './table-store';
import { TableStoreClosedError } from './table-store-closed-error';
import type { StoredHeader, TableStoreHeader } from './table-store-header';
import { readHeader } from './table-store-header';

export { MAX_PENDING_RECORDS } from './lmdb-batch-writer';

const HEADER_KEY = 'header';

/**
 * A table's rows and per-partition positions in one LMDB environment (a folder with data.mdb and
 * lock.mdb), so a view survives a restart and resumes where it stopped.
 *
 * Batches: put and remove change the table at once (reads see the change) and buffer it. A batch
 * (what one writeBatch applied, or the puts of one event-loop turn outside it) is written in ONE
 * LMDB transaction, rows and positions together, on lmdb-js' write thread (commitTableWrites):
 * the main thread only queues the writes, and applies the next batch while the B-tree inserts
 * and the commit of this one run beside it. One batch is written at a time; the batches applied
 * meanwhile wait and are written together when it settles, and backpressure() holds the feeder
 * back once a whole batch waits, so it never runs more than one batch ahead of the disk.
 *
 * Reads see every applied change at once: the waiting changes first, then the batch being
 * written, then LMDB (which the write thread's commit updates before its promise resolves).
 *
 * A failed write loses nothing: its changes go back beneath the newer waiting ones, still served
 * to reads, and are written again with the next batch, flush() or close(). The failure
 * (TableStoreCommitError) is reported once: by backpressure() (the feeder's batch then fails and
 * is read again after a backoff), or by the flush() or close() that tried again and failed.
 *
 * Atomicity: a transaction holds every row change of its batch and the positions after them. LMDB
 * is a copy-on-write B+tree: a transaction writes new pages beside the old ones and commits by
 * switching the meta page to the new root, as its last step. Until that switch a reader or a
 * restarted process sees the old root (neither the row change nor the offset); after it, both. So
 * a crash (kill -9, power loss) can never leave a row without its offset or an offset without its
 * row; it loses at most the batches not yet committed, rows and positions alike, whose records are
 * read again. Batches are written one at a time, so a batch is never committed after a newer one.
 * With lmdb-js' default overlappingSync, a machine crash may lose the last few committed
 * transactions, which only means their records are read again: rolling back to an earlier
 * consistent pair is safe, because the log still holds every record after that offset.
 *
 * Reads are synchronous (LMDB reads the memory-mapped file), as ReadOnlyTable.get requires.
 * Values are stored as JSON; keys keep their type (see table-key-codec.ts).
 */
export class LmdbTableStore<K extends TopicKey, V> implements TableStore<K, V> {
  readonly path: string;
  readonly #db: TableDatabases<V>;
  readonly #writer: LmdbBatchWriter<V>;
  readonly #positions = new Map<number, number>();
  readonly writesJson = true;
  /** Inside writeBatch: the batch is written when it ends, not by size or at the turn's end. */
  #inBatch = false;
  readonly #onClose: () => void;
  #closed: Promise<void> | undefined;

  private constructor(
    path: string,
    db: TableDatabases<V>,
    onClose: () => void,
    commitWrites: CommitTableWrites,
  ) {
    this.path = path;
    this.#db = db;
    this.#onClose = onClose;
    this.#writer = new LmdbBatchWriter(path, db, commitWrites);
    for (const { key, value } of db.positions.getRange()) this.#positions.set(key, value);
  }

  /**
   * Opens (or creates) the environment in the folder `path`, which must exist. `commitWrites`
   * writes a batch (tests replace it to hold or fail a write).
   */
  static open<K extends TopicKey, V>(
    path: string,
    onClose: () => void = () => undefined,
    commitWrites: CommitTableWrites = commitTableWrites,
  ): LmdbTableStore<K, V> {
    const env = open<unknown, string>({ path, maxDbs: 4 });
    try {
      const db: TableDatabases<V> = {
        env,
        rows: env.openDB<StoredRow<V>, string>({ name: 'rows', encoding: 'json' }),
        positions: env.openDB<number, number>({
          name: 'positions',
          encoding: 'json',
          keyEncoding: 'uint32',
        }),
        meta: env.openDB<unknown, string>({ name: 'meta', encoding: 'json' }),
      };
      return new LmdbTableStore<K, V>(path, db, onClose, commitWrites);
    } catch (error) {
      void env.close();
      throw error;
    }
  }

  get(key: K): V | undefined {
    const { rows } = this.#open();
    const { storage, inline } = encodeTableKey(key);
    const change = this.#writer.change(storage);
    const row = change === undefined ? rows.get(storage) : change?.row;
    return row === undefined || row.k !== inline ? undefined : row.v;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** LMDB's rows under the changes not written yet (those in no particular order). */
  entries(): IterableIterator<[K, V]> {
    return changedEntries<K, V>(this.#open(), this.#writer.unwritten());
  }

  /** LMDB's count (from its statistics, no scan), corrected by a read per unwritten change. */
  get size(): number {
    const { rows } = this.#open();
    let size = rowCount(rows);
    for (const [storage, change] of this.#writer.unwritten()) {
      size += (change === null ? 0 : 1) - (rows.doesExist(storage) ? 1 : 0);
    }
    return size;
  }

  put(key: K, value: V, partition: number, nextOffset: number, json?: Buffer): void {
    const { storage, inline } = encodeTableKey(key);
    const row: StoredRow<V> =
      inline === undefined ? { p: partition, v: value } : { p: partition, v: value, k: inline };
    this.#open();
    this.#writer.pending.put(storage, row, partition, nextOffset, json);
    this.#applied(partition, nextOffset);
  }

  remove(key: K, partition: number, nextOffset: number): void {
    const { storage } = encodeTableKey(key);
    this.#open();
    this.#writer.pending.remove(storage, partition, nextOffset);
    this.#applied(partition, nextOffset);
  }

  /**
   * One transaction for the batch, whatever its size: a fetched batch is bounded by the fetch
   * size (about 1 MiB a partition), so what it buffers is too. Its write starts when it ends (or
   * when the batch being written settles). Nested calls join the outer batch.
   */
  writeBatch<T>(apply: () => T): T {
    if (this.#inBatch) return apply();
    this.#inBatch = true;
    try {
      return apply();
    } finally {
      this.#inBatch = false;
      this.#writer.batchEnded();
    }
  }

  /** Holds the feeder back once a whole batch waits for the one being written. */
  backpressure(): Promise<void> | undefined {
    return this.#writer.backpressure();
  }

  /**
   * Writes what was applied before the call (after the batch being written); rejects with the
   * write's TableStoreCommitError when it fails (the changes stay, for the next try).
   */
  async flush(): Promise<void> {
    this.#open();
    await this.#writer.writeAll();
  }

  positions(): ReadonlyMap<number, number> {
    return this.#positions;
  }

  /** Writes what waits first, then drops the partition's rows and position in one transaction. */
  async dropPartition(partition: number): Promise<void> {
    const { env, rows, positions } = this.#open();
    do await this.#writer.writeAll();
    while (this.#writer.busy);
    env.transactionSync(() => {
      const keys: string[] = [];
      for (const { key, value } of rows.getRange()) if (value.p === partition) keys.push(key);
      for (const key of keys) rows.removeSync(key);
      positions.removeSync(partition);
    });
    this.#positions.delete(partition);
  }

  /** Forgets rows and positions (the header stays): the next read starts at offset 0. */
  async clear(): Promise<void> {
    const { env, rows, positions } = this.#open();
    await this.#writer.discard();
    env.transactionSync(() => {
      rows.clearSync();
      positions.clearSync();
    });
    this.#positions.clear();
  }

  /** The header the store was built with, as far as it can be trusted. */
  storedHeader(): StoredHeader {
    try {
      return readHeader(this.#open().meta.get(HEADER_KEY));
    } catch (error) {
      if (error instanceof TableStoreClosedError) throw error;
      return { state: 'corrupt', problem: `the header cannot be read (${String(error)})` };
    }
  }

  /** Empties the store and records what it will be built from, in one transaction. */
  async reset(header: TableStoreHeader): Promise<void> {
    const { env, rows, positions, meta } = this.#open();
    await this.#writer.discard();
    env.transactionSync(() => {
      rows.clearSync();
      positions.clearSync();
      meta.putSync(HEADER_KEY, header);
    });
    this.#positions.clear();
  }

  /**
   * Writes what was applied (after the batch being written), then closes the environment
   * (idempotent); reads and writes from the call on throw TableStoreClosedError. A failed last
   * write still closes, and rejects with its error.
   */
  close(): Promise<void> {
    this.#closed ??= this.#writeAndClose();
    return this.#closed;
  }

  async #writeAndClose(): Promise<void> {
    let failure: Error | undefined;
    try {
      await this.#writer.writeAll();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    try {
      await this.#db.env.close();
    } finally {
      this.#onClose();
    }
    if (failure !== undefined) throw failure;
  }

  #applied(partition: number, nextOffset: number): void {
    this.#positions.set(partition, nextOffset);
    if (!this.#inBatch) this.#writer.appliedOutsideBatch();
  }

  #open(): TableDatabases<V> {
    if (this.#closed !== undefined) throw new TableStoreClosedError(this.path);
    return this.#db;
  }
}

/** Every row: LMDB's, except the keys changed since, then the changed ones still present. */
function* changedEntries<K extends TopicKey, V>(
  db: TableDatabases<V>,
  changes: ReadonlyMap<string, { readonly row: StoredRow<V> } | null>,
): IterableIterator<[K, V]> {
  for (const { key, value } of db.rows.getRange()) {
    if (!changes.has(key)) yield [decodeTableKey(key, value.k) as K, value.v];
  }
  for (const [key, change] of changes) {
    if (change !== null) yield [decodeTableKey(key, change.row.k) as K, change.row.v];
  }
}
