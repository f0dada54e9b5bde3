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

/**
 * Partition counts of existing topics, learned from the broker once and then kept: every publish
 * checks its partitions against them (`validate`) without a broker call.
 */
export class PartitionCounts {
  readonly #counts = new Map<string, number>();
  readonly #fetch: (topic: string) => Promise<number>;

  /** `fetch` asks the broker for an existing topic's count (and throws for a missing topic). */
  constructor(fetch: (topic: string) => Promise<number>) {
    this.#fetch = fetch;
  }

  /** The cached count, or the broker's (also when `refresh`), which is then cached. */
  async get(topic: string, refresh = false): Promise<number> {
    const cached = this.#counts.get(topic);
    if (cached !== undefined && !refresh) return cached;
    const count = await this.#fetch(topic);
    this.#counts.set(topic, count);
    return count;
  }

  /** A count learned another way (a topic described). */
  set(topic: string, count: number): void {
    this.#counts.set(topic, count);
  }

  /** Topics created or deleted: their next look-up asks the broker. */
  forget(topics: readonly string[]): void {
    for (const topic of topics) this.#counts.delete(topic);
  }

  /** See assertPartitionsExist: no promise when the cached count covers the partitions. */
  validate(topic: string, partitions: readonly number[]): Promise<void> | undefined {
    return assertPartitionsExist(
      topic,
      partitions,
      (name, refresh) => this.get(name, refresh),
      this.#counts.get(topic),
    );
  }
}
