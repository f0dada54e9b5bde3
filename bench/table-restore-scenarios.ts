import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { EachBatchPayload } from 'kafkajs';

import {
  defineTopic,
  Materialize,
  type ReadOnlyTable,
  Service,
  StreamService,
  StreamwiseApp,
} from '../src';
import { KAFKA_DEFAULTS } from '../src/kafka';
import { collectGarbage } from '../test/support/collect-garbage';
import { type BenchClient, benchTransport, scenarioId, transportName } from './bench-transport';
import { type BenchContext, runName } from './context';
import { type Level, LEVELS_PARTITIONS, loadLevelsTopic, tableKeys } from './levels-topic';
import type { RunResult, Scenario } from './measure';
import { rawPlatformaticRead } from './platformatic-read';

/**
 * Materializing a compacted topic of N distinct keys (BENCH_TABLE_KEYS): the topic is written
 * once, before the first clock starts, and every run of every scenario reads all of it. A
 * streamwise run times from StreamwiseApp.create until start() resolved, which is when the
 * @Materialize view caught up with the end offsets it saw at start (a fresh state folder per
 * run, so the persistent view is built from offset 0 each time). The baseline is a raw kafkajs
 * consumer in a fresh group reading the same topic from the beginning to its end offsets.
 */
export function tableRestoreScenarios(context: BenchContext): Scenario[] {
  const keys = tableKeys();
  let loaded: Promise<string> | undefined;
  const topic = (): Promise<string> => (loaded ??= loadLevelsTopic(context, 'table-restore', keys));
  const count = keys.toLocaleString('en-US');
  return [
    {
      id: 'table-restore-kafkajs',
      label: `kafkajs consumer reading a compacted topic of ${count} keys to its end offsets (baseline)`,
      runOnce: async (run) => rawRead(context, await collected(topic()), run),
    },
    {
      id: 'table-restore-kafkajs-kept',
      label: `kafkajs consumer as the baseline, also JSON-decoding each value and keeping it in a Map by key (the least any in-memory view does; diagnostic), ${count} keys`,
      baseline: 'table-restore-kafkajs',
      runOnce: async (run) => rawRead(context, await collected(topic()), run, true),
    },
    {
      id: 'table-restore-platformatic',
      label: `@platformatic/kafka consumer reading the same ${count} keys to its end offsets (the second client's raw figure, vs kafkajs)`,
      baseline: 'table-restore-kafkajs',
      runOnce: async (run) => rawPlatformaticRead(context, await collected(topic()), run),
    },
    ...CLIENTS.flatMap((client): Scenario[] =>
      STORES.map((store) => ({
        id: scenarioId(`table-restore-${store}`, client),
        label: `@Materialize view on ${transportName(client)}, store '${store}'${store === 'persistent' ? ' (LMDB)' : ''}, of the same ${count} keys, app start until ready`,
        baseline: 'table-restore-kafkajs',
        sameWork: 'table-restore-kafkajs-kept',
        runOnce: async (run) => viewRestore(context, await topic(), run, store, client),
      })),
    ),
  ];
}

const CLIENTS: readonly BenchClient[] = ['kafkajs', 'platformatic'];

const STORES = ['memory', 'persistent'] as const;

/**
 * What `value` resolves to, after a full garbage collection: every run starts from a collected
 * heap (the views' runs collect for their heap figures), so none pays for the rows the run before
 * it kept (the kept diagnostic slowed the baseline from about 850,000 to 600,000 records/s).
 */
async function collected<T>(value: Promise<T>): Promise<T> {
  const result = await value;
  collectGarbage();
  return result;
}

/**
 * With `keep`, each value is also JSON-decoded and kept in a Map under its key, as a view must
 * at least do; nothing is validated or checked.
 */
async function rawRead(
  context: BenchContext,
  topic: string,
  run: string,
  keep = false,
): Promise<RunResult> {
  const admin = context.kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
  );
  await admin.disconnect();
  const consumer = context.kafka.consumer({
    groupId: runName(context, keep ? 'table-restore-kept' : 'table-restore-kafkajs', run, 'group'),
    maxWaitTimeInMs: KAFKA_DEFAULTS.maxWaitTimeMs,
    allowAutoTopicCreation: false,
  });
  let records = 0;
  const rows = new Map<string, unknown>();
  const positions = new Map<number, number>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const caughtUp = (): boolean =>
    [...ends].every(([partition, end]) => (positions.get(partition) ?? 0) >= end);
  const start = performance.now();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: KAFKA_DEFAULTS.partitionsConsumedConcurrently,
      eachBatch: ({ batch }: EachBatchPayload) => {
        records += batch.messages.length;
        if (keep) {
          for (const { key, value } of batch.messages) {
            if (key !== null && value !== null)
              rows.set(key.toString(), JSON.parse(value.toString()));
          }
        }
        positions.set(batch.partition, Number(batch.lastOffset()) + 1);
        if (caughtUp()) done();
        return Promise.resolve();
      },
    });
    await finished;
    const ms = performance.now() - start;
    return keep ? { records, ms, note: `kept ${rows.size} rows` } : { records, ms };
  } finally {
    await consumer.disconnect();
  }
}

async function viewRestore(
  context: BenchContext,
  topicName: string,
  run: string,
  store: 'memory' | 'persistent',
  client: BenchClient,
): Promise<RunResult> {
  const keys = tableKeys();
  const Levels = defineTopic<Level>({
    name: topicName,
    entity: 'Level',
    key: (level) => level.key,
    partitions: LEVELS_PARTITIONS,
    compacted: true,
  });
  const scenario = scenarioId(`table-${store}`, client);
  @Service(runName(context, scenario, run))
  class LevelView extends StreamService {
    @Materialize(Levels, { store })
    readonly levels!: ReadOnlyTable<string, Level>;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'streamwise-bench-'));
  const before = memory();
  await context.profiles.start();
  const start = performance.now();
  const app = StreamwiseApp.create({
    services: [LevelView],
    transport: benchTransport(context, client, runName(context, scenario, run, 'app')),
    logger: context.logger,
    http: false,
    stateDir,
  });
  try {
    await app.start();
    const ms = performance.now() - start;
    await context.profiles.stop(runName(context, scenario, run));
    const after = memory();
    const size = app.service(LevelView).levels.size;
    const check =
      size === keys
        ? `view holds ${size} keys`
        : `CHECK FAILED: view holds ${size} keys, expected ${keys}`;
    return { records: keys, ms, note: `${check}; ${memoryNote(before, after, keys)}` };
  } finally {
    await app.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

interface MemorySample {
  readonly heap: number;
  readonly rss: number;
}

/** A full garbage collection before each sample, so the heap figures count live objects only. */
function memory(): MemorySample {
  collectGarbage();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

function memoryNote(before: MemorySample, after: MemorySample, keys: number): string {
  const per100k = (bytes: number): string =>
    `${(((bytes / keys) * 100_000) / 2 ** 20).toFixed(1)} MiB`;
  return `per 100k keys: heap +${per100k(after.heap - before.heap)}, rss +${per100k(after.rss - before.rss)}`;
}
