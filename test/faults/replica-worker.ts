// A replicating service instance in its own process, so a test can kill -9 it.
import 'reflect-metadata';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import { ConsoleLogger } from '../../src/logging/console-logger';
import { postgresDatabase } from '../../src/replicas/postgres-database';
import { relayClient, relayTransport } from './relay-transport';
import { replicaTopology } from './replica-service';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`replica-worker needs ${name}`);
  return value;
}

async function main(): Promise<void> {
  const { service } = replicaTopology({
    topic: required('REPLICA_TOPIC'),
    table: required('REPLICA_TABLE'),
    service: required('REPLICA_SERVICE'),
  });
  const logger = new ConsoleLogger('warn', { worker: process.pid });
  const app = StreamwiseApp.create({
    services: [service],
    transport: relayTransport(relayClient(process.env.REPLICA_CLIENT), {
      brokers: required('REPLICA_BROKERS').split(','),
      clientId: `replica-worker-${process.pid}`,
      logger,
      consumer: { maxWaitTimeMs: 200 },
    }),
    logger,
    http: false,
    handleSignals: true,
    replicaDatabase: postgresDatabase({ connectionString: required('REPLICA_DATABASE'), logger }),
  });
  await app.start();
  process.stdout.write('READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`replica-worker failed: ${String(error)}\n`);
  process.exit(1);
});
