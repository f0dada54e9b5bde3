import type { Database, RootDatabase } from 'lmdb';
import { open } from 'lmdb';

import type { TopicKey } from '../../model/topics/key-serde';
import { PendingTableWrites, type StoredRow } from './pending-table-writes';
import { decodeTableKey, encodeTableKey } from './table-key-codec';
import type { TableStore } from './table-store';
import { TableStoreClosedError } from './table-store-closed-error';
import type { StoredHeader, TableStoreHeader } from './table-store-header';
import { readHeader } from './table-store-header';

interface Databases<V> {
  readonly env: RootDatabase<unknown, string>;
  /** Read as JSON; written with bytes encoded when a record is applied (PendingTableWrites). */
  readonly rows: Database<StoredRow<V>, string>;
  /** Next offset to apply, per partition (uint32 keys). */
  readonly positions: Database<number, number>;
  /** The header: which topic and partition count the rows were built from. */
  readonly meta: Database<unknown, string>;
}

const HEADER_KEY = 'header';

/** Records buffered before put/remove commit on their own, however long the event-loop turn. */
export const MAX_PENDING_RECORDS = 5_000;

/**
 * A table's rows and per-partition positions in one LMDB environment (a folder with data.mdb and
 * lock.mdb), so a view survives a restart and resumes where it stopped.
 *
 * Batches: put and remove change the table at once (reads see the change) and buffer it; the
 * buffered rows and the partitions' next offsets are committed together in ONE LMDB write
 * transaction (transactionSync). Inside writeBatch (how a view applies a fetched batch) that is
 * one transaction when the batch ends, whatever its size; outside it, at the end of the
 * event-loop turn or after MAX_PENDING_RECORDS records; and on flush() and close(). A
 * transaction per record cost a disk sync per record (about 3 ms); per batch, that cost is
 * shared by the batch's records.
 *
 * Atomicity: a transaction holds every row change of its batch and the positions after them. LMDB is a copy-on-write B+tree: a transaction writes new
 * pages beside the old ones and commits by switching the meta page to the new root, as its last
 * step. Until that switch a reader or a restarted process sees the old root (neither the row
 * change nor the offset); after it, both. There is no state in between, so a crash (kill -9,
 * power loss) can never leave a row without its offset or an offset without its row; it loses at
 * most the batch not yet committed, rows and positions alike, whose records are read again. With
 * lmdb-js' default overlappingSync, a machine crash may lose the last few committed
 * transactions, which only means their records are read again: rolling back to an earlier
 * consistent pair is safe, because the log still holds every record after that offset.
 *
 * Reads are synchronous (LMDB reads the memory-mapped file), as ReadOnlyTable.get requires.
 * Values are stored as JSON; keys keep their type (see table-key-codec.ts).
 */
export class LmdbTableStore<K extends TopicKey, V> implements TableStore<K, V> {
  readonly path: string;
  readonly #db: Databases<V>;
  readonly #positions = new Map<number, number>();
  readonly #pending = new PendingTableWrites<V>();
  readonly writesJson = true;
  #commitScheduled: NodeJS.Immediate | undefined;
  /** Inside writeBatch: the batch commits when it ends, not by size or at the turn's end. */
  #inBatch = false;
  readonly #onClose: () => void;
  #size: number;
  #closed: Promise<void> | undefined;

  private constructor(path: string, db: Databases<V>, onClose: () => void) {
    this.path = path;
    this.#db = db;
    this.#onClose = onClose;
    for (const { key, value } of db.positions.getRange()) this.#positions.set(key, value);
    this.#size = rowCount(db.rows);
  }

  /** Opens (or creates) the environment in the folder `path`, which must exist. */
  static open<K extends TopicKey, V>(
    path: string,
    onClose: () => void = () => undefined,
  ): LmdbTableStore<K, V> {
    const env = open<unknown, string>({ path, maxDbs: 4 });
    try {
      return new LmdbTableStore<K, V>(
        path,
        {
          env,
          rows: env.openDB<StoredRow<V>, string>({ name: 'rows', encoding: 'json' }),
          positions: env.openDB<number, number>({
            name: 'positions',
            encoding: 'json',
            keyEncoding: 'uint32',
          }),
          meta: env.openDB<unknown, string>({ name: 'meta', encoding: 'json' }),
        },
        onClose,
      );
    } catch (error) {
      void env.close();
      throw error;
    }
  }

  get(key: K): V | undefined {
    const { storage, inline } = encodeTableKey(key);
    const pending = this.#pending.rows.get(storage);
    const row = pending === undefined ? this.#open().rows.get(storage) : pending?.row;
    return row === undefined || row.k !== inline ? undefined : row.v;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): IterableIterator<[K, V]> {
    this.flush();
    for (const { key, value } of this.#open().rows.getRange()) {
      yield [decodeTableKey(key, value.k) as K, value.v];
    }
  }

  /** Commits what is buffered first: the count comes from LMDB, not from a read per record. */
  get size(): number {
    this.flush();
    this.#open();
    return this.#size;
  }

  put(key: K, value: V, partition: number, nextOffset: number, json?: Buffer): void {
    const { storage, inline } = encodeTableKey(key);
    const row: StoredRow<V> =
      inline === undefined ? { p: partition, v: value } : { p: partition, v: value, k: inline };
    this.#pending.put(storage, row, partition, nextOffset, json);
    this.#applied(partition, nextOffset);
  }

  remove(key: K, partition: number, nextOffset: number): void {
    const { storage } = encodeTableKey(key);
    this.#pending.remove(storage, partition, nextOffset);
    this.#applied(partition, nextOffset);
  }

  /**
   * One transaction for the batch, whatever its size: a fetched batch is bounded by the fetch
   * size (about 1 MiB a partition), so what it buffers is too. Nested calls join the outer batch.
   */
  writeBatch<T>(apply: () => T): T {
    if (this.#inBatch) return apply();
    this.#inBatch = true;
    let result: T;
    try {
      result = apply();
    } catch (error) {
      this.#inBatch = false;
      if (!this.#pending.empty) this.#scheduleCommit();
      throw error;
    }
    this.#inBatch = false;
    this.flush();
    return result;
  }

  /**
   * Commits the buffered rows and positions in one transaction (nothing when none are buffered).
   * If it throws, nothing of the batch is on disk and the batch stays buffered for the next try.
   */
  flush(): void {
    if (this.#commitScheduled !== undefined) clearImmediate(this.#commitScheduled);
    this.#commitScheduled = undefined;
    if (this.#pending.empty) return;
    const { env, rows, positions } = this.#open();
    const pending = this.#pending;
    env.transactionSync(() => {
      for (const [storage, change] of pending.rows) {
        if (change === null) rows.removeSync(storage);
        else rows.putSync(storage, pending.encoded(change) as unknown as StoredRow<V>);
      }
      for (const [partition, next] of pending.positions) positions.putSync(partition, next);
    });
    pending.clear();
    this.#size = rowCount(rows);
  }

  positions(): ReadonlyMap<number, number> {
    return this.#positions;
  }

  dropPartition(partition: number): void {
    this.flush();
    const { env, rows, positions } = this.#open();
    const removed = env.transactionSync(() => {
      const keys: string[] = [];
      for (const { key, value } of rows.getRange()) if (value.p === partition) keys.push(key);
      for (const key of keys) rows.removeSync(key);
      positions.removeSync(partition);
      return keys.length;
    });
    this.#size -= removed;
    this.#positions.delete(partition);
  }

  /** Forgets rows and positions (the header stays): the next read starts at offset 0. */
  clear(): void {
    const { env, rows, positions } = this.#open();
    this.#discardPending();
    env.transactionSync(() => {
      rows.clearSync();
      positions.clearSync();
    });
    this.#size = 0;
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
  reset(header: TableStoreHeader): void {
    const { env, rows, positions, meta } = this.#open();
    this.#discardPending();
    env.transactionSync(() => {
      rows.clearSync();
      positions.clearSync();
      meta.putSync(HEADER_KEY, header);
    });
    this.#size = 0;
    this.#positions.clear();
  }

  /**
   * Commits what is buffered, then closes the environment (idempotent); reads afterwards throw
   * TableStoreClosedError. A failed last commit still closes, and rejects with its error.
   */
  close(): Promise<void> {
    if (this.#closed === undefined) {
      let failure: Error | undefined;
      try {
        this.flush();
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      this.#closed = this.#db.env.close().finally(() => this.#onClose());
      if (failure !== undefined) return this.#closed.then(() => Promise.reject(failure));
    }
    return this.#closed;
  }

  #applied(partition: number, nextOffset: number): void {
    this.#positions.set(partition, nextOffset);
    if (this.#inBatch) return;
    if (this.#pending.records >= MAX_PENDING_RECORDS) this.flush();
    else this.#scheduleCommit();
  }

  #scheduleCommit(): void {
    this.#commitScheduled ??= setImmediate(() => this.#commitLater());
  }

  /** The end-of-turn commit: a failure keeps the batch buffered; the next write or close retries. */
  #commitLater(): void {
    this.#commitScheduled = undefined;
    if (this.#closed !== undefined) return;
    try {
      this.flush();
    } catch {
      // Nothing of the batch reached the disk, so the stored rows and positions still agree.
    }
  }

  #discardPending(): void {
    if (this.#commitScheduled !== undefined) clearImmediate(this.#commitScheduled);
    this.#commitScheduled = undefined;
    this.#pending.clear();
  }

  #open(): Databases<V> {
    if (this.#closed !== undefined) throw new TableStoreClosedError(this.path);
    return this.#db;
  }
}

/** The committed rows, from LMDB's own statistics (no scan). */
function rowCount(rows: Database<unknown, string>): number {
  return (rows.getStats() as { entryCount: number }).entryCount;
}
