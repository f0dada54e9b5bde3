// A service instance in its own process, so a test can kill -9 it. Configured by environment.
import 'reflect-metadata';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import { ConsoleLogger } from '../../src/logging/console-logger';
import { relayTopology } from './relay-service';
import { relayClient, relayTransport } from './relay-transport';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`relay-worker needs ${name}`);
  return value;
}

async function main(): Promise<void> {
  const { relay, input, output } = relayTopology({
    input: required('RELAY_INPUT'),
    output: required('RELAY_OUTPUT'),
    group: required('RELAY_GROUP'),
    exactlyOnce: process.env.RELAY_EXACTLY_ONCE === '1',
  });
  const logger = new ConsoleLogger('warn', { worker: process.pid });
  const app = StreamwiseApp.create({
    services: [relay],
    transport: relayTransport(relayClient(process.env.RELAY_CLIENT), {
      brokers: required('RELAY_BROKERS').split(','),
      clientId: `relay-worker-${process.pid}`,
      logger,
    }),
    logger,
    handleSignals: true,
  });
  await app.start();
  process.stdout.write(`READY ${input.name} -> ${output.name}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`relay-worker failed: ${String(error)}\n`);
  process.exit(1);
});
