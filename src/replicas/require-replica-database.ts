import { ConfigurationError } from '../errors/configuration-error';
import type { ServiceDescription } from '../model/service/service-description';
import type { ReplicaDatabase } from './replica-database';

/** A @Replicate without a database is refused before any I/O, like every misconfiguration. */
export function requireReplicaDatabase(
  descriptions: readonly Pick<ServiceDescription, 'className' | 'replicas'>[],
  database: ReplicaDatabase | undefined,
): ReplicaDatabase | undefined {
  if (database !== undefined) return database;
  const replicated = descriptions.find((d) => d.replicas.length > 0);
  if (replicated === undefined) return undefined;
  const replica = replicated.replicas[0];
  throw new ConfigurationError(
    `${replicated.className}.${replica.property} replicates into table "${replica.table}", but the app has no database: pass replicaDatabase: postgresDatabase({ connectionString }) from 'streamwise/postgres' to StreamwiseApp.create.`,
  );
}
