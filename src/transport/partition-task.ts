import type { Logger } from '../logging/logger';
import type { ActivityCounter } from './activity-counter';
import type { BatchOutput } from './batch-output';
import { toDeliveredRecord } from './delivered-record';
import type { FetchedBatch, FetchedMessage } from './fetched-batch';
import { errorMessage } from './kafka/kafka-errors';
import { partitionKey } from './partition-key';
import type { RedeliveryPauses } from './redelivery-pauses';
import type { DeliveredRecord, SubscriptionOptions, TopicPartition } from './transport';

/** Outputs wait at most this long for the rest of their batch before they are sent. */
const FLUSH_INTERVAL_MS = 100;

export interface PartitionTaskDeps {
  readonly output: BatchOutput;
  readonly handle: SubscriptionOptions['handle'];
  /** Counts running handlers and commits, so a revoke can wait for them. */
  readonly handlers: ActivityCounter;
  /** Records of the partition handled at once (different keys only; KeyedPartitionTask). */
  readonly concurrency: number;
  readonly onRollback: SubscriptionOptions['onRollback'];
  readonly pauses: RedeliveryPauses;
  readonly logger: Logger;
  /** After each successful commit of outputs and offsets (the consumer may commit offsets). */
  readonly afterCommit: () => Promise<void>;
}

interface Failure {
  readonly offset: number;
  readonly error: unknown;
}

/**
 * Handles one fetched batch of one partition: runs the handlers one at a time (KeyedPartitionTask
 * does key-ordered concurrency), gathers their outputs, and commits outputs and input offsets
 * together every FLUSH_INTERVAL_MS, when the outputs grow large, and at the end. A handler that
 * rejects stops the batch at its record: what came before it is committed, it is delivered again
 * after a backoff. A failed commit redelivers every record since the last commit, after the
 * service rolled back the state those records changed.
 */
export class PartitionTask {
  readonly #target: TopicPartition;
  readonly #payload: FetchedBatch;
  readonly #deps: PartitionTaskDeps;
  readonly #inFlight = new Set<Promise<void>>();
  /** The first offset whose output and position are not committed yet. */
  #uncommitted: number;
  /** The highest offset started (or skipped) so far. */
  #last: number | undefined;
  /** Records were handled since the last commit (skipped ones need no commit of their own). */
  #dirty = false;
  #failure: Failure | undefined;
  #lastFlush = Date.now();

  constructor(target: TopicPartition, payload: FetchedBatch, deps: PartitionTaskDeps) {
    this.#target = target;
    this.#payload = payload;
    this.#deps = deps;
    this.#uncommitted = Number(payload.batch.firstOffset() ?? 0);
  }

  /**
   * Resolves true when every record of the batch was handled and committed; false when the batch
   * stopped early (halted, a failure, a failed commit), leaving the rest for redelivery.
   */
  async run(floor: number | undefined, halted: () => boolean): Promise<boolean> {
    try {
      return await this.#run(floor, halted);
    } finally {
      this.#deps.output.close();
    }
  }

  async #run(floor: number | undefined, halted: () => boolean): Promise<boolean> {
    const { batch } = this.#payload;
    let stopped = false;
    try {
      for (const message of batch.messages) {
        // Capacity first: a stop or revoke that came while waiting must stop this record too.
        while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
        if (this.#failure !== undefined) break;
        if (halted() || !this.#payload.isRunning() || this.#payload.isStale()) {
          stopped = true;
          break;
        }
        const offset = Number(message.offset);
        this.#last = offset;
        if (floor !== undefined && offset < floor) continue;
        this.#start(message);
        await this.#payload.heartbeat();
        if (this.#deps.output.full || Date.now() - this.#lastFlush >= FLUSH_INTERVAL_MS) {
          if (!(await this.#drainAndCommit())) return false;
          if (this.#failure !== undefined) break;
        }
      }
    } catch (error) {
      // A rebalance or broker error reached us through heartbeat: commit what was handled, so
      // neither its outputs nor its offsets are lost, then let the caller deal with the error.
      await this.#drainAndCommit();
      throw error;
    }
    if (!(await this.#drainAndCommit())) return false;
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#deps.pauses.schedule(this.#target, failure.offset, failure.error, this.#payload);
      return false;
    }
    return !stopped;
  }

  #start(message: FetchedMessage): void {
    const record = toDeliveredRecord(this.#target.topic, this.#target.partition, message);
    this.#dirty = true;
    this.#track(this.#handle(record));
  }

  #track(run: Promise<void>): void {
    this.#inFlight.add(run);
    void run.then(() => this.#inFlight.delete(run));
  }

  /** Never rejects: a failure is kept as the lowest failed offset. */
  async #handle(record: DeliveredRecord): Promise<void> {
    // A record after a failed one is delivered again anyway; running it now would only repeat it.
    if (this.#failure !== undefined && this.#failure.offset < record.offset) return;
    const { handlers, output, handle } = this.#deps;
    handlers.enter();
    try {
      await handle(record, output.outputFor(record.offset));
      this.#deps.pauses.succeeded(partitionKey(this.#target));
    } catch (error) {
      if (this.#failure === undefined || record.offset < this.#failure.offset) {
        this.#failure = { offset: record.offset, error };
      }
      output.discardFrom(record.offset);
    } finally {
      handlers.leave();
    }
  }

  /** Waits for running handlers, then commits every record before the first failed one. */
  async #drainAndCommit(): Promise<boolean> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    this.#lastFlush = Date.now();
    const end = this.#failure === undefined ? this.#last : this.#failure.offset - 1;
    if (end === undefined || end < this.#uncommitted) return true;
    if (this.#dirty) {
      // Counted as work: a revoke must not close the partition's producer under this commit.
      this.#deps.handlers.enter();
      try {
        await this.#deps.output.commit(end + 1);
      } catch (error) {
        await this.#rollBack(error);
        return false;
      } finally {
        this.#deps.handlers.leave();
      }
    }
    this.#dirty = false;
    this.#payload.resolveOffset(String(end));
    this.#uncommitted = end + 1;
    await this.#deps.afterCommit();
    return true;
  }

  #rollBack(error: unknown): Promise<void> {
    return rollBackPartition(this.#deps, this.#target, this.#payload, this.#uncommitted, error);
  }
}

/**
 * After a failed commit of a partition's outputs: the open transaction is aborted, the service
 * rolls back the state those records changed, and the partition is delivered again from
 * `fromOffset` after the backoff.
 */
export async function rollBackPartition(
  deps: PartitionTaskDeps,
  target: TopicPartition,
  payload: FetchedBatch,
  fromOffset: number,
  error: unknown,
): Promise<void> {
  const { output, onRollback, logger, pauses } = deps;
  await output.abort().catch(() => undefined);
  logger.warn('writing the outputs of handled records failed; they will be delivered again', {
    topic: target.topic,
    partition: target.partition,
    fromOffset,
    error: errorMessage(error),
  });
  try {
    await onRollback?.([target]);
  } catch (rollbackError) {
    logger.error('rolling back state for redelivery failed', {
      topic: target.topic,
      partition: target.partition,
      error: errorMessage(rollbackError),
    });
  }
  pauses.schedule(target, fromOffset, error, payload);
}
