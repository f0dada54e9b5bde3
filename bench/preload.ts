import { type Kafka, Partitioners } from 'kafkajs';

import { chunks, itemRecord, relayItems } from './records';

const PRELOAD_BATCH = 1_000;

/** Writes `count` relay items into `topic` before a relay run (not timed). */
export async function preloadItems(
  kafka: Kafka,
  topic: string,
  count: number,
  partitions: number,
): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const records = relayItems(count).map((item) => itemRecord(item, partitions));
    for (const messages of chunks(records, PRELOAD_BATCH)) {
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    }
  } finally {
    await producer.disconnect();
  }
}
