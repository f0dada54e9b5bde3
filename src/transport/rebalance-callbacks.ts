import type { Logger } from '../logging/logger';
import { errorMessage } from './kafka/kafka-errors';
import type { SeekPartition, SubscriptionOptions, TopicPartition } from './transport';

/**
 * Runs a subscription's onAssigned / onRevoked and the steps around them one after another, in
 * order. An onRevoked that throws is logged and the rebalance goes on; an onAssigned that throws
 * is reported to the caller, which keeps its partitions paused (see assignment-gate.ts).
 */
export class RebalanceCallbacks {
  readonly #options: Pick<SubscriptionOptions, 'onAssigned' | 'onRevoked'>;
  readonly #logger: Logger;
  readonly #seek: SeekPartition;
  /** The chain; never rejects. */
  #chain: Promise<void> = Promise.resolve();

  constructor(
    options: Pick<SubscriptionOptions, 'onAssigned' | 'onRevoked'>,
    logger: Logger,
    seek: SeekPartition,
  ) {
    this.#options = options;
    this.#logger = logger;
    this.#seek = seek;
  }

  /** Settles once every step queued so far has run. */
  get settled(): Promise<void> {
    return this.#chain;
  }

  enqueue(step: () => Promise<void>): Promise<void> {
    this.#chain = this.#chain.then(step).catch((error: unknown) => {
      this.#logger.error('subscription callback chain failed', { error: errorMessage(error) });
    });
    return this.#chain;
  }

  /** onAssigned; false (logged at error) when it threw, so its partitions must not run yet. */
  async assigned(partitions: readonly TopicPartition[], attempt: number): Promise<boolean> {
    const callback = this.#options.onAssigned;
    if (callback === undefined) return true;
    try {
      await callback(
        partitions.map((partition) => ({ ...partition })),
        this.#seek,
      );
      return true;
    } catch (error) {
      this.#logger.error('onAssigned failed; its partitions stay paused until it succeeds', {
        error: errorMessage(error),
        partitions: partitionsText(partitions),
        attempt,
      });
      return false;
    }
  }

  async revoked(partitions: readonly TopicPartition[]): Promise<void> {
    const callback = this.#options.onRevoked;
    if (callback === undefined) return;
    try {
      await callback(partitions.map((partition) => ({ ...partition })));
    } catch (error) {
      this.#logger.error('onRevoked failed; processing continues', {
        error: errorMessage(error),
        partitions: partitionsText(partitions),
      });
    }
  }
}

function partitionsText(partitions: readonly TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}[${p.partition}]`).join(', ');
}
