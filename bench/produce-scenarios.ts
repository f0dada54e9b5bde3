import { performance } from 'node:perf_hooks';

import { type Message, Partitioners, type Producer } from 'kafkajs';

import { type OutgoingRecord, StreamwiseApp } from '../src';
import { KafkaTransport } from '../src/kafka';
import { buildEnvelope } from '../src/testing';
import { type BenchContext, runName } from './context';
import { createTopics } from './kafka-client';
import type { RunResult, Scenario } from './measure';
import { benchTopic, publisherTopology } from './publisher-service';
import { benchEvents, chunks } from './records';

const PARTITIONS = 6;

/**
 * Produce throughput: the same records (streamwise envelopes, explicit partitions) written by raw
 * kafkajs, by KafkaTransport.produce, and by StreamService.publish one at a time and concurrently.
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
      id: 'produce-transport',
      label: `streamwise KafkaTransport.produce, ${batch} records per call`,
      baseline: 'produce-kafkajs',
      runOnce: (run) => transportProduce(context, run),
    },
    {
      id: 'publish-sequential',
      label: 'streamwise StreamService.publish, one at a time (each awaited)',
      baseline: 'produce-kafkajs',
      runOnce: (run) =>
        publishRun(context, 'publish-sequential', run, config.sequentialPublishRecords, 1),
    },
    {
      id: 'publish-concurrent',
      label: `streamwise StreamService.publish, ${config.publishConcurrency} in flight (Promise.all per chunk)`,
      baseline: 'produce-kafkajs',
      runOnce: (run) =>
        publishRun(
          context,
          'publish-concurrent',
          run,
          config.concurrentPublishRecords,
          config.publishConcurrency,
        ),
    },
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

function rawProducer(context: BenchContext): Producer {
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

async function transportProduce(context: BenchContext, run: string): Promise<RunResult> {
  const topic = runName(context, 'produce-transport', run);
  await createTopics(context.kafka, [topic], PARTITIONS);
  const batches = chunks(
    envelopes(context, topic, runName(context, 'producer', run)),
    context.config.batchSize,
  );
  const transport = new KafkaTransport({
    brokers: context.config.brokers,
    clientId: runName(context, 'transport', run),
    logger: context.logger,
  });
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
    transport: new KafkaTransport({
      brokers: context.config.brokers,
      clientId: runName(context, scenario, run, 'app'),
      logger: context.logger,
    }),
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
