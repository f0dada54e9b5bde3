import { TopicMismatchError } from '../errors/topic-mismatch-error';

/** A topic's partition count, from a cache unless `refresh` asks the broker again. */
export type PartitionCount = (topic: string, refresh?: boolean) => Promise<number>;

/**
 * Rejects partitions outside the topic before anything is sent (a Kafka client would retry such
 * a send until it times out). A cached count that looks too small is asked again once: the topic
 * may have grown since. Undefined, with no promise, when `cached` (the count already known)
 * covers them: a handler's every publish is checked, and most find the count known.
 */
export function assertPartitionsExist(
  topic: string,
  partitions: readonly number[],
  partitionCount: PartitionCount,
  cached: number | undefined,
): Promise<void> | undefined {
  let highest = 0;
  for (const partition of partitions) if (partition > highest) highest = partition;
  if (cached !== undefined && highest < cached) return undefined;
  return askBroker(topic, highest, partitionCount);
}

async function askBroker(
  topic: string,
  highest: number,
  partitionCount: PartitionCount,
): Promise<void> {
  if (highest < (await partitionCount(topic))) return;
  const count = await partitionCount(topic, true);
  if (highest >= count) {
    throw new TopicMismatchError(
      topic,
      `a record was addressed to partition ${highest}, but the topic has ${count} partition${count === 1 ? '' : 's'} (0..${count - 1})`,
    );
  }
}
