import type { Consumer } from '@platformatic/kafka';

import type { Logger } from '../../logging/logger';
import type { CommitOffsets, FetchedBatch } from '../fetched-batch';
import { errorMessage } from '../kafka/kafka-errors';
import { partitionKey } from '../partition-key';
import type { OffsetReset, SubscriptionOptions, TopicPartition } from '../transport';
import type { PartitionPositions } from './partition-positions';
import { platformaticErrorType } from './platformatic-errors';
import { type FetchFrom, type FetchRequests, fetchRequests } from './platformatic-fetch-requests';
import { lastFetchedOffset, toFetchedMessages } from './platformatic-records';

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** ListOffsets' special timestamps. */
const LATEST = -1n;
const EARLIEST = -2n;

/** A fetch's answers, and what they were asked with. */
interface Fetched extends Pick<FetchRequests, 'names' | 'from'> {
  /** The assignment generation the fetch was sent in. */
  readonly generation: number;
  readonly responses: readonly FetchResponse[];
}

/** What the loop needs from the subscription that owns the group membership. */
export interface FetchLoopHost {
  readonly consumer: Consumer;
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
 * only after the previous round (and its commits) ended. Only the next round's fetch goes out
 * early, while a round's batches run (see readAhead).
 */
export class PlatformaticFetchLoop {
  readonly #host: FetchLoopHost;
  #wake: (() => void) | undefined;
  /** The next round's fetch, sent while the current round's batches run (never rejects). */
  #ahead: Promise<Fetched | undefined> | undefined;
  #done: Promise<void> | undefined;

  constructor(host: FetchLoopHost) {
    this.#host = host;
  }

  start(): void {
    this.#done ??= this.#loop();
  }

  /** Resolves once the loop has ended (after stopping() turned true). */
  finished(): Promise<void> {
    return this.#done ?? Promise.resolve();
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

  /**
   * One fetch's batches, run; false when there was nothing to fetch. The fetch is the read-ahead
   * the previous round sent, when it is still of the current assignment and not failed.
   */
  async #round(): Promise<boolean> {
    const host = this.#host;
    const generation = host.generation();
    let fetched = await this.#takeAhead(generation);
    if (fetched === undefined) {
      const targets = host
        .assignment()
        .filter(
          (target) => !host.waiting(target) && host.positions.fetchable(target) !== undefined,
        );
      if (targets.length === 0) return false;
      fetched = await this.#fetch(
        targets.map((target) => ({ target, offset: host.positions.fetchable(target) })),
        host.maxWaitTimeMs,
      );
    }
    if (generation !== host.generation() || host.halted()) return true;
    const batches = this.#batches(fetched, generation);
    if (batches.length > 0) this.#readAhead(batches);
    await runLimited(batches, host.concurrency, (batch) => host.run(batch));
    return true;
  }

  /** The read-ahead, if one was sent; undefined when it failed or the assignment changed since. */
  async #takeAhead(generation: number): Promise<Fetched | undefined> {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    const fetched = ahead === undefined ? undefined : await ahead;
    return fetched?.generation === generation ? fetched : undefined;
  }

  /**
   * Sends the next round's fetch while this round's batches run, so the broker reads and sends
   * it meanwhile (the Java consumer prefetches the same way): each partition from after its
   * batch's last record, as if the batch succeeds. It does not wait at the broker for records
   * (an empty answer ends reading ahead), and a partition whose batch stops short, or that is
   * paused, sought or revoked meanwhile, has its records dropped and fetched again.
   */
  #readAhead(batches: readonly FetchedBatch[]): void {
    const host = this.#host;
    if (host.stopping() || host.halted()) return;
    const after = new Map<string, bigint>();
    for (const { batch } of batches) {
      after.set(partitionKey(batch), BigInt(batch.lastOffset()) + 1n);
    }
    const requests = host
      .assignment()
      .filter((target) => !host.waiting(target))
      .map((target) => ({
        target,
        offset: after.get(partitionKey(target)) ?? host.positions.fetchable(target),
      }));
    this.#ahead = this.#fetch(requests, 0).catch((error: unknown) => {
      host.logger.debug('reading ahead failed; fetching again', { error: errorMessage(error) });
      return undefined;
    });
  }

  /** One fetch per leader of the partitions, each from its offset (none when undefined). */
  async #fetch(requests: readonly FetchFrom[], maxWaitTime: number): Promise<Fetched> {
    const host = this.#host;
    const generation = host.generation();
    const topics = [...new Set(requests.map(({ target }) => target.topic))];
    const metadata = await host.consumer.metadata({ topics });
    const { byLeader, names, from } = fetchRequests(metadata, requests);
    const responses = await Promise.all(
      [...byLeader].map(([node, topicRequests]) =>
        host.consumer.fetch({ node, topics: topicRequests, maxWaitTime }),
      ),
    );
    return { generation, responses, names, from };
  }

  /**
   * The fetched records of each partition from its position on, as batches. A partition paused
   * meanwhile, or fetched from past its position (a read-ahead whose batch stopped short), gets
   * none: it is fetched again from its position.
   */
  #batches(fetched: Fetched, generation: number): FetchedBatch[] {
    const host = this.#host;
    const batches: FetchedBatch[] = [];
    for (const response of fetched.responses) {
      for (const { topicId, partitions } of response.responses) {
        const topic = fetched.names.get(topicId);
        if (topic === undefined) continue;
        for (const { partitionIndex: partition, records, abortedTransactions } of partitions) {
          const target = { topic, partition };
          const from = host.positions.fetchable(target);
          const fetchedFrom = fetched.from.get(partitionKey(target));
          if (from === undefined || fetchedFrom === undefined || fetchedFrom > from) continue;
          if (host.waiting(target)) continue;
          const last = lastFetchedOffset(records ?? []);
          if (last === undefined || last < from) continue;
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
