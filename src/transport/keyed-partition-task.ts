import { toDeliveredRecord } from './delivered-record';
import { EventLoopTurns } from './event-loop-turns';
import type { FetchedBatch } from './fetched-batch';
import { errorMessage } from './kafka/kafka-errors';
import { KeyOrderedWindow, type WindowSlot } from './key-ordered-window';
import { partitionKey } from './partition-key';
import { type PartitionTaskDeps, rollBackPartition } from './partition-task';
import type { TopicPartition } from './transport';

/** Outputs wait at most this long for the rest of their batch before they are sent. */
const FLUSH_INTERVAL_MS = 100;
/** A batch waiting on slow or retried handlers still heartbeats this often. */
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Handles one fetched batch of one partition with key-ordered concurrency, as the memory
 * transport does (KeyOrderedWindow): up to `concurrency` records of different keys run at once,
 * a record waiting for its key holds no slot, and a record whose handler rejects is retried in
 * place after a backoff while other keys go on (later records of its key wait). Outputs and the
 * input position are committed together, never past the lowest unfinished record; outputs of
 * records finished above it wait for a later commit.
 */
export class KeyedPartitionTask {
  readonly #target: TopicPartition;
  /** The partition's key for the redelivery pauses, built once rather than per record. */
  readonly #key: string;
  readonly #payload: FetchedBatch;
  readonly #deps: PartitionTaskDeps;
  readonly #window: KeyOrderedWindow;
  readonly #turns = new EventLoopTurns();
  /** Everything below this offset is handled (the window hands slots back in offset order). */
  #done: number;
  /** The first offset whose output and position are not committed yet. */
  #committed: number;
  #halted: () => boolean = () => false;
  #lastFlush = Date.now();
  #wake: (() => void) | undefined;
  /** The window changed since the batch loop last looked. */
  #changed = false;
  #commitFailed = false;
  /** Wakes a failed record out of its retry backoff. */
  readonly #backoffs = new Set<() => void>();
  /** Set when the batch ends early: a record in backoff gives up instead of retrying. */
  #abandoning = false;

  constructor(target: TopicPartition, payload: FetchedBatch, deps: PartitionTaskDeps) {
    this.#target = target;
    this.#key = partitionKey(target);
    this.#payload = payload;
    this.#deps = deps;
    this.#done = Number(payload.batch.firstOffset() ?? 0);
    this.#committed = this.#done;
    this.#window = new KeyOrderedWindow(deps.concurrency, {
      run: (slot) => this.#run(slot),
      complete: (slot) => {
        this.#done = slot.record.offset + 1;
      },
      changed: () => {
        this.#changed = true;
        this.#wake?.();
      },
    });
  }

  /** As PartitionTask.run: true when every record of the batch was handled and committed. */
  async run(floor: number | undefined, halted: () => boolean): Promise<boolean> {
    this.#halted = halted;
    try {
      return await this.#runBatch(floor);
    } finally {
      await this.#deps.output.close();
    }
  }

  async #runBatch(floor: number | undefined): Promise<boolean> {
    const { batch } = this.#payload;
    let stopped = false;
    try {
      for (const message of batch.messages) {
        while (!this.#window.hasRoom && !this.#stopping()) await this.#pass();
        if (this.#stopping()) {
          stopped = true;
          break;
        }
        const offset = Number(message.offset);
        if (floor !== undefined && offset < floor) {
          // Skipped below the floor: handled as far as the position is concerned.
          if (this.#window.isEmpty) this.#done = Math.max(this.#done, offset + 1);
          continue;
        }
        const record = toDeliveredRecord(this.#target.topic, this.#target.partition, message);
        this.#window.add(record, this.#deps.output.outputFor(offset));
        this.#window.startReady();
        const turn = this.#turns.due();
        if (turn !== undefined) await turn;
        await this.#payload.heartbeat();
        if (!(await this.#commitIfDue())) break;
      }
      while (!this.#window.isEmpty && !this.#stopping()) await this.#pass();
      stopped ||= !this.#window.isEmpty;
    } catch (error) {
      // A rebalance or broker error reached us through heartbeat: commit what was handled, so
      // neither its outputs nor its offsets are lost, then let the caller deal with the error.
      await this.#settle();
      await this.#commit();
      throw error;
    }
    await this.#settle();
    if (!(await this.#commit())) return false;
    return !stopped && this.#window.isEmpty;
  }

  /** Waits for the window to change (or the heartbeat interval), heartbeats, commits if due. */
  async #pass(): Promise<void> {
    await this.#nextChange(HEARTBEAT_EVERY_MS);
    if (!this.#stopping()) this.#window.startReady();
    await this.#payload.heartbeat();
    // A failed commit has rolled back and marked the task stopping.
    await this.#commitIfDue();
  }

  /** Resolves once the window changed since the last call, or after `timeoutMs` without one. */
  async #nextChange(timeoutMs?: number): Promise<void> {
    if (!this.#changed) {
      await new Promise<void>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    this.#changed = false;
  }

  #stopping(): boolean {
    return (
      this.#commitFailed || this.#halted() || !this.#payload.isRunning() || this.#payload.isStale()
    );
  }

  /** Lets running handlers end; a record waiting out a retry backoff stops waiting and gives up. */
  async #settle(): Promise<void> {
    this.#abandoning = true;
    for (const wake of [...this.#backoffs]) wake();
    while (this.#window.running > 0) await this.#nextChange();
  }

  /** A failed record's wait before its next attempt; #settle() cuts it short. */
  #backoff(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#backoffs.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#backoffs.add(wake);
    });
  }

  async #commitIfDue(): Promise<boolean> {
    if (!this.#deps.output.full && Date.now() - this.#lastFlush < FLUSH_INTERVAL_MS) return true;
    return this.#commit();
  }

  /** Commits outputs and position up to the lowest unfinished record. */
  async #commit(): Promise<boolean> {
    // After a failed commit everything since the last good one is delivered again.
    if (this.#commitFailed) return false;
    // A transaction holds what running handlers sent with `flush` too: it may only commit when
    // none runs, or it would make the outputs of an unfinished record visible.
    if (this.#deps.output.transactional && this.#window.running > 0) return true;
    this.#lastFlush = Date.now();
    const position = this.#done;
    if (position <= this.#committed) {
      // The consumer commits the resolved position on its own interval: give it the chance.
      await this.#deps.afterCommit();
      return true;
    }
    this.#deps.handlers.enter();
    try {
      await this.#deps.output.commit(position);
    } catch (error) {
      await this.#rollBack(error);
      return false;
    } finally {
      this.#deps.handlers.leave();
    }
    this.#payload.resolveOffset(String(position - 1));
    this.#committed = position;
    await this.#deps.afterCommit();
    return true;
  }

  /** One record, retried in place after a backoff until it succeeds or the batch stops. */
  async #run(slot: WindowSlot): Promise<boolean> {
    const { handlers, handle, output, pauses, logger } = this.#deps;
    for (;;) {
      handlers.enter();
      try {
        await handle(slot.record, slot.output);
        pauses.succeeded(this.#key);
        return true;
      } catch (error) {
        output.discardOf(slot.record.offset);
        slot.failures++;
        logger.warn('handler rejected a record; it will be delivered again', {
          topic: slot.record.topic,
          partition: slot.record.partition,
          offset: slot.record.offset,
          failures: slot.failures,
          error: errorMessage(error),
        });
      } finally {
        handlers.leave();
      }
      if (!this.#abandoning) await this.#backoff(pauses.delayMs(slot.failures));
      // Stopping, revoked or the batch failed: leave it uncommitted, to be delivered again.
      if (this.#abandoning || this.#stopping()) return false;
    }
  }

  async #rollBack(error: unknown): Promise<void> {
    this.#commitFailed = true;
    await rollBackPartition(this.#deps, this.#target, this.#payload, this.#committed, error);
  }
}
