import type { ConnectionPool, Consumer } from '@platformatic/kafka';

import type { Logger } from '../../logging/logger';
import type { CommitOffsets, FetchedBatch } from '../fetched-batch';
import { errorMessage } from '../kafka/kafka-errors';
import { partitionKey } from '../partition-key';
import type { OffsetReset, SubscriptionOptions, TopicPartition } from '../transport';
import { FetchConnections } from './fetch-connections';
import type { PartitionPositions } from './partition-positions';
import { platformaticErrorType } from './platformatic-errors';
import { lastFetchedOffset, toFetchedMessages } from './platformatic-records';

type FetchRequestTopic = Parameters<Consumer['fetch']>[0]['topics'][number];
type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** ListOffsets' special timestamps. */
const LATEST = -1n;
const EARLIEST = -2n;
/** The most a fetch asks per partition (Java's max.partition.fetch.bytes). */
const PARTITION_MAX_BYTES = 1024 * 1024;

/** What the loop needs from the subscription that owns the group membership. */
export interface FetchLoopHost {
  readonly consumer: Consumer;
  /** Where fetches go (not the consumer's own connections; see FetchConnections); closed by stop(). */
  readonly connections: ConnectionPool;
  readonly positions: PartitionPositions;
  readonly offsetReset: OffsetReset;
  readonly maxWaitTimeMs: number;
  /** Batches handled at once (the partitions of one fetch beyond it wait). */
  readonly concurrency: number;
  readonly logger: Logger;
  readonly onPosition: SubscriptionOptions['onPosition'];
  /** The subscription stops: the loop ends after the batches it runs. */
  stopping(): boolean;
  /** Records may not start (a revoke or a stop is under way): nothing is fetched. */
  halted(): boolean;
  assignment(): readonly TopicPartition[];
  generation(): number;
  /** Settles once onAssigned of the current assignment has run. */
  assigned(): Promise<void>;
  /** The partition waits for its onAssigned to succeed. */
  waiting(target: TopicPartition): boolean;
  commit(offsets: CommitOffsets): Promise<void>;
  /** Runs one fetched batch through the shared record path. */
  run(batch: FetchedBatch): Promise<void>;
}

/**
 * The member's fetch loop: fetch the assigned, unpaused partitions from their leaders, hand each
 * partition's records to the record path as one batch, and fetch again from where the batches
 * resolved (an unresolved record is fetched again, as with kafkajs). One round at a time: a
 * partition never has two batches in flight, and a new assignment starts from committed offsets
 * only after the previous round (and its commits) ended.
 */
export class PlatformaticFetchLoop {
  readonly #host: FetchLoopHost;
  readonly #connections: FetchConnections;
  #wake: (() => void) | undefined;
  #done: Promise<void> | undefined;

  constructor(host: FetchLoopHost) {
    this.#host = host;
    this.#connections = new FetchConnections(host.connections);
  }

  start(): void {
    this.#done ??= this.#loop();
  }

  /**
   * Resolves once the loop has ended, after the batches it runs (the caller set stopping() first),
   * and its connections are closed. A fetch waiting at the broker is given up: what it would bring
   * could not be handled, and closing its connection ends it now, not after maxWaitTimeMs.
   */
  async stop(): Promise<void> {
    const closed = this.#connections.close().catch((error: unknown) => {
      this.#host.logger.warn('closing the fetch connections failed', {
        error: errorMessage(error),
      });
    });
    this.wake();
    await this.#done;
    await closed;
  }

  /** Ends an idle wait early: a partition resumed, an assignment arrived, a stop began. */
  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Fixes the start positions of the assigned partitions that have none (committed or reset). */
  async startPositions(): Promise<void> {
    const generation = this.#host.generation();
    const missing = this.#host.assignment().filter((target) => !this.#host.positions.has(target));
    if (missing.length === 0) return;
    const topics = groupByTopic(missing);
    const { consumer } = this.#host;
    const committed = await consumer.listCommittedOffsets({
      topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
    });
    const reset = await consumer.listOffsets({
      topics: [...topics.keys()],
      timestamp: this.#host.offsetReset === 'earliest' ? EARLIEST : LATEST,
    });
    if (generation !== this.#host.generation()) return;
    // A partition revoked meanwhile (incremental rebalance) must not get a position: its
    // position would be committed over its next owner's.
    const assigned = new Set(this.#host.assignment().map(partitionKey));
    for (const target of missing) {
      if (!assigned.has(partitionKey(target))) continue;
      const done = committed.get(target.topic)?.[target.partition];
      const start = reset.get(target.topic)?.[target.partition] ?? 0n;
      const hasCommit = done !== undefined && done >= 0n;
      this.#host.positions.start(target, hasCommit ? done : start, hasCommit ? done : undefined);
    }
  }

  async #loop(): Promise<void> {
    const host = this.#host;
    while (!host.stopping()) {
      try {
        await host.assigned();
        if (host.halted()) {
          await this.#idle();
          continue;
        }
        await this.startPositions();
        if (!(await this.#round())) await this.#idle();
      } catch (error) {
        if (host.stopping()) break;
        host.logger.warn('fetching records failed; trying again', { error: errorMessage(error) });
        if (platformaticErrorType(error) === 'OFFSET_OUT_OF_RANGE') host.positions.clear();
        host.consumer.clearMetadata();
        await this.#idle();
      }
    }
  }

  /** One fetch from every leader and its batches; false when there was nothing to fetch. */
  async #round(): Promise<boolean> {
    const host = this.#host;
    const generation = host.generation();
    const targets = host
      .assignment()
      .filter((target) => !host.waiting(target) && host.positions.fetchable(target) !== undefined);
    if (targets.length === 0) return false;
    const topics = [...new Set(targets.map((target) => target.topic))];
    const metadata = await host.consumer.metadata({ topics });
    const byLeader = new Map<number, FetchRequestTopic[]>();
    const names = new Map<string, string>();
    for (const target of targets) {
      const topic = metadata.topics.get(target.topic);
      const partition = topic?.partitions[target.partition];
      const fetchOffset = host.positions.fetchable(target);
      if (topic === undefined || partition === undefined || fetchOffset === undefined) continue;
      names.set(topic.id, target.topic);
      const requests = byLeader.get(partition.leader) ?? [];
      byLeader.set(partition.leader, requests);
      requests.push({
        topicId: topic.id,
        partitions: [
          {
            partition: target.partition,
            fetchOffset,
            partitionMaxBytes: PARTITION_MAX_BYTES,
            currentLeaderEpoch: partition.leaderEpoch,
            lastFetchedEpoch: -1,
          },
        ],
      });
    }
    await this.#connections.open(metadata.brokers, [...byLeader.keys()]);
    const fetched = Promise.all(
      [...byLeader].map(([node, requests]) =>
        host.consumer.fetch({
          node,
          topics: requests,
          maxWaitTime: host.maxWaitTimeMs,
          connectionPool: this.#connections.pool,
        }),
      ),
    );
    const responses = await this.#connections.unlessClosed(fetched);
    if (responses === undefined || generation !== host.generation() || host.halted()) return true;
    const batches = this.#batches(responses, names, generation);
    await runLimited(batches, host.concurrency, (batch) => host.run(batch));
    return true;
  }

  #batches(
    responses: readonly FetchResponse[],
    names: ReadonlyMap<string, string>,
    generation: number,
  ): FetchedBatch[] {
    const host = this.#host;
    const batches: FetchedBatch[] = [];
    for (const response of responses) {
      for (const { topicId, partitions } of response.responses) {
        const topic = names.get(topicId);
        if (topic === undefined) continue;
        for (const { partitionIndex: partition, records, abortedTransactions } of partitions) {
          const target = { topic, partition };
          const from = host.positions.next(target);
          const last = lastFetchedOffset(records ?? []);
          if (from === undefined || last === undefined || last < from) continue;
          const messages = toFetchedMessages(records ?? [], from, abortedTransactions);
          if (messages.length === 0) {
            // Only transaction markers or aborted records: move past them, tell readers.
            host.positions.advance(target, last + 1n);
            host.onPosition?.(topic, partition, Number(last + 1n));
            continue;
          }
          batches.push(
            host.positions.batch(target, messages, last, {
              running: () => !host.stopping(),
              generation,
              currentGeneration: () => host.generation(),
              commit: (offsets) => host.commit(offsets),
              wake: () => this.wake(),
            }),
          );
        }
      }
    }
    return batches;
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, this.#host.maxWaitTimeMs);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function groupByTopic(targets: readonly TopicPartition[]): Map<string, number[]> {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of targets) {
    topics.set(topic, [...(topics.get(topic) ?? []), partition]);
  }
  return topics;
}

async function runLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
