import { randomUUID } from 'node:crypto';

import { consumerGroupHeartbeatV1, offsetCommitV9 } from '@platformatic/kafka';

import type { Logger } from '../../logging/logger';
import type { CommitOffsets } from '../fetched-batch';
import { errorMessage } from '../kafka/kafka-errors';
import { partitionKey } from '../partition-key';
import type { TopicPartition } from '../transport';
import { type GroupCoordinatorLink, leaveConsumerGroup } from './group-coordinator-link';
import { platformaticErrorType } from './platformatic-errors';

/** What the member asks of the subscription while it reconciles its assignment. */
export interface GroupMemberHost {
  /**
   * Partitions leave the member: stop starting their records, let the running ones finish and
   * commit, run onRevoked. Only once it resolved does the broker hear they are free. `lost`: the
   * broker already gave them away (fenced), commits will be refused.
   */
  revoke(partitions: readonly TopicPartition[], lost: boolean): Promise<void>;
  /** Partitions join the member (onAssigned is the subscription's business). */
  assign(partitions: readonly TopicPartition[]): void;
  /** The member's assignment settled (nothing left to reconcile). */
  settled(owned: readonly TopicPartition[]): void;
}

export interface ConsumerGroupMemberDeps {
  readonly link: GroupCoordinatorLink;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly rebalanceTimeoutMs: number;
  /** The broker-side assignor ("range" keeps co-partitioned topics together). */
  readonly assignor: string;
  /** Topic id → name of the subscribed topics; `refresh` asks the broker again. */
  readonly topicNames: (refresh: boolean) => Promise<ReadonlyMap<string, string>>;
  readonly host: GroupMemberHost;
  readonly logger: Logger;
}

/** Errors after which the member starts over: the broker no longer knows it at this epoch. */
const FENCED = ['FENCED_MEMBER_EPOCH', 'UNKNOWN_MEMBER_ID'];
/** The coordinator moved or is loading: find it again and repeat. */
const COORDINATOR = [
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
];
const RETRY_MS = 1_000;

/**
 * One member of a KIP-848 consumer group (ConsumerGroupHeartbeat). The broker computes the
 * assignment; the member reconciles: partitions taken away are revoked first (their records
 * finish and commit) and only then reported as released, partitions given are added without
 * touching the others. So a rebalance stops only the partitions that move.
 */
export class ConsumerGroupMember {
  readonly #deps: ConsumerGroupMemberDeps;
  readonly #memberId = randomUUID();
  #epoch = 0;
  #fencings = 0;
  #intervalMs = RETRY_MS;
  #owned: TopicPartition[] = [];
  #target: TopicPartition[] | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #again = false;
  #reconciling: Promise<void> | undefined;
  #leaving = false;
  #joined: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(deps: ConsumerGroupMemberDeps) {
    this.#deps = deps;
  }

  get memberId(): string {
    return this.#memberId;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** How often the group fenced the member: what it held before the last one is lost. */
  get fencings(): number {
    return this.#fencings;
  }

  owned(): readonly TopicPartition[] {
    return this.#owned;
  }

  /** Joins; resolves once the first answer's assignment was taken in (rejects if refused). */
  join(): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => (this.#joined = { resolve, reject }));
    this.#beat();
    return joined;
  }

  /** Commits with the member's id and epoch (the broker refuses a stale or foreign member). */
  async commit(offsets: CommitOffsets, retried = false): Promise<void> {
    const topics = offsets.topics.map(({ topic, partitions }) => ({
      name: topic,
      partitions: partitions.map(({ partition, offset }) => ({
        partitionIndex: partition,
        committedOffset: BigInt(offset),
        committedLeaderEpoch: -1,
        committedMetadata: null,
      })),
    }));
    if (topics.length === 0) return;
    const { groupId, link } = this.#deps;
    try {
      const connection = await link.connection();
      await offsetCommitV9.api.async(
        connection,
        groupId,
        this.#epoch,
        this.#memberId,
        null,
        topics,
      );
    } catch (error) {
      const type = platformaticErrorType(error);
      if (COORDINATOR.includes(type ?? '')) link.forget();
      if (retried || (type !== 'STALE_MEMBER_EPOCH' && !COORDINATOR.includes(type ?? ''))) {
        throw error;
      }
      await this.commit(offsets, true);
    }
  }

  /** Leaves the group (epoch -1): the broker hands the partitions to others at once. */
  async leave(): Promise<void> {
    this.#leaving = true;
    clearTimeout(this.#timer);
    await this.#inFlight;
    await this.#reconciling;
    const { groupId, link } = this.#deps;
    try {
      await leaveConsumerGroup(await link.connection(), groupId, this.#memberId);
    } catch (error) {
      this.#deps.logger.warn('leaving the group failed; the broker drops the member later', {
        error: errorMessage(error),
      });
    }
    await link.close().catch(() => undefined);
  }

  /** A heartbeat now (or right after the one in flight). */
  #beat(): void {
    if (this.#leaving) return;
    clearTimeout(this.#timer);
    if (this.#inFlight !== undefined) {
      this.#again = true;
      return;
    }
    this.#inFlight = this.#heartbeat().finally(() => {
      this.#inFlight = undefined;
      if (this.#again) {
        this.#again = false;
        this.#beat();
      } else if (!this.#leaving) {
        this.#timer = setTimeout(() => this.#beat(), this.#intervalMs);
      }
    });
  }

  async #heartbeat(): Promise<void> {
    const { groupId, link, topics, rebalanceTimeoutMs, assignor } = this.#deps;
    try {
      const connection = await link.connection();
      const owned = await this.#byTopicId(this.#owned);
      const response = await consumerGroupHeartbeatV1.api.async(
        connection,
        groupId,
        this.#memberId,
        this.#epoch,
        null,
        null,
        rebalanceTimeoutMs,
        [...topics],
        null,
        assignor,
        owned,
      );
      if (this.#leaving) return;
      this.#epoch = response.memberEpoch;
      if (response.heartbeatIntervalMs > 0) this.#intervalMs = response.heartbeatIntervalMs;
      if (response.assignment !== null) {
        this.#target = await this.#byName(response.assignment.topicPartitions);
        this.#reconcile();
      } else if (this.#joined !== undefined && this.#epoch > 0) {
        this.#reconcile();
      }
    } catch (error) {
      await this.#failed(error);
    }
  }

  async #failed(error: unknown): Promise<void> {
    const type = platformaticErrorType(error) ?? '';
    if (this.#leaving) return;
    if (FENCED.includes(type)) {
      this.#fencings++;
      const message = 'the group fenced this member; its partitions are lost, joining again';
      this.#deps.logger.warn(message, { error: errorMessage(error) });
      const lost = this.#owned;
      this.#owned = [];
      this.#target = undefined;
      this.#epoch = 0;
      await this.#reconciling;
      if (lost.length > 0) await this.#deps.host.revoke(lost, true);
      this.#again = true;
      return;
    }
    if (COORDINATOR.includes(type) || type === '') this.#deps.link.forget();
    if (this.#joined !== undefined && !COORDINATOR.includes(type) && type !== '') {
      this.#joined.reject(error);
      this.#joined = undefined;
      this.#leaving = true;
      return;
    }
    this.#deps.logger.warn('the group heartbeat failed; trying again', {
      error: errorMessage(error),
    });
  }

  /** Moves the owned partitions to the target: revoke first, then add; one pass at a time. */
  #reconcile(): void {
    this.#reconciling ??= this.#reconcileAll().finally(() => {
      this.#reconciling = undefined;
    });
  }

  async #reconcileAll(): Promise<void> {
    for (;;) {
      const target = this.#target ?? this.#owned;
      const wanted = new Set(target.map(partitionKey));
      const held = new Set(this.#owned.map(partitionKey));
      const revoked = this.#owned.filter((tp) => !wanted.has(partitionKey(tp)));
      const added = target.filter((tp) => !held.has(partitionKey(tp)));
      if (revoked.length === 0 && added.length === 0) break;
      if (revoked.length > 0) {
        await this.#deps.host.revoke(revoked, false);
        this.#owned = this.#owned.filter((tp) => wanted.has(partitionKey(tp)));
      }
      if (added.length > 0) {
        this.#owned = [...this.#owned, ...added];
        this.#deps.host.assign(added);
      }
      // Tell the broker at once: released partitions go to their next owner without waiting.
      this.#beat();
    }
    this.#deps.host.settled(this.#owned);
    this.#joined?.resolve();
    this.#joined = undefined;
  }

  async #byTopicId(
    partitions: readonly TopicPartition[],
  ): Promise<{ topicId: string; partitions: number[] }[]> {
    if (partitions.length === 0) return [];
    const names = await this.#deps.topicNames(false);
    const ids = new Map([...names].map(([id, name]) => [name, id]));
    const byId = new Map<string, number[]>();
    for (const { topic, partition } of partitions) {
      const id = ids.get(topic);
      if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), partition]);
    }
    return [...byId].map(([topicId, numbers]) => ({ topicId, partitions: numbers }));
  }

  async #byName(
    assigned: readonly { topicId: string; partitions: number[] }[],
  ): Promise<TopicPartition[]> {
    let names = await this.#deps.topicNames(false);
    if (assigned.some(({ topicId }) => !names.has(topicId))) {
      names = await this.#deps.topicNames(true);
    }
    return assigned
      .flatMap(({ topicId, partitions }) => {
        const topic = names.get(topicId);
        return topic === undefined ? [] : partitions.map((partition) => ({ topic, partition }));
      })
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }
}
