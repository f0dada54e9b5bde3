import { Pool } from 'pg';

import type { Logger } from '../logging/logger';
import type { ReplicaDatabase, ReplicaQueryResult, ReplicaSql } from './replica-database';

export interface PostgresDatabaseOptions {
  /** e.g. postgres://user:password@127.0.0.1:5432/app */
  readonly connectionString: string;
  /** Connections kept at most (default 4: one writer per replica and a few readers). */
  readonly maxConnections?: number;
  /** Where connection errors of idle connections are logged (default: nowhere). */
  readonly logger?: Logger;
}

/** A PostgreSQL server as a replica database, through a `pg` connection pool. */
export function postgresDatabase(options: PostgresDatabaseOptions): ReplicaDatabase {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: 5_000,
  });
  // A server that restarts ends idle connections; without a listener that error ends the process.
  pool.on('error', (error) =>
    options.logger?.warn('an idle database connection failed', { error: error.message }),
  );
  const run = async (
    sql: { query: Pool['query'] },
    text: string,
    params?: readonly unknown[],
  ): Promise<ReplicaQueryResult> => {
    const result = await sql.query(text, params === undefined ? undefined : [...params]);
    return { rows: result.rows as Record<string, unknown>[] };
  };
  return {
    query: (text, params) => run(pool, text, params),
    async transaction<T>(
      work: (sql: ReplicaSql) => Promise<T>,
      transactionOptions: { readonly readOnly?: boolean } = {},
    ): Promise<T> {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query(transactionOptions.readOnly === true ? 'BEGIN READ ONLY' : 'BEGIN');
        const result = await work({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        // A connection whose rollback failed is in an unknown state: never reuse it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
