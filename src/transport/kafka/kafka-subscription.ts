/**
 * One Transport subscription = one kafkajs consumer (one group member). The processing loop is in
 * kafka-batch-loop.ts, redelivery in redelivery-pauses.ts.
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
 * - An onAssigned that throws keeps its partitions paused and is retried (assignment-gate.ts);
 *   an onRevoked that throws is logged and the rebalance goes on.
 *
 * stop(): stop starting records, wait for running batches (each commits at its end), await
 * onRevoked, then disconnect the consumer, which stops fetching and leaves the group.
 */
import type { Consumer, Kafka } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { AssignmentGate } from '../assignment-gate';
import type { RecordCheck } from '../batch-output';
import { partitionKey } from '../partition-key';
import { RebalanceCallbacks } from '../rebalance-callbacks';
import type { RecordProcessor } from '../record-processor';
import { RedeliveryPauses } from '../redelivery-pauses';
import { assertSeekable, assignmentText } from '../seek-check';
import type { Subscription, SubscriptionOptions, TopicPartition } from '../transport';
import { coPartitionAssigner, fromAssignment } from './co-partition-assigner';
import { deferred } from './deferred';
import { KafkaBatchLoop } from './kafka-batch-loop';
import type { ResolvedKafkaConfig } from './kafka-config';
import { kafkaPrincipal } from './kafka-connection';
import { errorMessage, toTransportError } from './kafka-errors';

export interface KafkaSubscriptionDeps {
  readonly kafka: Kafka;
  readonly options: SubscriptionOptions;
  readonly config: ResolvedKafkaConfig;
  readonly processor: RecordProcessor;
  /** Checks handler outputs before they join a batch (unknown partition, malformed record). */
  readonly validate: RecordCheck;
  /** Already bound to the group id. */
  readonly logger: Logger;
  /** Called once the subscription has stopped (the transport forgets it). */
  readonly onStopped: () => void;
  /** Called when kafkajs crashed the consumer and will not restart it. */
  readonly onFatalCrash?: (error: Error) => void;
}

export class KafkaSubscription implements Subscription {
  readonly groupId: string;
  readonly #options: SubscriptionOptions;
  readonly #processor: RecordProcessor;
  readonly #logger: Logger;
  readonly #onStopped: () => void;
  readonly #onFatalCrash: ((error: Error) => void) | undefined;
  readonly #consumer: Consumer;
  readonly #config: ResolvedKafkaConfig;
  readonly #pauses: RedeliveryPauses;
  readonly #loop: KafkaBatchLoop;
  readonly #callbacks: RebalanceCallbacks;
  readonly #gate: AssignmentGate;

  #assignment: readonly TopicPartition[] = [];
  /** onAssigned ran (or is queued) for #assignment and onRevoked has not been queued yet. */
  #assignmentActive = false;
  /** Settles once onAssigned of the current assignment has run. */
  #assignedReady: Promise<void> = Promise.resolve();
  #revoking = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;
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
    this.#pauses = new RedeliveryPauses(deps.config.redelivery, deps.logger);
    this.#callbacks = new RebalanceCallbacks(deps.options, deps.logger, this.seek.bind(this));
    this.#gate = new AssignmentGate({
      callbacks: this.#callbacks,
      backoff: deps.config.redelivery,
      pause: (topics) => this.#consumer.pause(topics),
      resume: (topics) => this.#consumer.resume(topics),
    });
    this.#loop = new KafkaBatchLoop({
      processor: deps.processor,
      handle: deps.options.handle,
      handleBatch: deps.options.handleBatch,
      readBatch: deps.options.readBatch,
      concurrency: deps.options.concurrency ?? 1,
      onRollback: deps.options.onRollback,
      validate: deps.validate,
      pauses: this.#pauses,
      logger: deps.logger,
      onPosition: deps.options.onPosition,
      host: {
        halted: () => this.#stopping || this.#revoking,
        assigned: () => this.#assignedReady,
        waiting: (key) => this.#gate.waiting(key),
        beginRevoke: () => {
          this.#revoking = true;
        },
        revoke: () => this.#revoke(),
      },
    });
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
      // kafkajs decides to restart a crashed consumer after its own disconnect, which a stop can
      // share; the restart then undoes the stop and the consumer reconnects forever (a CI run
      // hung on one, retrying a cluster the test had stopped). No restart once stopping.
      retry: { retries: 5, restartOnFailure: () => Promise.resolve(!this.#stopping) },
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
    // kafkajs skips eachBatch for a batch of only control or aborted records, but moves past it.
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
        eachBatch: (payload) => this.#loop.eachBatch(payload),
      });
      await this.#joined.promise;
      await this.#assignedReady;
      if (this.#options.offsetReset === 'latest') {
        // kafkajs fixes "the end" of partitions without a committed offset at its first fetch,
        // not when joining: a record produced right after subscribe() resolved could be skipped.
        await this.#fetched.promise;
      }
    } catch (error) {
      this.#stopping = true;
      await consumer.disconnect().catch(() => undefined);
      await this.#processor.close();
      this.#onStopped();
      const action = `subscribe group "${this.groupId}" to ${this.#topicsText()}`;
      throw toTransportError(error, action, kafkaPrincipal(this.#config));
    }
  }

  assignment(): readonly TopicPartition[] {
    return this.#assignment.map((partition) => ({ ...partition }));
  }

  seek(topic: string, partition: number, offset: number): void {
    assertSeekable({
      topic,
      partition,
      offset,
      groupId: this.groupId,
      stopped: this.#stopping,
      assignment: this.#assignment,
    });
    const target = { topic, partition };
    try {
      this.#consumer.seek({ topic, partition, offset: String(offset) });
    } catch (error) {
      throw toTransportError(error, `seek ${topic}[${partition}] to ${offset}`);
    }
    const key = partitionKey(target);
    this.#loop.dropFloor(key);
    this.#pauses.forget(key);
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    this.#processor.halt();
    this.#pauses.cancelTimers();
    this.#gate.close();
    await this.#loop.whenIdle();
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
    this.#loop.clearFloors();
    this.#assignment = partitions;
    this.#logger.info('partitions assigned', { partitions: assignmentText(this.#assignment) });
    if (this.#stopping) return;
    this.#assignmentActive = true;
    this.#assignedReady = this.#callbacks.enqueue(() => this.#gate.open(partitions));
    this.#joined.resolve();
  }

  /** Ends the current assignment: onRevoked, then release per-partition resources. Idempotent. */
  #revoke(): Promise<void> {
    if (!this.#assignmentActive) return this.#callbacks.settled;
    this.#assignmentActive = false;
    const revoked = this.#assignment;
    this.#assignment = [];
    this.#pauses.releaseAll();
    this.#gate.end();
    return this.#callbacks.enqueue(async () => {
      // Batches still running stop at their next record (halted) and commit what they handled;
      // only then may onRevoked drop state and the processor close producers under them.
      await this.#loop.whenWorkIdle();
      await this.#callbacks.revoked(revoked);
      await this.#processor.release(revoked).catch((error: unknown) => {
        this.#logger.warn('releasing revoked partitions failed', { error: errorMessage(error) });
      });
    });
  }

  #onCrash(error: Error, restart: boolean): void {
    void this.#revoke();
    // A crash while stopping is not restarted (see the consumer's retry) and needs no replacing.
    if (this.#stopping) return;
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

  #topicsText(): string {
    return this.#options.topics.map((topic) => `"${topic}"`).join(', ');
  }
}
