import { Kafka, logLevel } from 'kafkajs';

/** A kafkajs client for the benchmark's own plumbing (set-up, baselines, progress polling). */
export function benchKafka(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.ERROR });
}

/**
 * Creates topics with `partitions` partitions and waits for their leaders. A short-lived admin
 * each time: kafkajs clients keep refreshing metadata of every topic they touched, which fails
 * once the benchmark deletes those topics.
 */
export async function createTopics(
  kafka: Kafka,
  names: readonly string[],
  partitions: number,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}
