import type { Database, RootDatabase } from 'lmdb';
import { open } from 'lmdb';

import type { TopicKey } from '../../model/topics/key-serde';
import { decodeTableKey, encodeTableKey } from './table-key-codec';
import type { TableStore } from './table-store';
import { TableStoreClosedError } from './table-store-closed-error';
import type { StoredHeader, TableStoreHeader } from './table-store-header';
import { readHeader } from './table-store-header';

/** A row on disk: the partition it came from (for dropPartition), the value, and a long key. */
interface StoredRow<V> {
  readonly p: number;
  readonly v: V;
  readonly k?: string;
}

interface Databases<V> {
  readonly env: RootDatabase<unknown, string>;
  readonly rows: Database<StoredRow<V>, string>;
  /** Next offset to apply, per partition (uint32 keys). */
  readonly positions: Database<number, number>;
  /** The header: which topic and partition count the rows were built from. */
  readonly meta: Database<unknown, string>;
}

const HEADER_KEY = 'header';

/**
 * A table's rows and per-partition positions in one LMDB environment (a folder with data.mdb and
 * lock.mdb), so a view survives a restart and resumes where it stopped.
 *
 * Atomicity: put and remove write the row change and the partition's next offset in ONE LMDB
 * write transaction (transactionSync). LMDB is a copy-on-write B+tree: a transaction writes new
 * pages beside the old ones and commits by switching the meta page to the new root, as its last
 * step. Until that switch a reader or a restarted process sees the old root (neither the row
 * change nor the offset); after it, both. There is no state in between, so a crash (kill -9,
 * power loss) can never leave a row without its offset or an offset without its row. With
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
  readonly #onClose: () => void;
  #size: number;
  #closed: Promise<void> | undefined;

  private constructor(path: string, db: Databases<V>, onClose: () => void) {
    this.path = path;
    this.#db = db;
    this.#onClose = onClose;
    for (const { key, value } of db.positions.getRange()) this.#positions.set(key, value);
    this.#size = db.rows.getCount();
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
    const row = this.#open().rows.get(storage);
    return row === undefined || row.k !== inline ? undefined : row.v;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const { key, value } of this.#open().rows.getRange()) {
      yield [decodeTableKey(key, value.k) as K, value.v];
    }
  }

  get size(): number {
    this.#open();
    return this.#size;
  }

  put(key: K, value: V, partition: number, nextOffset: number): void {
    const { storage, inline } = encodeTableKey(key);
    const row: StoredRow<V> =
      inline === undefined ? { p: partition, v: value } : { p: partition, v: value, k: inline };
    const { env, rows, positions } = this.#open();
    const added = env.transactionSync(() => {
      const existed = rows.doesExist(storage);
      rows.putSync(storage, row);
      positions.putSync(partition, nextOffset);
      return !existed;
    });
    if (added) this.#size++;
    this.#positions.set(partition, nextOffset);
  }

  remove(key: K, partition: number, nextOffset: number): void {
    const { storage } = encodeTableKey(key);
    const { env, rows, positions } = this.#open();
    const removed = env.transactionSync(() => {
      const existed = rows.removeSync(storage);
      positions.putSync(partition, nextOffset);
      return existed;
    });
    if (removed) this.#size--;
    this.#positions.set(partition, nextOffset);
  }

  positions(): ReadonlyMap<number, number> {
    return this.#positions;
  }

  dropPartition(partition: number): void {
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
    env.transactionSync(() => {
      rows.clearSync();
      positions.clearSync();
      meta.putSync(HEADER_KEY, header);
    });
    this.#size = 0;
    this.#positions.clear();
  }

  /** Closes the environment (idempotent); reads afterwards throw TableStoreClosedError. */
  close(): Promise<void> {
    this.#closed ??= this.#db.env.close().finally(() => this.#onClose());
    return this.#closed;
  }

  #open(): Databases<V> {
    if (this.#closed !== undefined) throw new TableStoreClosedError(this.path);
    return this.#db;
  }
}
