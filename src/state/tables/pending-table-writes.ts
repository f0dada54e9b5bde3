import { asBinary } from 'lmdb';

/** A row on disk: the partition it came from (for dropPartition), the value, and a long key. */
export interface StoredRow<V> {
  readonly p: number;
  readonly v: V;
  readonly k?: string;
}

/** A row waiting for its batch's transaction, already encoded: encoding cannot fail later. */
export interface PendingRow<V> {
  readonly row: StoredRow<V>;
  readonly bytes: ReturnType<typeof asBinary>;
}

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

  /**
   * Encodes now, so a value that cannot be stored throws here and is never buffered. With `json`
   * (the value's JSON text as its record carried it) the row is written around those bytes: the
   * same row JSON.stringify would give, read back to the same value, without encoding it again.
   */
  put(
    storage: string,
    row: StoredRow<V>,
    partition: number,
    nextOffset: number,
    json?: Buffer,
  ): void {
    const bytes = json === undefined ? Buffer.from(JSON.stringify(row)) : rowAround(row, json);
    this.rows.set(storage, { row, bytes: asBinary(bytes) });
    this.#advance(partition, nextOffset);
  }

  remove(storage: string, partition: number, nextOffset: number): void {
    this.rows.set(storage, null);
    this.#advance(partition, nextOffset);
  }

  get empty(): boolean {
    return this.records === 0 && this.positions.size === 0;
  }

  clear(): void {
    this.rows.clear();
    this.positions.clear();
    this.records = 0;
  }

  #advance(partition: number, nextOffset: number): void {
    this.positions.set(partition, nextOffset);
    this.records++;
  }
}

/** `{"p":…,"v":<json>}` (and `"k"` for a long key), the value's bytes copied in as they are. */
function rowAround(row: StoredRow<unknown>, json: Buffer): Buffer {
  const head = `{"p":${row.p},"v":`;
  const tail = row.k === undefined ? '}' : `,"k":${JSON.stringify(row.k)}}`;
  // The head is ASCII; the tail may hold any character of a long key.
  const tailBytes = Buffer.byteLength(tail, 'utf8');
  const bytes = Buffer.allocUnsafe(head.length + json.length + tailBytes);
  bytes.write(head, 0, 'latin1');
  json.copy(bytes, head.length);
  bytes.write(tail, head.length + json.length, 'utf8');
  return bytes;
}
