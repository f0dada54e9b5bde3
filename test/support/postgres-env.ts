import { randomBytes } from 'node:crypto';

/**
 * Where replica tests find PostgreSQL: STREAMWISE_PG_URL (npm run test:all starts a server and
 * sets it; by hand: `PG_PORT=55432 npm run postgres:start`, then
 * STREAMWISE_PG_URL=postgres://postgres@127.0.0.1:55432/streamwise_test).
 */
export function postgresUrl(): string | undefined {
  const url = process.env.STREAMWISE_PG_URL;
  return url === undefined || url.trim() === '' ? undefined : url;
}

/**
 * STREAMWISE_PG_URL in a tier that needs it: the integration and faults tiers' global setup has
 * already failed the run when it is unset, so this only throws in a file run outside them.
 */
export function requiredPostgresUrl(): string {
  const url = postgresUrl();
  if (url === undefined) {
    throw new Error(
      'STREAMWISE_PG_URL is not set: replica tests on the PostgreSQL server run in the integration and faults tiers, which need it (npm run test:all sets it).',
    );
  }
  return url;
}

/** A table name no other test (or earlier run against the same database) uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * Removes everything a replica left in the database: the view readers read, every version's
 * table, their offsets and the catalog rows (tables of replicas from before versions too).
 */
export async function dropReplica(
  database: { query(text: string, params?: readonly unknown[]): Promise<unknown> },
  table: string,
): Promise<void> {
  await database.query(`DROP VIEW IF EXISTS "${table}"`).catch(() => undefined);
  await database.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
  for (let version = 1; version <= 9; version++) {
    await database.query(`DROP TABLE IF EXISTS "${table}_v${version}"`);
  }
  // A database whose replica never started has no offsets table at all.
  await database
    .query(
      "DELETE FROM streamwise_replica_offsets WHERE replica = $1 OR replica LIKE $1 || '\\_v%'",
      [table],
    )
    .catch(() => undefined);
  for (const catalog of ['streamwise_replicas', 'streamwise_replica_versions']) {
    await database
      .query(`DELETE FROM ${catalog} WHERE replica = $1`, [table])
      .catch(() => undefined);
  }
}
