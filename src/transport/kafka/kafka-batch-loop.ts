/**
 * The processing loop of one Kafka subscription (kafkajs eachBatch, eachBatchAutoResolve off,
 * autoCommit off).
 * - kafkajs hands over one batch per partition; up to `partitionsConsumedConcurrently` batches run
 *   at once, and a partition never has two batches in flight. A PartitionTask runs each batch:
 *   records one at a time in offset order, handed to the subscriber's `handleBatch` as
 *   RecordBatches (or to `handle` per record; key-ordered with `concurrency`), their outputs
 *   gathered and sent together (see partition-task.ts, batch-output.ts). A reader with
 *   `readBatch` (a table view) gets the whole batch in one call instead (reader-batch.ts).
 * - A record's offset is resolved only after its outputs were acknowledged (or committed in the
 *   batch's transaction); kafkajs' fetch position is the resolved offset, so an unresolved record
 *   is fetched again.
 * - At-least-once commits are explicit: at the end of every batch, at most every second inside a
 *   long batch, before onRevoked on a rebalance, and before leaving the group on stop. Each commit
 *   carries every resolved offset of the member (kafkajs' uncommittedOffsets()). After a failed
 *   commit no new record starts: a long batch stops at its next record, and each batch tries the
 *   commit again before its records, held for a backoff while it still fails (failed-commits.ts).
 * - A rejecting handler stops the batch at that record: the records before it are committed,
 *   later ones are not handled, and the partition is paused for a backoff (see
 *   redelivery-pauses.ts). Other partitions keep going meanwhile.
 * - Exactly-once subscriptions commit the offsets inside the batch's transaction instead (see
 *   exactly-once-processor.ts); the consumer only moves its position.
 */
import type { Logger } from '../../logging/logger';
import { ActivityCounter } from '../activity-counter';
import { BatchOutput, type OutputSink, type RecordCheck } from '../batch-output';
import { FailedCommits } from '../failed-commits';
import type { FetchedBatch } from '../fetched-batch';
import { KeyedPartitionTask } from '../keyed-partition-task';
import { PartitionFloors } from '../partition-floors';
import { partitionKey } from '../partition-key';
import { PartitionTask } from '../partition-task';
import { runReaderBatch } from '../reader-batch';
import type { RecordProcessor } from '../record-processor';
import type { RedeliveryPauses } from '../redelivery-pauses';
import type { SubscriptionOptions, TopicPartition } from '../transport';
import { isAssignmentLostError } from './kafka-errors';

const COMMIT_INTERVAL_MS = 1_000;

/** What the loop needs from the subscription that owns the group membership. */
export interface BatchLoopHost {
  /** New records may not start: the subscription stops or the assignment is being revoked. */
  halted(): boolean;
  /** Settles once onAssigned of the current assignment has run. */
  assigned(): Promise<void>;
  /** The partition waits for its onAssigned to succeed: none of its records may run yet. */
  waiting(key: string): boolean;
  /** The assignment was lost while batches ran: no new record may start from now on. */
  beginRevoke(): void;
  /** Ends the current assignment: onRevoked, then release per-partition resources. */
  revoke(): Promise<void>;
}

export interface KafkaBatchLoopDeps {
  readonly processor: RecordProcessor;
  readonly handle: SubscriptionOptions['handle'];
  /** The subscriber's batch entry (one call per run of records), used instead of `handle`. */
  readonly handleBatch?: SubscriptionOptions['handleBatch'];
  /** A reader's whole-batch handler: when set, each batch is one call (see reader-batch.ts). */
  readonly readBatch?: SubscriptionOptions['readBatch'];
  readonly concurrency: number;
  readonly onRollback: SubscriptionOptions['onRollback'];
  /** Checks records before they join a batch's output (unknown partition, malformed record). */
  readonly validate: RecordCheck;
  readonly pauses: RedeliveryPauses;
  readonly logger: Logger;
  readonly onPosition: SubscriptionOptions['onPosition'];
  readonly host: BatchLoopHost;
}

export class KafkaBatchLoop {
  readonly #processor: RecordProcessor;
  readonly #handle: SubscriptionOptions['handle'];
  readonly #handleBatch: SubscriptionOptions['handleBatch'];
  readonly #readBatch: SubscriptionOptions['readBatch'];
  readonly #concurrency: number;
  readonly #onRollback: SubscriptionOptions['onRollback'];
  readonly #validate: RecordCheck;
  readonly #pauses: RedeliveryPauses;
  readonly #logger: Logger;
  readonly #onPosition: SubscriptionOptions['onPosition'];
  readonly #host: BatchLoopHost;
  readonly #batches = new ActivityCounter();
  readonly #handlers = new ActivityCounter();
  /** Per partition: records below this offset are already done (exactly-once). */
  readonly #floors: PartitionFloors;
  #lastCommit = Date.now();
  readonly #failedCommits: FailedCommits;

  constructor(deps: KafkaBatchLoopDeps) {
    this.#processor = deps.processor;
    this.#handle = deps.handle;
    this.#handleBatch = deps.handleBatch;
    this.#readBatch = deps.readBatch;
    this.#concurrency = deps.concurrency;
    this.#onRollback = deps.onRollback;
    this.#validate = deps.validate;
    this.#pauses = deps.pauses;
    this.#logger = deps.logger;
    this.#onPosition = deps.onPosition;
    this.#host = deps.host;
    this.#failedCommits = new FailedCommits(deps.logger);
    this.#floors = new PartitionFloors(deps.logger);
  }

  /** Resolves once no batch is running (each commits at its end). */
  whenIdle(): Promise<void> {
    return this.#batches.whenIdle();
  }

  /** Resolves once no handler runs and no batch commits (batches may still be winding down). */
  whenWorkIdle(): Promise<void> {
    return this.#handlers.whenIdle();
  }

  /** A new assignment: every partition asks its processor for its floor again. */
  clearFloors(): void {
    this.#floors.clear();
  }

  /** The partition left the member (an incremental rebalance): ask again if it comes back. */
  forgetFloor(key: string): void {
    this.#floors.forget(key);
  }

  /** An explicit seek wins over the exactly-once "already done" floor. */
  dropFloor(key: string): void {
    this.#floors.drop(key);
  }

  async eachBatch(payload: FetchedBatch): Promise<void> {
    this.#batches.enter();
    let held = false;
    try {
      held = await this.#heldByFailedCommits(payload);
      if (!held) await this.#processBatch(payload);
    } catch (error) {
      if (isAssignmentLostError(error)) await this.#revokeForRebalance(payload);
      // kafkajs re-joins on rebalance errors and retries (or restarts) on broker errors.
      throw error;
    } finally {
      if (this.#processor.consumerCommits && !held) await this.#commit(payload);
      this.#batches.leave();
    }
  }

  /**
   * After a failed commit, tries it again before any record of this batch starts; while it still
   * fails, the partition is held for the redelivery backoff and its batch is fetched again.
   */
  async #heldByFailedCommits(payload: FetchedBatch): Promise<boolean> {
    if (!this.#failedCommits.failing || this.#host.halted()) return false;
    await this.#commit(payload);
    if (!this.#failedCommits.failing) return false;
    const target = { topic: payload.batch.topic, partition: payload.batch.partition };
    this.#pauses.hold(target, this.#pauses.delayMs(this.#failedCommits.failures), payload);
    return true;
  }

  /** A commit went through (or nothing was left to commit): the partitions held for it resume. */
  #commitsWork(): void {
    this.#failedCommits.succeeded();
    this.#pauses.resumeHeld();
  }

  async #processBatch(payload: FetchedBatch): Promise<void> {
    const { batch } = payload;
    const target = { topic: batch.topic, partition: batch.partition };
    const key = partitionKey(target);
    if (this.#host.halted()) return;
    await this.#host.assigned();
    // A batch fetched before its partition was paused: left unresolved, it is fetched again.
    if (this.#host.halted() || this.#host.waiting(key)) return;
    if (this.#pauses.backingOff(key, payload)) return;
    const first = batch.messages[0];
    if (first === undefined) return;

    if (this.#floors.has(key)) {
      this.#floors.checkStart(key, target, Number(first.offset));
    } else {
      try {
        const repair = this.#floors.start(key, target, await this.#processor.prepare(target));
        if (repair !== undefined) await this.#commitRepair(target, repair);
      } catch (error) {
        // Read the floor (and commit its repair) again with the partition's next batch.
        this.#floors.forget(key);
        this.#pauses.schedule(target, Number(first.offset), error, payload);
        return;
      }
    }

    const completed = await this.#run(payload, this.#floors.get(key));
    if (!completed) return;
    // Every record was handled. The batch may end in offsets with nothing to handle (transaction
    // markers, aborted records): move past them too, so the position (and the commit) reaches
    // the end of the partition, and tell readers waiting for that end.
    const end = batch.lastOffset();
    payload.resolveOffset(end);
    this.#onPosition?.(batch.topic, batch.partition, Number(end) + 1);
  }

  /** The batch's records through the reader's readBatch, or a partition task. */
  #run(payload: FetchedBatch, floor: number | undefined): Promise<boolean> {
    // A commit made within a long batch that failed stops it too: the rest is fetched again.
    const halted = (): boolean => this.#host.halted() || this.#failedCommits.failing;
    if (this.#readBatch !== undefined) {
      return runReaderBatch(payload, floor, {
        readBatch: this.#readBatch,
        handlers: this.#handlers,
        pauses: this.#pauses,
        halted,
      });
    }
    const { batch } = payload;
    const target = { topic: batch.topic, partition: batch.partition };
    const Task = this.#concurrency > 1 ? KeyedPartitionTask : PartitionTask;
    const task = new Task(target, payload, {
      output: new BatchOutput(this.#sink(target), this.#validate, {
        send: this.#processor.sendLate,
        logger: this.#logger,
      }),
      handle: this.#handle,
      handleBatch: this.#handleBatch,
      handlers: this.#handlers,
      concurrency: this.#concurrency,
      onRollback: this.#onRollback,
      pauses: this.#pauses,
      logger: this.#logger,
      afterCommit: () => this.#commitIfDue(payload),
    });
    return task.run(floor, halted);
  }

  /** Commits the partition's position again, alone in a transaction (see PartitionFloors). */
  async #commitRepair(target: TopicPartition, position: number): Promise<void> {
    // Counted as work: a revoke must not close the partition's producer under this commit.
    this.#handlers.enter();
    try {
      await this.#sink(target).commit(position);
    } finally {
      this.#handlers.leave();
    }
  }

  /** The processor's sink for the partition; its transactions' commits raise the floor. */
  #sink(target: TopicPartition): OutputSink {
    const sink = this.#processor.sink(target);
    if (!sink.transactional) return sink;
    const key = partitionKey(target);
    return {
      transactional: true,
      send: (entries) => sink.send(entries),
      commit: async (nextOffset) => {
        await sink.commit(nextOffset);
        this.#floors.committed(key, nextOffset);
      },
      abort: () => sink.abort(),
    };
  }

  async #commitIfDue(payload: FetchedBatch): Promise<void> {
    if (this.#processor.consumerCommits && Date.now() - this.#lastCommit >= COMMIT_INTERVAL_MS) {
      await this.#commit(payload);
    }
  }

  async #revokeForRebalance(payload: FetchedBatch): Promise<void> {
    this.#host.beginRevoke();
    await this.#handlers.whenIdle();
    if (this.#processor.consumerCommits) await this.#commit(payload);
    await this.#host.revoke();
  }

  /** Commits every resolved offset of the member; a failure holds new records (see above). */
  async #commit(payload: FetchedBatch): Promise<void> {
    const offsets = payload.uncommittedOffsets();
    // Nothing resolved beyond the committed offsets (also after joining again): nothing at risk.
    if (offsets.topics.length === 0) {
      this.#commitsWork();
      return;
    }
    try {
      await payload.commitOffsetsIfNecessary(offsets);
      this.#lastCommit = Date.now();
      this.#commitsWork();
    } catch (error) {
      this.#failedCommits.failed(error);
    }
  }
}
