import type { PGlite, Transaction } from '@electric-sql/pglite';

import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error';
import type { ReplicaDatabase, ReplicaQueryResult, ReplicaSql } from './replica-database';

export interface PgliteDatabaseOptions {
  /**
   * The directory PGlite keeps its files in, so the tables and their offsets outlive the process
   * (default: in memory, gone when the database is closed).
   */
  readonly dataDir?: string;
}

const PACKAGE = '@electric-sql/pglite';

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

/** Loads PGlite only when the database is first used, so the entry costs nothing until then. */
export async function openPglite(
  dataDir: string | undefined,
  load: () => Promise<{ PGlite: typeof PGlite }> = () => import('@electric-sql/pglite'),
): Promise<PGlite> {
  let module: { PGlite: typeof PGlite };
  try {
    module = await load();
  } catch (error) {
    if (isModuleNotFound(error)) {
      throw new MissingPeerDependencyError('replicaDatabase: pgliteDatabase()', [PACKAGE], error);
    }
    throw error;
  }
  const db = new module.PGlite(dataDir);
  await db.waitReady;
  return db;
}

async function run(
  sql: PGlite | Transaction,
  text: string,
  params?: readonly unknown[],
): Promise<ReplicaQueryResult> {
  const result = await sql.query<Record<string, unknown>>(
    text,
    params === undefined ? undefined : [...params],
  );
  return { rows: result.rows };
}

/**
 * PostgreSQL inside the process (PGlite, PostgreSQL compiled to WebAssembly) as a replica
 * database: for demos, tests and single-process tools that should need no server. One connection:
 * statements and transactions run one at a time, a read waits for the batch being written, and
 * READ ONLY is the server's own. Columns of type bigint come back as numbers (`pg` gives strings).
 * PGlite is an optional peer dependency, loaded on first use; without it the first statement (the
 * app's start) fails with MissingPeerDependencyError.
 */
export function pgliteDatabase(options: PgliteDatabaseOptions = {}): ReplicaDatabase {
  let opening: Promise<PGlite> | undefined;
  const open = (): Promise<PGlite> => (opening ??= openPglite(options.dataDir));
  return {
    query: async (text, params) => run(await open(), text, params),
    async transaction<T>(
      work: (sql: ReplicaSql) => Promise<T>,
      transactionOptions: { readonly readOnly?: boolean } = {},
    ): Promise<T> {
      const db = await open();
      // PGlite begins with a plain BEGIN; the first statement of a transaction may still make it
      // read-only, with the same refusal of writes as the server's BEGIN READ ONLY.
      return db.transaction(async (tx) => {
        if (transactionOptions.readOnly === true) await tx.exec('SET TRANSACTION READ ONLY');
        return work({ query: (text, params) => run(tx, text, params) });
      });
    },
    async close(): Promise<void> {
      if (opening === undefined) return;
      const db = await opening.catch(() => undefined);
      if (db !== undefined && !db.closed) await db.close();
    },
  };
}
