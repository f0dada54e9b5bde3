import { loadOptionalPeers } from '../app/load-optional-peers';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { ServiceDescription } from '../model/service/service-description';
import type { ReplicaDatabase } from '../replicas/replica-database';
import { CliUsageError } from './cli-error';
import type { CommandContext } from './command';
import { loadServices } from './load-services';

/** A replica named on the command line, with the service that declares it. */
export interface ReplicaTarget {
  readonly services: readonly ServiceDescription[];
  readonly service: ServiceDescription;
  readonly replica: ReplicaMetadata;
}

/** Finds `<service> <replica>` (a service's name or class, a replica's table or property). */
export async function findReplica(
  modulePath: string,
  serviceName: string,
  replicaName: string,
): Promise<ReplicaTarget> {
  const services = await loadServices(modulePath);
  const service = services.find((s) => s.name === serviceName || s.className === serviceName);
  if (service === undefined) {
    throw new CliUsageError(
      `${modulePath} exports no service "${serviceName}"; it exports ${services.map((s) => s.name).join(', ') || 'none'}.`,
    );
  }
  const replica = service.replicas.find(
    (r) => r.table === replicaName || r.property === replicaName,
  );
  if (replica === undefined) {
    throw new CliUsageError(
      `Service "${service.name}" has no @Replicate "${replicaName}"; its replicas are ${service.replicas.map((r) => r.table).join(', ') || 'none'}.`,
    );
  }
  return { services, service, replica };
}

/** The database of --database, through `pg` (an optional peer dependency, loaded only here). */
export async function openDatabase(flags: CommandContext['flags']): Promise<ReplicaDatabase> {
  const url = flags.database;
  if (typeof url !== 'string' || url === '') {
    throw new CliUsageError(
      'Pass the replica database with --database <url>, e.g. --database postgres://user@127.0.0.1:5432/app.',
    );
  }
  const { postgresDatabase } = await loadOptionalPeers(
    '--database',
    ['pg'],
    () => import('../replicas/postgres-database'),
  );
  return postgresDatabase({ connectionString: url });
}

export const DATABASE_OPTION = {
  flags: '--database <url>',
  description: 'the PostgreSQL database of the replica, e.g. postgres://user@host:5432/app',
};
