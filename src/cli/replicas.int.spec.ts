import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { brokerCli } from '../../test/support/broker-cli';
import { kafkaBrokers } from '../../test/support/kafka-env';
import { requiredPostgresUrl, uniqueTable } from '../../test/support/postgres-env';
import { openReplicaFixture } from '../../test/support/replica-fixture';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { StreamwiseApp } from '../app/streamwise-app';
import { SilentLogger } from '../logging/silent-logger';
import { partitionForKey } from '../transport/partitioner';

const MODULE = 'test/fixtures/replica-services.ts';
const KEYS = 50;

/** `streamwise replicas rebuild` and `drop` against the real broker and PostgreSQL. */
describe('streamwise replicas on Kafka and PostgreSQL', () => {
  jest.setTimeout(120_000);
  const teardown = teardownAfterEach();
  const { output, run, json } = brokerCli();

  /** The fixture's compacted topic, its table and the database (see openReplicaFixture). */
  const openFixture = (topic: string, table: string, url: string) =>
    openReplicaFixture(teardown, {
      url,
      table,
      topics: [{ name: topic, partitions: 3, compacted: true }],
    });

  it('rebuilds a running replica into a new version, then drops the old ones', async () => {
    const topic = uniqueName('cli-levels');
    const table = uniqueTable('cli_levels');
    process.env.REPLICA_FIXTURE_TOPIC = topic;
    process.env.REPLICA_FIXTURE_TABLE = table;
    const { LevelView } = await import('../../test/fixtures/replica-services');
    const url = requiredPostgresUrl();
    const { database, kafka, client } = await openFixture(topic, table, url);
    const records = [0, 1, 2].flatMap((seq) =>
      Array.from({ length: KEYS }, (_, i) => {
        const key = Buffer.from(`k-${i}`);
        return {
          key,
          value: Buffer.from(JSON.stringify({ id: `k-${i}`, seq })),
          partition: partitionForKey(key, 3),
        };
      }),
    );
    await client.produce(topic, records);
    const app = StreamwiseApp.create({
      services: [LevelView],
      transport: kafka(),
      logger: new SilentLogger(),
      http: false,
      replicaDatabase: database,
    });
    teardown.add('the app', app, (a) => a.stop());
    await app.start();
    const reader = app.service(LevelView).levels;
    await waitFor(
      async () => (await reader.all()).filter((row) => row.seq === 2).length === KEYS,
      'the live replica to hold the latest values',
    );

    expect(
      await run('replicas', 'rebuild', MODULE, 'level-view', table, '--database', url, '--json'),
    ).toBe(0);
    expect(json()).toEqual({
      table,
      previous: {
        version: 1,
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
        table: `${table}_v1`,
        dropped: false,
      },
      current: {
        version: 2,
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
        table: `${table}_v2`,
        resumed: false,
      },
      records: records.length,
      skipped: 0,
    });
    expect(await run('replicas', 'rebuild', MODULE, 'LevelView', 'levels', '--database', url)).toBe(
      0,
    );
    expect(output.out).toEqual([
      `${table}: readers see ${table}_v3 now (version 3, ${records.length} records).`,
      `${table}_v2 is kept: drop it with "streamwise replicas drop ${table} --database <url>".`,
    ]);
    expect((await reader.all()).map((row) => row.seq)).toEqual(Array(KEYS).fill(2));

    expect(await run('replicas', 'drop', table, '--database', url, '--json')).toBe(0);
    expect(json()).toEqual({ table, dropped: [`${table}_v1`, `${table}_v2`] });
    expect(await run('replicas', 'drop', table, '--database', url)).toBe(0);
    expect(output.out).toEqual([`${table}: no old version to drop.`]);

    // The live replica writes v3 now.
    await client.produce(
      topic,
      [records[0]].map((r) => ({
        ...r,
        value: Buffer.from(JSON.stringify({ id: 'k-0', seq: 7 })),
      })),
    );
    await waitFor(async () => (await reader.get('k-0'))?.seq === 7, 'k-0 at seq 7 in v3');
  });

  it('says what to pass when the replica or the database is missing', async () => {
    process.env.REPLICA_FIXTURE_TOPIC ??= uniqueName('cli-levels');
    process.env.REPLICA_FIXTURE_TABLE ??= uniqueTable('cli_levels');
    expect(await run('replicas', 'rebuild', MODULE, 'level-view', 'nope', '--database', 'x')).toBe(
      2,
    );
    expect(output.err.join('\n')).toContain('Service "level-view" has no @Replicate "nope"');
    expect(await run('replicas', 'rebuild', MODULE, 'level-view', 'levels')).toBe(2);
    expect(output.err.join('\n')).toContain('--database <url>');
  });

  it('a rebuild killed with -9 continues when run again, and the switch holds every key', async () => {
    process.env.REPLICA_FIXTURE_TOPIC ??= uniqueName('cli-levels');
    process.env.REPLICA_FIXTURE_TABLE ??= uniqueTable('cli_levels');
    // The module is loaded once per file: after the first test, its topic holds that test's keys.
    const topic = process.env.REPLICA_FIXTURE_TOPIC;
    const table = process.env.REPLICA_FIXTURE_TABLE;
    const { LevelView } = await import('../../test/fixtures/replica-services');
    const url = requiredPostgresUrl();
    const { database, kafka, client } = await openFixture(topic, table, url);
    const many = 6_000;
    const records = Array.from({ length: many }, (_, i) => {
      const key = Buffer.from(`m-${i}`);
      return {
        key,
        value: Buffer.from(JSON.stringify({ id: `m-${i}`, seq: i })),
        partition: partitionForKey(key, 3),
      };
    });
    for (let i = 0; i < many; i += 1_000) await client.produce(topic, records.slice(i, i + 1_000));
    const app = StreamwiseApp.create({
      services: [LevelView],
      transport: kafka(),
      logger: new SilentLogger(),
      http: false,
      replicaDatabase: database,
    });
    teardown.add('the app', app, (a) => a.stop());
    await app.start();
    const reader = app.service(LevelView).levels;
    const ends = await client.endOffsets(topic);
    const total = ends.reduce((a, b) => a + b, 0);
    const v1 = async () =>
      (
        await database.query(
          'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 ORDER BY partition',
          [`${table}_v1`],
        )
      ).rows.map((row) => Number(row.next_offset));
    await waitFor(
      async () => JSON.stringify(await v1()) === JSON.stringify(ends),
      'the live replica to reach the log end',
    );
    const keys = await reader.count();
    const built = async () =>
      Number(
        (
          await database.query(
            'SELECT coalesce(sum(next_offset), 0) AS n FROM streamwise_replica_offsets WHERE replica = $1',
            [`${table}_v2`],
          )
        ).rows[0].n,
      );

    const child = spawn(
      process.execPath,
      [
        // tsx's loader: the CLI imports the TypeScript services module with import().
        '--import',
        'tsx',
        join(__dirname, 'main.ts'),
        'replicas',
        'rebuild',
        MODULE,
        'level-view',
        table,
        '--database',
        url,
        '--batch-rows',
        '10',
        '-b',
        kafkaBrokers().join(','),
      ],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = teardown.add(
      'the first run',
      new Promise<number | null>((resolve) => child.once('exit', resolve)),
      async (done) => {
        child.kill('SIGKILL');
        await done;
      },
    );
    await waitFor(async () => (await built()) > 0, 'the first run to write part of v2', {
      timeoutMs: 60_000,
    });
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    const interruptedAt = await built();
    expect(interruptedAt).toBeLessThan(total);

    expect(
      await run('replicas', 'rebuild', MODULE, 'level-view', table, '--database', url, '--json'),
    ).toBe(0);
    expect(json()).toMatchObject({ current: { version: 2, resumed: true }, records: total });
    expect(await built()).toBe(total);
    const rows = await reader.all();
    expect(rows).toHaveLength(keys);
    const mine = rows.filter((row) => row.id.startsWith('m-'));
    expect(mine).toHaveLength(many);
    expect(mine.every((row) => row.seq === Number(row.id.slice(2)))).toBe(true);
  });
});
