import type { Logger } from '../../logging/logger';
import { AssignmentGate } from '../assignment-gate';
import { coPartitionGapMessage, coPartitionGaps } from '../co-partition-check';
import type { CommitOffsets } from '../fetched-batch';
import { errorMessage } from '../kafka/kafka-errors';
import { partitionKey } from '../partition-key';
import type { RebalanceCallbacks } from '../rebalance-callbacks';
import type { RedeliveryBackoff } from '../redelivery-backoff';
import type { TopicPartition } from '../transport';
import type { GroupMemberHost } from './consumer-group-member';

export interface IncrementalAssignmentDeps {
  readonly groupId: string;
  readonly callbacks: RebalanceCallbacks;
  readonly backoff: RedeliveryBackoff;
  readonly logger: Logger;
  /** The broker-side assignor, named in the co-partitioning error. */
  readonly assignor: string;
  /** The resolved offsets of these partitions not committed yet, and their commit. */
  readonly uncommitted: (partitions: readonly TopicPartition[]) => CommitOffsets;
  readonly commit: (offsets: CommitOffsets) => Promise<void>;
  /** Forget what the record path keeps per partition (position, floor, backoff, output). */
  readonly release: (partitions: readonly TopicPartition[]) => Promise<void>;
  readonly partitionCounts: () => Promise<ReadonlyMap<string, number>>;
  /** Something the fetch loop waits on changed (partitions joined or became runnable). */
  readonly wake: () => void;
}

/**
 * The subscription's side of a KIP-848 member: partitions come and go one set at a time, and
 * only those are held. An added set waits for its onAssigned (and retries a failing one, as
 * AssignmentGate does for an eager assignment); a revoked set stops starting records, lets its
 * running batches end, commits, then runs onRevoked. The other partitions never wait.
 */
export class IncrementalAssignment implements GroupMemberHost {
  readonly #deps: IncrementalAssignmentDeps;
  #assignment: TopicPartition[] = [];
  /** Added, onAssigned not run yet; or being revoked. Either way: no record may start. */
  readonly #held = new Set<string>();
  readonly #gates = new Map<AssignmentGate, readonly TopicPartition[]>();
  /** Batches running per partition key. */
  readonly #running = new Map<string, Set<Promise<void>>>();
  #closed = false;

  constructor(deps: IncrementalAssignmentDeps) {
    this.#deps = deps;
  }

  assignment(): readonly TopicPartition[] {
    return this.#assignment;
  }

  waiting(key: string): boolean {
    if (this.#held.has(key)) return true;
    for (const gate of this.#gates.keys()) if (gate.waiting(key)) return true;
    return false;
  }

  /** Runs a batch of the record path, or skips it when its partition is held. */
  run(target: TopicPartition, batch: () => Promise<void>): Promise<void> {
    const key = partitionKey(target);
    if (this.waiting(key) || !this.#assignment.some((tp) => partitionKey(tp) === key)) {
      return Promise.resolve();
    }
    const running = this.#running.get(key) ?? new Set<Promise<void>>();
    this.#running.set(key, running);
    const done = batch().finally(() => {
      running.delete(done);
      if (running.size === 0) this.#running.delete(key);
    });
    running.add(done);
    return done;
  }

  assign(partitions: readonly TopicPartition[]): void {
    this.#assignment = [...this.#assignment, ...partitions];
    this.#deps.logger.info('partitions added', { partitions: text(partitions) });
    this.#open(partitions);
  }

  async revoke(partitions: readonly TopicPartition[], lost: boolean): Promise<void> {
    const keys = new Set(partitions.map(partitionKey));
    for (const key of keys) this.#held.add(key);
    this.#endGates(keys);
    await Promise.allSettled([...keys].flatMap((key) => [...(this.#running.get(key) ?? [])]));
    if (!lost) await this.#commit(partitions);
    await this.#deps.callbacks.enqueue(async () => {
      await this.#deps.callbacks.revoked(partitions);
      await this.#deps.release(partitions);
    });
    this.#assignment = this.#assignment.filter((tp) => !keys.has(partitionKey(tp)));
    for (const key of keys) this.#held.delete(key);
    this.#deps.logger.info(lost ? 'partitions lost' : 'partitions revoked', {
      partitions: text(partitions),
    });
  }

  settled(owned: readonly TopicPartition[]): void {
    this.#deps
      .partitionCounts()
      .then((counts) => {
        const gaps = coPartitionGaps(owned, counts);
        if (gaps.length === 0) return;
        const { groupId, assignor } = this.#deps;
        this.#deps.logger.error(coPartitionGapMessage(groupId, gaps, assignor), {
          partitions: text(owned),
        });
      })
      .catch((error: unknown) => {
        this.#deps.logger.warn('checking co-partitioning failed', { error: errorMessage(error) });
      });
  }

  /** The subscription stops: no onAssigned retry from now on. */
  close(): void {
    this.#closed = true;
    for (const gate of this.#gates.keys()) gate.close();
    this.#gates.clear();
  }

  #open(partitions: readonly TopicPartition[]): void {
    if (this.#closed || partitions.length === 0) return;
    const keys = partitions.map(partitionKey);
    for (const key of keys) this.#held.add(key);
    const gate = new AssignmentGate({
      callbacks: this.#deps.callbacks,
      backoff: this.#deps.backoff,
      pause: () => undefined,
      resume: () => this.#deps.wake(),
    });
    this.#gates.set(gate, partitions);
    void this.#deps.callbacks.enqueue(async () => {
      await gate.open(partitions);
      for (const key of keys) this.#held.delete(key);
      this.#deps.wake();
    });
  }

  /** Gates of revoked partitions stop; their other partitions still waiting get a new one. */
  #endGates(revoked: ReadonlySet<string>): void {
    for (const [gate, partitions] of [...this.#gates]) {
      if (!partitions.some((tp) => revoked.has(partitionKey(tp)))) {
        if (!partitions.some((tp) => gate.waiting(partitionKey(tp)))) this.#gates.delete(gate);
        continue;
      }
      const stillWaiting = partitions.filter(
        (tp) => !revoked.has(partitionKey(tp)) && gate.waiting(partitionKey(tp)),
      );
      gate.close();
      this.#gates.delete(gate);
      this.#open(stillWaiting);
    }
  }

  async #commit(partitions: readonly TopicPartition[]): Promise<void> {
    const offsets = this.#deps.uncommitted(partitions);
    if (offsets.topics.length === 0) return;
    try {
      await this.#deps.commit(offsets);
    } catch (error) {
      this.#deps.logger.warn(
        'committing revoked partitions failed; their next owner repeats those records',
        {
          error: errorMessage(error),
        },
      );
    }
  }
}

function text(partitions: readonly TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}[${p.partition}]`).join(', ');
}
