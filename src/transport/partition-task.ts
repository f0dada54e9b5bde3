import type { Logger } from '../logging/logger';
import type { ActivityCounter } from './activity-counter';
import type { BatchOutput } from './batch-output';
import { toDeliveredRecord } from './delivered-record';
import { eachRecord } from './each-record';
import { EventLoopTurns } from './event-loop-turns';
import type { FetchedBatch } from './fetched-batch';
import { errorMessage } from './kafka/kafka-errors';
import { partitionKey } from './partition-key';
import type { RedeliveryPauses } from './redelivery-pauses';
import type {
  DeliveredRecord,
  RecordBatch,
  SubscriptionOptions,
  TopicPartition,
} from './transport';

/** Outputs wait at most this long for the rest of their batch before they are sent. */
const FLUSH_INTERVAL_MS = 100;

/** Handlers that never wait give the event loop a turn this often (see event-loop-turns.ts). */
const TURN_EVERY_MS = 10;

/**
 * kafkajs sends a heartbeat only when its interval (3 s by default) has passed, but each call
 * still costs promises and a lookup: asking every 100 ms instead of after every record changes
 * nothing on the wire and notices a rebalance as early.
 */
const HEARTBEAT_CHECK_MS = 100;

export interface PartitionTaskDeps {
  readonly output: BatchOutput;
  readonly handle: SubscriptionOptions['handle'];
  /** The subscriber's batch entry: when set, records reach it as RecordBatches instead of `handle`. */
  readonly handleBatch?: SubscriptionOptions['handleBatch'];
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
 * Handles one fetched batch of one partition: runs the handlers one at a time, each awaited before
 * the next starts (KeyedPartitionTask does key-ordered concurrency), gathers their outputs, and commits outputs and input offsets
 * together every FLUSH_INTERVAL_MS, when the outputs grow large, and at the end. A handler that
 * rejects stops the batch at its record: what came before it is committed, it is delivered again
 * after a backoff. A failed commit redelivers every record since the last commit, after the
 * service rolled back the state those records changed.
 */
export class PartitionTask {
  readonly #target: TopicPartition;
  /** The partition's key for the redelivery pauses, built once rather than per record. */
  readonly #key: string;
  readonly #payload: FetchedBatch;
  readonly #deps: PartitionTaskDeps;
  /** The first offset whose output and position are not committed yet. */
  #uncommitted: number;
  /** The highest offset started (or skipped) so far. */
  #last: number | undefined;
  /** Records were handled since the last commit (skipped ones need no commit of their own). */
  #dirty = false;
  #failure: Failure | undefined;
  #lastFlush = Date.now();
  #lastHeartbeat = Date.now();
  readonly #turns = new EventLoopTurns(TURN_EVERY_MS);

  constructor(target: TopicPartition, payload: FetchedBatch, deps: PartitionTaskDeps) {
    this.#target = target;
    this.#key = partitionKey(target);
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
      await this.#deps.output.close();
    }
  }

  async #run(floor: number | undefined, halted: () => boolean): Promise<boolean> {
    const { batch } = this.#payload;
    const records: DeliveredRecord[] = [];
    for (const message of batch.messages) {
      const offset = Number(message.offset);
      // Below the floor (done already, exactly-once): skipped, but the commit moves past them.
      if (floor !== undefined && offset < floor) this.#last = offset;
      else records.push(toDeliveredRecord(this.#target.topic, this.#target.partition, message));
    }
    let stopped = false;
    try {
      for (let next = 0; next < records.length;) {
        // A stop or revoke that came while the previous records ran must stop the next one.
        if (this.#stopped(halted)) {
          stopped = true;
          break;
        }
        const from = next;
        next = await this.#handleSome(records, from, halted);
        if (this.#failure !== undefined) break;
        // A subscriber that returned without handling anything (it saw the batch halted): the
        // rest of the batch is fetched again rather than handed over in a loop.
        if (next === from) {
          stopped = true;
          break;
        }
        const now = Date.now();
        const turn = this.#turns.due(now);
        if (turn !== undefined) await turn;
        if (now - this.#lastHeartbeat >= HEARTBEAT_CHECK_MS) {
          this.#lastHeartbeat = now;
          await this.#payload.heartbeat();
        }
        if (this.#deps.output.full || now - this.#lastFlush >= FLUSH_INTERVAL_MS) {
          if (!(await this.#commitHandled())) return false;
        }
      }
    } catch (error) {
      // A rebalance or broker error reached us through heartbeat: commit what was handled, so
      // neither its outputs nor its offsets are lost, then let the caller deal with the error.
      await this.#commitHandled();
      throw error;
    }
    if (!(await this.#commitHandled())) return false;
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#deps.pauses.schedule(this.#target, failure.offset, failure.error, this.#payload);
      return false;
    }
    return !stopped;
  }

  #stopped(halted: () => boolean): boolean {
    return halted() || !this.#payload.isRunning() || this.#payload.isStale();
  }

  /**
   * Hands the records from `from` on to the subscriber as one RecordBatch (its handleBatch, or
   * `handle` per record), for at most one event-loop interval or until the output is full: then
   * the batch halts, so the loop can give the event loop its turn, heartbeat and commit between
   * records. Returns the index of the first record not handled; never rejects (a failure is kept).
   */
  async #handleSome(
    records: readonly DeliveredRecord[],
    from: number,
    halted: () => boolean,
  ): Promise<number> {
    const { handlers, output, handle, handleBatch } = this.#deps;
    const started = Date.now();
    let next = from;
    const recordBatch: RecordBatch = {
      records: from === 0 ? records : records.slice(from),
      output: (record) => output.outputFor(record.offset),
      handled: (record) => {
        this.#last = record.offset;
        next++;
      },
      halted: () =>
        next > from &&
        (Date.now() - started >= TURN_EVERY_MS || output.full || this.#stopped(halted)),
    };
    this.#dirty = true;
    handlers.enter();
    try {
      await (handleBatch === undefined
        ? eachRecord(handle, recordBatch)
        : handleBatch(recordBatch));
      this.#deps.pauses.succeeded(this.#key);
    } catch (error) {
      // The records reported before the failure succeeded: the failed one's backoff starts afresh.
      if (next > from) this.#deps.pauses.succeeded(this.#key);
      // A rejection is about the record after the last one reported (the last, if all were).
      const failed = records[Math.min(next, records.length - 1)];
      this.#failure = { offset: failed.offset, error };
      output.discardFrom(failed.offset);
    } finally {
      handlers.leave();
    }
    return next;
  }

  /** Commits every record before the failed one, if any (no handler runs when it is called). */
  async #commitHandled(): Promise<boolean> {
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
