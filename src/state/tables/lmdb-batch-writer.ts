import { TableStoreCommitError } from '../../errors/table-store-commit-error';
import type { CommitTableWrites, TableDatabases } from './lmdb-table-commit';
import { type PendingRow, PendingTableWrites } from './pending-table-writes';

/** Records applied outside a batch, past which they are written without waiting for the turn's end. */
export const MAX_PENDING_RECORDS = 5_000;

/** A batch being written: its changes stay readable until the write settles. */
interface Commit<V> {
  readonly writes: PendingTableWrites<V>;
  /** Resolves when the write settled, either way (never rejects). */
  settled: Promise<void>;
  error?: TableStoreCommitError;
}

/**
 * The changes applied to a persistent table and not yet on disk, in two layers: those waiting
 * (the newest) and the batch being written (one at a time, so a batch is never committed after a
 * newer one). See LmdbTableStore for what each promise means to the table.
 */
export class LmdbBatchWriter<V> {
  readonly #path: string;
  readonly #db: TableDatabases<V>;
  readonly #commitWrites: CommitTableWrites;
  /** Applied, not yet being written: the newest changes. */
  #pending = new PendingTableWrites<V>();
  #committing: Commit<V> | undefined;
  /** A batch ended while another was being written: the feeder waits (backpressure). */
  #batchWaiting = false;
  /** A failed write nobody was told of yet. */
  #failure: TableStoreCommitError | undefined;
  #commitScheduled: NodeJS.Immediate | undefined;

  constructor(path: string, db: TableDatabases<V>, commitWrites: CommitTableWrites) {
    this.#path = path;
    this.#db = db;
    this.#commitWrites = commitWrites;
  }

  /** Where put and remove buffer their changes. */
  get pending(): PendingTableWrites<V> {
    return this.#pending;
  }

  /** True while a write runs or changes wait for one. */
  get busy(): boolean {
    return this.#committing !== undefined || !this.#pending.empty;
  }

  /** The newest unwritten change of `storage`: a row, null (removed), or undefined (none). */
  change(storage: string): PendingRow<V> | null | undefined {
    const change = this.#pending.rows.get(storage);
    return change === undefined ? this.#committing?.writes.rows.get(storage) : change;
  }

  /** The changes not on disk yet, the newest of each key. */
  unwritten(): Map<string, PendingRow<V> | null> {
    const changes = new Map(this.#committing?.writes.rows);
    for (const [storage, change] of this.#pending.rows) changes.set(storage, change);
    return changes;
  }

  /** A change was applied outside a batch: written at the turn's end, or now when many wait. */
  appliedOutsideBatch(): void {
    if (this.#pending.records >= MAX_PENDING_RECORDS) this.#startCommit();
    else this.#commitScheduled ??= setImmediate(() => this.#startCommit());
  }

  /** A batch ended: written now, or when the write running settles. */
  batchEnded(): void {
    if (this.#pending.empty) return;
    if (this.#committing === undefined) this.#startCommit();
    else this.#batchWaiting = true;
  }

  /** See TableStore.backpressure. */
  backpressure(): Promise<void> | undefined {
    if (this.#failure !== undefined) return this.#reportFailure();
    const commit = this.#committing;
    if (commit === undefined) return undefined;
    if (!this.#batchWaiting && this.#pending.records < MAX_PENDING_RECORDS) return undefined;
    return commit.settled.then(() => this.#reportFailure());
  }

  /** Waits for the write running, then writes what waits; rejects when a write fails. */
  async writeAll(): Promise<void> {
    const running = this.#committing;
    if (running !== undefined) await running.settled;
    // The write's end started the next one, unless it failed: then this tries again.
    this.#startCommit();
    const last = this.#committing;
    if (last === undefined) return;
    await last.settled;
    if (last.error === undefined) return;
    if (this.#failure === last.error) this.#failure = undefined;
    throw last.error;
  }

  /** Lets the write running settle, then forgets every change not written. */
  async discard(): Promise<void> {
    while (this.#committing !== undefined) await this.#committing.settled;
    if (this.#commitScheduled !== undefined) clearImmediate(this.#commitScheduled);
    this.#commitScheduled = undefined;
    this.#pending = new PendingTableWrites<V>();
    this.#batchWaiting = false;
    this.#failure = undefined;
  }

  /** Starts writing the waiting changes, unless a write runs (its end starts the next). */
  #startCommit(): void {
    if (this.#commitScheduled !== undefined) clearImmediate(this.#commitScheduled);
    this.#commitScheduled = undefined;
    if (this.#committing !== undefined || this.#pending.empty) return;
    const writes = this.#pending;
    this.#pending = new PendingTableWrites<V>();
    this.#batchWaiting = false;
    const commit: Commit<V> = { writes, settled: Promise.resolve() };
    let written: Promise<unknown>;
    try {
      written = this.#commitWrites(this.#db, writes);
    } catch (error) {
      written = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    commit.settled = written.then(
      () => this.#committed(commit),
      (error: unknown) => this.#failed(commit, error),
    );
    this.#committing = commit;
  }

  #committed(commit: Commit<V>): void {
    if (this.#committing === commit) this.#committing = undefined;
    // Its changes are on disk, a failed write's among them: nothing is missing any more.
    this.#failure = undefined;
    this.#startCommit();
  }

  /** Nothing of the batch was written: its changes go back beneath the newer ones. */
  #failed(commit: Commit<V>, error: unknown): void {
    if (this.#committing === commit) this.#committing = undefined;
    commit.error = new TableStoreCommitError(this.#path, error);
    this.#pending.takeBeneath(commit.writes);
    this.#failure = commit.error;
  }

  /** Rejects with the failed write nobody was told of yet, once; else resolves. */
  #reportFailure(): Promise<void> {
    const failure = this.#failure;
    this.#failure = undefined;
    return failure === undefined ? Promise.resolve() : Promise.reject(failure);
  }
}
