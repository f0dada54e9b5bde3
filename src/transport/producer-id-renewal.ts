import { ActivityCounter } from './activity-counter';

/**
 * Keeps an idempotent producer's sequence numbers in step with the broker's, on both clients.
 *
 * The client (kafkajs and @platformatic/kafka alike) numbers a send's records from each partition's sequence and moves that sequence only
 * when the broker answers. A send that fails may still have been written (its answer lost, its
 * request timed out): the broker moved its sequence, the client did not. The next send to that
 * partition then reuses the written send's numbers, and the broker either takes it for a retry of
 * that send — acknowledges it with the old offsets and drops its records, a silent loss — or
 * refuses it as out of order, and every later send to the partition with it.
 *
 * So after any failed send no send starts until the ones running have ended and the producer has
 * a new producer id (InitProducerId), whose sequences start again at 0. Its records' fate stays
 * unknown to the caller, who sends them again (at-least-once: they may now be in the log twice).
 */
export class ProducerIdRenewal {
  readonly #renew: () => Promise<unknown>;
  readonly #running = new ActivityCounter();
  #stale = false;
  #renewing: Promise<void> | undefined;

  /** `renew` gives the producer a new id and forgets its sequences (or swaps in a new producer). */
  constructor(renew: () => Promise<unknown>) {
    this.#renew = renew;
  }

  /** Runs `send` once the producer's sequences can be trusted; a rejection distrusts them. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    // A renewal that failed rejects its waiters; the next send tries again.
    while (this.#stale) await (this.#renewing ??= this.#renewWhenQuiet());
    this.#running.enter();
    try {
      return await send();
    } catch (error) {
      this.#stale = true;
      throw error;
    } finally {
      this.#running.leave();
    }
  }

  /** A renewal is under way or due (for tests). */
  get pending(): boolean {
    return this.#stale;
  }

  /** Settles once no renewal is under way (a failed one included). */
  async settled(): Promise<void> {
    await this.#renewing?.catch(() => undefined);
  }

  async #renewWhenQuiet(): Promise<void> {
    try {
      // Answers to sends still running would move the new id's sequences.
      await this.#running.whenIdle();
      await this.#renew();
      this.#stale = false;
    } finally {
      this.#renewing = undefined;
    }
  }
}
