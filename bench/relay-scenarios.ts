import { performance } from 'node:perf_hooks';

import { type EachBatchPayload, type Message, Partitioners } from 'kafkajs';

import { type EnvelopeHeaders, StreamwiseApp } from '../src';
import { KAFKA_DEFAULTS, type KafkaRetryOptions } from '../src/kafka';
import { relayTopology } from '../test/faults/relay-service';
import { type BenchClient, benchTransport, type BenchTuning, scenarioId } from './bench-transport';
import { type BenchContext, runName } from './context';
import type { RunResult, Scenario } from './measure';
import { rawPlatformaticRelay } from './platformatic-relay';
import { committedOffsetSum, endOffsetSum, pollUntil } from './progress';
import { chunks } from './records';
import {
  duplicatesNote,
  envelopeHeaders,
  outputReached,
  POLL_MS,
  prepareRelay,
  withAdmin,
} from './relay-support';
import { countCommittedOutput } from './verify-output';

/**
 * kafkajs retries a send that hit CONCURRENT_TRANSACTIONS (the previous transaction's markers are
 * still being written) after its default initialRetryTime of 300 ms; this retries after ~25 ms.
 */
const FAST_RETRY: BenchTuning = { retry: { initialRetryTimeMs: 25 } satisfies KafkaRetryOptions };

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
      label: `kafkajs relay: eachBatch, each batch in sendBatch calls of up to ${context.config.batchSize} records, commit per batch (baseline), ${relayRecords.toLocaleString('en-US')} records`,
      runOnce: (run) => rawRelay(context, run),
    },
    {
      id: 'relay-kafkajs-envelope',
      label: `kafkajs relay as the baseline, each output also carrying streamwise's envelope in its one sw-envelope header (what the client's encoding of it costs; diagnostic), ${relayRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => rawRelay(context, run, 'single'),
    },
    {
      id: scenarioId('relay-at-least-once', 'kafkajs'),
      label: `streamwise relay on KafkaTransport, at-least-once, ${relayRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      sameWork: 'relay-kafkajs-envelope',
      runOnce: (run) => streamwiseRelay(context, 'relay-alo', run, { client: 'kafkajs' }),
    },
    {
      id: 'relay-at-least-once-separate-headers',
      label: `relay-at-least-once with envelopeHeaders 'separate' (the envelope in four headers, as earlier versions wrote it; diagnostic), ${relayRecords.toLocaleString('en-US')} records (vs the raw kafkajs relay)`,
      baseline: 'relay-kafkajs',
      runOnce: (run) =>
        streamwiseRelay(context, 'relay-alo-sep', run, { envelopeHeaders: 'separate' }),
    },
    {
      id: 'relay-platformatic',
      label: `@platformatic/kafka relay: consume stream, each drained chunk in sends of up to 2,000 records, commit per chunk (the second client's raw figure, vs raw kafkajs), ${relayRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => rawPlatformaticRelay(context, run),
    },
    {
      id: 'relay-platformatic-envelope',
      label: `@platformatic/kafka relay as relay-platformatic, each output also carrying streamwise's envelope in its one sw-envelope header (what the client's encoding of it costs; diagnostic), ${relayRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => rawPlatformaticRelay(context, run, 'single'),
    },
    {
      id: 'relay-platformatic-envelope-four-headers',
      label: `@platformatic/kafka relay as relay-platformatic-envelope, the envelope in four headers (envelopeHeaders 'separate'; diagnostic), ${relayRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => rawPlatformaticRelay(context, run, 'separate'),
    },
    {
      id: scenarioId('relay-at-least-once', 'platformatic'),
      label: `streamwise relay on PlatformaticKafkaTransport, at-least-once, ${relayRecords.toLocaleString('en-US')} records (vs the raw kafkajs relay)`,
      baseline: 'relay-kafkajs',
      sameWork: 'relay-platformatic-envelope',
      runOnce: (run) => streamwiseRelay(context, 'relay-alo-pk', run),
    },
    {
      id: 'relay-at-least-once-lz4',
      label: `relay-at-least-once with producer.compression 'lz4' (an option, not the default; diagnostic), ${relayRecords.toLocaleString('en-US')} records (vs the raw kafkajs relay)`,
      baseline: 'relay-kafkajs',
      runOnce: (run) =>
        streamwiseRelay(context, 'relay-alo-lz4', run, { tuning: { compression: 'lz4' } }),
    },
    {
      id: scenarioId('relay-exactly-once', 'kafkajs'),
      label: `streamwise relay on KafkaTransport, exactlyOnce: true, ${exactlyOnceRecords.toLocaleString('en-US')} records (vs the raw kafkajs at-least-once relay)`,
      baseline: 'relay-kafkajs',
      runOnce: (run) =>
        streamwiseRelay(context, 'relay-eos', run, { exactlyOnce: true, client: 'kafkajs' }),
    },
    {
      id: scenarioId('relay-exactly-once', 'platformatic'),
      label: `streamwise relay on PlatformaticKafkaTransport (@platformatic/kafka, EOS v2: one transactional producer per instance), exactlyOnce: true, ${exactlyOnceRecords.toLocaleString('en-US')} records (vs the raw kafkajs at-least-once relay)`,
      baseline: 'relay-kafkajs',
      runOnce: (run) => streamwiseRelay(context, 'relay-eos-plt', run, { exactlyOnce: true }),
    },
    {
      id: `${scenarioId('relay-exactly-once', 'kafkajs')}-retry-25ms`,
      label: `streamwise relay, exactlyOnce: true, KafkaTransport retry.initialRetryTimeMs 25 (tuning experiment, not the default), ${exactlyOnceRecords.toLocaleString('en-US')} records`,
      baseline: 'relay-kafkajs',
      runOnce: (run) =>
        streamwiseRelay(context, 'relay-eos-retry', run, {
          exactlyOnce: true,
          client: 'kafkajs',
          tuning: FAST_RETRY,
        }),
    },
  ];
}

/**
 * With `envelope`, every output record also carries the envelope streamwise writes (event id,
 * type, schema version, producer) in that way, with values of the same shape: the raw relay then
 * pays the client's encoding of it, as the streamwise relay does.
 */
async function rawRelay(
  context: BenchContext,
  run: string,
  envelope?: EnvelopeHeaders,
): Promise<RunResult> {
  const count = context.config.relayRecords;
  const scenario = envelope === undefined ? 'relay-kafkajs' : `relay-kafkajs-env-${envelope}`;
  const { input, output, group } = await prepareRelay(context, scenario, run, count);
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
        headers:
          envelope === undefined
            ? message.headers
            : envelopeHeaders(group, message.key, message.offset, envelope),
        partition: batch.partition,
      }));
      // kafkajs' time to send grows much faster than a send's record count: a whole fetched batch
      // took 0.2 s at 3,334 records but 8 s at 16,667 (BENCH_RECORDS=100000) in one send.
      for (const part of chunks(messages, context.config.batchSize)) {
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic: output, messages: part }] });
      }
      payload.resolveOffset(batch.lastOffset());
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      await payload.heartbeat();
    };
    await context.profiles.start();
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
      await outputReached(context, admin, output, count);
      const ms = performance.now() - start;
      await context.profiles.stop(runName(context, scenario, run));
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

/** How a streamwise relay scenario differs from the default app on the default client. */
interface RelayOptions {
  /** `exactlyOnce: true` on the relay service (default false: at-least-once). */
  readonly exactlyOnce?: boolean;
  /** The transport's client (default @platformatic/kafka, the app's default). */
  readonly client?: BenchClient;
  /** Transport options beyond its defaults. */
  readonly tuning?: BenchTuning;
  /** The app option envelopeHeaders (default 'single'). */
  readonly envelopeHeaders?: EnvelopeHeaders;
}

/** The relay app, as `options` says, timed from creating it until its outputs are all written. */
async function streamwiseRelay(
  context: BenchContext,
  scenario: string,
  run: string,
  options: RelayOptions = {},
): Promise<RunResult> {
  const { exactlyOnce = false, client = 'platformatic', tuning, envelopeHeaders } = options;
  const { config } = context;
  const count = exactlyOnce ? config.exactlyOnceRecords : config.relayRecords;
  const names = await prepareRelay(context, scenario, run, count);
  const { relay } = relayTopology({ ...names, exactlyOnce });
  return withAdmin(context, async (admin) => {
    await context.profiles.start();
    const start = performance.now();
    const app = StreamwiseApp.create({
      services: [relay],
      transport: benchTransport(context, client, runName(context, scenario, run, 'app'), tuning),
      logger: context.logger,
      http: false,
      envelopeHeaders,
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
        await outputReached(context, admin, names.output, count);
      }
      ms = performance.now() - start;
      await context.profiles.stop(runName(context, scenario, run));
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
