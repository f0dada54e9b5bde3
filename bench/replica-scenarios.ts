import { performance } from 'node:perf_hooks';

import type { EachBatchPayload } from 'kafkajs';
import { Client } from 'pg';

import {
  defineTopic,
  type ReplicaReader,
  Replicate,
  Service,
  StreamService,
  StreamwiseApp,
} from '../src';
import { KAFKA_DEFAULTS } from '../src/kafka';
import { postgresDatabase } from '../src/postgres';
import { type BenchClient, benchTransport, scenarioId, transportName } from './bench-transport';
import { type BenchContext, runName } from './context';
import { type Level, LEVELS_PARTITIONS, loadLevelsTopic, tableKeys } from './levels-topic';
import type { RunResult, Scenario } from './measure';

const ROWS_PER_STATEMENT = 1_000;

/**
 * Replica catch-up: a compacted topic of BENCH_TABLE_KEYS distinct keys (default 200,000) copied
 * into a fresh PostgreSQL table (key text primary key, units integer) with each partition's next
 * offset, from offset 0 until the stored offsets reach the end offsets. The baseline is written
 * by hand: a kafkajs consumer whose every batch is one transaction of upserts and the offset row
 * (`replica-kafkajs-sql`: multi-row VALUES of 1,000 rows each; `replica-kafkajs-unnest`: one
 * statement over arrays, as the replica writes). Needs BENCH_PG_URL (or STREAMWISE_PG_URL);
 * without one these scenarios are left out.
 */
export function replicaScenarios(context: BenchContext): Scenario[] {
  const url = process.env.BENCH_PG_URL ?? process.env.STREAMWISE_PG_URL;
  if (url === undefined || url.trim() === '') return [];
  const keys = tableKeys();
  let loaded: Promise<string> | undefined;
  const topic = (): Promise<string> => (loaded ??= loadLevelsTopic(context, 'replica', keys));
  const count = keys.toLocaleString('en-US');
  return [
    {
      id: 'replica-kafkajs-sql',
      label: `kafkajs consumer + hand-written batched upserts of ${count} keys into PostgreSQL (baseline)`,
      runOnce: async (run) => handWritten(context, url, await topic(), run, keys, 'values'),
    },
    {
      // The same consumer writing the way the replica does: shows how much of the replica's
      // figure is its statement shape rather than the framework around it.
      id: 'replica-kafkajs-unnest',
      label: `the same, each batch one upsert over unnest()ed arrays (the replica's statement shape)`,
      baseline: 'replica-kafkajs-sql',
      runOnce: async (run) => handWritten(context, url, await topic(), run, keys, 'unnest'),
    },
    ...(['kafkajs', 'platformatic'] as const).map((client): Scenario => ({
      id: scenarioId('replica-postgres', client),
      label: `@Replicate on ${transportName(client)} of the same ${count} keys into PostgreSQL, app start until the offsets are stored`,
      baseline: 'replica-kafkajs-sql',
      runOnce: async (run) => replica(context, url, await topic(), run, keys, client),
    })),
  ];
}

function tableName(context: BenchContext, scenario: string, run: string): string {
  return runName(context, scenario, run).replace(/[^a-z0-9]/g, '_');
}

async function endOffsets(context: BenchContext, topic: string): Promise<number[]> {
  const admin = context.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
  } finally {
    await admin.disconnect();
  }
}

async function rowCount(sql: Client, table: string): Promise<string> {
  const { rows } = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  const n = Number(rows[0].n);
  return n === 0 ? 'CHECK FAILED: the table is empty' : `table holds ${n} rows`;
}

async function handWritten(
  context: BenchContext,
  url: string,
  topic: string,
  run: string,
  keys: number,
  shape: 'values' | 'unnest',
): Promise<RunResult> {
  const id = shape === 'values' ? 'replica-kafkajs-sql' : 'replica-kafkajs-unnest';
  const table = tableName(context, id, run);
  const sql = new Client({ connectionString: url });
  await sql.connect();
  const ends = await endOffsets(context, topic);
  const consumer = context.kafka.consumer({
    groupId: runName(context, id, run, 'group'),
    maxWaitTimeInMs: KAFKA_DEFAULTS.maxWaitTimeMs,
    allowAutoTopicCreation: false,
  });
  const positions = new Map<number, number>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const start = performance.now();
  try {
    await sql.query(`CREATE TABLE ${table} (key text PRIMARY KEY, units integer)`);
    await sql.query(
      `CREATE TABLE ${table}_offsets (partition integer PRIMARY KEY, next_offset bigint)`,
    );
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // One connection, so one batch at a time: a pool would be the next thing to write by hand.
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        const latest = new Map<string, number>();
        for (const message of batch.messages) {
          const level = JSON.parse(message.value?.toString() ?? '{}') as Level;
          latest.set(level.key, level.units);
        }
        const rows = [...latest];
        await sql.query('BEGIN');
        if (shape === 'unnest') {
          await sql.query(
            `INSERT INTO ${table} (key, units) SELECT * FROM unnest($1::text[], $2::integer[]) ON CONFLICT (key) DO UPDATE SET units = EXCLUDED.units`,
            [rows.map(([key]) => key), rows.map(([, units]) => units)],
          );
        }
        for (let at = 0; shape === 'values' && at < rows.length; at += ROWS_PER_STATEMENT) {
          const chunk = rows.slice(at, at + ROWS_PER_STATEMENT);
          await sql.query(
            `INSERT INTO ${table} (key, units) VALUES ${chunk.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')} ON CONFLICT (key) DO UPDATE SET units = EXCLUDED.units`,
            chunk.flat(),
          );
        }
        const next = Number(batch.lastOffset()) + 1;
        await sql.query(
          `INSERT INTO ${table}_offsets VALUES ($1, $2) ON CONFLICT (partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
          [batch.partition, next],
        );
        await sql.query('COMMIT');
        positions.set(batch.partition, next);
        if (ends.every((end, partition) => (positions.get(partition) ?? 0) >= end)) done();
      },
    });
    await finished;
    const ms = performance.now() - start;
    return { records: keys, ms, note: await rowCount(sql, table) };
  } finally {
    await consumer.disconnect();
    await sql.query(`DROP TABLE IF EXISTS ${table}, ${table}_offsets`);
    await sql.end();
  }
}

async function replica(
  context: BenchContext,
  url: string,
  topicName: string,
  run: string,
  keys: number,
  client: BenchClient,
): Promise<RunResult> {
  const scenario = scenarioId('replica-postgres', client);
  const table = tableName(context, scenario, run);
  const Levels = defineTopic<Level>({
    name: topicName,
    entity: 'Level',
    key: (level) => level.key,
    partitions: LEVELS_PARTITIONS,
    compacted: true,
  });
  @Service(runName(context, scenario, run))
  class LevelReplica extends StreamService {
    @Replicate(Levels, { table, columns: { units: 'integer' } })
    readonly levels!: ReplicaReader;
  }
  const ends = await endOffsets(context, topicName);
  const sql = new Client({ connectionString: url });
  await sql.connect();
  const database = postgresDatabase({ connectionString: url });
  const start = performance.now();
  const app = StreamwiseApp.create({
    services: [LevelReplica],
    transport: benchTransport(context, client, runName(context, scenario, run, 'app')),
    logger: context.logger,
    http: false,
    replicaDatabase: database,
  });
  try {
    await app.start();
    for (;;) {
      const { rows } = await sql.query<{ next_offset: string }>(
        'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 ORDER BY partition',
        // The rows and offsets of a replica's first version: `<table>` is the view readers read.
        [`${table}_v1`],
      );
      const stored = rows.map((row) => Number(row.next_offset));
      if (stored.length === ends.length && ends.every((end, i) => stored[i] >= end)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ms = performance.now() - start;
    return { records: keys, ms, note: await rowCount(sql, table) };
  } finally {
    await app.stop();
    await database.close();
    await sql.query(`DROP VIEW IF EXISTS ${table}`);
    await sql.query(`DROP TABLE IF EXISTS ${table}_v1`);
    await sql.query('DELETE FROM streamwise_replica_offsets WHERE replica = $1', [`${table}_v1`]);
    await sql.query('DELETE FROM streamwise_replicas WHERE replica = $1', [table]);
    await sql.query('DELETE FROM streamwise_replica_versions WHERE replica = $1', [table]);
    await sql.end();
  }
}
