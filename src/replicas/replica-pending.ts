import type { PartitionBatch } from './replica-table';

interface PartitionState {
  /** The next offset the database holds (read at assignment, moved by each written batch). */
  stored: number;
  /** The offset after the last record taken in; below it, a redelivered record is a repeat. */
  next: number;
  rows: Map<string, readonly unknown[] | null>;
}

/**
 * What a replica has taken in but not written yet, per assigned partition: the latest row (or
 * deletion) per key, so a batch writes each key once however often it changed.
 */
export class ReplicaPending {
  readonly #partitions = new Map<number, PartitionState>();
  #rows = 0;

  /** Rows (keys) waiting to be written, over all partitions. */
  get size(): number {
    return this.#rows;
  }

  assign(partition: number, stored: number): void {
    this.#partitions.set(partition, { stored, next: stored, rows: new Map() });
  }

  /** The partitions assigned here. */
  partitions(): number[] {
    return [...this.#partitions.keys()];
  }

  /** The next offset the database holds for `partition`, as far as this instance knows. */
  storedOffset(partition: number): number | undefined {
    return this.#partitions.get(partition)?.stored;
  }

  revoke(partition: number): void {
    const state = this.#partitions.get(partition);
    if (state === undefined) return;
    this.#rows -= state.rows.size;
    this.#partitions.delete(partition);
  }

  /** False for a partition not assigned here, or an offset already taken in. */
  accepts(partition: number, offset: number): boolean {
    const state = this.#partitions.get(partition);
    return state !== undefined && offset >= state.next;
  }

  /** Takes in a record: its row (null deletes), or undefined when it only moves the offset. */
  take(partition: number, offset: number, key: string, row?: readonly unknown[] | null): void {
    const state = this.#partitions.get(partition);
    if (state === undefined) return;
    state.next = offset + 1;
    if (row === undefined) return;
    if (!state.rows.has(key)) this.#rows++;
    state.rows.set(key, row);
  }

  /** True when a batch would write something: rows, or offsets moved past skipped records. */
  get dirty(): boolean {
    return [...this.#partitions.values()].some((s) => s.next > s.stored);
  }

  /** Hands out everything pending as one batch; new records gather anew meanwhile. */
  drain(): PartitionBatch[] {
    const batch: PartitionBatch[] = [];
    for (const [partition, state] of this.#partitions) {
      if (state.next === state.stored) continue;
      batch.push({ partition, from: state.stored, to: state.next, rows: state.rows });
      state.rows = new Map();
    }
    this.#rows = 0;
    return batch;
  }

  /** The batch is in the database: its partitions continue from its offsets. */
  written(batch: readonly PartitionBatch[]): void {
    for (const part of batch) {
      const state = this.#partitions.get(part.partition);
      if (state !== undefined && state.stored === part.from) state.stored = part.to;
    }
  }

  /** The batch was not written: its rows go back under those taken in since (which are newer). */
  restore(batch: readonly PartitionBatch[]): void {
    for (const part of batch) {
      const state = this.#partitions.get(part.partition);
      if (state === undefined || state.stored !== part.from) continue;
      const merged = new Map(part.rows);
      for (const [key, row] of state.rows) merged.set(key, row);
      this.#rows += merged.size - state.rows.size;
      state.rows = merged;
    }
  }
}
