/**
 * One Transport subscription = one kafkajs consumer (one group member).
 *
 * Processing loop (kafkajs eachBatch, eachBatchAutoResolve off, autoCommit off)
 * - kafkajs hands over one batch per partition; up to `partitionsConsumedConcurrently` batches run
 *   at once, and a partition never has two batches in flight, so records of a partition are
 *   handled one at a time in offset order while partitions run concurrently.
 * - A record's offset is resolved only after its handler resolved; kafkajs' fetch position is the
 *   resolved offset, so an unresolved record is fetched again.
 * - At-least-once commits are explicit: at the end of every batch, at most every second inside a
 *   long batch, before onRevoked on a rebalance, and before leaving the group on stop. Each commit
 *   carries every resolved offset of the member (kafkajs' uncommittedOffsets()).
 * - A rejecting handler is never rethrown into kafkajs (whose crash/restart loop would swallow
 *   it). The batch stops at that record, so later records of the batch are not handled, its
 *   offset stays unresolved (the next fetch starts at it), and the partition is paused for a capped
 *   exponential backoff; when the timer resumes it, the same record is delivered again. Other
 *   partitions keep going meanwhile.
 * - Exactly-once subscriptions commit inside the handler's transaction instead (see
 *   exactly-once-processor.ts); the consumer only moves its position.
 *
 * Rebalance callbacks (kafkajs uses the eager protocol: every rebalance revokes everything)
 * - onRevoked: a member learns about a rebalance from a heartbeat error. When that happens while
 *   batches run, the batch that sees it stops the others from starting new records, waits for the
 *   running handlers, commits, awaits onRevoked and only then lets the error reach kafkajs, which
 *   re-joins after every batch has finished; so onRevoked completes before this member re-joins.
 *   A member that was idle learns it in kafkajs' fetch loop; there onRevoked starts from kafkajs'
 *   REBALANCING event and runs while the member re-joins (nothing is in flight or uncommitted).
 * - onAssigned: started from kafkajs' GROUP_JOIN event (emitted once the new assignment is known,
 *   before fetching); every batch awaits it before handling a record, so it completes before any
 *   record of the new assignment is handled. Callbacks run one after another, in order.
 * - A callback that throws is logged; processing continues.
 *
 * stop(): stop starting records, wait for running batches (each commits at its end), await
 * onRevoked, then disconnect the consumer, which stops fetching and leaves the group.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { redeliveryDelayMs } from '../redelivery-backoff';
import type {
  DeliveredRecord,
  Subscription,
  SubscriptionOptions,
  TopicPartition,
} from '../transport';
import { ActivityCounter } from './activity-counter';
import { coPartitionAssigner, fromAssignment } from './co-partition-assigner';
import type { ResolvedKafkaConfig } from './kafka-config';
import { errorMessage, isAssignmentLostError, toTransportError } from './kafka-errors';
import { partitionKey, toDeliveredRecord } from './kafka-records';
import type { RecordProcessor } from './record-processor';

const COMMIT_INTERVAL_MS = 1_000;

export interface KafkaSubscriptionDeps {
  readonly kafka: Kafka;
  readonly options: SubscriptionOptions;
  readonly config: ResolvedKafkaConfig;
  readonly processor: RecordProcessor;
  /** Already bound to the group id. */
  readonly logger: Logger;
  /** Called once the subscription has stopped (the transport forgets it). */
  readonly onStopped: () => void;
  /** Called when kafkajs crashed the consumer and will not restart it. */
  readonly onFatalCrash?: (error: Error) => void;
}

interface Redelivery {
  readonly offset: number;
  readonly attempt: number;
  readonly retryAt: number;
}

interface PausedPartition {
  readonly timer: NodeJS.Timeout;
  readonly resume: () => void;
}

type Payload = EachBatchPayload;

export class KafkaSubscription implements Subscription {
  readonly groupId: string;
  readonly #options: SubscriptionOptions;
  readonly #config: ResolvedKafkaConfig;
  readonly #processor: RecordProcessor;
  readonly #logger: Logger;
  readonly #onStopped: () => void;
  readonly #onFatalCrash: ((error: Error) => void) | undefined;
  readonly #consumer: Consumer;

  readonly #batches = new ActivityCounter();
  readonly #handlers = new ActivityCounter();
  readonly #redeliveries = new Map<string, Redelivery>();
  readonly #paused = new Map<string, PausedPartition>();
  /** Per partition of the current assignment: records below this offset are already done. */
  readonly #floors = new Map<string, number | undefined>();

  #assignment: readonly TopicPartition[] = [];
  /** onAssigned ran (or is queued) for #assignment and onRevoked has not been queued yet. */
  #assignmentActive = false;
  /** The callback chain; never rejects. */
  #callbacks: Promise<void> = Promise.resolve();
  /** Settles once onAssigned of the current assignment has run. */
  #assignedReady: Promise<void> = Promise.resolve();
  #revoking = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;
  #lastCommit = Date.now();
  readonly #joined = deferred();
  /** The member fetched once: kafkajs has resolved its start positions (offsetReset). */
  readonly #fetched = deferred();

  constructor(deps: KafkaSubscriptionDeps) {
    this.#options = deps.options;
    this.groupId = deps.options.groupId;
    this.#config = deps.config;
    this.#processor = deps.processor;
    this.#logger = deps.logger;
    this.#onStopped = deps.onStopped;
    this.#onFatalCrash = deps.onFatalCrash;
    const { consumer } = deps.config;
    this.#consumer = deps.kafka.consumer({
      groupId: this.groupId,
      partitionAssigners: [coPartitionAssigner],
      allowAutoTopicCreation: false,
      // read_committed: aborted transactional writes are never delivered.
      readUncommitted: false,
      sessionTimeout: consumer.sessionTimeoutMs,
      heartbeatInterval: consumer.heartbeatIntervalMs,
      rebalanceTimeout: consumer.rebalanceTimeoutMs,
      maxWaitTimeInMs: consumer.maxWaitTimeMs,
    });
  }

  /**
   * Joins the group; resolves once the first assignment is known, onAssigned has run and (for
   * offsetReset "latest") the start positions are fixed.
   */
  async start(): Promise<void> {
    const consumer = this.#consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#onGroupJoin(fromAssignment(payload.memberAssignment));
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.#revoking = true;
      void this.#revoke();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#onCrash(payload.error, payload.restart);
    });
    consumer.on(consumer.events.FETCH, () => this.#fetched.resolve());
    // kafkajs skips eachBatch for a batch that held only control records (transaction markers)
    // or aborted records, but still moves its position past them; report that move.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize !== 0) return;
      this.#options.onPosition?.(payload.topic, payload.partition, Number(payload.lastOffset) + 1);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...this.#options.topics],
        fromBeginning: this.#options.offsetReset === 'earliest',
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.#config.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.#eachBatch(payload),
      });
      await this.#joined.promise;
      await this.#assignedReady;
      if (this.#options.offsetReset === 'latest') {
        // kafkajs looks up "the end" of partitions without a committed offset in its first fetch,
        // not when joining; without this wait a record produced right after subscribe() resolved
        // could fall before that end and be skipped.
        await this.#fetched.promise;
      }
    } catch (error) {
      this.#stopping = true;
      await consumer.disconnect().catch(() => undefined);
      await this.#processor.close();
      this.#onStopped();
      throw toTransportError(error, `subscribe group "${this.groupId}" to ${this.#topicsText()}`);
    }
  }

  assignment(): readonly TopicPartition[] {
    return this.#assignment.map((partition) => ({ ...partition }));
  }

  seek(topic: string, partition: number, offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TransportError(
        `Kafka: cannot seek ${topic}[${partition}] to ${String(offset)}: use a whole number >= 0 (e.g. from startOffsets or offsetsForTimestamp).`,
        { retriable: false },
      );
    }
    if (this.#stopping) {
      throw new TransportError(
        `Kafka: cannot seek ${topic}[${partition}]: the subscription of group "${this.groupId}" is stopped.`,
        { retriable: false },
      );
    }
    const target = { topic, partition };
    if (!this.#assignment.some((assigned) => partitionKey(assigned) === partitionKey(target))) {
      throw new TransportError(
        `Kafka: cannot seek ${topic}[${partition}]: it is not assigned to this member of group "${this.groupId}" (assigned: ${this.#assignmentText()}). Seek from onAssigned or from a handler of that partition.`,
        { retriable: false },
      );
    }
    try {
      this.#consumer.seek({ topic, partition, offset: String(offset) });
    } catch (error) {
      throw toTransportError(error, `seek ${topic}[${partition}] to ${offset}`);
    }
    const key = partitionKey(target);
    this.#redeliveries.delete(key);
    // An explicit seek wins over the exactly-once "already done" floor.
    this.#floors.set(key, undefined);
    this.#resumeNow(key);
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    for (const [key, paused] of this.#paused) {
      clearTimeout(paused.timer);
      this.#paused.delete(key);
    }
    await this.#batches.whenIdle();
    await this.#revoke();
    try {
      await this.#consumer.disconnect();
    } catch (error) {
      this.#logger.warn('disconnecting the consumer failed', { error: errorMessage(error) });
    }
    await this.#processor.close();
    const stopped = new TransportError('Kafka: subscription stopped.', { retriable: false });
    this.#joined.reject(stopped);
    this.#fetched.reject(stopped);
    this.#onStopped();
  }

  // ---- group membership -------------------------------------------------------------------

  #onGroupJoin(partitions: readonly TopicPartition[]): void {
    // Normally the previous assignment was revoked when the rebalance was noticed; a join
    // without that (first join, kafkajs re-joining on its own) ends it here.
    void this.#revoke();
    this.#revoking = false;
    this.#floors.clear();
    this.#assignment = partitions;
    this.#logger.info('partitions assigned', { partitions: this.#assignmentText() });
    if (this.#stopping) return;
    this.#assignmentActive = true;
    this.#assignedReady = this.#enqueue(() => this.#callback('onAssigned', partitions));
    this.#joined.resolve();
  }

  /** Ends the current assignment: onRevoked, then release per-partition resources. Idempotent. */
  #revoke(): Promise<void> {
    if (!this.#assignmentActive) return this.#callbacks;
    this.#assignmentActive = false;
    const revoked = this.#assignment;
    this.#assignment = [];
    this.#redeliveries.clear();
    for (const key of [...this.#paused.keys()]) this.#resumeNow(key);
    return this.#enqueue(async () => {
      await this.#callback('onRevoked', revoked);
      await this.#processor.release(revoked).catch((error: unknown) => {
        this.#logger.warn('releasing revoked partitions failed', { error: errorMessage(error) });
      });
    });
  }

  #onCrash(error: Error, restart: boolean): void {
    void this.#revoke();
    if (restart) {
      this.#logger.warn('consumer crashed; kafkajs restarts it', { error: errorMessage(error) });
      return;
    }
    this.#logger.error('consumer crashed and kafkajs will not restart it', {
      error: errorMessage(error),
      topics: this.#topicsText(),
    });
    this.#joined.reject(error);
    this.#fetched.reject(error);
    this.#onFatalCrash?.(error);
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    this.#callbacks = this.#callbacks.then(step).catch((error: unknown) => {
      this.#logger.error('subscription callback chain failed', { error: errorMessage(error) });
    });
    return this.#callbacks;
  }

  async #callback(name: 'onAssigned' | 'onRevoked', partitions: readonly TopicPartition[]) {
    const callback = this.#options[name];
    if (callback === undefined) return;
    try {
      await callback(partitions.map((partition) => ({ ...partition })));
    } catch (error) {
      this.#logger.error(`${name} failed; processing continues`, {
        error: errorMessage(error),
        partitions: partitions.map((p) => `${p.topic}[${p.partition}]`).join(', '),
      });
    }
  }

  // ---- the processing loop ------------------------------------------------------------------

  async #eachBatch(payload: Payload): Promise<void> {
    this.#batches.enter();
    try {
      await this.#processBatch(payload);
    } catch (error) {
      if (isAssignmentLostError(error)) await this.#revokeForRebalance(payload);
      // kafkajs re-joins on rebalance errors and retries (or restarts) on broker errors.
      throw error;
    } finally {
      if (this.#processor.consumerCommits) await this.#commit(payload);
      this.#batches.leave();
    }
  }

  async #processBatch(payload: Payload): Promise<void> {
    const { batch } = payload;
    const target = { topic: batch.topic, partition: batch.partition };
    const key = partitionKey(target);
    if (this.#halted()) return;
    await this.#assignedReady;
    if (this.#halted() || this.#backingOff(key, payload)) return;
    const first = batch.messages[0];
    if (first === undefined) return;

    let floor: number | undefined;
    if (this.#floors.has(key)) {
      floor = this.#floors.get(key);
    } else {
      try {
        floor = await this.#processor.prepare(target);
      } catch (error) {
        this.#scheduleRedelivery(target, Number(first.offset), error, payload);
        return;
      }
      this.#floors.set(key, floor);
    }

    for (const message of batch.messages) {
      if (this.#halted() || !payload.isRunning() || payload.isStale()) return;
      const record = toDeliveredRecord(batch.topic, batch.partition, message);
      if (floor !== undefined && record.offset < floor) {
        payload.resolveOffset(message.offset);
        continue;
      }
      const failure = await this.#handle(record);
      if (failure !== undefined) {
        this.#scheduleRedelivery(target, record.offset, failure.error, payload);
        return;
      }
      this.#redeliveries.delete(key);
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
      if (this.#processor.consumerCommits && Date.now() - this.#lastCommit >= COMMIT_INTERVAL_MS) {
        await this.#commit(payload);
      }
    }
    // Every record was handled. The batch may end in offsets with nothing to handle (transaction
    // markers, aborted records): move past them too, so the position (and the commit) reaches
    // the end of the partition, and tell readers waiting for that end.
    const end = batch.lastOffset();
    payload.resolveOffset(end);
    this.#options.onPosition?.(batch.topic, batch.partition, Number(end) + 1);
  }

  async #handle(record: DeliveredRecord): Promise<{ error: unknown } | undefined> {
    this.#handlers.enter();
    try {
      await this.#processor.process(record);
      return undefined;
    } catch (error) {
      return { error };
    } finally {
      this.#handlers.leave();
    }
  }

  /** New records may not start: the subscription stops or the assignment is being revoked. */
  #halted(): boolean {
    return this.#stopping || this.#revoking;
  }

  async #revokeForRebalance(payload: Payload): Promise<void> {
    this.#revoking = true;
    await this.#handlers.whenIdle();
    if (this.#processor.consumerCommits) await this.#commit(payload);
    await this.#revoke();
  }

  /** Commits every resolved offset of the member; failures only mean redelivery later. */
  async #commit(payload: Payload): Promise<void> {
    const offsets = payload.uncommittedOffsets();
    if (offsets.topics.length === 0) return;
    try {
      await payload.commitOffsetsIfNecessary(offsets);
      this.#lastCommit = Date.now();
    } catch (error) {
      this.#logger.warn('committing offsets failed; those records may be delivered again', {
        error: errorMessage(error),
      });
    }
  }

  // ---- redelivery ---------------------------------------------------------------------------

  #scheduleRedelivery(
    target: TopicPartition,
    offset: number,
    error: unknown,
    payload: Payload,
  ): void {
    const key = partitionKey(target);
    const previous = this.#redeliveries.get(key);
    const attempt = previous?.offset === offset ? previous.attempt + 1 : 1;
    const delayMs = redeliveryDelayMs(attempt, this.#config.redelivery);
    this.#redeliveries.set(key, { offset, attempt, retryAt: Date.now() + delayMs });
    this.#logger.warn('handler failed; the record will be delivered again', {
      topic: target.topic,
      partition: target.partition,
      offset,
      attempt,
      retryInMs: delayMs,
      error: errorMessage(error),
    });
    this.#pauseFor(key, delayMs, payload);
  }

  /** A batch arrived while its partition still waits for a redelivery (e.g. after a restart). */
  #backingOff(key: string, payload: Payload): boolean {
    const pending = this.#redeliveries.get(key);
    if (pending === undefined) return false;
    const remaining = pending.retryAt - Date.now();
    if (remaining <= 0) return false;
    this.#pauseFor(key, remaining, payload);
    return true;
  }

  #pauseFor(key: string, delayMs: number, payload: Payload): void {
    const existing = this.#paused.get(key);
    if (existing !== undefined) clearTimeout(existing.timer);
    const resume = payload.pause();
    const timer = setTimeout(() => this.#resumeNow(key), delayMs);
    this.#paused.set(key, { timer, resume });
  }

  #resumeNow(key: string): void {
    const paused = this.#paused.get(key);
    if (paused === undefined) return;
    clearTimeout(paused.timer);
    this.#paused.delete(key);
    paused.resume();
  }

  #topicsText(): string {
    return this.#options.topics.map((topic) => `"${topic}"`).join(', ');
  }

  #assignmentText(): string {
    return this.#assignment.length === 0
      ? 'none'
      : this.#assignment.map((p) => `${p.topic}[${p.partition}]`).join(', ');
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are observed by start(); this keeps an unobserved one from being "unhandled".
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
