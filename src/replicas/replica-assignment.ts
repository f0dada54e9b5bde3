import type { TopicPartition } from '../transport/transport';

/**
 * Which partition numbers a replica holds: partition n of every input topic at once. The
 * co-partitioning assignors hand partition n of co-partitioned topics to one member together; a
 * number is held only once all its inputs are here, since its rows fold records of all of them.
 */
export class ReplicaAssignment {
  readonly #topics: readonly string[];
  readonly #assigned = new Map<number, Set<string>>();

  constructor(topics: readonly string[]) {
    this.#topics = topics;
  }

  /** Adds `partitions`; returns the numbers they complete, and those still missing an input. */
  add(partitions: readonly TopicPartition[]): {
    readonly complete: number[];
    readonly waiting: TopicPartition[];
  } {
    for (const tp of partitions) {
      const topics = this.#assigned.get(tp.partition) ?? new Set<string>();
      topics.add(tp.topic);
      this.#assigned.set(tp.partition, topics);
    }
    const complete = [...new Set(partitions.map((tp) => tp.partition))].filter(
      (partition) => this.#assigned.get(partition)?.size === this.#topics.length,
    );
    return { complete, waiting: partitions.filter((tp) => !complete.includes(tp.partition)) };
  }

  remove(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#assigned.get(tp.partition)?.delete(tp.topic);
  }
}

/** The offsets of every input equal in both (a missing one counts as 0). */
export function sameOffsets(
  known: ReadonlyMap<string, number> | undefined,
  stored: ReadonlyMap<string, number>,
  topics: readonly string[],
): boolean {
  return known !== undefined && topics.every((t) => (known.get(t) ?? 0) === (stored.get(t) ?? 0));
}
