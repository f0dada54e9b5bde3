import { partitionKey } from './partition-key';
import type { RebalanceCallbacks } from './rebalance-callbacks';
import { type RedeliveryBackoff, redeliveryDelayMs } from './redelivery-backoff';
import type { TopicPartition } from './transport';

interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface AssignmentGateDeps {
  readonly callbacks: RebalanceCallbacks;
  readonly backoff: RedeliveryBackoff;
  /** consumer.pause / consumer.resume. */
  readonly pause: (topics: TopicPartitions[]) => void;
  readonly resume: (topics: TopicPartitions[]) => void;
}

/**
 * Keeps an assignment's partitions paused until its onAssigned succeeded. A rejected onAssigned
 * (a state restore that failed) means their state is not there: handling a record would run on
 * empty state. So they stay paused and onAssigned is tried again on the callback chain after the
 * redelivery backoff, until it succeeds (they resume) or the assignment ends (no more retries).
 */
export class AssignmentGate {
  readonly #deps: AssignmentGateDeps;
  /** Keys of the partitions waiting for onAssigned to succeed. */
  readonly #waiting = new Set<string>();
  #partitions: readonly TopicPartition[] = [];
  /** Bumped when an assignment ends: retries of an older one do nothing. */
  #generation = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: AssignmentGateDeps) {
    this.#deps = deps;
  }

  /** True while `key`'s partition waits for onAssigned: none of its records may run. */
  waiting(key: string): boolean {
    return this.#waiting.has(key);
  }

  /** Runs onAssigned once for a new assignment (on the chain); on failure pauses and retries. */
  async open(partitions: readonly TopicPartition[]): Promise<void> {
    const generation = this.#generation;
    if (await this.#deps.callbacks.assigned(partitions, 1)) return;
    if (generation !== this.#generation || this.#closed) return;
    this.#partitions = partitions;
    for (const partition of partitions) this.#waiting.add(partitionKey(partition));
    this.#deps.pause(byTopic(partitions));
    this.#schedule(generation, 2);
  }

  /** The assignment ends (revoked): stop retrying and resume what was paused for it. */
  end(): void {
    this.#generation++;
    this.#cancel();
    if (this.#waiting.size === 0) return;
    const paused = this.#partitions;
    this.#waiting.clear();
    this.#partitions = [];
    if (!this.#closed) this.#deps.resume(byTopic(paused));
  }

  /** The subscription stops: no retry from now on, nothing resumed. */
  close(): void {
    this.#closed = true;
    this.#generation++;
    this.#cancel();
  }

  #schedule(generation: number, attempt: number): void {
    const delayMs = redeliveryDelayMs(attempt - 1, this.#deps.backoff);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#deps.callbacks.enqueue(() => this.#retry(generation, attempt));
    }, delayMs);
  }

  async #retry(generation: number, attempt: number): Promise<void> {
    if (generation !== this.#generation || this.#closed) return;
    const partitions = this.#partitions;
    const succeeded = await this.#deps.callbacks.assigned(partitions, attempt);
    if (generation !== this.#generation || this.#closed) return;
    if (!succeeded) {
      this.#schedule(generation, attempt + 1);
      return;
    }
    this.#waiting.clear();
    this.#partitions = [];
    this.#deps.resume(byTopic(partitions));
  }

  #cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function byTopic(partitions: readonly TopicPartition[]): TopicPartitions[] {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    topics.set(topic, [...(topics.get(topic) ?? []), partition]);
  }
  return [...topics].map(([topic, numbers]) => ({ topic, partitions: numbers }));
}
