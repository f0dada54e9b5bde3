import { ReplicaFencedError } from '../errors/replica-fenced-error';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { ReplicaDatabase, ReplicaSql } from './replica-database';
import {
  deletes,
  lockOffsets,
  OFFSETS_TABLE,
  seedOffsets,
  storeOffsets,
  upserts,
} from './replica-sql';
import { readLive, type ReplicaVersion } from './replica-versions';

/** One partition's share of a batch: rows to upsert or delete, and the offsets it covers. */
export interface PartitionBatch {
  readonly partition: number;
  /** The next offset the database holds for the partition before this batch. */
  readonly from: number;
  /** The next offset after this batch. */
  readonly to: number;
  /** Row parameters by key text; null deletes the key. */
  readonly rows: ReadonlyMap<string, readonly unknown[] | null>;
}

/** The next offset of each partition as the database holds it (0 where it holds none yet). */
export async function readOffsets(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  partitions: readonly number[],
): Promise<Map<number, number>> {
  return db.transaction(async (sql) => {
    const seed = seedOffsets(replica, partitions);
    await sql.query(seed.text, seed.params);
    const locked = lockOffsets(replica, partitions);
    const { rows } = await sql.query(locked.text, locked.params);
    return new Map(rows.map((row) => [Number(row.partition), Number(row.next_offset)]));
  });
}

/** The next offsets stored for `partitions` (0 where none), read without locking. */
export async function storedOffsets(
  sql: ReplicaSql,
  replica: ReplicaMetadata,
  partitions: number,
): Promise<number[]> {
  const { rows } = await sql.query(
    `SELECT partition, next_offset FROM ${OFFSETS_TABLE} WHERE replica = $1 AND topic = $2`,
    [replica.table, replica.topic.name],
  );
  const offsets = Array.from({ length: partitions }, () => 0);
  for (const row of rows) {
    const partition = Number(row.partition);
    if (partition < partitions) offsets[partition] = Number(row.next_offset);
  }
  return offsets;
}

/** Which version the live writer expects to be live: the view's name and the version number. */
export interface LiveCheck {
  readonly table: string;
  readonly version: number;
}

/**
 * Applies a batch in one transaction: the rows and the partitions' new offsets commit together or
 * not at all. Offsets that moved since this instance read them mean another instance writes the
 * partition now: nothing is written and ReplicaFencedError names those partitions. With `live`,
 * the catalog row is taken FOR SHARE first (a switch waits for the batch, the batch waits for a
 * switch); when another version became live, nothing is written and that version is returned.
 */
export async function writeBatch(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  batch: readonly PartitionBatch[],
  live?: LiveCheck,
): Promise<ReplicaVersion | undefined> {
  return db.transaction(async (sql) => {
    if (live !== undefined) {
      const now = await readLive(sql, live.table, 'FOR SHARE');
      if (now !== undefined && now.version !== live.version) return now;
    }
    const locked = lockOffsets(
      replica,
      batch.map((b) => b.partition),
    );
    const stored = new Map(
      (await sql.query(locked.text, locked.params)).rows.map((row) => [
        Number(row.partition),
        Number(row.next_offset),
      ]),
    );
    const moved = batch.filter((b) => stored.get(b.partition) !== b.from).map((b) => b.partition);
    if (moved.length > 0) throw new ReplicaFencedError(replica.table, moved);
    const upserted: (readonly unknown[])[] = [];
    const deleted: string[] = [];
    for (const part of batch) {
      for (const [key, row] of part.rows) {
        if (row === null) deleted.push(key);
        else upserted.push(row);
      }
    }
    if (deleted.length > 0) {
      const statement = deletes(replica, deleted);
      await sql.query(statement.text, statement.params);
    }
    const upsert = upserts(replica, upserted);
    if (upsert !== undefined) await sql.query(upsert.text, upsert.params);
    const offsets = storeOffsets(
      replica,
      batch.map((b) => ({ partition: b.partition, next: b.to })),
    );
    await sql.query(offsets.text, offsets.params);
    return undefined;
  });
}
