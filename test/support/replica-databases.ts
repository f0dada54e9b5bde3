import { pgliteDatabase } from '../../src/replicas/pglite-database';
import { postgresDatabase } from '../../src/replicas/postgres-database';
import type { ReplicaDatabase } from '../../src/replicas/replica-database';
import { requiredPostgresUrl } from './postgres-env';

/** One database the replica tests run against. */
export interface ReplicaDatabaseKind {
  readonly name: string;
  /** A new connection to it (the caller closes it). */
  readonly open: () => ReplicaDatabase;
}

/**
 * Both databases a replica can live in: the PostgreSQL server at STREAMWISE_PG_URL (the tiers
 * that run these tests require it) and PGlite in the process (a new, empty one each time). Each
 * database-level replica test runs against both, so the embedded database is held to the
 * server's behaviour, not to a copy of the tests.
 */
export const REPLICA_DATABASE_KINDS: readonly ReplicaDatabaseKind[] = [
  {
    name: 'the PostgreSQL server',
    open: () => postgresDatabase({ connectionString: requiredPostgresUrl() }),
  },
  { name: 'PGlite', open: () => pgliteDatabase() },
];

/** `describe(`${name}, in ${kind}`)` for each database kind. */
export function describeEachReplicaDatabase(
  name: string,
  body: (open: () => ReplicaDatabase) => void,
): void {
  for (const { name: kind, open } of REPLICA_DATABASE_KINDS) {
    describe(`${name}, in ${kind}`, () => body(open));
  }
}
