import type { Producer } from 'kafkajs';

import type { Logger } from '../../logging/logger';
import { ActivityCounter } from '../activity-counter';
import type { KafkaSender } from './kafka-records';

interface Slot {
  readonly producer: Producer;
  readonly topics: Set<string>;
  readonly active: ActivityCounter;
}

/**
 * The transport's one idempotent producer. kafkajs keeps refreshing metadata for every topic a
 * producer has written to and fails all sends once one of them is deleted, so when the transport
 * deletes a topic this producer wrote to, it swaps in a fresh producer (in-flight sends finish
 * on the old one first).
 */
export class KafkaSharedProducer {
  readonly #create: () => Producer;
  readonly #logger: Logger;
  #slot: Slot;

  constructor(create: () => Producer, logger: Logger) {
    this.#create = create;
    this.#logger = logger;
    this.#slot = newSlot(create());
  }

  connect(): Promise<void> {
    return this.#slot.producer.connect();
  }

  async disconnect(): Promise<void> {
    const slot = this.#slot;
    await slot.active.whenIdle();
    await slot.producer.disconnect();
  }

  async use<T>(
    topics: string | readonly string[],
    send: (sender: KafkaSender) => Promise<T>,
  ): Promise<T> {
    const slot = this.#slot;
    if (typeof topics === 'string') slot.topics.add(topics);
    else for (const topic of topics) slot.topics.add(topic);
    slot.active.enter();
    try {
      return await send(slot.producer);
    } finally {
      slot.active.leave();
    }
  }

  /** Call after topics were deleted: replaces the producer if it ever wrote to one of them. */
  async topicsDeleted(topics: readonly string[]): Promise<void> {
    const old = this.#slot;
    if (!topics.some((topic) => old.topics.has(topic))) return;
    const fresh = newSlot(this.#create());
    await fresh.producer.connect();
    this.#slot = fresh;
    await old.active.whenIdle();
    await old.producer.disconnect().catch((error: unknown) => {
      this.#logger.warn('disconnecting the replaced producer failed', { error });
    });
  }
}

function newSlot(producer: Producer): Slot {
  return { producer, topics: new Set(), active: new ActivityCounter() };
}
