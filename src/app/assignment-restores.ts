import type { ReadinessCheck } from '../http/readiness-provider';
import type { TopicPartition } from '../transport/transport';

/**
 * Whether a service's partitions wait for their state: the transport keeps the partitions of a
 * failed onAssigned (a restore that failed) paused and tries again, and until one attempt
 * succeeds the service is not ready. Counts the failed attempts for operators.
 */
export class AssignmentRestores {
  readonly #service: string;
  #waiting: readonly TopicPartition[] = [];
  #lastError = '';
  #failedAttempts = 0;

  constructor(service: string) {
    this.#service = service;
  }

  get failedAttempts(): number {
    return this.#failedAttempts;
  }

  /** Runs one onAssigned attempt; a failure is remembered (and rethrown for the transport). */
  async attempt(
    partitions: readonly TopicPartition[],
    restore: () => Promise<void>,
  ): Promise<void> {
    try {
      await restore();
      this.#waiting = this.#waiting.filter((p) => !partitions.some((done) => same(p, done)));
    } catch (error) {
      const others = this.#waiting.filter((p) => !partitions.some((failed) => same(p, failed)));
      this.#waiting = [...others, ...partitions];
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.#failedAttempts++;
      throw error;
    }
  }

  /** The partitions were revoked (all of them, or the ones an incremental rebalance moved). */
  revoked(partitions: readonly TopicPartition[]): void {
    this.#waiting = this.#waiting.filter((p) => !partitions.some((gone) => same(p, gone)));
  }

  /** A readiness check once a restore has failed: not ready while partitions wait. */
  check(): ReadinessCheck | undefined {
    if (this.#failedAttempts === 0) return undefined;
    const waiting = this.#waiting.map((p) => `${p.topic}[${p.partition}]`).join(', ');
    const count = `failed restore attempt(s): ${this.#failedAttempts}`;
    return {
      name: `${this.#service} state restore`,
      ready: this.#waiting.length === 0,
      detail:
        this.#waiting.length === 0
          ? `restored; ${count}`
          : `${waiting} paused until their state is restored; ${count}; last error: ${this.#lastError}`,
    };
  }
}

function same(a: TopicPartition, b: TopicPartition): boolean {
  return a.topic === b.topic && a.partition === b.partition;
}
