import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import { SilentLogger } from '../../src/logging/silent-logger';
import { postgresDatabase } from '../../src/replicas/postgres-database';
import { partitionForKey } from '../../src/transport/partitioner';
import type { OutgoingRecord } from '../../src/transport/transport';
import { kafkaBrokers } from '../support/kafka-env';
import { uniqueTable } from '../support/postgres-env';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { faultTestClient } from './fault-support';
import { RELAY_CLIENTS, relayTransport } from './relay-transport';
import { REPLICA_PARTITIONS, replicaTopology } from './replica-service';

const ROOT = resolve(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/postgres/postgres.sh');
/** Default port of this test's own server; npm run test:all sets PG_PORT + 1. */
const DEFAULT_PORT = '15433';
const OUTAGE_MS = 15_000;

function version(key: string, seq: number): OutgoingRecord {
  const bytes = Buffer.from(key);
  return {
    key: bytes,
    value: Buffer.from(JSON.stringify({ key, seq })),
    partition: partitionForKey(bytes, REPLICA_PARTITIONS),
  };
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

// The same case on each Kafka client: the app runs the replica on it, the test produces through
// KafkaTransport.
describe.each(RELAY_CLIENTS)('fault (%s): the replica database is down for 15 s', (kafkaClient) => {
  jest.setTimeout(240_000);
  const teardown = teardownAfterEach();

  it('the replica pauses, reports not ready, and resumes without losing a row', async () => {
    const port = Number(process.env.STREAMWISE_FAULT_PG_PORT ?? DEFAULT_PORT);
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is in use, but this test starts and stops a PostgreSQL server of its own there: set STREAMWISE_FAULT_PG_PORT to a free port (npm run test:all uses PG_PORT + 1).`,
      );
    }
    const stateDir = join(ROOT, '.postgres', uniqueName('outage'));
    const server = (command: string, ...args: string[]): Promise<unknown> =>
      promisify(execFile)('bash', [SCRIPT, command, ...args], {
        env: { ...process.env, PG_PORT: String(port), PG_STATE_DIR: stateDir },
      });
    teardown.add('the server', stateDir, async (dir) => {
      await server('stop', '--clean');
      await rm(dir, { recursive: true, force: true });
    });
    await server('start');
    const database = teardown.add(
      'the database',
      postgresDatabase({
        connectionString: `postgres://postgres@127.0.0.1:${port}/streamwise_test`,
      }),
      (db) => db.close(),
    );

    const topic = uniqueName('versions');
    const { service } = replicaTopology({
      topic,
      table: uniqueTable('versions'),
      service: uniqueName('outage-replica').toLowerCase(),
    });
    const client = await faultTestClient(teardown);
    await client.createTopics([{ name: topic, partitions: REPLICA_PARTITIONS, compacted: true }]);
    const app = StreamwiseApp.create({
      services: [service],
      transport: relayTransport(kafkaClient, {
        brokers: kafkaBrokers(),
        clientId: 'outage-replica',
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
      logger: new SilentLogger(),
      http: false,
      replicaDatabase: database,
    });
    teardown.add('the app', app, (a) => a.stop());
    await app.start();
    const replica = (): { ready: boolean } | undefined =>
      app.readiness.checks().find((check) => check.name.startsWith('replica '));
    const reader = app.service(service).versions;

    const latest = new Map<string, number>();
    const send = async (keys: readonly string[], seq: number): Promise<void> => {
      await client.produce(
        topic,
        keys.map((key) => version(key, seq)),
      );
      for (const key of keys) latest.set(key, seq);
    };
    await send(
      Array.from({ length: 200 }, (_, i) => `key-${i}`),
      0,
    );
    await waitFor(async () => (await reader.count()) === 200, 'the first 200 rows');
    expect(replica()?.ready).toBe(true);

    await server('stop');
    const down = Date.now();
    // More keys than a replica keeps pending (50,000): the records must wait in the log.
    for (let round = 1; round <= 3; round++) {
      await send(
        Array.from({ length: 20_000 }, (_, i) => `key-${(round * 18_000 + i) % 60_000}`),
        round,
      );
    }
    await waitFor(() => replica()?.ready === false, 'the replica to report not ready');
    await waitFor(() => Date.now() - down >= OUTAGE_MS, 'a 15 s outage', {
      timeoutMs: OUTAGE_MS + 5_000,
      intervalMs: 250,
    });
    await server('start');

    const want = [...latest].sort(([a], [b]) => a.localeCompare(b));
    await waitFor(
      async () => {
        const rows = await reader.query('SELECT key, seq FROM ' + reader.table + ' ORDER BY key');
        const got = rows.map((r) => [String(r.key), Number(r.seq)]);
        return (
          JSON.stringify(got.sort(([a], [b]) => String(a).localeCompare(String(b)))) ===
          JSON.stringify(want)
        );
      },
      'every row after the outage',
      { timeoutMs: 90_000 },
    );
    await waitFor(() => replica()?.ready === true, 'the replica to report ready again');
    const ends = await client.endOffsets(topic);
    const { rows } = await database.query(
      'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 ORDER BY partition',
      [`${reader.table}_v1`],
    );
    expect(rows.map((r) => Number(r.next_offset))).toEqual(ends);
  });
});
