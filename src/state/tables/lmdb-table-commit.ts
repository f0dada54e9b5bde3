import type { Database, RootDatabase } from 'lmdb';

import type { PendingTableWrites, StoredRow } from './pending-table-writes';

/** The LMDB databases of one table store, in one environment. */
export interface TableDatabases<V> {
  readonly env: RootDatabase<unknown, string>;
  /** Read as JSON; written with bytes encoded when a record is applied (PendingTableWrites). */
  readonly rows: Database<StoredRow<V>, string>;
  /** Next offset to apply, per partition (uint32 keys). */
  readonly positions: Database<number, number>;
  /** The header: which topic and partition count the rows were built from. */
  readonly meta: Database<unknown, string>;
}

/**
 * Writes a batch to LMDB in one transaction: rows and positions. Resolves once the transaction
 * is committed (visible to reads), rejects when it failed (then nothing of it was written).
 */
export type CommitTableWrites = <V>(
  db: TableDatabases<V>,
  writes: PendingTableWrites<V>,
) => Promise<unknown>;

/**
 * Queues the batch's changes as asynchronous puts and removes, all in this call: lmdb-js runs
 * the asynchronous writes of one event-loop turn in one transaction, inserted and committed on its
 * own write thread after the turn, so the main thread pays only to queue them. Nothing here may
 * throw once a write is queued (a batch cut short would commit half of it): the rows were encoded
 * when applied, and table keys are short by construction (table-key-codec.ts). The positions come
 * last all the same, so a batch cut short could only leave rows ahead of their offsets, which
 * reading the records again overwrites, never an offset ahead of its rows.
 */
export const commitTableWrites: CommitTableWrites = <V>(
  db: TableDatabases<V>,
  writes: PendingTableWrites<V>,
): Promise<unknown> => {
  const { rows, positions } = db;
  // lmdb-js gives every unconditional write of a transaction the same promise: keep each distinct
  // one, so a failed commit rejects through the promise returned here and no other.
  const commits: Promise<unknown>[] = [];
  let last: Promise<unknown> | undefined;
  for (const [storage, change] of writes.rows) {
    const written =
      change === null
        ? rows.remove(storage)
        : rows.put(storage, writes.encoded(change) as unknown as StoredRow<V>);
    if (written !== last) commits.push((last = written));
  }
  for (const [partition, next] of writes.positions) {
    const written = positions.put(partition, next);
    if (written !== last) commits.push((last = written));
  }
  return Promise.all(commits);
};

/** The committed rows, from LMDB's own statistics (no scan). */
export function rowCount(rows: Database<unknown, string>): number {
  return (rows.getStats() as { entryCount: number }).entryCount;
}
