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

/** The offsets of one input topic's partition a batch covers. */
export interface OffsetRange {
  readonly topic: string;
  /** The next offset the database holds for the partition before this batch. */
  readonly from: number;
  /** The next offset after this batch. */
  readonly to: number;
}

/** A row's parameters (key first, then the columns), or null to delete the key. */
export type RowChange = readonly unknown[] | null;

/** One partition number's share of a batch: its pending changes, and each input's offsets. */
export interface PartitionBatch<T = RowChange> {
  readonly partition: number;
  /** One range per input topic of the replica (from = to for a topic that had no record). */
  readonly offsets: readonly OffsetRange[];
  /** Pending changes by key text: a mapped row (null deletes), or records to fold. */
  readonly rows: ReadonlyMap<string, T>;
}

/** Turns a batch's pending changes into rows, in its transaction (a projection folds here). */
export type RowResolver<T> = (
  sql: ReplicaSql,
  changes: ReadonlyMap<string, T>,
) => Promise<ReadonlyMap<string, RowChange>>;

/** Per topic, the next offset per partition; the offsets of one partition number of every input. */
export type TopicOffsetMap = Map<string, number>;

/** The next offset of each partition of every input as the database holds it (0 where none yet). */
export async function readOffsets(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  partitions: readonly number[],
): Promise<Map<number, TopicOffsetMap>> {
  return db.transaction(async (sql) => {
    const seed = seedOffsets(replica, partitions);
    await sql.query(seed.text, seed.params);
    const locked = lockOffsets(replica, partitions);
    const { rows } = await sql.query(locked.text, locked.params);
    const offsets = new Map<number, TopicOffsetMap>();
    for (const row of rows) {
      const partition = Number(row.partition);
      const topics = offsets.get(partition) ?? new Map<string, number>();
      topics.set(String(row.topic), Number(row.next_offset));
      offsets.set(partition, topics);
    }
    return offsets;
  });
}

/** Per input topic, the next offsets stored for its `partitions` (0 where none), read without locking. */
export async function storedOffsets(
  sql: ReplicaSql,
  replica: ReplicaMetadata,
  partitions: number,
): Promise<Map<string, number[]>> {
  const { rows } = await sql.query(
    `SELECT topic, partition, next_offset FROM ${OFFSETS_TABLE} WHERE replica = $1`,
    [replica.table],
  );
  const offsets = new Map(
    replica.inputs.map(({ topic }) => [topic.name, Array.from({ length: partitions }, () => 0)]),
  );
  for (const row of rows) {
    const partition = Number(row.partition);
    const topic = offsets.get(String(row.topic));
    if (topic !== undefined && partition < partitions) topic[partition] = Number(row.next_offset);
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
export async function writeBatch<T = RowChange>(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  batch: readonly PartitionBatch<T>[],
  live?: LiveCheck,
  resolve: RowResolver<T> = (_sql, changes) =>
    Promise.resolve(changes as unknown as ReadonlyMap<string, RowChange>),
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
        `${String(row.topic)}/${Number(row.partition)}`,
        Number(row.next_offset),
      ]),
    );
    const moved = batch
      .filter((b) => b.offsets.some((o) => stored.get(`${o.topic}/${b.partition}`) !== o.from))
      .map((b) => b.partition);
    if (moved.length > 0) throw new ReplicaFencedError(replica.table, moved);
    const upserted: (readonly unknown[])[] = [];
    const deleted: string[] = [];
    for (const part of batch) {
      for (const [key, row] of await resolve(sql, part.rows)) {
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
      batch.flatMap((b) =>
        b.offsets.map((o) => ({ topic: o.topic, partition: b.partition, next: o.to })),
      ),
    );
    await sql.query(offsets.text, offsets.params);
    return undefined;
  });
}
