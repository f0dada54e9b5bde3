import type { Logger } from '../../logging/logger';
import type { SubscriptionOptions, TopicPartition } from '../transport';
import { errorMessage } from './kafka-errors';

/**
 * Runs a subscription's onAssigned / onRevoked and the steps around them one after another, in
 * order. A callback that throws is logged and processing continues.
 */
export class RebalanceCallbacks {
  readonly #options: Pick<SubscriptionOptions, 'onAssigned' | 'onRevoked'>;
  readonly #logger: Logger;
  /** The chain; never rejects. */
  #chain: Promise<void> = Promise.resolve();

  constructor(options: Pick<SubscriptionOptions, 'onAssigned' | 'onRevoked'>, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
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

  async run(name: 'onAssigned' | 'onRevoked', partitions: readonly TopicPartition[]) {
    const callback = this.#options[name];
    if (callback === undefined) return;
    try {
      await callback(partitions.map((partition) => ({ ...partition })));
    } catch (error) {
      this.#logger.error(`${name} failed; processing continues`, {
        error: errorMessage(error),
        partitions: partitions.map((p) => `${p.topic}[${p.partition}]`).join(', '),
      });
    }
  }
}
