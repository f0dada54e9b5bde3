// A projecting service instance (orders and payments into one table) in its own process, so a
// test can kill -9 it in the middle of a batch.
import 'reflect-metadata';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import { ConsoleLogger } from '../../src/logging/console-logger';
import { postgresDatabase } from '../../src/replicas/postgres-database';
import { summaryTopology } from '../support/order-summary-projection';
import { relayClient, relayTransport } from './relay-transport';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`projection-worker needs ${name}`);
  return value;
}

async function main(): Promise<void> {
  const { service } = summaryTopology({
    orders: required('PROJECTION_ORDERS'),
    payments: required('PROJECTION_PAYMENTS'),
    table: required('PROJECTION_TABLE'),
    service: required('PROJECTION_SERVICE'),
  });
  const logger = new ConsoleLogger('warn', { worker: process.pid });
  const app = StreamwiseApp.create({
    services: [service],
    transport: relayTransport(relayClient(process.env.PROJECTION_CLIENT), {
      brokers: required('PROJECTION_BROKERS').split(','),
      clientId: `projection-worker-${process.pid}`,
      logger,
      consumer: { maxWaitTimeMs: 200 },
    }),
    logger,
    http: false,
    handleSignals: true,
    replicaDatabase: postgresDatabase({
      connectionString: required('PROJECTION_DATABASE'),
      logger,
    }),
  });
  await app.start();
  process.stdout.write('READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`projection-worker failed: ${String(error)}\n`);
  process.exit(1);
});
