/**
 * One Transport subscription on @platformatic/kafka = one Consumer (one group member, classic
 * protocol, the co-partitioning assignor; or a KIP-848 member, see consumer-protocol.ts) and one
 * fetch loop (platformatic-fetch-loop.ts) feeding the record path shared with KafkaTransport.
 *
 * Rebalances are eager, as with kafkajs: when the client learns of one (a heartbeat answered
 * REBALANCE_IN_PROGRESS) no new record starts, and onRevoked runs once the running handlers
 * finished and committed; the new assignment's onAssigned runs after it, before any of its
 * records. Unlike kafkajs, the client re-joins at once rather than after the batches ended.
 * With groupProtocol "consumer" a rebalance is incremental: only the partitions that move are
 * revoked (onRevoked) or added (onAssigned); the others keep running. A classic member that
 * lost its group for good (coordinator-loss.ts) is replaced by its owner (onFatal).
 */
import type { Consumer } from '@platformatic/kafka';

import type { Logger } from '../../logging/logger';
import { AssignmentGate } from '../assignment-gate';
import type { RecordCheck } from '../batch-output';
import type { CommitOffsets } from '../fetched-batch';
import { KafkaBatchLoop } from '../kafka/kafka-batch-loop';
import { errorMessage } from '../kafka/kafka-errors';
import { partitionKey } from '../partition-key';
import { RebalanceCallbacks } from '../rebalance-callbacks';
import type { RecordProcessor } from '../record-processor';
import { RedeliveryPauses } from '../redelivery-pauses';
import { assertSeekable, assignmentText } from '../seek-check';
import type { Subscription, SubscriptionOptions, TopicPartition } from '../transport';
import { clientConnectionPool } from './client-connection-pool';
import { consumerProtocol, unsupportedConsumerProtocol } from './consumer-protocol';
import { watchGroupLoss } from './coordinator-loss';
import { PartitionPositions } from './partition-positions';
import { fromGroupAssignments } from './platformatic-assigner';
import { platformaticPrincipal, type ResolvedPlatformaticConfig } from './platformatic-config';
import { commitEntries, groupConsumer, joinClassicGroup } from './platformatic-consumer';
import { toPlatformaticTransportError } from './platformatic-errors';
import { PlatformaticFetchLoop } from './platformatic-fetch-loop';
import type { GroupMembership, MembershipHold } from './platformatic-transactions';

export interface PlatformaticSubscriptionDeps {
  readonly options: SubscriptionOptions;
  readonly config: ResolvedPlatformaticConfig;
  readonly processor: RecordProcessor;
  readonly validate: RecordCheck;
  /** Already bound to the group id. */
  readonly logger: Logger;
  readonly onStopped: () => void;
  readonly onFatal?: (error: Error) => void;
}

export class PlatformaticSubscription implements Subscription {
  readonly groupId: string;
  readonly #options: SubscriptionOptions;
  readonly #config: ResolvedPlatformaticConfig;
  readonly #processor: RecordProcessor;
  readonly #logger: Logger;
  readonly #onStopped: () => void;
  readonly #onFatal: PlatformaticSubscriptionDeps['onFatal'];
  readonly #consumer: Consumer;
  readonly #positions = new PartitionPositions();
  readonly #pauses: RedeliveryPauses;
  readonly #callbacks: RebalanceCallbacks;
  readonly #gate: AssignmentGate;
  readonly #batches: KafkaBatchLoop;
  readonly #fetcher: PlatformaticFetchLoop;
  /** Set with groupProtocol "consumer" (KIP-848), instead of the classic join. */
  readonly #kip848: ReturnType<typeof consumerProtocol> | undefined;

  #assignment: readonly TopicPartition[] = [];
  #generation = 0;
  #classicHold: MembershipHold | undefined;
  #assignmentActive = false;
  #assignedReady: Promise<void> = Promise.resolve();
  #revoking = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(deps: PlatformaticSubscriptionDeps) {
    const { options, config, logger } = deps;
    this.#options = options;
    this.groupId = options.groupId;
    this.#config = config;
    this.#processor = deps.processor;
    this.#logger = logger;
    this.#onStopped = deps.onStopped;
    this.#onFatal = deps.onFatal;
    this.#pauses = new RedeliveryPauses(config.redeliveryBackoff, logger);
    this.#callbacks = new RebalanceCallbacks(options, logger, this.seek.bind(this));
    // The fetch loop skips partitions the gate holds; a resume only has to wake it.
    this.#gate = new AssignmentGate({
      callbacks: this.#callbacks,
      backoff: config.redeliveryBackoff,
      pause: () => undefined,
      resume: () => this.#fetcher.wake(),
    });
    this.#batches = new KafkaBatchLoop({
      processor: deps.processor,
      handle: options.handle,
      handleBatch: options.handleBatch,
      readBatch: options.readBatch,
      concurrency: options.concurrency ?? 1,
      onRollback: options.onRollback,
      validate: deps.validate,
      pauses: this.#pauses,
      logger,
      onPosition: options.onPosition,
      host: {
        halted: () => this.#stopping || this.#revoking,
        assigned: () => this.#assignedReady,
        waiting: (key) => this.#waiting(key),
        beginRevoke: () => {
          // A KIP-848 member learns of a lost assignment from its heartbeat, not from a batch.
          if (this.#kip848 === undefined) this.#revoking = true;
        },
        revoke: () => (this.#kip848 === undefined ? this.#revoke() : Promise.resolve()),
      },
    });
    this.#consumer = groupConsumer(config, this.groupId);
    this.#fetcher = new PlatformaticFetchLoop({
      consumer: this.#consumer,
      connections: clientConnectionPool(config, 'consumer'),
      positions: this.#positions,
      offsetReset: options.offsetReset,
      maxWaitTimeMs: config.consumer.maxWaitTimeMs,
      concurrency: config.partitionsConsumedConcurrently,
      logger,
      onPosition: options.onPosition,
      stopping: () => this.#stopping,
      halted: () => this.#stopping || this.#revoking,
      assignment: () => this.#current(),
      generation: () => this.#generation,
      assigned: () => this.#assignedReady,
      waiting: (target) => this.#waiting(partitionKey(target)),
      commit: (offsets) => this.#commit(offsets),
      run: (batch) =>
        this.#kip848 === undefined
          ? this.#batches.eachBatch(batch)
          : this.#kip848.incremental.run(batch.batch, () => this.#batches.eachBatch(batch)),
    });
    this.#kip848 =
      config.groupProtocol === 'consumer'
        ? consumerProtocol({
            groupId: this.groupId,
            topics: options.topics,
            config,
            consumer: this.#consumer,
            positions: this.#positions,
            batches: () => this.#batches,
            pauses: this.#pauses,
            callbacks: this.#callbacks,
            processor: this.#processor,
            logger,
            wake: () => this.#fetcher.wake(),
          })
        : undefined;
  }

  /**
   * Joins the group; resolves once the first assignment is known, its onAssigned has run and
   * the start positions are fixed (so a record produced after it is not skipped by "latest").
   */
  async start(): Promise<void> {
    const consumer = this.#consumer;
    consumer.on('consumer:group:join', ({ assignments }) => {
      this.#onGroupJoin(fromGroupAssignments(assignments));
    });
    consumer.on('consumer:group:rebalance', () => {
      this.#revoking = true;
      void this.#revoke();
    });
    watchGroupLoss(consumer, {
      classic: this.#kip848 === undefined,
      logger: this.#logger,
      onLost: (error) => this.#onFatal?.(error),
    });
    try {
      for (const topic of this.#options.topics) consumer.topics.track(topic);
      if (this.#kip848 === undefined) {
        await joinClassicGroup(consumer, this.groupId, this.#config, {
          logger: this.#logger,
          stopped: () => this.#stopping,
        });
        await this.#assignedReady;
      } else {
        await this.#kip848.member.join();
        await this.#callbacks.settled;
      }
      await this.#fetcher.startPositions();
      this.#fetcher.start();
    } catch (error) {
      this.#stopping = true;
      await this.#kip848?.member.leave();
      await this.#fetcher.stop();
      await consumer.close().catch(() => undefined);
      await this.#processor.close();
      this.#onStopped();
      const topics = this.#options.topics.map((topic) => `"${topic}"`).join(', ');
      const action = `subscribe group "${this.groupId}" to ${topics}`;
      if (this.#kip848 !== undefined) unsupportedConsumerProtocol(error, this.groupId);
      throw toPlatformaticTransportError(error, action, platformaticPrincipal(this.#config));
    }
  }

  assignment(): readonly TopicPartition[] {
    return this.#current().map((partition) => ({ ...partition }));
  }

  /** What an exactly-once batch of `partition` starting now commits its offsets with. */
  membership(partition: TopicPartition): MembershipHold | undefined {
    return this.#kip848?.hold(partition) ?? this.#classicHold;
  }

  seek(topic: string, partition: number, offset: number): void {
    assertSeekable({
      topic,
      partition,
      offset,
      groupId: this.groupId,
      stopped: this.#stopping,
      assignment: this.#current(),
    });
    const target = { topic, partition };
    const key = partitionKey(target);
    this.#positions.seek(target, offset);
    this.#batches.dropFloor(key);
    this.#pauses.forget(key);
    this.#fetcher.wake();
  }

  stop(): Promise<void> {
    return (this.#stopped ??= this.#stop());
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    this.#processor.halt();
    this.#pauses.cancelTimers();
    this.#gate.close();
    await this.#fetcher.stop();
    await this.#batches.whenIdle();
    await (this.#kip848 === undefined ? this.#revoke() : this.#kip848.leave());
    try {
      await this.#consumer.close();
    } catch (error) {
      this.#logger.warn('closing the consumer failed', { error: errorMessage(error) });
    }
    await this.#processor.close();
    this.#onStopped();
  }

  #onGroupJoin(partitions: readonly TopicPartition[]): void {
    void this.#revoke();
    this.#generation++;
    this.#revoking = false;
    this.#batches.clearFloors();
    this.#positions.clear();
    this.#assignment = partitions;
    const consumer = this.#consumer;
    const membership: GroupMembership = {
      consumer,
      generationId: consumer.generationId,
      memberId: consumer.memberId ?? '',
    };
    this.#classicHold = { current: () => membership };
    this.#logger.info('partitions assigned', { partitions: assignmentText(this.#assignment) });
    if (this.#stopping) return;
    this.#assignmentActive = true;
    this.#assignedReady = this.#callbacks.enqueue(() => this.#gate.open(partitions));
    this.#fetcher.wake();
  }

  /** Ends the current assignment: onRevoked, then release per-partition resources. Idempotent. */
  #revoke(): Promise<void> {
    if (!this.#assignmentActive) return this.#callbacks.settled;
    this.#assignmentActive = false;
    const revoked = this.#assignment;
    this.#pauses.releaseAll();
    this.#gate.end();
    return this.#callbacks.enqueue(async () => {
      await this.#batches.whenWorkIdle();
      await this.#callbacks.revoked(revoked);
      await this.#processor.release(revoked).catch((error: unknown) => {
        this.#logger.warn('releasing revoked partitions failed', { error: errorMessage(error) });
      });
    });
  }

  async #commit(offsets: CommitOffsets): Promise<void> {
    if (this.#kip848 !== undefined) return this.#kip848.member.commit(offsets);
    const entries = commitEntries(offsets);
    if (entries.length > 0) await this.#consumer.commit({ offsets: entries });
  }

  #current(): readonly TopicPartition[] {
    return this.#kip848?.incremental.assignment() ?? this.#assignment;
  }

  #waiting(key: string): boolean {
    return this.#kip848?.incremental.waiting(key) ?? this.#gate.waiting(key);
  }
}
