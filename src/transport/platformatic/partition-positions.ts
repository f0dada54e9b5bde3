import type { CommitOffsets, FetchedBatch, FetchedMessage } from '../fetched-batch';
import { partitionKey } from '../partition-key';
import type { TopicPartition } from '../transport';

interface Position {
  readonly target: TopicPartition;
  /** The next offset to fetch: the offset after the last resolved record. */
  next: bigint;
  /** The next offset the group has committed for this member (what a commit would move). */
  committed: bigint | undefined;
  /** Bumped by seek: batches fetched before it are stale and their resolves are ignored. */
  epoch: number;
  paused: boolean;
}

export interface BatchContext {
  /** False once the subscription stops. */
  readonly running: () => boolean;
  /** The assignment generation the batch was fetched in; stale when it changed. */
  readonly generation: number;
  readonly currentGeneration: () => number;
  readonly commit: (offsets: CommitOffsets) => Promise<void>;
  /** Something changed that the fetch loop should act on now (a resume). */
  readonly wake: () => void;
}

/**
 * What the member knows of each assigned partition: where to fetch next, what is committed,
 * whether it is paused, and a seek epoch. The fetch loop reads it; the batches it builds
 * (FetchedBatch, what the shared record path runs) move it.
 */
export class PartitionPositions {
  #positions = new Map<string, Position>();

  /**
   * A new assignment: nothing is known about its partitions until `start` is called. The old
   * positions stay with the batches fetched for them (see `batch`).
   */
  clear(): void {
    this.#positions = new Map();
  }

  /** The partition left the member: its batches still running turn stale. */
  forget(target: TopicPartition): void {
    this.#positions.delete(partitionKey(target));
  }

  has(target: TopicPartition): boolean {
    return this.#positions.has(partitionKey(target));
  }

  start(target: TopicPartition, next: bigint, committed: bigint | undefined): void {
    this.#positions.set(partitionKey(target), {
      target,
      next,
      committed,
      epoch: 0,
      paused: false,
    });
  }

  /** The next offset to fetch, undefined when paused or not started. */
  fetchable(target: TopicPartition): bigint | undefined {
    const position = this.#positions.get(partitionKey(target));
    return position === undefined || position.paused ? undefined : position.next;
  }

  next(target: TopicPartition): bigint | undefined {
    return this.#positions.get(partitionKey(target))?.next;
  }

  /** Moves past offsets with nothing to handle (transaction markers only). */
  advance(target: TopicPartition, next: bigint): void {
    const position = this.#positions.get(partitionKey(target));
    if (position !== undefined && next > position.next) position.next = next;
  }

  seek(target: TopicPartition, offset: number): void {
    const position = this.#positions.get(partitionKey(target));
    if (position === undefined) {
      this.start(target, BigInt(offset), undefined);
      return;
    }
    position.next = BigInt(offset);
    position.epoch++;
  }

  uncommitted(): CommitOffsets {
    return uncommittedOf(this.#positions);
  }

  committed(offsets: CommitOffsets): void {
    markCommitted(this.#positions, offsets);
  }

  /** The shared record path's view of one fetched batch of `target`. */
  batch(
    target: TopicPartition,
    messages: readonly FetchedMessage[],
    lastOffset: bigint,
    context: BatchContext,
  ): FetchedBatch {
    const key = partitionKey(target);
    // The client re-joins as soon as it learns of a rebalance, so a batch may end after a new
    // assignment replaced the positions. What it resolves, and the commit at its end, are still
    // those of the assignment it was fetched in: the fetch loop reads the next assignment's
    // committed offsets only after this batch ended, so they include its records.
    const positions = this.#positions;
    const position = positions.get(key);
    const epoch = position?.epoch ?? 0;
    const stale = (): boolean =>
      context.currentGeneration() !== context.generation ||
      this.#positions !== positions ||
      position?.epoch !== epoch;
    return {
      batch: {
        topic: target.topic,
        partition: target.partition,
        messages,
        firstOffset: () => {
          const first = messages[0];
          return first === undefined ? null : String(first.offset);
        },
        lastOffset: () => lastOffset.toString(),
      },
      // Only a seek discards a resolve (a rebalance does not, see above).
      resolveOffset: (offset) => {
        if (position === undefined || position.epoch !== epoch) return;
        const next = BigInt(offset) + 1n;
        if (next > position.next) position.next = next;
      },
      // The client heartbeats on its own timer, whatever the handlers do.
      heartbeat: () => Promise.resolve(),
      isRunning: context.running,
      isStale: stale,
      pause: () => {
        if (position === undefined) return () => undefined;
        position.paused = true;
        return () => {
          position.paused = false;
          context.wake();
        };
      },
      uncommittedOffsets: () => uncommittedOf(positions),
      commitOffsetsIfNecessary: async (offsets) => {
        await context.commit(offsets);
        markCommitted(positions, offsets);
      },
    };
  }
}

function uncommittedOf(positions: ReadonlyMap<string, Position>): CommitOffsets {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const { target, next, committed } of positions.values()) {
    if (committed !== undefined && next <= committed) continue;
    let partitions = byTopic.get(target.topic);
    if (partitions === undefined) byTopic.set(target.topic, (partitions = []));
    partitions.push({ partition: target.partition, offset: next.toString() });
  }
  return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
}

function markCommitted(positions: ReadonlyMap<string, Position>, offsets: CommitOffsets): void {
  for (const { topic, partitions } of offsets.topics) {
    for (const { partition, offset } of partitions) {
      const position = positions.get(partitionKey({ topic, partition }));
      if (position !== undefined) position.committed = BigInt(offset);
    }
  }
}
