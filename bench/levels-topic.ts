import type { BenchContext } from './context';
import { runName } from './context';
import { preloadMessages } from './preload';

/** Partitions of the compacted topic the table-restore and replica scenarios read. */
export const LEVELS_PARTITIONS = 6;

const DEFAULT_KEYS = 200_000;

/** One stock level: the value of each key of the compacted topic. */
export interface Level {
  readonly key: string;
  readonly units: number;
}

/** BENCH_TABLE_KEYS: distinct keys (and records) in the compacted topic, default 200,000. */
export function tableKeys(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_TABLE_KEYS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_KEYS;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`BENCH_TABLE_KEYS must be a whole number >= 1, got "${raw}".`);
  }
  return value;
}

/**
 * Creates a compacted topic for `scenario` and writes one record per key, so it holds exactly
 * `keys` records whatever compaction did. Returns its name.
 */
export async function loadLevelsTopic(
  context: BenchContext,
  scenario: string,
  keys: number,
): Promise<string> {
  const name = runName(context, scenario, 'all', 'levels');
  const admin = context.kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: name,
          numPartitions: LEVELS_PARTITIONS,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
  const messages = Array.from({ length: keys }, (_, id) => {
    const level: Level = { key: `sku-${id}`, units: id % 1_000 };
    return { key: level.key, value: JSON.stringify(level) };
  });
  await preloadMessages(context.kafka, name, messages);
  return name;
}
