import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { Kafka, logLevel } from 'kafkajs';

import { StreamwiseApp } from '../../src/app/streamwise-app';
import { SilentLogger } from '../../src/logging/silent-logger';
import { transactionalIdFor } from '../../src/transport/kafka/exactly-once-processor';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import { DEFAULT_CLUSTER_KAFKA_PORT } from '../support/global-setup';
import { RecordingLogger } from '../support/recording-logger';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { RelayedItems } from './fault-support';
import { produceItems, produceSentinels, readRelayed } from './fault-support';
import { RELAY_PARTITIONS, relayTopology } from './relay-service';
import { RELAY_CLIENTS, relayTransport } from './relay-transport';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../scripts/kafka/kafka-cluster.sh');
const PORT = Number(process.env.STREAMWISE_CLUSTER_KAFKA_PORT ?? DEFAULT_CLUSTER_KAFKA_PORT);
// A cluster of its own: killing its nodes disturbs no other test.
const CLUSTER_ENV = {
  ...process.env,
  KAFKA_CLUSTER_PORT: String(PORT),
  KAFKA_CLUSTER_DIR: join(__dirname, '../../.kafka/fault-cluster'),
};
const cluster = (...args: string[]) =>
  run('bash', [SCRIPT, ...args], { env: CLUSTER_ENV, timeout: 180_000 });
/** Node N (1-3) listens on PORT + 2(N-1). */
const BROKERS = [1, 2, 3].map((node) => `127.0.0.1:${PORT + 2 * (node - 1)}`);
const RECORDS = 4_000;
const INSTANCE_ID = 'failover-instance';

/** Replicas of each partition of `topics`, and each partition's leader (a node id). */
async function partitionsOf(
  topics: readonly string[],
): Promise<{ topic: string; partition: number; leader: number; replicas: number }[]> {
  const admin = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
    return described.flatMap(({ name, partitions }) =>
      partitions.map((p) => ({
        topic: name,
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas.length,
      })),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * The node coordinating a group or a transactional id: the leader of its partition of the internal
 * topic (__consumer_offsets, __transaction_state), which Kafka picks as Java's String.hashCode of
 * the id, made non-negative, modulo the topic's partitions.
 */
async function coordinatorOf(
  id: string,
  internalTopic: '__consumer_offsets' | '__transaction_state',
): Promise<number> {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(31, hash) + id.charCodeAt(i)) | 0;
  const partitions = await partitionsOf([internalTopic]);
  const partition = (hash & 0x7fffffff) % partitions.length;
  const leader = partitions.find((p) => p.partition === partition)?.leader;
  if (leader === undefined) throw new Error(`no leader for ${internalTopic}-${partition}`);
  return leader;
}

/** Whose coordinator a case kills: the relay group's, or its transactions'. */
type Victim = 'group' | 'transactions';

describe('fault: a node of a three-node cluster crashes', () => {
  jest.setTimeout(300_000);
  const teardown = teardownAfterEach();

  beforeAll(() => cluster('start'), 180_000);
  afterAll(() => cluster('stop', '--clean'), 120_000);

  /** Everything on `topic` up to a sentinel per partition, read by @platformatic/kafka. */
  async function readTopic(topic: string): Promise<RelayedItems> {
    const reader = new PlatformaticKafkaTransport({
      brokers: BROKERS,
      clientId: 'failover-reader',
      logger: new SilentLogger(),
    });
    teardown.add('the second reader', reader, (r) => r.disconnect());
    await reader.connect();
    const { relayed } = await readRelayed(reader, topic, teardown, 'failover-read-again');
    await waitFor(() => relayed.sentinels.size === RELAY_PARTITIONS, 'the output read again', {
      timeoutMs: 60_000,
    });
    return relayed;
  }

  async function testClient(): Promise<KafkaTransport> {
    const client = new KafkaTransport({
      brokers: BROKERS,
      clientId: 'failover-client',
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
    });
    teardown.add('the client', client, (c) => c.disconnect());
    await client.connect();
    return client;
  }

  // A production cluster replicates: topics created with one replica (the single dev broker's
  // setting) would stop, or lose their data, with the first node that goes.
  it("the topics the app and the transport create get the cluster's replication factor", async () => {
    const names = {
      input: uniqueName('rf-in'),
      output: uniqueName('rf-out'),
      group: uniqueName('rf-relay').toLowerCase(),
    };
    const client = await testClient();
    await client.createTopics([
      { name: names.input, partitions: RELAY_PARTITIONS, compacted: false },
    ]);
    for (const transportClient of RELAY_CLIENTS) {
      const group = `${names.group}-${transportClient}`;
      const output = `${names.output}-${transportClient}`;
      const app = StreamwiseApp.create({
        services: [relayTopology({ ...names, output, group, exactlyOnce: false }).relay],
        transport: relayTransport(transportClient, {
          brokers: BROKERS,
          clientId: `rf-${transportClient}`,
          logger: new SilentLogger(),
        }),
        logger: new SilentLogger(),
        http: false,
      });
      teardown.add(`the ${transportClient} app`, app, (a) => a.stop());
      await app.start();
      await app.stop();
      const created = await partitionsOf([names.input, output, `${names.input}.dlq`]);
      expect(created.length).toBe(3 * RELAY_PARTITIONS);
      expect(created.filter((p) => p.replicas !== 3)).toEqual([]);
    }
  });

  describe.each(RELAY_CLIENTS)('%s', (client) => {
    it.each<[string, Victim, boolean]>([
      ['at least once', 'group', false],
      ['exactly once', 'group', true],
      ['exactly once', 'transactions', true],
    ])(
      '%s: the relay goes on when the node coordinating its %s, and leading some of its partitions, is killed, and loses nothing',
      async (_mode, coordinating, exactlyOnce) => {
        const names = {
          input: uniqueName('failover-in'),
          output: uniqueName('failover-out'),
          group: uniqueName('failover-relay').toLowerCase(),
        };
        const testTransport = await testClient();
        await testTransport.createTopics([
          { name: names.input, partitions: RELAY_PARTITIONS, compacted: false },
        ]);
        const events = new RecordingLogger();
        const app = StreamwiseApp.create({
          services: [relayTopology({ ...names, exactlyOnce }).relay],
          transport: relayTransport(client, {
            brokers: BROKERS,
            clientId: 'failover-app',
            logger: events,
            instanceId: INSTANCE_ID,
          }),
          logger: events,
          http: false,
        });
        teardown.add('the app', app, (a) => a.stop());
        await app.start();
        const { relayed, reader } = await readRelayed(
          testTransport,
          names.output,
          teardown,
          'failover-reader',
        );
        const diagnose = async (error: unknown): Promise<never> => {
          const offsets = async (group: string, topic: string) =>
            JSON.stringify({
              committed: await testTransport.committedOffsets(group, topic).catch(String),
              end: await testTransport.endOffsets(topic).catch(String),
            });
          throw new Error(
            [
              String(error),
              `relayed ${relayed.total}, sentinels ${relayed.sentinels.size}`,
              `relay on input: ${await offsets(names.group, names.input)}`,
              `reader on output: ${await offsets(reader.groupId, names.output)}`,
              ...events.entries
                .filter((e) => e.level !== 'debug')
                .slice(-30)
                .map((e) => `${e.level} ${e.message} ${JSON.stringify(e.fields)}`),
            ].join('\n'),
          );
        };

        await produceItems(testTransport, names.input, 0, RECORDS / 2);
        await waitFor(() => relayed.total >= 500, 'records flowing before the crash', {
          timeoutMs: 60_000,
        }).catch(diagnose);
        // kafkajs: one transactional id per input partition (partition 0's); @platformatic/kafka:
        // one per instance, made stable by instanceId.
        const victim =
          coordinating === 'group'
            ? await coordinatorOf(names.group, '__consumer_offsets')
            : await coordinatorOf(
                client === 'kafkajs'
                  ? transactionalIdFor(names.group, { topic: names.input, partition: 0 })
                  : `${names.group}-${INSTANCE_ID}`,
                '__transaction_state',
              );
        // Six partitions over three nodes: the coordinator leads some of them too.
        const led = (await partitionsOf([names.input, names.output])).filter(
          (p) => p.leader === victim,
        );
        expect(led.length).toBeGreaterThan(0);
        // Back after the test whatever happened, so the next case has the whole cluster again.
        teardown.add(`node ${victim}`, victim, (node) => cluster('start-node', String(node)));
        await cluster('kill', String(victim));

        await produceItems(testTransport, names.input, RECORDS / 2, RECORDS / 2);
        await produceSentinels(testTransport, names.input);
        await waitFor(
          () => relayed.sentinels.size === RELAY_PARTITIONS,
          'a sentinel on every output partition',
          { timeoutMs: 180_000 },
        ).catch(diagnose);
        // The test's own producer sends a batch again when the killed node failed it, and that
        // node may have written part of it first: the input can hold an item twice. A relay
        // writes each input record once, so the input's copies are the measure.
        const input = await readTopic(names.input);
        process.stdout.write(
          `[fault] ${client} ${exactlyOnce ? 'exactly-once' : 'at-least-once'}, node ${victim} of 3 (${coordinating} coordinator, leader of ${led.length} of 12 partitions) killed: ${relayed.total} relayed, ${relayed.missing(RECORDS).length} lost, ${relayed.duplicates()} duplicate(s) (${input.duplicates()} in the input), ${relayed.redelivered} redelivered to the reader, ${events.entries.filter((e) => e.message === 'a new group member took over').length} consumer(s) replaced, ${heldByFailedCommits(events)}, ${positionsKeptFromGoingBack(events)}\n`,
        );
        expect(relayed.missing(RECORDS)).toEqual([]);
        if (exactlyOnce) {
          // The same output through the other client's read_committed filter: a duplicate both
          // see was committed twice; one only the first sees is its reader's fault.
          const again = await readTopic(names.output);
          expect({
            writtenTwice: relayed.surplusOver(input).slice(0, 10),
            readAgain: again.surplusOver(input).slice(0, 10),
          }).toEqual({ writtenTwice: [], readAgain: [] });
        }
        expect(app.state).toBe('running');
      },
    );
  });
});

/**
 * How often the relay's at-least-once commits failed and held new records (the first failure of
 * each 10 s is logged in full, the rest counted in its summary's `repeated`).
 */
function heldByFailedCommits(events: RecordingLogger): string {
  let failed = 0;
  for (const { message, fields } of events.entries) {
    if (!message.startsWith('committing offsets failed')) continue;
    failed += typeof fields?.repeated === 'number' ? fields.repeated : 1;
  }
  const resumed = events.entries.filter((e) =>
    e.message.startsWith('committing offsets works again'),
  );
  return `${failed} failed commit(s) held new records, ${resumed.length} time(s) resumed`;
}

/**
 * How often an exactly-once relay skipped records its own transactions had committed because its
 * position went back (see partition-floors.ts): without that, each was a run of duplicates.
 */
function positionsKeptFromGoingBack(events: RecordingLogger): string {
  const wentBack = events.messages.filter((m) => m.includes('went back from')).length;
  const lost = events.messages.filter((m) =>
    m.includes("this subscription's transactions committed"),
  ).length;
  return `${wentBack} position(s) gone back and ${lost} committed offset(s) reported too low, skipped`;
}
