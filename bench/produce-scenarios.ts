import { performance } from 'node:perf_hooks';

import { Producer } from '@platformatic/kafka';
import { type Message, Partitioners, type Producer as KafkajsProducer } from 'kafkajs';

import { type OutgoingRecord, StreamwiseApp } from '../src';
import { buildEnvelope } from '../src/testing';
import { type BenchClient, benchTransport, scenarioId, transportName } from './bench-transport';
import { type BenchContext, runName } from './context';
import { createTopics } from './kafka-client';
import type { RunResult, Scenario } from './measure';
import { benchTopic, publisherTopology } from './publisher-service';
import { benchEvents, chunks } from './records';

const PARTITIONS = 6;

/**
 * Produce throughput: the same records (streamwise envelopes, explicit partitions) written by raw
 * kafkajs and @platformatic/kafka, and on each client's transport by its produce and by
 * StreamService.publish one at a time and concurrently.
 */
export function produceScenarios(context: BenchContext): Scenario[] {
  const { config } = context;
  const batch = config.batchSize;
  return [
    {
      id: 'produce-kafkajs',
      label: `kafkajs producer.sendBatch, ${batch} records per batch (baseline)`,
      runOnce: (run) => rawProduce(context, run),
    },
    {
      id: 'produce-kafkajs-single',
      label:
        'kafkajs producer.send, one record per call, each awaited (same I/O pattern as publish one at a time)',
      baseline: 'produce-kafkajs',
      runOnce: (run) => rawSingleProduce(context, run),
    },
    {
      id: 'produce-platformatic',
      label: `@platformatic/kafka producer.send, ${batch} records per call (the second client's raw figure, vs kafkajs)`,
      baseline: 'produce-kafkajs',
      runOnce: (run) => rawPlatformaticProduce(context, run),
    },
    ...(['kafkajs', 'platformatic'] as const).flatMap((client): Scenario[] => {
      const on = transportName(client);
      const sequential = scenarioId('publish-sequential', client);
      const concurrent = scenarioId('publish-concurrent', client);
      return [
        {
          id: scenarioId('produce-transport', client),
          label: `streamwise ${on}.produce, ${batch} records per call`,
          baseline: 'produce-kafkajs',
          runOnce: (run) => transportProduce(context, run, client),
        },
        {
          id: sequential,
          label: `streamwise StreamService.publish on ${on}, one at a time (each awaited)`,
          baseline: 'produce-kafkajs',
          runOnce: (run) =>
            publishRun(context, sequential, run, config.sequentialPublishRecords, 1, client),
        },
        {
          id: concurrent,
          label: `streamwise StreamService.publish on ${on}, ${config.publishConcurrency} in flight (Promise.all per chunk)`,
          baseline: 'produce-kafkajs',
          runOnce: (run) =>
            publishRun(
              context,
              concurrent,
              run,
              config.concurrentPublishRecords,
              config.publishConcurrency,
              client,
            ),
        },
      ];
    }),
  ];
}

/** The records streamwise would write for the benchmark events: envelopes with their headers. */
function envelopes(
  context: BenchContext,
  topicName: string,
  producer: string,
  count = context.config.produceRecords,
): OutgoingRecord[] {
  const topic = benchTopic(topicName, PARTITIONS);
  const now = Date.now();
  return benchEvents(count, context.config.valueBytes).map(
    (event) => buildEnvelope(topic, event, { producer, timestamp: now }).record,
  );
}

function toMessage(record: OutgoingRecord): Message {
  return {
    key: record.key,
    value: record.value,
    partition: record.partition,
    headers: record.headers,
    timestamp: record.timestamp === undefined ? undefined : String(record.timestamp),
  };
}

function rawProducer(context: BenchContext): KafkajsProducer {
  return context.kafka.producer({
    idempotent: true,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

async function rawProduce(context: BenchContext, run: string): Promise<RunResult> {
  const topic = runName(context, 'produce-kafkajs', run);
  await createTopics(context.kafka, [topic], PARTITIONS);
  const records = envelopes(context, topic, runName(context, 'producer', run));
  const batches = chunks(records.map(toMessage), context.config.batchSize);
  const producer = rawProducer(context);
  await producer.connect();
  try {
    const start = performance.now();
    for (const messages of batches) {
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    }
    return { records: records.length, ms: performance.now() - start };
  } finally {
    await producer.disconnect();
  }
}

async function rawSingleProduce(context: BenchContext, run: string): Promise<RunResult> {
  const topic = runName(context, 'produce-kafkajs-single', run);
  await createTopics(context.kafka, [topic], PARTITIONS);
  const count = context.config.sequentialPublishRecords;
  const messages = envelopes(context, topic, runName(context, 'producer', run), count).map(
    toMessage,
  );
  const producer = rawProducer(context);
  await producer.connect();
  try {
    const start = performance.now();
    for (const message of messages) {
      await producer.send({ topic, acks: -1, messages: [message] });
    }
    return { records: count, ms: performance.now() - start };
  } finally {
    await producer.disconnect();
  }
}

async function rawPlatformaticProduce(context: BenchContext, run: string): Promise<RunResult> {
  const topic = runName(context, 'produce-platformatic', run);
  await createTopics(context.kafka, [topic], PARTITIONS);
  const records = envelopes(context, topic, runName(context, 'producer', run));
  const batches = chunks(
    records.map((record) => ({
      topic,
      key: record.key ?? undefined,
      value: record.value ?? undefined,
      partition: record.partition,
      // The client's own shape for headers, built here as a user of it would, outside the clock.
      headers: new Map(
        Object.entries(record.headers ?? {}).map(([name, value]) => [
          Buffer.from(name),
          Buffer.from(value),
        ]),
      ),
      timestamp: record.timestamp === undefined ? undefined : BigInt(record.timestamp),
    })),
    context.config.batchSize,
  );
  const producer = new Producer({
    clientId: runName(context, 'produce-platformatic', run, 'client'),
    bootstrapBrokers: [...context.config.brokers],
    idempotent: true,
    acks: -1,
  });
  try {
    const start = performance.now();
    for (const messages of batches) await producer.send({ messages });
    return { records: records.length, ms: performance.now() - start };
  } finally {
    await producer.close();
  }
}

async function transportProduce(
  context: BenchContext,
  run: string,
  client: BenchClient,
): Promise<RunResult> {
  const topic = runName(context, scenarioId('produce-transport', client), run);
  await createTopics(context.kafka, [topic], PARTITIONS);
  const batches = chunks(
    envelopes(context, topic, runName(context, 'producer', run)),
    context.config.batchSize,
  );
  const transport = benchTransport(context, client, runName(context, 'transport', run));
  await transport.connect();
  try {
    const start = performance.now();
    for (const records of batches) await transport.produce(topic, records);
    return { records: context.config.produceRecords, ms: performance.now() - start };
  } finally {
    await transport.disconnect();
  }
}

async function publishRun(
  context: BenchContext,
  scenario: string,
  run: string,
  count: number,
  inFlight: number,
  client: BenchClient = 'kafkajs',
): Promise<RunResult> {
  const topicName = runName(context, scenario, run);
  await createTopics(context.kafka, [topicName], PARTITIONS);
  const { service } = publisherTopology(
    runName(context, scenario, run, 'svc'),
    topicName,
    PARTITIONS,
  );
  const app = StreamwiseApp.create({
    services: [service],
    transport: benchTransport(context, client, runName(context, scenario, run, 'app')),
    logger: context.logger,
    http: false,
  });
  await app.start();
  try {
    const publisher = app.service(service);
    const events = benchEvents(count, context.config.valueBytes);
    const start = performance.now();
    if (inFlight === 1) {
      for (const event of events) await publisher.send(event);
    } else {
      for (const chunk of chunks(events, inFlight)) {
        await Promise.all(chunk.map((event) => publisher.send(event)));
      }
    }
    return { records: count, ms: performance.now() - start };
  } finally {
    await app.stop();
  }
}
