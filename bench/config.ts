/** Benchmark settings, all overridable by environment variables (see bench/README.md). */
export interface BenchConfig {
  /** Bootstrap brokers of the benchmark's own broker (BENCH_BROKERS, comma-separated). */
  readonly brokers: readonly string[];
  /** Records of the batched produce scenarios (raw kafkajs, KafkaTransport.produce). */
  readonly produceRecords: number;
  /** Records of the batched produce scenarios per send. */
  readonly batchSize: number;
  /** Records published one at a time, each awaited before the next. */
  readonly sequentialPublishRecords: number;
  /** Records published with `publishConcurrency` publishes in flight. */
  readonly concurrentPublishRecords: number;
  readonly publishConcurrency: number;
  /** Records pre-loaded into the relay input topic (raw, at-least-once and memory relays). */
  readonly relayRecords: number;
  /** Records pre-loaded for memory-noop and memory-raw-loop (no broker). */
  readonly memoryRecords: number;
  /** Records pre-loaded for the exactly-once relay (one transaction per record: slower). */
  readonly exactlyOnceRecords: number;
  /** Bytes of padding in each produced value (produce scenarios). */
  readonly valueBytes: number;
  readonly warmups: number;
  readonly runs: number;
  /** Longest one run may take before the benchmark gives up. */
  readonly runTimeoutMs: number;
  /** Scenario ids to run (BENCH_ONLY, comma-separated); empty runs everything. */
  readonly only: readonly string[];
}

export const DEFAULT_BROKERS = '127.0.0.1:29092';

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const relayRecords = int(env, 'BENCH_RECORDS', 20_000, 1);
  return {
    brokers: (env.BENCH_BROKERS ?? DEFAULT_BROKERS)
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    produceRecords: int(env, 'BENCH_PRODUCE_RECORDS', 100_000, 1),
    batchSize: int(env, 'BENCH_BATCH_SIZE', 500, 1),
    sequentialPublishRecords: int(env, 'BENCH_PUBLISH_RECORDS', 5_000, 1),
    concurrentPublishRecords: int(env, 'BENCH_CONCURRENT_PUBLISH_RECORDS', 20_000, 1),
    publishConcurrency: int(env, 'BENCH_PUBLISH_CONCURRENCY', 100, 1),
    relayRecords,
    exactlyOnceRecords: int(env, 'BENCH_EOS_RECORDS', Math.min(relayRecords, 400), 1),
    memoryRecords: int(env, 'BENCH_MEMORY_RECORDS', 200_000, 1),
    valueBytes: int(env, 'BENCH_VALUE_BYTES', 100, 0),
    warmups: int(env, 'BENCH_WARMUP', 1, 0),
    runs: int(env, 'BENCH_RUNS', 3, 1),
    runTimeoutMs: int(env, 'BENCH_RUN_TIMEOUT_MS', 180_000, 1_000),
    only: (env.BENCH_ONLY ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}".`);
  }
  return value;
}
