import type { Logger } from '../logging/logger';
import type { FetchedBatch } from './fetched-batch';
import { errorMessage } from './kafka/kafka-errors';
import { partitionKey } from './partition-key';
import { type RedeliveryBackoff, redeliveryDelayMs } from './redelivery-backoff';
import type { TopicPartition } from './transport';

interface Redelivery {
  readonly offset: number;
  readonly attempt: number;
  readonly retryAt: number;
}

interface PausedPartition {
  readonly timer: NodeJS.Timeout;
  readonly resume: () => void;
  /** Paused by hold, not for a redelivery: resumeHeld ends it early. */
  readonly held: boolean;
}

/**
 * The records of one consumer waiting to be delivered again, keyed by partition. A rejecting
 * handler is never rethrown into kafkajs (whose crash/restart loop would swallow it): the record's
 * partition is paused for a capped exponential backoff instead, and when the timer resumes it,
 * kafkajs fetches the same record again (its offset was never resolved).
 */
export class RedeliveryPauses {
  readonly #backoff: RedeliveryBackoff;
  readonly #logger: Logger;
  readonly #redeliveries = new Map<string, Redelivery>();
  readonly #paused = new Map<string, PausedPartition>();

  constructor(backoff: RedeliveryBackoff, logger: Logger) {
    this.#backoff = backoff;
    this.#logger = logger;
  }

  /** The handler of the record at `offset` rejected (or preparing its partition failed). */
  schedule(target: TopicPartition, offset: number, error: unknown, payload: FetchedBatch): void {
    const key = partitionKey(target);
    const previous = this.#redeliveries.get(key);
    const attempt = previous?.offset === offset ? previous.attempt + 1 : 1;
    const delayMs = redeliveryDelayMs(attempt, this.#backoff);
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

  /**
   * Holds the partition for `delayMs` without a redelivery of its own (its records wait for
   * something else, e.g. a commit to succeed): fetched again when the timer resumes it.
   */
  hold(target: TopicPartition, delayMs: number, payload: FetchedBatch): void {
    this.#pauseFor(partitionKey(target), delayMs, payload, true);
  }

  /** What the held partitions waited for happened: they resume now, not when their timers end. */
  resumeHeld(): void {
    for (const [key, paused] of [...this.#paused]) if (paused.held) this.resumeNow(key);
  }

  /** A batch arrived while its partition still waits for a redelivery (e.g. after a restart). */
  backingOff(key: string, payload: FetchedBatch): boolean {
    const pending = this.#redeliveries.get(key);
    if (pending === undefined) return false;
    const remaining = pending.retryAt - Date.now();
    if (remaining <= 0) return false;
    this.#pauseFor(key, remaining, payload);
    return true;
  }

  /** The wait before a record that failed `attempt` times runs again. */
  delayMs(attempt: number): number {
    return redeliveryDelayMs(attempt, this.#backoff);
  }

  /** A record of the partition was handled: its next failure starts the backoff afresh. */
  succeeded(key: string): void {
    this.#redeliveries.delete(key);
  }

  /** An explicit seek: the partition continues at once from its new position. */
  forget(key: string): void {
    this.#redeliveries.delete(key);
    this.resumeNow(key);
  }

  /** The assignment ends: nothing waits any more, and paused partitions are resumed. */
  releaseAll(): void {
    this.#redeliveries.clear();
    for (const key of [...this.#paused.keys()]) this.resumeNow(key);
  }

  /** The consumer stops: cancel the timers without resuming anything. */
  cancelTimers(): void {
    for (const [key, paused] of this.#paused) {
      clearTimeout(paused.timer);
      this.#paused.delete(key);
    }
  }

  resumeNow(key: string): void {
    const paused = this.#paused.get(key);
    if (paused === undefined) return;
    clearTimeout(paused.timer);
    this.#paused.delete(key);
    paused.resume();
  }

  #pauseFor(key: string, delayMs: number, payload: FetchedBatch, held = false): void {
    const existing = this.#paused.get(key);
    if (existing !== undefined) clearTimeout(existing.timer);
    const resume = payload.pause();
    const timer = setTimeout(() => this.resumeNow(key), delayMs);
    this.#paused.set(key, { timer, resume, held });
  }
}
