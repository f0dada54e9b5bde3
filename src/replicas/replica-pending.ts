import type { PartitionBatch } from './replica-table';

interface TopicOffsets {
  /** The next offset the database holds (read at assignment, moved by each written batch). */
  stored: number;
  /** The offset after the last record taken in; below it, a redelivered record is a repeat. */
  next: number;
}

interface PartitionState<T> {
  /** Per input topic: partition `n` of every topic a replica reads goes to one writer together. */
  readonly offsets: Map<string, TopicOffsets>;
  rows: Map<string, T>;
}

/** How a pending change joins the one already pending for its key, and what it weighs. */
export interface PendingRules<T> {
  /** The change a key has after `newer` was taken in on top of `older`. */
  readonly combine: (older: T, newer: T) => T;
  /** What a pending change counts towards `size` (the back-pressure limit). */
  readonly weight: (change: T) => number;
}

/** A mapped row replaces the one before it: the latest row (or deletion) per key, one each. */
export const LATEST_ROW: PendingRules<readonly unknown[] | null> = {
  combine: (_older, newer) => newer,
  weight: () => 1,
};

/**
 * What a replica has taken in but not written yet, per assigned partition number: the pending
 * change per key (a mapped row keeps only the latest; a projection keeps every record to fold), and
 * for each input topic the offsets the database holds and the next one taken in.
 */
export class ReplicaPending<T = readonly unknown[] | null> {
  readonly #partitions = new Map<number, PartitionState<T>>();
  readonly #rules: PendingRules<T>;
  #size = 0;

  constructor(rules: PendingRules<T> = LATEST_ROW as unknown as PendingRules<T>) {
    this.#rules = rules;
  }

  /** The weight of what waits to be written, over all partitions (rows, or records to fold). */
  get size(): number {
    return this.#size;
  }

  /** Takes partition `partition` of every topic in `stored`, from the next offsets given there. */
  assign(partition: number, stored: ReadonlyMap<string, number>): void {
    const offsets = new Map<string, TopicOffsets>();
    for (const [topic, offset] of stored) offsets.set(topic, { stored: offset, next: offset });
    this.revoke(partition);
    this.#partitions.set(partition, { offsets, rows: new Map() });
  }

  /** The partitions assigned here. */
  partitions(): number[] {
    return [...this.#partitions.keys()];
  }

  /** The next offset per topic the database holds for `partition`, as far as this instance knows. */
  storedOffsets(partition: number): ReadonlyMap<string, number> | undefined {
    const state = this.#partitions.get(partition);
    if (state === undefined) return undefined;
    return new Map([...state.offsets].map(([topic, o]) => [topic, o.stored]));
  }

  revoke(partition: number): void {
    const state = this.#partitions.get(partition);
    if (state === undefined) return;
    this.#size -= this.#weigh(state.rows);
    this.#partitions.delete(partition);
  }

  /** False for a partition not assigned here, or an offset already taken in. */
  accepts(topic: string, partition: number, offset: number): boolean {
    const offsets = this.#partitions.get(partition)?.offsets.get(topic);
    return offsets !== undefined && offset >= offsets.next;
  }

  /** Takes in a record: its change (null deletes a row), or undefined when it only moves the offset. */
  take(topic: string, partition: number, offset: number, key: string, change?: T): void {
    const state = this.#partitions.get(partition);
    const offsets = state?.offsets.get(topic);
    if (state === undefined || offsets === undefined) return;
    offsets.next = offset + 1;
    if (change === undefined) return;
    const older = state.rows.get(key);
    const joined = older === undefined ? change : this.#rules.combine(older, change);
    this.#size +=
      this.#rules.weight(joined) - (older === undefined ? 0 : this.#rules.weight(older));
    state.rows.set(key, joined);
  }

  /** True when a batch would write something: rows, or offsets moved past skipped records. */
  get dirty(): boolean {
    return [...this.#partitions.values()].some((state) =>
      [...state.offsets.values()].some((o) => o.next > o.stored),
    );
  }

  /** Hands out everything pending as one batch; new records gather anew meanwhile. */
  drain(): PartitionBatch<T>[] {
    const batch: PartitionBatch<T>[] = [];
    for (const [partition, state] of this.#partitions) {
      const offsets = [...state.offsets].map(([topic, o]) => ({
        topic,
        from: o.stored,
        to: o.next,
      }));
      if (offsets.every((o) => o.to === o.from)) continue;
      batch.push({ partition, offsets, rows: state.rows });
      state.rows = new Map();
    }
    this.#size = 0;
    for (const state of this.#partitions.values()) this.#size += this.#weigh(state.rows);
    return batch;
  }

  /** The batch is in the database: its partitions continue from its offsets. */
  written(batch: readonly PartitionBatch<T>[]): void {
    for (const part of batch) {
      const state = this.#partitions.get(part.partition);
      if (state === undefined || !this.#current(state, part)) continue;
      for (const range of part.offsets) {
        const offsets = state.offsets.get(range.topic);
        if (offsets !== undefined) offsets.stored = range.to;
      }
    }
  }

  /** The batch was not written: its changes go back under those taken in since (which are newer). */
  restore(batch: readonly PartitionBatch<T>[]): void {
    for (const part of batch) {
      const state = this.#partitions.get(part.partition);
      if (state === undefined || !this.#current(state, part)) continue;
      const merged = new Map(part.rows);
      for (const [key, newer] of state.rows) {
        const older = merged.get(key);
        merged.set(key, older === undefined ? newer : this.#rules.combine(older, newer));
      }
      this.#size += this.#weigh(merged) - this.#weigh(state.rows);
      state.rows = merged;
    }
  }

  /** The batch starts where the partition's stored offsets are: it was drained from this state. */
  #current(state: PartitionState<T>, part: PartitionBatch<T>): boolean {
    return part.offsets.every((range) => state.offsets.get(range.topic)?.stored === range.from);
  }

  #weigh(rows: ReadonlyMap<string, T>): number {
    let total = 0;
    for (const change of rows.values()) total += this.#rules.weight(change);
    return total;
  }
}
