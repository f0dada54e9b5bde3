import { ReplicaRebuildError } from '../errors/replica-rebuild-error';
import { ReplicaTableMismatchError } from '../errors/replica-table-mismatch-error';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { ReplicaDatabase, ReplicaSql } from './replica-database';
import { createOffsetsTable, createTable, declaredColumns, OFFSETS_TABLE } from './replica-sql';
import {
  createCatalog,
  createView,
  RELATION_KIND,
  replaceView,
  REPLICAS_TABLE,
  VERSIONS_TABLE,
  versionTable,
} from './replica-versions-sql';

/** One version of a replica: its number and the fingerprint of the mapping that builds it. */
export interface ReplicaVersion {
  readonly version: number;
  readonly fingerprint: string;
}

/** The replica as one version of it: the table and offsets that version's writer uses. */
export function versionMetadata(replica: ReplicaMetadata, version: number): ReplicaMetadata {
  return { ...replica, table: versionTable(replica.table, version) };
}

/** Catalog changes are serialised: instances and the CLI may start together. */
async function lockCatalog(sql: ReplicaSql): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtext('${OFFSETS_TABLE}'))`);
  await sql.query(createOffsetsTable());
  for (const statement of createCatalog()) await sql.query(statement);
}

async function relationKind(sql: ReplicaSql, name: string): Promise<string | undefined> {
  const { rows } = await sql.query(RELATION_KIND, [name]);
  return rows.length === 0 ? undefined : String(rows[0].relkind);
}

/** The live version of `table`; `lock` takes the catalog row (the switch lock) until commit. */
export async function readLive(
  sql: ReplicaSql,
  table: string,
  lock: '' | 'FOR SHARE' | 'FOR UPDATE' = '',
): Promise<ReplicaVersion | undefined> {
  const { rows } = await sql.query(
    `SELECT live, fingerprint FROM ${REPLICAS_TABLE} WHERE replica = $1 ${lock}`,
    [table],
  );
  if (rows.length === 0) return undefined;
  return { version: Number(rows[0].live), fingerprint: String(rows[0].fingerprint) };
}

/**
 * Makes sure the replica has a live version and returns it. A first start creates version 1 and
 * the view; a table of the replica's name from before versions existed becomes version 1 (its
 * rows and offsets kept) when its columns are the declared ones. The live version may have been
 * built under another fingerprint: the caller decides to rebuild.
 */
export async function prepareReplica(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  fingerprint: string,
): Promise<ReplicaVersion> {
  return db.transaction(async (sql) => {
    await lockCatalog(sql);
    const live = await readLive(sql, replica.table);
    if (live !== undefined) return live;
    const kind = await relationKind(sql, replica.table);
    const first = versionMetadata(replica, 1);
    if (kind === 'r') {
      await adoptTable(sql, replica, first.table);
    } else if (kind === undefined) {
      await createVersionTable(sql, replica.table, first);
    } else {
      throw new ReplicaRebuildError(
        replica.table,
        `a view or other relation of this name exists, but ${REPLICAS_TABLE} has no row for it, so the replica did not create it. Drop it (DROP VIEW ${replica.table}) or replicate into another table name.`,
      );
    }
    await sql.query(createView(replica.table, 1));
    await sql.query(
      `INSERT INTO ${REPLICAS_TABLE} (replica, live, fingerprint) VALUES ($1, 1, $2)`,
      [replica.table, fingerprint],
    );
    await sql.query(
      `INSERT INTO ${VERSIONS_TABLE} (replica, version, fingerprint, state) VALUES ($1, 1, $2, 'live')`,
      [replica.table, fingerprint],
    );
    return { version: 1, fingerprint };
  });
}

async function adoptTable(sql: ReplicaSql, replica: ReplicaMetadata, first: string): Promise<void> {
  const found = (
    await sql.query(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
      [replica.table],
    )
  ).rows.map((row) => String(row.column_name));
  const declared = declaredColumns(replica);
  if (found.length !== declared.length || declared.some((name) => !found.includes(name))) {
    throw new ReplicaTableMismatchError(replica.table, found, declared);
  }
  await assertFree(sql, replica.table, first);
  await sql.query(`ALTER TABLE "${replica.table}" RENAME TO "${first}"`);
  await sql.query(`UPDATE ${OFFSETS_TABLE} SET replica = $2 WHERE replica = $1`, [
    replica.table,
    first,
  ]);
}

async function assertFree(sql: ReplicaSql, table: string, name: string): Promise<void> {
  if ((await relationKind(sql, name)) !== undefined) {
    throw new ReplicaRebuildError(
      table,
      `its next version's table "${name}" exists but is not in ${VERSIONS_TABLE}: rename or drop that table, then start again.`,
    );
  }
}

/** A new, empty version table; offsets a dropped table of that name left are removed. */
async function createVersionTable(
  sql: ReplicaSql,
  table: string,
  version: ReplicaMetadata,
): Promise<void> {
  await assertFree(sql, table, version.table);
  await sql.query(createTable(version));
  await sql.query(`DELETE FROM ${OFFSETS_TABLE} WHERE replica = $1`, [version.table]);
}

/**
 * The version a rebuild fills: an unfinished one of the same fingerprint is continued (a rerun
 * resumes it); one of another fingerprint was never live and is dropped; else a new number.
 */
export async function openBuildingVersion(
  db: ReplicaDatabase,
  replica: ReplicaMetadata,
  fingerprint: string,
): Promise<ReplicaVersion & { readonly resumed: boolean }> {
  return db.transaction(async (sql) => {
    await lockCatalog(sql);
    const { rows } = await sql.query(
      `SELECT version, fingerprint, state FROM ${VERSIONS_TABLE} WHERE replica = $1 ORDER BY version`,
      [replica.table],
    );
    for (const row of rows.filter((r) => r.state === 'building')) {
      const version = Number(row.version);
      if (row.fingerprint === fingerprint) return { version, fingerprint, resumed: true };
      await dropVersion(sql, replica.table, version);
    }
    const version = Math.max(0, ...rows.map((r) => Number(r.version))) + 1;
    await createVersionTable(sql, replica.table, versionMetadata(replica, version));
    await sql.query(
      `INSERT INTO ${VERSIONS_TABLE} (replica, version, fingerprint, state) VALUES ($1, $2, $3, 'building')`,
      [replica.table, version, fingerprint],
    );
    return { version, fingerprint, resumed: false };
  });
}

/**
 * Points the view at `to` and makes it the live version, in the caller's transaction (which holds
 * the catalog row FOR UPDATE). Readers see the old table up to the commit and the new one after.
 */
export async function switchLive(
  sql: ReplicaSql,
  table: string,
  from: ReplicaVersion,
  to: ReplicaVersion,
): Promise<void> {
  await sql.query('SAVEPOINT streamwise_view');
  try {
    // In place when the columns are the same: views other teams built on it stay valid.
    await sql.query(replaceView(table, to.version));
  } catch {
    await sql.query('ROLLBACK TO SAVEPOINT streamwise_view');
    try {
      await sql.query(`DROP VIEW "${table}"`);
    } catch (error) {
      throw new ReplicaRebuildError(
        table,
        `its view cannot be re-pointed to ${versionTable(table, to.version)}, whose columns differ: ${error instanceof Error ? error.message : String(error)}. Drop the views built on it and run the rebuild again (it resumes).`,
      );
    }
    await sql.query(createView(table, to.version));
  }
  await sql.query(`UPDATE ${REPLICAS_TABLE} SET live = $2, fingerprint = $3 WHERE replica = $1`, [
    table,
    to.version,
    to.fingerprint,
  ]);
  await sql.query(
    `UPDATE ${VERSIONS_TABLE} SET state = CASE WHEN version = $2 THEN 'live' ELSE 'old' END WHERE replica = $1 AND version IN ($2, $3)`,
    [table, to.version, from.version],
  );
}

/** Drops a version's table, offsets and catalog row. */
export async function dropVersion(
  sql: ReplicaSql,
  table: string,
  version: number,
): Promise<string> {
  const name = versionTable(table, version);
  await sql.query(`DROP TABLE IF EXISTS "${name}"`);
  await sql.query(`DELETE FROM ${OFFSETS_TABLE} WHERE replica = $1`, [name]);
  await sql.query(`DELETE FROM ${VERSIONS_TABLE} WHERE replica = $1 AND version = $2`, [
    table,
    version,
  ]);
  return name;
}

/** Drops the versions readers no longer see (never the live one); returns their tables. */
export async function dropOldVersions(db: ReplicaDatabase, table: string): Promise<string[]> {
  return db.transaction(async (sql) => {
    await lockCatalog(sql);
    const { rows } = await sql.query(
      `SELECT version FROM ${VERSIONS_TABLE} WHERE replica = $1 AND state = 'old' ORDER BY version`,
      [table],
    );
    const dropped: string[] = [];
    for (const row of rows) dropped.push(await dropVersion(sql, table, Number(row.version)));
    return dropped;
  });
}
