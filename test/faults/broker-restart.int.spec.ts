import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StreamwiseApp } from '../../src/app/streamwise-app';
import { SilentLogger } from '../../src/logging/silent-logger';
import { RecordingLogger } from '../support/recording-logger';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { itemRecord, produceItems, RelayedItems, sentinelKeys } from './fault-support';
import { RELAY_PARTITIONS, relayTopology } from './relay-service';

const describeKafka = process.env.STREAMWISE_KAFKA_AVAILABLE === '1' ? describe : describe.skip;
const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../scripts/kafka/kafka.sh');
const PORT = process.env.STREAMWISE_FAULT_KAFKA_PORT ?? '19092';
// A broker of its own, so restarting it disturbs no other test.
const BROKER_ENV = {
  ...process.env,
  KAFKA_PORT: PORT,
  KAFKA_STATE_DIR: join(__dirname, '../../.kafka/fault-broker'),
};
const broker = (command: string, ...args: string[]) =>
  run('bash', [SCRIPT, command, ...args], { env: BROKER_ENV, timeout: 120_000 });
const RECORDS = 4_000;

describeKafka('fault: the broker restarts mid-stream', () => {
  jest.setTimeout(240_000);

  beforeAll(() => broker('start'));
  afterAll(() => broker('stop', '--clean'));

  it('producer and consumers recover without restarting the service, and nothing is lost', async () => {
    const brokers = [`127.0.0.1:${PORT}`];
    const names = {
      input: uniqueName('restart-in'),
      output: uniqueName('restart-out'),
      group: uniqueName('relay').toLowerCase(),
    };
    const { relay } = relayTopology({ ...names, exactlyOnce: false });
    const events = new RecordingLogger();
    const options = {
      brokers,
      kafkaLogLevel: 'nothing' as const,
      logger: events,
      // Few kafkajs retries: its consumers give up during the restart, so recovery has to come
      // from streamwise itself (a new group member), not from kafkajs retrying long enough.
      retry: { retries: 2, initialRetryTimeMs: 100, maxRetryTimeMs: 500 },
    };
    const app = StreamwiseApp.create({
      services: [relay],
      transport: new KafkaTransport({
        ...options,
        clientId: 'restart-app',
        consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxWaitTimeMs: 200 },
      }),
      logger: new SilentLogger(),
    });
    await app.start();
    const client = new KafkaTransport({ ...options, clientId: 'restart-client' });
    await client.connect();
    const relayed = new RelayedItems();
    const reader = await client.subscribe({
      groupId: uniqueName('reader'),
      topics: [names.output],
      offsetReset: 'earliest',
      handle: relayed.handle,
    });
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
    try {
      await produceItems(client, names.input, 0, RECORDS / 2);
      await waitFor(() => relayed.total >= 500, 'records flowing before the restart', {
        timeoutMs: 60_000,
      });

      await broker('stop');
      await broker('start');

      await produceItems(client, names.input, RECORDS / 2, RECORDS / 2);
      await client.produce(
        names.input,
        sentinelKeys().map((key) => itemRecord({ id: -1, key })),
      );
      await waitFor(
        () => relayed.sentinels.size === RELAY_PARTITIONS,
        'a sentinel on every output partition',
        { timeoutMs: 150_000 },
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await diagnose()}`);
      });
      expect(relayed.missing(RECORDS)).toEqual([]);
      expect(app.state).toBe('running');
      process.stdout.write(
        `[fault] broker restart: ${RECORDS} relayed, ${relayed.duplicates()} duplicate(s), ${events.messages.filter((m) => m.includes('replacing it with a new group member')).length} consumer(s) replaced\n`,
      );
    } finally {
      await reader.stop();
      await client.disconnect();
      await app.stop();
    }
  });
});
