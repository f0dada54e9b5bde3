import { ReplicaRebuildError } from '../errors/replica-rebuild-error';
import type { Logger } from '../logging/logger';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { ReplicaSql } from './replica-database';
import { replicaFingerprint } from './replica-fingerprint';
import { type OffsetsByTopic, readRound, type RebuildReading } from './replica-rebuild-round';
import { readOffsets, storedOffsets } from './replica-table';
import {
  dropVersion,
  openBuildingVersion,
  readLive,
  type ReplicaVersion,
  switchLive,
  versionMetadata,
} from './replica-versions';
import { REPLICAS_TABLE, versionTable } from './replica-versions-sql';

/** Rounds read before the last one, which holds the live writers while it runs. */
const OPEN_ROUNDS = 3;

export interface RebuildOptions extends RebuildReading {
  readonly logger: Logger;
  /** Drop the version readers saw before, once the switch committed (default: keep it). */
  readonly dropOld?: boolean;
  /** Told the records read so far and the records to read (the live version's offsets). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RebuildResult {
  /** The version readers saw before, and its table (dropped with `dropOld`). */
  readonly previous: ReplicaVersion & { readonly table: string; readonly dropped: boolean };
  /** The version readers see now, and its table. */
  readonly current: ReplicaVersion & { readonly table: string; readonly resumed: boolean };
  /** Records passed over because they do not belong on the topic (dead letters of the replica). */
  readonly skipped: number;
}

/**
 * Builds a new version of a replica's table from offset 0 next to the live one and switches the
 * readers' view to it. How it keeps every row:
 *
 * - The new version is built up to the live version's stored offsets and never beyond, so at the
 *   switch both versions hold exactly the same records, each under its own mapping. The live
 *   writer keeps writing the live version meanwhile; each round reads up to where it got.
 * - The last round runs while this rebuild holds the catalog row FOR UPDATE. Every live batch
 *   takes that row FOR SHARE first, so the live offsets stand still: the round reaches them, the
 *   view is re-pointed, and the catalog names the new version, in one transaction.
 * - A live writer's next batch finds the new version live; its pending rows start at the offsets
 *   the new version holds (the old ones, equal), so it writes them there and goes on.
 * - An interrupted rebuild leaves a version in state `building` with its rows and offsets: a rerun
 *   with the same mapping continues it. Rebuilds of one replica are serialised by an advisory lock.
 */
export async function rebuildReplica(
  replica: ReplicaMetadata,
  options: RebuildOptions,
): Promise<RebuildResult> {
  const { database, transport, logger } = options;
  const fingerprint = replicaFingerprint(replica);
  return database.transaction(async (guard) => {
    await guard.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `streamwise-rebuild:${replica.table}`,
    ]);
    const live = await readLive(database, replica.table);
    if (live === undefined) {
      throw new ReplicaRebuildError(
        replica.table,
        'it has no live version yet, so there is nothing to rebuild: start its service once, which creates the table and feeds it.',
      );
    }
    const building = await openBuildingVersion(database, replica, fingerprint);
    const target = versionMetadata(replica, building.version);
    const liveMetadata = versionMetadata(replica, live.version);
    const partitions = (await transport.endOffsets(replica.topic.name)).length;
    const all = Array.from({ length: partitions }, (_, p) => p);
    await readOffsets(database, target, all);
    logger.info(
      `${building.resumed ? 'continuing' : 'building'} ${target.table} next to the live ${liveMetadata.table}`,
      { table: replica.table },
    );
    let skipped = 0;
    let total = 0;
    const reading: RebuildReading = {
      ...options,
      onSkipped: () => skipped++,
      onWritten: (done) => options.onProgress?.(sum(done), total),
    };
    const round = async (sql: ReplicaSql): Promise<boolean> => {
      const bound = await storedOffsets(sql, liveMetadata, partitions);
      await assertWithinLog(options, replica.table, bound);
      const from = await storedOffsets(database, target, partitions);
      total = sum(bound);
      options.onProgress?.(sum(from), total);
      if (compare(from, bound, (a, b) => a === b)) return true;
      if (!compare(from, bound, (a, b) => a <= b)) throw aheadOfLive(replica, target.table);
      await readRound(reading, target, from, bound);
      return false;
    };
    for (let i = 0; i < OPEN_ROUNDS && !(await round(database)); i++);
    const dropped = await database.transaction(async (sql) => {
      const now = await readLive(sql, replica.table, 'FOR UPDATE');
      if (now?.version !== live.version) {
        throw new ReplicaRebuildError(
          replica.table,
          `version ${now?.version ?? '(none)'} became live while this rebuild ran: run it again.`,
        );
      }
      await round(sql);
      const built = await storedOffsets(database, target, partitions);
      const bound = await storedOffsets(sql, liveMetadata, partitions);
      if (!compare(built, bound, (a, b) => a === b)) {
        throw new ReplicaRebuildError(
          replica.table,
          `the live version's offsets moved while the switch held ${REPLICAS_TABLE} (${show(built)} built, ${show(bound)} live): something writes it without taking that row, e.g. an instance of a streamwise release from before versioned replicas. Stop it and run the rebuild again (it resumes).`,
        );
      }
      await switchLive(sql, replica.table, live, building);
      if (options.dropOld !== true) return false;
      await dropVersion(sql, replica.table, live.version);
      return true;
    });
    logger.info(`readers see ${target.table} now`, { table: replica.table, skipped });
    return {
      previous: { ...live, table: versionTable(replica.table, live.version), dropped },
      current: { ...building, table: target.table },
      skipped,
    };
  });
}

function sum(offsets: OffsetsByTopic): number {
  let total = 0;
  for (const topic of offsets.values()) for (const offset of topic) total += offset;
  return total;
}

/** True when `test` holds for every input partition's offsets in `a` and `b`. */
function compare(
  a: OffsetsByTopic,
  b: OffsetsByTopic,
  test: (x: number, y: number) => boolean,
): boolean {
  return [...a].every(([topic, offsets]) =>
    offsets.every((offset, p) => test(offset, b.get(topic)?.[p] ?? 0)),
  );
}

function show(offsets: OffsetsByTopic): string {
  return [...offsets].map(([topic, o]) => `${topic}: ${o.join(', ')}`).join('; ');
}

function aheadOfLive(replica: ReplicaMetadata, table: string): ReplicaRebuildError {
  return new ReplicaRebuildError(
    replica.table,
    `${table} holds offsets the live version does not: drop it (DROP TABLE ${table}; DELETE FROM streamwise_replica_versions WHERE replica = '${replica.table}' AND state = 'building') and run the rebuild again.`,
  );
}

/** Offsets beyond the log's end would never be reached: the topic was recreated. */
async function assertWithinLog(
  options: RebuildOptions,
  table: string,
  bound: OffsetsByTopic,
): Promise<void> {
  for (const [topic, offsets] of bound) {
    const ends = await options.transport.endOffsets(topic);
    if (offsets.some((offset, p) => offset > (ends[p] ?? 0))) {
      throw new ReplicaRebuildError(
        table,
        `its live version holds offsets beyond the end of topic "${topic}" (${offsets.join(', ')} > ${ends.join(', ')}): the topic was recreated. Drop the replica's tables and rows in streamwise_replica_offsets and restart its service.`,
      );
    }
  }
}
