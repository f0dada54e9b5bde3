/** Benchmark settings, all overridable by environment variables (see bench/README.md). */
export interface BenchConfig {
  /** The group protocol of the @platformatic/kafka scenarios (BENCH_GROUP_PROTOCOL). */
  readonly groupProtocol: 'classic' | 'consumer';
  /** Bootstrap brokers of the benchmark's own broker (BENCH_BROKERS, comma-separated). */
  readonly brokers: readonly string[];
  /**
   * BENCH_LINK_DELAY_MS: when above 0, every client reaches the broker through a proxy that
   * passes each request and answer on this much later (a round trip of twice it); 0: directly.
   */
  readonly linkDelayMs: number;
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
  /** Records pre-loaded for the exactly-once relays. */
  readonly exactlyOnceRecords: number;
  /** Records of the key-ordered concurrency scenarios (the handler waits 5 ms on each). */
  readonly keyOrderedRecords: number;
  /** Items of the query scenarios, each a key asked for in turn. */
  readonly queryKeys: number;
  /** Connections autocannon keeps busy, and how long each query run lasts. */
  readonly queryConnections: number;
  readonly querySeconds: number;
  /** Bytes of padding in each produced value (produce scenarios). */
  readonly valueBytes: number;
  readonly warmups: number;
  readonly runs: number;
  /** Longest one run may take before the benchmark gives up. */
  readonly runTimeoutMs: number;
  /** Scenario ids to run (BENCH_ONLY, comma-separated); empty runs everything. */
  readonly only: readonly string[];
  /** Where to write the summary as JSON as well (BENCH_JSON); undefined writes none. */
  readonly jsonFile: string | undefined;
  /** Where to write a CPU profile of each relay run's timed part (BENCH_PROFILE_DIR); none if undefined. */
  readonly profileDir: string | undefined;
}

export const DEFAULT_BROKERS = '127.0.0.1:29092';

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const groupProtocol = env.BENCH_GROUP_PROTOCOL ?? 'classic';
  if (groupProtocol !== 'classic' && groupProtocol !== 'consumer') {
    throw new Error(`BENCH_GROUP_PROTOCOL must be classic or consumer, got "${groupProtocol}".`);
  }
  // 100,000: at 20,000 the raw relay ran for about 0.3 s, 0.05 s or more of it start-up, and its
  // rounds spread by a quarter; at 100,000 a relay's figure is its throughput (bench/RESULTS.md).
  const relayRecords = int(env, 'BENCH_RECORDS', 100_000, 1);
  return {
    brokers: (env.BENCH_BROKERS ?? DEFAULT_BROKERS)
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    linkDelayMs: int(env, 'BENCH_LINK_DELAY_MS', 0, 0),
    produceRecords: int(env, 'BENCH_PRODUCE_RECORDS', 100_000, 1),
    batchSize: int(env, 'BENCH_BATCH_SIZE', 500, 1),
    sequentialPublishRecords: int(env, 'BENCH_PUBLISH_RECORDS', 5_000, 1),
    concurrentPublishRecords: int(env, 'BENCH_CONCURRENT_PUBLISH_RECORDS', 20_000, 1),
    publishConcurrency: int(env, 'BENCH_PUBLISH_CONCURRENCY', 100, 1),
    relayRecords,
    // One transaction per batch: the exactly-once relays copy as many records as the others.
    exactlyOnceRecords: int(env, 'BENCH_EOS_RECORDS', relayRecords, 1),
    keyOrderedRecords: int(env, 'BENCH_KEYED_RECORDS', 3_000, 1),
    queryKeys: int(env, 'BENCH_QUERY_KEYS', 1_000, 2),
    queryConnections: int(env, 'BENCH_QUERY_CONNECTIONS', 10, 1),
    querySeconds: int(env, 'BENCH_QUERY_SECONDS', 5, 1),
    memoryRecords: int(env, 'BENCH_MEMORY_RECORDS', 200_000, 1),
    valueBytes: int(env, 'BENCH_VALUE_BYTES', 100, 0),
    warmups: int(env, 'BENCH_WARMUP', 1, 0),
    runs: int(env, 'BENCH_RUNS', 3, 1),
    runTimeoutMs: int(env, 'BENCH_RUN_TIMEOUT_MS', 180_000, 1_000),
    groupProtocol,
    only: (env.BENCH_ONLY ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    jsonFile: optionalText(env.BENCH_JSON),
    profileDir: optionalText(env.BENCH_PROFILE_DIR),
  };
}

function optionalText(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
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
