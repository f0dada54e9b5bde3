import type { Subscription, Transport } from '../transport/transport';
import type { TopicDefinition } from '../topic/topic-definition';
import type { TopicKey } from '../topic/key-serde';
import type { Logger } from '../logging/logger';
import type { TopicValues } from '../schema/topic-values';
import { StreamwiseError } from '../errors/streamwise-error';
import type { MaterializedTable } from './materialized-table';

/**
 * Feeds a global table: every partition of its topic, on every instance. It reads with a consumer
 * group used by this one feeder only (a new id per start), from the earliest offset, so the view
 * is rebuilt from the log rather than resumed from an offset some other reader committed.
 * `start()` resolves once the table has caught up with the end offsets that existed at start.
 */
export class TableFeeder<K extends TopicKey, V> {
  readonly #topic: TopicDefinition<V, K>;
  readonly #table: MaterializedTable<K, V>;
  readonly #transport: Transport;
  readonly #groupId: string;
  readonly #logger: Logger;
  readonly #values: TopicValues;
  #subscription: Subscription | undefined;
  #target: number[] = [];
  /** Positions the transport reported past records that carry no row (markers, compaction). */
  readonly #reached = new Map<number, number>();
  #caughtUp: (() => void) | undefined;

  constructor(
    topic: TopicDefinition<V, K>,
    table: MaterializedTable<K, V>,
    transport: Transport,
    groupId: string,
    logger: Logger,
    values: TopicValues,
  ) {
    this.#topic = topic;
    this.#table = table;
    this.#transport = transport;
    this.#groupId = groupId;
    this.#logger = logger;
    this.#values = values;
  }

  /** True once every partition reached the end offset it had when the feeder started. */
  get ready(): boolean {
    return this.#target.every((end, partition) => this.#position(partition) >= end);
  }

  /** Per partition: end offset at start minus what has been applied (0 when caught up). */
  lag(): { partition: number; lag: number }[] {
    return this.#target.map((end, partition) => ({
      partition,
      lag: Math.max(0, end - this.#position(partition)),
    }));
  }

  async start(): Promise<void> {
    this.#target = await this.#transport.endOffsets(this.#topic.name);
    const caughtUp = new Promise<void>((resolve) => (this.#caughtUp = resolve));
    this.#subscription = await this.#transport.subscribe({
      groupId: this.#groupId,
      topics: [this.#topic.name],
      offsetReset: 'earliest',
      onPosition: (_topic, partition, nextOffset) => {
        this.#reached.set(partition, Math.max(nextOffset, this.#reached.get(partition) ?? 0));
        this.#checkCaughtUp();
      },
      handle: async (record) => {
        const topic = this.#topic as TopicDefinition;
        try {
          const read = await this.#values.decode(topic, record);
          const value = read.value === undefined ? undefined : this.#values.conform(topic, read);
          if (read.key !== undefined)
            this.#table.apply(
              read.key as K,
              value as V | undefined,
              record.partition,
              record.offset,
            );
        } catch (error) {
          // A registry that is down: leave the record for redelivery rather than skip it.
          if (error instanceof StreamwiseError && error.retriable) throw error;
          // Bad records are dead-lettered by the topic's consumers; a view just leaves them out.
          this.#logger.error('table left out a record it cannot read', {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            error,
          });
        }
        this.#checkCaughtUp();
      },
    });
    this.#checkCaughtUp();
    await caughtUp;
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
    this.#subscription = undefined;
  }

  #position(partition: number): number {
    return Math.max(
      this.#table.store.positions().get(partition) ?? 0,
      this.#reached.get(partition) ?? 0,
    );
  }

  #checkCaughtUp(): void {
    if (this.#caughtUp !== undefined && this.ready) {
      this.#caughtUp();
      this.#caughtUp = undefined;
    }
  }
}
