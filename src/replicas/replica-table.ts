import { ReplicaFencedError } from '../errors/replica-fenced-error';
import { ReplicaTableMismatchError } from '../errors/replica-table-mismatch-error';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { ReplicaDatabase } from './replica-database';
import {
  createOffsetsTable,
  createTable,
  declaredColumns,
  deletes,
  lockOffsets,
  OFFSETS_TABLE,
  seedOffsets,
  storeOffsets,
  upserts,
} from './replica-sql';

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

/**
 * Creates the replica's table and the offsets table where missing, and checks an existing table
 * has the declared columns. A table created here starts from offset 0 even if offsets of an
 * earlier (dropped) table remain. Serialised by an advisory lock: instances start together.
 */
export async function prepareReplicaTable(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
): Promise<void> {
  await db.transaction(async (sql) => {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext('${OFFSETS_TABLE}'))`);
    await sql.query(createOffsetsTable());
    const found = (
      await sql.query(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
        [replica.table],
      )
    ).rows.map((row) => String(row.column_name));
    if (found.length === 0) {
      await sql.query(createTable(replica));
      await sql.query(`DELETE FROM ${OFFSETS_TABLE} WHERE replica = $1`, [replica.table]);
      return;
    }
    const declared = declaredColumns(replica);
    if (found.length !== declared.length || declared.some((name) => !found.includes(name))) {
      throw new ReplicaTableMismatchError(replica.table, found, declared);
    }
  });
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

/**
 * Applies a batch in one transaction: the rows and the partitions' new offsets commit together or
 * not at all. Offsets that moved since this instance read them mean another instance writes the
 * partition now: nothing is written and ReplicaFencedError names those partitions.
 */
export async function writeBatch(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  batch: readonly PartitionBatch[],
): Promise<void> {
  await db.transaction(async (sql) => {
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
    for (const statement of upserts(replica, upserted)) {
      await sql.query(statement.text, statement.params);
    }
    const offsets = storeOffsets(
      replica,
      batch.map((b) => ({ partition: b.partition, next: b.to })),
    );
    await sql.query(offsets.text, offsets.params);
  });
}
