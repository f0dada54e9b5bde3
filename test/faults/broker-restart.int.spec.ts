import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import type { Logger } from '../../src/logging/logger';
import { SilentLogger } from '../../src/logging/silent-logger';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import type { Transport } from '../../src/transport/transport';
import { DEFAULT_FAULT_KAFKA_PORT } from '../support/global-setup';
import { waitForGroupCoordinators } from '../support/group-coordinators';
import { RecordingLogger } from '../support/recording-logger';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { produceItems, produceSentinels, readRelayed, RelayedItems } from './fault-support';
import { RELAY_PARTITIONS, relayTopology } from './relay-service';
import { RELAY_CLIENTS, type RelayClient } from './relay-transport';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../scripts/kafka/kafka.sh');
const PORT = process.env.STREAMWISE_FAULT_KAFKA_PORT ?? DEFAULT_FAULT_KAFKA_PORT;
// A broker of its own, so restarting it disturbs no other test.
const BROKER_ENV = {
  ...process.env,
  KAFKA_PORT: PORT,
  KAFKA_STATE_DIR: join(__dirname, '../../.kafka/fault-broker'),
};
const broker = (command: string, ...args: string[]) =>
  run('bash', [SCRIPT, command, ...args], { env: BROKER_ENV, timeout: 120_000 });
const BROKERS = [`127.0.0.1:${PORT}`];
const RECORDS = 4_000;

/**
 * The app's transport on `client`, with few client retries: its consumers give up during the
 * restart, so recovery has to come from streamwise itself, not from the client retrying long
 * enough. The test's own producer and reader stay on KafkaTransport.
 */
function appTransport(client: RelayClient, clientId: string, logger: Logger): Transport {
  const consumer = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxWaitTimeMs: 200 };
  return client === 'kafkajs'
    ? new KafkaTransport({
        brokers: BROKERS,
        clientId,
        logger,
        kafkaLogLevel: 'nothing',
        retry: { retries: 2, initialRetryTimeMs: 100, maxRetryTimeMs: 500 },
        consumer,
      })
    : new PlatformaticKafkaTransport({
        brokers: BROKERS,
        clientId,
        logger,
        retry: { retries: 2, retryDelayMs: 100 },
        consumer,
      });
}

// The same cases on each Kafka client, each on a brand-new broker of its own.
describe.each(RELAY_CLIENTS)(
  "fault (%s): the test's own broker, brand new and then restarted",
  (relayClient) => {
    jest.setTimeout(240_000);
    const teardown = teardownAfterEach();

    beforeAll(() => broker('start'));
    afterAll(() => broker('stop', '--clean'));

    // Runs first, on purpose: the broker has never seen a consumer group, so __consumer_offsets
    // does not exist yet and its coordinators answer COORDINATOR_NOT_AVAILABLE while it is created,
    // and the app's fresh topics have no leaders for a moment (NOT_LEADER). A user's first start on
    // a new cluster meets exactly this; start() must wait it out, not fail.
    it('an app starts on a brand-new broker right away and handles records', async () => {
      // Several services, so several groups join while the coordinators are still loading.
      const chains = Array.from({ length: 4 }, (_, i) => ({
        input: uniqueName(`fresh-in-${i}`),
        output: uniqueName(`fresh-out-${i}`),
        group: uniqueName(`fresh-relay-${i}`).toLowerCase(),
      }));
      const app = StreamwiseApp.create({
        services: chains.map((names) => relayTopology({ ...names, exactlyOnce: false }).relay),
        transport: appTransport(relayClient, 'fresh-app', new SilentLogger()),
        logger: new SilentLogger(),
      });
      teardown.add('the app', app, (a) => a.stop());
      await app.start();
      const client = new KafkaTransport({
        brokers: BROKERS,
        clientId: 'fresh-client',
        kafkaLogLevel: 'nothing',
      });
      teardown.add('the client', client, (c) => c.disconnect());
      await client.connect();
      const relayed = new RelayedItems();
      const reader = await client.subscribe({
        groupId: uniqueName('fresh-reader'),
        topics: chains.map((names) => names.output),
        offsetReset: 'earliest',
        handle: relayed.handle,
      });
      teardown.add('the reader', reader, (r) => r.stop());
      for (const [i, names] of chains.entries()) {
        await produceItems(client, names.input, i * 100, 100);
      }
      await waitFor(() => relayed.counts.size === 400, 'all 400 records relayed', {
        timeoutMs: 60_000,
      });
      expect(app.state).toBe('running');
    });

    it('producer and consumers recover without restarting the service, and nothing is lost', async () => {
      // Whatever the first case left, the coordinators must answer before this app's few kafkajs
      // retries start counting: the restart is the fault under test here, not the start-up.
      await waitForGroupCoordinators(BROKERS);
      const names = {
        input: uniqueName('restart-in'),
        output: uniqueName('restart-out'),
        group: uniqueName('relay').toLowerCase(),
      };
      const { relay } = relayTopology({ ...names, exactlyOnce: false });
      const events = new RecordingLogger();
      const options = {
        brokers: BROKERS,
        kafkaLogLevel: 'nothing' as const,
        logger: events,
        // Few kafkajs retries: its consumers give up during the restart, so recovery has to come
        // from streamwise itself (a new group member), not from kafkajs retrying long enough.
        retry: { retries: 2, initialRetryTimeMs: 100, maxRetryTimeMs: 500 },
      };
      const appEvents = new RecordingLogger();
      const app = StreamwiseApp.create({
        services: [relay],
        transport: appTransport(relayClient, 'restart-app', appEvents),
        logger: new SilentLogger(),
      });
      teardown.add('the app', app, (a) => a.stop());
      await app.start();
      const client = new KafkaTransport({ ...options, clientId: 'restart-client' });
      teardown.add('the client', client, (c) => c.disconnect());
      await client.connect();
      const { relayed, reader } = await readRelayed(client, names.output, teardown);
      const diagnose = async (): Promise<string> => {
        const lag = async (group: string, topic: string) =>
          JSON.stringify({
            committed: await client.committedOffsets(group, topic),
            end: await client.endOffsets(topic),
          });
        return [
          `relayed ${relayed.total}, sentinels ${relayed.sentinels.size}`,
          `relay group on input: ${await lag(names.group, names.input)}`,
          `reader group on output: ${await lag(reader.groupId, names.output)}`,
          `relay assignment: ${JSON.stringify(app.subscriptionOf(relay)?.assignment())}`,
          `reader assignment: ${JSON.stringify(reader.assignment())}`,
          ...events.entries
            .filter((e) => e.level !== 'debug')
            .slice(-30)
            .map((e) => `${e.level} ${e.message} ${JSON.stringify(e.fields)}`),
        ].join('\n');
      };
      await produceItems(client, names.input, 0, RECORDS / 2);
      await waitFor(() => relayed.total >= 500, 'records flowing before the restart', {
        timeoutMs: 60_000,
      });

      const outageStartedAt = Date.now();
      await broker('stop');
      await broker('start');

      await produceItems(client, names.input, RECORDS / 2, RECORDS / 2);
      await produceSentinels(client, names.input);
      await waitFor(
        () => relayed.sentinels.size === RELAY_PARTITIONS,
        'a sentinel on every output partition',
        { timeoutMs: 150_000 },
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await diagnose()}`);
      });
      expect(relayed.missing(RECORDS)).toEqual([]);
      expect(app.state).toBe('running');
      // A broker outage must not flood the log (issue 11, item 16): each warning or error the
      // transport repeats is written once per 10 s window, then summarized with its count.
      const windows = Math.ceil((Date.now() - outageStartedAt) / 10_000);
      expect(repeatedLines(appEvents).filter(([, count]) => count > windows + 1)).toEqual([]);
      process.stdout.write(
        `[fault] ${relayClient} broker restart: ${RECORDS} relayed, ${relayed.missing(RECORDS).length} lost, ${relayed.duplicates()} duplicate(s), ${events.messages.filter((m) => m.includes('replacing it with a new group member')).length} consumer(s) replaced\n`,
      );
    });
  },
);

/** Each warn or error message written more than once, with how many times. */
function repeatedLines(logger: RecordingLogger): [string, number][] {
  const counts = new Map<string, number>();
  for (const { level, message } of logger.entries) {
    if (level !== 'warn' && level !== 'error') continue;
    const line = `${level} ${message}`;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1);
}
