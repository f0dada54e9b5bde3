import type { ReplicaDatabase } from '../../src';
import { pgliteDatabase } from '../../src/pglite';
import { postgresDatabase } from '../../src/postgres';

/** The read model's database for a demo, and a few words saying which it is. */
export interface DemoDatabase {
  readonly database: ReplicaDatabase;
  readonly description: string;
}

/**
 * A PostgreSQL server when the environment names one: DATABASE_URL, or libpq's PGHOST (a host
 * name, not a socket directory) / PGPORT / PGUSER / PGPASSWORD / PGDATABASE when PGHOST or
 * PGDATABASE is set. Otherwise PGlite, in this process, so the demo still needs no server.
 */
export function demoDatabase(env: NodeJS.ProcessEnv = process.env): DemoDatabase {
  const url = env.DATABASE_URL?.trim();
  if (url !== undefined && url !== '') {
    return {
      database: postgresDatabase({ connectionString: url }),
      description: `PostgreSQL at ${new URL(url).host} (DATABASE_URL)`,
    };
  }
  if ((env.PGHOST ?? '') !== '' || (env.PGDATABASE ?? '') !== '') {
    const user = encodeURIComponent(env.PGUSER ?? 'postgres');
    const password = env.PGPASSWORD === undefined ? '' : `:${encodeURIComponent(env.PGPASSWORD)}`;
    const host = env.PGHOST ?? '127.0.0.1';
    const at = `${host}:${env.PGPORT ?? '5432'}/${encodeURIComponent(env.PGDATABASE ?? user)}`;
    return {
      database: postgresDatabase({ connectionString: `postgres://${user}${password}@${at}` }),
      description: `PostgreSQL at ${host}:${env.PGPORT ?? '5432'} (PGHOST)`,
    };
  }
  return { database: pgliteDatabase(), description: 'PGlite: PostgreSQL inside this process' };
}
