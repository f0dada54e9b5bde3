import type { Producer } from 'kafkajs';

import type { Logger } from '../../logging/logger';
import { ActivityCounter } from '../activity-counter';
import { ProducerIdRenewal } from '../producer-id-renewal';
import type { KafkaSender } from './kafka-records';

interface Slot {
  readonly producer: Producer;
  readonly topics: Set<string>;
  readonly active: ActivityCounter;
}

/**
 * The transport's one idempotent producer, swapped for a fresh one (in-flight sends finish on the
 * old one first) in two cases:
 * - The transport deleted a topic this producer wrote to: kafkajs keeps refreshing metadata for
 *   every topic a producer has written to and fails all sends once one of them is deleted.
 * - A send failed: it may have been written unanswered, and a fresh producer's new producer id
 *   starts the sequence numbers again (see ../producer-id-renewal.ts).
 */
export class KafkaSharedProducer {
  readonly #create: () => Producer;
  readonly #logger: Logger;
  #slot: Slot;
  readonly #renewal = new ProducerIdRenewal(() => this.#replace());
  /** Replaced producers still finishing their sends, then disconnecting. */
  readonly #retiring = new Set<Promise<void>>();

  constructor(create: () => Producer, logger: Logger) {
    this.#create = create;
    this.#logger = logger;
    this.#slot = newSlot(create());
  }

  connect(): Promise<void> {
    return this.#slot.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.#renewal.settled();
    const slot = this.#slot;
    await slot.active.whenIdle();
    await Promise.all([slot.producer.disconnect(), ...this.#retiring]);
  }

  use<T>(
    topics: string | readonly string[],
    send: (sender: KafkaSender) => Promise<T>,
  ): Promise<T> {
    return this.#renewal.run(async () => {
      const slot = this.#slot;
      if (typeof topics === 'string') slot.topics.add(topics);
      else for (const topic of topics) slot.topics.add(topic);
      slot.active.enter();
      try {
        return await send(slot.producer);
      } finally {
        slot.active.leave();
      }
    });
  }

  /** Call after topics were deleted: replaces the producer if it ever wrote to one of them. */
  async topicsDeleted(topics: readonly string[]): Promise<void> {
    if (!topics.some((topic) => this.#slot.topics.has(topic))) return;
    const { retired } = await this.#replace();
    await retired;
  }

  /**
   * Resolves once the fresh producer is in use, with the old one's retirement: it disconnects
   * when its sends have ended.
   */
  async #replace(): Promise<{ retired: Promise<void> }> {
    const fresh = newSlot(this.#create());
    try {
      await fresh.producer.connect();
    } catch (error) {
      await fresh.producer.disconnect().catch(() => undefined);
      throw error;
    }
    const old = this.#slot;
    this.#slot = fresh;
    const retired = old.active
      .whenIdle()
      .then(() => old.producer.disconnect())
      .catch((error: unknown) => {
        this.#logger.warn('disconnecting the replaced producer failed', { error });
      })
      .finally(() => this.#retiring.delete(retired));
    this.#retiring.add(retired);
    return { retired };
  }
}

function newSlot(producer: Producer): Slot {
  return { producer, topics: new Set(), active: new ActivityCounter() };
}
