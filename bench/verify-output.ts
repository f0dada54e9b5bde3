import type { Kafka } from 'kafkajs';

export interface OutputCount {
  /** Records a read_committed consumer received. */
  readonly records: number;
  /** Distinct item ids among them. */
  readonly distinct: number;
}

const QUIET_MS = 1_000;

/**
 * Reads `topic` from the beginning with a read_committed consumer (kafkajs' default isolation), so
 * records of aborted transactions and transaction markers are not counted, until `expected`
 * distinct ids arrived and then nothing more for a second (to catch duplicates behind them).
 * Runs after the timed part of a run: it checks the result, it is not measured.
 */
export async function countCommittedOutput(
  kafka: Kafka,
  topic: string,
  groupId: string,
  expected: number,
  timeoutMs: number,
): Promise<OutputCount> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, readUncommitted: false });
  const ids = new Set<number>();
  let records = 0;
  let lastArrival = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: ({ batch }) => {
        for (const message of batch.messages) {
          records++;
          const parsed: unknown = JSON.parse(message.value?.toString() ?? 'null');
          if (typeof parsed === 'object' && parsed !== null && 'id' in parsed) {
            ids.add(Number(parsed.id));
          }
        }
        lastArrival = Date.now();
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (ids.size >= expected && Date.now() - lastArrival >= QUIET_MS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { records, distinct: ids.size };
  } finally {
    await consumer.disconnect();
  }
}
