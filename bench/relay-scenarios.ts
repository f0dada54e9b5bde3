import { performance } from 'node:perf_hooks';

import { type Admin, type EachBatchPayload, type Message, Partitioners } from 'kafkajs';

import { StreamwiseApp } from '../src';
import { KAFKA_DEFAULTS, type KafkaRetryOptions, KafkaTransport } from '../src/kafka';
import { PlatformaticKafkaTransport } from '../src/platformatic-kafka';
import type { Transport } from '../src/transport/transport';
import { RELAY_PARTITIONS, relayTopology } from '../test/faults/relay-service';
import { type BenchContext, runName } from './context';
import { createTopics } from './kafka-client';
import type { RunResult, Scenario } from './measure';
import { preloadItems } from './preload';
import { committedOffsetSum, endOffsetSum, pollUntil } from './progress';
import { countCommittedOutput } from './verify-output';

/**
 * kafkajs retries a send that hit CONCURRENT_TRANSACTIONS (the previous transaction's markers are
 * still being written) after its default initialRetryTime of 300 ms; this retries after ~25 ms.
 */
const FAST_RETRY: KafkaRetryOptions = { initialRetryTimeMs: 25 };

/** How often the output topic (or the group's commits) is polled while a relay runs. */
const POLL_MS = 10;

/**
 * Consume-process-produce: N items pre-loaded into a 6-partition input topic, relayed to a
 * 6-partition output topic. Each run times from starting the consumer (connect, join, fetch)
 * until all N relayed records are in the output topic.
 */
export function relayScenarios(context: BenchContext): Scenario[] {
  const { relayRecords, exactlyOnceRecords } = context.config;
  return [
    {
      id: 'relay-kafkajs',
      label: `kafkajs relay: eachBatch, one sendBatch per batch, commit per batch (baseline), ${relayRecords.toLocaleString('en-US')} records`,
      runOnce: (run) => rawRelay(context, run),
    },
    {
      id: 'relay-at-least-once',
      label: `streamwise relay on KafkaTransport, at-least-once, ${relayRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => streamwiseRelay(context, 'relay-alo', run, false),
    },
    {
      id: 'relay-exactly-once',
      label: `streamwise relay on KafkaTransport, exactlyOnce: true, ${exactlyOnceRecords.toLocaleString('en-US')} records (vs the raw kafkajs at-least-once relay)`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => streamwiseRelay(context, 'relay-eos', run, true),
    },
    {
      id: 'relay-exactly-once-platformatic',
      label: `streamwise relay on PlatformaticKafkaTransport (@platformatic/kafka, EOS v2: one transactional producer per instance), exactlyOnce: true, ${exactlyOnceRecords.toLocaleString('en-US')} records (vs the raw kafkajs at-least-once relay)`,
      baseline: 'relay-kafkajs',
      runOnce: (run) =>
        streamwiseRelay(context, 'relay-eos-plt', run, true, undefined, 'platformatic'),
    },
    {
      id: 'relay-exactly-once-retry-25ms',
      label: `streamwise relay, exactlyOnce: true, KafkaTransport retry.initialRetryTimeMs 25 (tuning experiment, not the default), ${exactlyOnceRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => streamwiseRelay(context, 'relay-eos-retry', run, true, FAST_RETRY),
    },
  ];
}

interface RelayNames {
  readonly input: string;
  readonly output: string;
  readonly group: string;
}

async function prepare(
  context: BenchContext,
  scenario: string,
  run: string,
  count: number,
): Promise<RelayNames> {
  const names = {
    input: runName(context, scenario, run, 'in'),
    output: runName(context, scenario, run, 'out'),
    group: runName(context, scenario, run, 'group'),
  };
  await createTopics(context.kafka, [names.input, names.output], RELAY_PARTITIONS);
  await preloadItems(context.kafka, names.input, count, RELAY_PARTITIONS);
  return names;
}

async function withAdmin<T>(context: BenchContext, work: (admin: Admin) => Promise<T>): Promise<T> {
  // One admin per run: kafkajs clients fail once a topic they polled is deleted.
  const admin = context.kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Duplicates show up as more output records than input records (no transactions, no markers). */
function duplicatesNote(outputRecords: number, expected: number): string | undefined {
  return outputRecords > expected
    ? `${outputRecords - expected} duplicate(s) in the output`
    : undefined;
}

async function rawRelay(context: BenchContext, run: string): Promise<RunResult> {
  const count = context.config.relayRecords;
  const { input, output, group } = await prepare(context, 'relay-kafkajs', run, count);
  return withAdmin(context, async (admin) => {
    // Same consumer tuning as streamwise's defaults, so the comparison is about the processing.
    const consumer = context.kafka.consumer({
      groupId: group,
      maxWaitTimeInMs: KAFKA_DEFAULTS.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
    const producer = context.kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    let firstBatchMs: number | undefined;
    const relayBatch = async (payload: EachBatchPayload): Promise<void> => {
      const { batch } = payload;
      if (batch.isEmpty() || !payload.isRunning() || payload.isStale()) return;
      firstBatchMs ??= performance.now() - start;
      const messages: Message[] = batch.messages.map((message) => ({
        key: message.key,
        value: message.value,
        headers: message.headers,
        partition: batch.partition,
      }));
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: output, messages }] });
      payload.resolveOffset(batch.lastOffset());
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      await payload.heartbeat();
    };
    const start = performance.now();
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [input], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: KAFKA_DEFAULTS.partitionsConsumedConcurrently,
        eachBatch: relayBatch,
      });
      await pollUntil(
        `${count} records in ${output}`,
        () => endOffsetSum(admin, output),
        count,
        POLL_MS,
        context.config.runTimeoutMs,
      );
      const ms = performance.now() - start;
      const firstBatch = `first batch after ${((firstBatchMs ?? ms) / 1_000).toFixed(2)} s`;
      const duplicates = duplicatesNote(await endOffsetSum(admin, output), count);
      return {
        records: count,
        ms,
        note: duplicates === undefined ? firstBatch : `${firstBatch}; ${duplicates}`,
      };
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
}

/** The relay app's transport; `retry` is KafkaTransport's option (kafkajs retry timing). */
function relayTransport(
  client: 'kafkajs' | 'platformatic',
  options: { brokers: readonly string[]; clientId: string; logger: BenchContext['logger'] },
  retry: KafkaRetryOptions | undefined,
): Transport {
  const shared = { ...options, brokers: [...options.brokers] };
  return client === 'kafkajs'
    ? new KafkaTransport({ ...shared, retry })
    : new PlatformaticKafkaTransport(shared);
}

async function streamwiseRelay(
  context: BenchContext,
  scenario: string,
  run: string,
  exactlyOnce: boolean,
  retry?: KafkaRetryOptions,
  client: 'kafkajs' | 'platformatic' = 'kafkajs',
): Promise<RunResult> {
  const { config } = context;
  const count = exactlyOnce ? config.exactlyOnceRecords : config.relayRecords;
  const names = await prepare(context, scenario, run, count);
  const { relay } = relayTopology({ ...names, exactlyOnce });
  return withAdmin(context, async (admin) => {
    const start = performance.now();
    const app = StreamwiseApp.create({
      services: [relay],
      transport: relayTransport(
        client,
        {
          brokers: config.brokers,
          clientId: runName(context, scenario, run, 'app'),
          logger: context.logger,
        },
        retry,
      ),
      logger: context.logger,
      http: false,
    });
    let ms: number;
    let startedMs: number;
    try {
      await app.start();
      startedMs = performance.now() - start;
      if (exactlyOnce) {
        // Each transaction commits one output record and its input offset atomically, and
        // transactional offsets become visible only when the transaction commits: the group's
        // committed offsets reach N exactly when all N output records are committed.
        await pollUntil(
          `${count} committed input offsets of ${names.group}`,
          () => committedOffsetSum(admin, names.group, names.input),
          count,
          POLL_MS,
          config.runTimeoutMs,
        );
      } else {
        await pollUntil(
          `${count} records in ${names.output}`,
          () => endOffsetSum(admin, names.output),
          count,
          POLL_MS,
          config.runTimeoutMs,
        );
      }
      ms = performance.now() - start;
    } finally {
      await app.stop();
    }
    const ends = await endOffsetSum(admin, names.output);
    const started = `app.start() took ${(startedMs / 1_000).toFixed(2)} s`;
    if (!exactlyOnce) {
      const duplicates = duplicatesNote(ends, count);
      return {
        records: count,
        ms,
        note: duplicates === undefined ? started : `${started}; ${duplicates}`,
      };
    }
    // Not timed: a read_committed reader must see every item exactly once. The end offsets also
    // count one commit marker per transaction, so they are no measure of records here.
    const seen = await countCommittedOutput(
      context.kafka,
      names.output,
      runName(context, scenario, run, 'verify'),
      count,
      config.runTimeoutMs,
    );
    const verdict =
      seen.records === count && seen.distinct === count
        ? `verified: ${seen.records} committed records, each item once; output end offsets ${ends}`
        : `CHECK FAILED: read_committed saw ${seen.records} records, ${seen.distinct} distinct, expected ${count}; output end offsets ${ends}`;
    return { records: count, ms, note: `${started}; ${verdict}` };
  });
}
