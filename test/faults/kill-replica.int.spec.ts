import { postgresDatabase } from '../../src/replicas/postgres-database';
import { partitionForKey } from '../../src/transport/partitioner';
import type { OutgoingRecord } from '../../src/transport/transport';
import { kafkaBrokers } from '../support/kafka-env';
import { dropReplica, requiredPostgresUrl, uniqueTable } from '../support/postgres-env';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { faultTestClient, startWorker, stopWorker } from './fault-support';
import { RELAY_CLIENTS } from './relay-transport';
import { REPLICA_PARTITIONS } from './replica-service';

const KEYS = 400;
const ROUNDS = 50;

function version(key: string, seq: number | null): OutgoingRecord {
  const bytes = Buffer.from(key);
  return {
    key: bytes,
    value: seq === null ? null : Buffer.from(JSON.stringify({ key, seq })),
    partition: partitionForKey(bytes, REPLICA_PARTITIONS),
  };
}

// The same case on each Kafka client: the instances run the replica on it (REPLICA_CLIENT), the
// test produces through KafkaTransport.
describe.each(RELAY_CLIENTS)(
  'fault (%s): kill -9 a replicating instance mid-stream',
  (kafkaClient) => {
    jest.setTimeout(240_000);
    const teardown = teardownAfterEach();

    it('the restarted instance resumes from the offsets in the database: every row once, equal to the latest values', async () => {
      const topic = uniqueName('versions');
      const table = uniqueTable('versions');
      const database = teardown.add(
        'the database',
        postgresDatabase({ connectionString: requiredPostgresUrl() }),
        (db) => db.close(),
      );
      teardown.add('the table', table, (name) => dropReplica(database, name));
      const client = await faultTestClient(teardown);
      await client.createTopics([{ name: topic, partitions: REPLICA_PARTITIONS, compacted: true }]);
      const env = {
        REPLICA_BROKERS: kafkaBrokers().join(','),
        REPLICA_TOPIC: topic,
        REPLICA_TABLE: table,
        REPLICA_SERVICE: uniqueName('replica').toLowerCase(),
        REPLICA_DATABASE: requiredPostgresUrl(),
        REPLICA_CLIENT: kafkaClient,
      };
      const rows = async (): Promise<number> =>
        Number((await database.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

      const victim = teardown.add('the victim', startWorker(env, 'replica-worker.ts'), stopWorker);
      await victim.ready;
      const latest = new Map<string, number | null>();
      const keys = Array.from({ length: KEYS }, (_, i) => `key-${i}`);
      let restarted: ReturnType<typeof startWorker> | undefined;
      for (let seq = 0; seq < ROUNDS; seq++) {
        // Every 7th key is deleted in the last round: tombstones after the restart too.
        // ... and keys written once, never overwritten: a record lost in the crash stays missing.
        const once = Array.from({ length: 20 }, (_, i) => `once-${seq}-${i}`);
        const round = [
          ...keys.map((key, i) => version(key, seq === ROUNDS - 1 && i % 7 === 0 ? null : seq)),
          ...once.map((key) => version(key, seq)),
        ];
        await client.produce(topic, round);
        [...keys, ...once].forEach((key, i) =>
          latest.set(key, round[i].value === null ? null : seq),
        );
        if (seq === ROUNDS / 5) {
          await waitFor(async () => (await rows()) > 0, 'rows before the kill', {
            timeoutMs: 60_000,
          });
          victim.child.kill('SIGKILL');
          await victim.exited;
        }
        if (seq === (2 * ROUNDS) / 5) {
          restarted = teardown.add(
            'the restarted instance',
            startWorker(env, 'replica-worker.ts'),
            stopWorker,
          );
          await restarted.ready;
        }
      }
      expect(restarted).toBeDefined();

      const ends = await client.endOffsets(topic);
      await waitFor(
        async () => {
          const { rows: stored } = await database.query(
            'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 ORDER BY partition',
            [`${table}_v1`],
          );
          return JSON.stringify(stored.map((r) => Number(r.next_offset))) === JSON.stringify(ends);
        },
        'the stored offsets to reach the end of the log',
        { timeoutMs: 120_000 },
      );
      const { rows: tableRows } = await database.query(`SELECT key, seq FROM ${table}`);
      const want = [...latest]
        .filter(([, seq]) => seq !== null)
        .sort(([a], [b]) => a.localeCompare(b));
      const got = tableRows
        .map((r) => [String(r.key), Number(r.seq)] as const)
        .sort(([a], [b]) => a.localeCompare(b));
      expect(got).toEqual(want);
      expect(new Set(got.map(([key]) => key)).size).toBe(got.length);
    });
  },
);
