import { pgliteDatabase } from '../../src/replicas/pglite-database';
import { postgresDatabase } from '../../src/replicas/postgres-database';
import type { ReplicaDatabase } from '../../src/replicas/replica-database';
import { postgresUrl } from './postgres-env';

/** One database the replica tests run against. */
export interface ReplicaDatabaseKind {
  readonly name: string;
  /** A new connection to it (the caller closes it); undefined when it is not configured. */
  readonly open: (() => ReplicaDatabase) | undefined;
}

/**
 * Both databases a replica can live in: the PostgreSQL server at STREAMWISE_PG_URL (skipped when
 * unset, like describeWithPostgres) and PGlite in the process (always: a new, empty one each
 * time). Each database-level replica test runs against both, so the embedded database is held to
 * the server's behaviour, not to a copy of the tests.
 */
export function replicaDatabaseKinds(): ReplicaDatabaseKind[] {
  const url = postgresUrl();
  return [
    {
      name: 'the PostgreSQL server',
      open: url === undefined ? undefined : () => postgresDatabase({ connectionString: url }),
    },
    { name: 'PGlite', open: () => pgliteDatabase() },
  ];
}

/** `describe(`${name} in ${kind}`)` for each database kind; skipped where it is not configured. */
export function describeEachReplicaDatabase(
  name: string,
  body: (open: () => ReplicaDatabase) => void,
): void {
  for (const kind of replicaDatabaseKinds()) {
    const { open } = kind;
    if (open === undefined) describe.skip(`${name}, in ${kind.name}`, () => body(unavailable));
    else describe(`${name}, in ${kind.name}`, () => body(open));
  }
}

function unavailable(): never {
  throw new Error('this database is not configured');
}
