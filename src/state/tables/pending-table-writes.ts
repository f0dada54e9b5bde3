import { asBinary } from 'lmdb';

/** A row on disk: the partition it came from (for dropPartition), the value, and a long key. */
export interface StoredRow<V> {
  readonly p: number;
  readonly v: V;
  readonly k?: string;
}

/**
 * A row waiting for its batch's transaction. Either encoded already (`bytes`: encoding cannot
 * fail later), or holding the value's JSON text as its record carried it (`json`), which the
 * commit writes the row around: nothing there can fail, and nothing is allocated per row.
 */
export type PendingRow<V> =
  | { readonly row: StoredRow<V>; readonly bytes: Buffer; readonly json?: undefined }
  | { readonly row: StoredRow<V>; readonly bytes?: undefined; readonly json: Buffer };

/**
 * Row bytes handed to lmdb-js' write thread are cut from chunks of this size. The write thread
 * reads them after put returns, so a chunk is never written again: it is dropped once full and
 * freed when lmdb-js lets go of its rows (a buffer per row would cost an allocation per row).
 */
const CHUNK_BYTES = 1024 * 1024;
const CLOSING_BRACE = 0x7d;

/**
 * Row changes and partition positions applied to a persistent table but not yet committed: the
 * next commit writes all of them in one LMDB transaction. A key changed twice keeps only its last
 * change, and a partition only its last position, so a batch writes each at most once.
 */
export class PendingTableWrites<V> {
  /** Storage key to the new row, or null for a removal. */
  readonly rows = new Map<string, PendingRow<V> | null>();
  readonly positions = new Map<number, number>();
  /** Records buffered since the last commit (a key written twice counts twice). */
  records = 0;
  #chunk = Buffer.allocUnsafe(0);
  #used = 0;

  /**
   * Encodes now, so a value that cannot be stored throws here and is never buffered. With `json`
   * (the value's JSON text as its record carried it) the row is written around those bytes at the
   * commit: the same row JSON.stringify would give, read back to the same value.
   */
  put(
    storage: string,
    row: StoredRow<V>,
    partition: number,
    nextOffset: number,
    json?: Buffer,
  ): void {
    this.rows.set(
      storage,
      json === undefined ? { row, bytes: Buffer.from(JSON.stringify(row)) } : { row, json },
    );
    this.#advance(partition, nextOffset);
  }

  remove(storage: string, partition: number, nextOffset: number): void {
    this.rows.set(storage, null);
    this.#advance(partition, nextOffset);
  }

  /**
   * The bytes to write for `change`, wrapped for lmdb-js (which writes them as they are: the JSON
   * the rows are read with). They stay as they are until garbage: an asynchronous put reads them
   * later, on lmdb-js' write thread.
   */
  encoded(change: PendingRow<V>): ReturnType<typeof asBinary> {
    if (change.json === undefined) return asBinary(change.bytes);
    const { row, json } = change;
    const head = `{"p":${row.p},"v":`;
    const tail = row.k === undefined ? undefined : `,"k":${JSON.stringify(row.k)}}`;
    // The tail may hold any character of a long key; without one, it is the byte '}'.
    const size = head.length + json.length + (tail === undefined ? 1 : Buffer.byteLength(tail));
    if (this.#chunk.length - this.#used < size) {
      this.#chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size));
      this.#used = 0;
    }
    const chunk = this.#chunk;
    const start = this.#used;
    this.#used += size;
    // Byte by byte for the short ASCII head: cheaper than a call into Buffer.write per row.
    for (let index = 0; index < head.length; index++) chunk[start + index] = head.charCodeAt(index);
    chunk.set(json, start + head.length);
    const end = start + head.length + json.length;
    if (tail === undefined) chunk[end] = CLOSING_BRACE;
    else chunk.write(tail, end, 'utf8');
    return asBinary(chunk.subarray(start, start + size));
  }

  get empty(): boolean {
    return this.records === 0 && this.positions.size === 0;
  }

  /**
   * Puts the changes of an older batch beneath these (a commit that failed, to be committed again
   * with them): where both changed a key or a partition, this batch's change is the newer one.
   */
  takeBeneath(older: PendingTableWrites<V>): void {
    for (const [storage, change] of older.rows) {
      if (!this.rows.has(storage)) this.rows.set(storage, change);
    }
    for (const [partition, next] of older.positions) {
      if (!this.positions.has(partition)) this.positions.set(partition, next);
    }
    this.records += older.records;
  }

  #advance(partition: number, nextOffset: number): void {
    this.positions.set(partition, nextOffset);
    this.records++;
  }
}
