import type { TopicRecords } from '../kafka/kafka-records';
import { partitionKey } from '../partition-key';

/**
 * Orders the sends of one idempotent @platformatic/kafka producer so that no two are in flight on
 * the same partition. The client numbers a send's records from the partition's sequence when it
 * encodes the request, but moves that sequence only when the broker answers: two sends to one
 * partition at once carry the same first sequence number. The broker then takes the second for a
 * retry of the first when both hold as many records (it acknowledges it with the first's offsets
 * and drops its records), or refuses it with OUT_OF_ORDER_SEQUENCE_NUMBER, after which the
 * client's sequence for that partition is ahead of the broker's and every later send to it is
 * refused too (the first case is platformatic/kafka issue 326, reported on 2.1.0). The record
 * path sends the outputs of several partition tasks and subscriptions at once (one service's
 * changelog partition is written by the tasks of all its inputs), so it met both. Sends on
 * different partitions still run at once; sends on one partition run in the order they were
 * asked for.
 */
export class PartitionSendOrder {
  /** Per partition, the last send asked for; it settles (never rejects) when that send ended. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `send` once every earlier send that shares a partition with it has ended. */
  run<T>(partitions: Iterable<string>, send: () => Promise<T>): Promise<T> {
    const keys = [...new Set(partitions)];
    const earlier = keys.flatMap((key) => {
      const tail = this.#tails.get(key);
      return tail === undefined ? [] : [tail];
    });
    const result = earlier.length === 0 ? send() : Promise.all(earlier).then(send);
    const ended = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.#tails.set(key, ended);
    void ended.then(() => {
      for (const key of keys) if (this.#tails.get(key) === ended) this.#tails.delete(key);
    });
    return result;
  }

  /** Partitions with a send in flight or waiting (for tests). */
  get busy(): number {
    return this.#tails.size;
  }
}

/**
 * The partitions a send of `entries` writes, as PartitionSendOrder keys them, each once. A batch's
 * outputs come as one entry per publish, so the partitions seen are kept per topic across the
 * entries, and a key is made only for a partition not seen before.
 */
export function partitionsOf(entries: readonly TopicRecords[]): string[] {
  const keys: string[] = [];
  const seen = new Map<string, Set<number>>();
  for (const { topic, records } of entries) {
    let partitions = seen.get(topic);
    if (partitions === undefined) seen.set(topic, (partitions = new Set<number>()));
    for (const { partition } of records) {
      if (partitions.has(partition)) continue;
      partitions.add(partition);
      keys.push(partitionKey({ topic, partition }));
    }
  }
  return keys;
}
