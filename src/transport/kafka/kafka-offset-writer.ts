import type { Kafka } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';

const WRITE_TIMEOUT_MS = 30_000;

/**
 * Commits offsets for an inactive group, the way kafkajs' admin.setOffsets does: a throw-away
 * member joins the (empty) group, pauses the topic and seeks each partition; with autoCommit a
 * seek is committed on the next fetch, after which the member leaves. It differs from
 * admin.setOffsets only in waiting 50 ms instead of 5 s for that fetch. The caller checks that
 * the group is inactive first.
 */
export async function writeCommittedOffsets(
  kafka: Kafka,
  request: { groupId: string; topic: string; offsets: readonly number[] },
): Promise<void> {
  const { groupId, topic, offsets } = request;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 50,
    retry: { retries: 3 },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const fetched = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      timer = setTimeout(
        () =>
          reject(
            new TransportError(
              `Kafka: timed out after ${WRITE_TIMEOUT_MS} ms writing committed offsets of group "${groupId}" on "${topic}".`,
              { retriable: true },
            ),
          ),
        WRITE_TIMEOUT_MS,
      );
    });
    fetched.catch(() => undefined);
    const running = consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: () => Promise.resolve(),
    });
    // run() creates the group member synchronously: pause and seek before its first fetch.
    consumer.pause([{ topic }]);
    offsets.forEach((offset, partition) => {
      consumer.seek({ topic, partition, offset: String(offset) });
    });
    await running;
    await fetched;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    await consumer.disconnect();
  }
}
