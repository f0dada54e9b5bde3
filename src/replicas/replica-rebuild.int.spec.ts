import { kafkaBrokers } from '../../test/support/kafka-env';
import { dropReplica, requiredPostgresUrl, uniqueTable } from '../../test/support/postgres-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { StreamwiseApp } from '../app/streamwise-app';
import { defineTopic } from '../codec/define-topic';
import { RecordGate } from '../codec/record-gate';
import { TopicCodec } from '../codec/topic-codec';
import { describeService } from '../decorators/describe-service';
import { Replicate } from '../decorators/replicate';
import { Service } from '../decorators/service';
import { SilentLogger } from '../logging/silent-logger';
import type { ReplicaColumnType } from '../model/service/replica-metadata';
import { StreamService } from '../runtime/stream-service';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { partitionForKey } from '../transport/partitioner';
import type { OutgoingRecord } from '../transport/transport';
import { postgresDatabase } from './postgres-database';
import type { ReplicaDatabase } from './replica-database';
import type { ReplicaReader } from './replica-reader';
import { type RebuildOptions, rebuildReplica } from './replica-rebuild';

interface Level {
  readonly id: string;
  readonly seq: number;
}

const PARTITIONS = 3;
const KEYS = 200;

function level(id: string, seq: number): OutgoingRecord {
  const key = Buffer.from(id);
  return {
    key,
    value: Buffer.from(JSON.stringify({ id, seq })),
    partition: partitionForKey(key, PARTITIONS),
  };
}

const round = (seq: number): OutgoingRecord[] =>
  Array.from({ length: KEYS }, (_, i) => level(`k-${String(i).padStart(3, '0')}`, seq));

describe('replica rebuilds on the real broker and PostgreSQL', () => {
  jest.setTimeout(180_000);
  const teardown = teardownAfterEach();
  const logger = new SilentLogger();

  const kafka = (): KafkaTransport =>
    new KafkaTransport({
      brokers: kafkaBrokers(),
      logger,
      kafkaLogLevel: 'nothing',
      consumer: { maxWaitTimeMs: 100 },
    });

  async function setUp() {
    const topic = uniqueName('levels');
    const table = uniqueTable('levels');
    const Levels = defineTopic<Level>({
      name: topic,
      entity: 'Level',
      key: (l) => l.id,
      partitions: PARTITIONS,
      compacted: true,
    });
    const service = (columns: Readonly<Record<string, ReplicaColumnType>>) => {
      @Service(uniqueName('level-view'))
      class LevelView extends StreamService {
        @Replicate(Levels, { table, keyColumn: 'id', columns })
        readonly levels!: ReplicaReader<{ id: string; seq: number }>;
      }
      return LevelView;
    };
    const database = teardown.add(
      'the database',
      postgresDatabase({ connectionString: requiredPostgresUrl(), maxConnections: 6 }),
      (db) => db.close(),
    );
    teardown.add('the tables', table, (name) => dropReplica(database, name));
    const client = teardown.add('the client', kafka(), (t) => t.disconnect());
    await client.connect();
    await client.createTopics([{ name: topic, partitions: PARTITIONS, compacted: true }]);
    const start = async (columns: Readonly<Record<string, ReplicaColumnType>>) => {
      const Service = service(columns);
      const app = StreamwiseApp.create({
        services: [Service],
        transport: kafka(),
        logger,
        http: false,
        replicaDatabase: database,
      });
      teardown.add('an app', app, (a) => a.stop());
      await app.start();
      return {
        app,
        reader: app.service(Service).levels,
        replica: describeService(Service).replicas[0],
      };
    };
    const rebuildOptions = (transport: KafkaTransport): RebuildOptions => ({
      database,
      transport,
      values: new TopicCodec(),
      gate: new RecordGate({ ownerOf: () => undefined, logger }),
      logger,
    });
    return { topic, table, database, client, start, service, rebuildOptions };
  }

  const live = async (database: ReplicaDatabase, table: string) => {
    const { rows } = await database.query(
      'SELECT live, fingerprint FROM streamwise_replicas WHERE replica = $1',
      [table],
    );
    const view = await database.query(
      'SELECT definition FROM pg_views WHERE schemaname = current_schema() AND viewname = $1',
      [table],
    );
    return {
      version: Number(rows[0]?.live),
      fingerprint: String(rows[0]?.fingerprint),
      view: String(view.rows[0]?.definition),
    };
  };

  const stored = async (database: ReplicaDatabase, table: string): Promise<number[]> =>
    (
      await database.query(
        'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 ORDER BY partition',
        [table],
      )
    ).rows.map((row) => Number(row.next_offset));

  it('builds v2 while records flow, switches readers at once, and the live writer goes on in v2', async () => {
    const { topic, table, database, client, start, rebuildOptions } = await setUp();
    await client.produce(topic, [...round(0), ...round(1)]);
    const { reader, replica } = await start({ seq: 'integer' });
    await waitFor(
      async () => (await reader.count()) === KEYS,
      'the live replica to hold every key',
    );

    // Readers watch the whole time: every read sees every key, and no key's seq goes back.
    const seen = new Map<string, number>();
    const problems: string[] = [];
    let reads = 0;
    let watching = true;
    const watcher = teardown.add(
      'the watcher',
      (async () => {
        while (watching) {
          const rows = await reader.all();
          reads++;
          if (rows.length !== KEYS) problems.push(`a read saw ${rows.length} rows`);
          for (const row of rows) {
            if ((seen.get(row.id) ?? -1) > row.seq)
              problems.push(`${row.id} went back to ${row.seq}`);
            seen.set(row.id, row.seq);
          }
        }
      })(),
      async (w) => {
        watching = false;
        await w;
      },
    );
    let seq = 2;
    let producing = true;
    const producer = teardown.add(
      'the producer loop',
      (async () => {
        while (producing) await client.produce(topic, round(seq++));
      })(),
      async (p) => {
        producing = false;
        await p;
      },
    );

    const builder = teardown.add('the rebuild client', kafka(), (t) => t.disconnect());
    await builder.connect();
    const result = await rebuildReplica(replica, rebuildOptions(builder));
    expect(result.previous).toMatchObject({ version: 1, table: `${table}_v1`, dropped: false });
    expect(result.current).toMatchObject({ version: 2, table: `${table}_v2`, resumed: false });
    const switchedAt = seq;
    await waitFor(() => seq > switchedAt + 3, 'records produced after the switch');
    producing = false;
    await producer;
    const last = seq - 1;

    await waitFor(
      async () => (await reader.all()).every((row) => row.seq === last),
      'the view to show the latest value of every key',
    );
    watching = false;
    await watcher;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(1);
    expect(await live(database, table)).toMatchObject({ version: 2 });
    expect((await live(database, table)).view).toContain(`${table}_v2`);
    const ends = await client.endOffsets(topic);
    await waitFor(
      async () => JSON.stringify(await stored(database, `${table}_v2`)) === JSON.stringify(ends),
      'the live writer to store the log end in v2',
    );
    // The old version stays until dropped; its writer stopped at the switch.
    const old = await database.query(`SELECT count(*) AS n FROM ${table}_v1`);
    expect(Number(old.rows[0].n)).toBe(KEYS);
    expect((await stored(database, `${table}_v1`)).some((offset, p) => offset < ends[p])).toBe(
      true,
    );
  });

  it('an interrupted rebuild continues where it stopped when run again', async () => {
    const { topic, table, database, client, start, rebuildOptions } = await setUp();
    for (let seq = 0; seq < 10; seq++) await client.produce(topic, round(seq));
    const { reader, replica } = await start({ seq: 'integer' });
    const ends = await client.endOffsets(topic);
    await waitFor(
      async () => JSON.stringify(await stored(database, `${table}_v1`)) === JSON.stringify(ends),
      'the live replica to reach the log end',
    );
    const builder = teardown.add('the rebuild client', kafka(), (t) => t.disconnect());
    await builder.connect();
    const broken = rebuildReplica(replica, {
      ...rebuildOptions(builder),
      maxPendingRows: 20,
      onProgress: (done) => {
        if (done > 0) throw new Error('interrupted');
      },
    });
    await expect(broken).rejects.toThrow('interrupted');
    const partial = await stored(database, `${table}_v2`);
    expect(partial.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(partial.reduce((a, b) => a + b, 0)).toBeLessThan(KEYS * 10);
    expect((await live(database, table)).version).toBe(1);

    const firstProgress: number[] = [];
    const result = await rebuildReplica(replica, {
      ...rebuildOptions(builder),
      onProgress: (done) => firstProgress.push(done),
    });
    expect(result.current).toMatchObject({ version: 2, resumed: true });
    expect(firstProgress[0]).toBe(partial.reduce((a, b) => a + b, 0));
    expect(await stored(database, `${table}_v2`)).toEqual(ends);
    expect((await reader.all()).map((row) => row.seq)).toEqual(Array(KEYS).fill(9));

    // A finished rebuild leaves nothing behind: run again, it builds v3 and --drop-old drops v2.
    const again = await rebuildReplica(replica, { ...rebuildOptions(builder), dropOld: true });
    expect(again.previous).toMatchObject({ version: 2, dropped: true });
    expect(again.current).toMatchObject({ version: 3, resumed: false });
    const tables = await database.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1 || '\\_v%' ORDER BY tablename",
      [table],
    );
    expect(tables.rows.map((row) => row.tablename)).toEqual([`${table}_v1`, `${table}_v3`]);
  });

  it('a changed mapping builds a new version at start instead of writing the old shape', async () => {
    const { topic, table, database, client, start } = await setUp();
    for (let seq = 0; seq < 3; seq++) await client.produce(topic, round(seq));
    const first = await start({ seq: 'integer' });
    const ends = await client.endOffsets(topic);
    await waitFor(
      async () => JSON.stringify(await stored(database, `${table}_v1`)) === JSON.stringify(ends),
      'the first mapping to reach the log end',
    );
    const before = await live(database, table);
    await first.app.stop();

    const second = await start({ seq: 'bigint', id_again: 'text' });
    const after = await live(database, table);
    expect(after.version).toBe(2);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.view).toContain(`${table}_v2`);
    await client.produce(topic, round(3));
    await waitFor(
      async () => (await second.reader.all()).every((row) => Number(row.seq) === 3),
      'the new version to take records after the switch',
    );
    const columns = await database.query(
      'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
      [table],
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(['id', 'seq', 'id_again']);
  });

  it('an instance of the old mapping stops writing once a version of another mapping is live', async () => {
    const { topic, table, database, client, start, service, rebuildOptions } = await setUp();
    await client.produce(topic, round(0));
    const old = await start({ seq: 'integer' });
    await waitFor(async () => (await old.reader.count()) === KEYS, 'the old mapping to fill v1');
    const newer = describeService(service({ seq: 'integer', note: 'text' })).replicas[0];
    const builder = teardown.add('the rebuild client', kafka(), (t) => t.disconnect());
    await builder.connect();
    await rebuildReplica(newer, rebuildOptions(builder));
    const v1 = await stored(database, `${table}_v1`);

    await client.produce(topic, round(1));
    await waitFor(
      () =>
        old.app.readiness
          .checks()
          .some(
            (c) =>
              c.name === `replica ${table}` &&
              !c.ready &&
              (c.detail ?? '').includes('another mapping'),
          ),
      'the old instance to report that it stopped writing',
    );
    expect(await stored(database, `${table}_v1`)).toEqual(v1);
    expect(await stored(database, `${table}_v2`)).toEqual(v1);
    await old.app.stop();

    // The new code continues v2 from where the switch left it.
    const current = await start({ seq: 'integer', note: 'text' });
    await waitFor(
      async () => (await current.reader.all()).every((row) => row.seq === 1),
      'the new mapping to take the records the old one left',
    );
    expect((await live(database, table)).version).toBe(2);
  });

  it('a replica table from before versions becomes v1 with its rows and offsets', async () => {
    const { topic, table, database, client, start } = await setUp();
    await client.produce(topic, round(0));
    const ends = await client.endOffsets(topic);
    // As a release without versions left it, but with seq 100 where the topic says 0: rows that
    // are read again from offset 0 would show.
    await database.query(`CREATE TABLE ${table} (id text PRIMARY KEY, seq integer)`);
    await database.query(
      `INSERT INTO ${table} (id, seq) SELECT 'k-' || lpad(i::text, 3, '0'), 100 FROM generate_series(0, ${KEYS - 1}) AS i`,
    );
    await database.query(
      'CREATE TABLE IF NOT EXISTS streamwise_replica_offsets (replica text NOT NULL, topic text NOT NULL, partition integer NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (replica, topic, partition))',
    );
    for (const [partition, end] of ends.entries()) {
      await database.query(
        'INSERT INTO streamwise_replica_offsets (replica, topic, partition, next_offset) VALUES ($1, $2, $3, $4)',
        [table, topic, partition, end],
      );
    }
    const { reader } = await start({ seq: 'integer' });
    expect(await live(database, table)).toMatchObject({ version: 1 });
    // One new record per partition: each is applied after anything read again before it.
    const fresh = round(1).filter(
      (r, i, all) => all.findIndex((o) => o.partition === r.partition) === i,
    );
    expect(fresh).toHaveLength(PARTITIONS);
    await client.produce(topic, fresh);
    const freshIds = fresh.map((r) => String(r.key));
    await waitFor(async () => {
      const rows = await reader.all();
      return rows.filter((row) => freshIds.includes(row.id)).every((row) => row.seq === 1);
    }, 'the new records in the adopted table');
    const rows = await reader.all();
    expect(rows).toHaveLength(KEYS);
    expect(rows.filter((row) => !freshIds.includes(row.id)).every((row) => row.seq === 100)).toBe(
      true,
    );
    expect(await stored(database, `${table}_v1`)).toEqual(await client.endOffsets(topic));
  });
});
