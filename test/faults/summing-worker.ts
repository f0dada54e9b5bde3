// A stateful service instance in its own process, so a test can kill -9 it.
import 'reflect-metadata';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import { ConsoleLogger } from '../../src/logging/console-logger';
import { relayClient, relayTransport } from './relay-transport';
import { summingTopology } from './summing-service';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`summing-worker needs ${name}`);
  return value;
}

async function main(): Promise<void> {
  const { summer } = summingTopology({
    input: required('SUM_INPUT'),
    output: required('SUM_OUTPUT'),
    group: required('SUM_GROUP'),
  });
  const logger = new ConsoleLogger('warn', { worker: process.pid });
  const app = StreamwiseApp.create({
    services: [summer],
    transport: relayTransport(relayClient(process.env.SUM_CLIENT), {
      brokers: required('SUM_BROKERS').split(','),
      clientId: `summing-worker-${process.pid}`,
      logger,
      // The default session and heartbeat (10 s / 3 s): the test shows the takeover they give.
      consumer: { maxWaitTimeMs: 200 },
    }),
    logger,
    http: false,
    handleSignals: true,
  });
  await app.start();
  process.stdout.write('READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`summing-worker failed: ${String(error)}\n`);
  process.exit(1);
});
