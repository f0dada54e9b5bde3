import { type Kafka, type Message, Partitioners } from 'kafkajs';

import { chunks, itemRecord, relayItems } from './records';

const PRELOAD_BATCH = 1_000;

/** Writes `count` relay items into `topic` before a relay run (not timed). */
export function preloadItems(
  kafka: Kafka,
  topic: string,
  count: number,
  partitions: number,
): Promise<void> {
  return preloadMessages(
    kafka,
    topic,
    relayItems(count).map((item) => itemRecord(item, partitions)),
  );
}

/** Writes messages into `topic` with an idempotent producer, 1,000 per request (not timed). */
export async function preloadMessages(
  kafka: Kafka,
  topic: string,
  messages: readonly Message[],
): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (const chunk of chunks(messages, PRELOAD_BATCH)) {
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: chunk }] });
    }
  } finally {
    await producer.disconnect();
  }
}
