import type {
  DeliveredRecord,
  OutgoingRecord,
  RecordOutput,
  SubscriptionOptions,
  TopicPartition,
} from '../transport';

/** How a subscription runs the handler for one record and where the record's offset is committed. */
export interface RecordProcessor {
  /**
   * true: the consumer commits offsets itself once records are handled (at-least-once).
   * false: `process` commits the offset (in a transaction) and the consumer only moves on.
   */
  readonly consumerCommits: boolean;
  /**
   * Before the first record of `partition` in each assignment. Returns the group's committed
   * offset when records below it must be skipped (they were already processed), else undefined.
   */
  prepare(partition: TopicPartition): Promise<number | undefined>;
  /** Runs the handler; rejects when the record must be delivered again (nothing was committed). */
  process(record: DeliveredRecord): Promise<void>;
  /** The partitions were revoked: drop what was kept for them. */
  release(partitions: readonly TopicPartition[]): Promise<void>;
  close(): Promise<void>;
}

export type ProduceFn = (topic: string, records: readonly OutgoingRecord[]) => Promise<unknown>;

/** At-least-once: handler outputs go straight to the shared idempotent producer. */
export class AtLeastOnceProcessor implements RecordProcessor {
  readonly consumerCommits = true;
  readonly #handle: SubscriptionOptions['handle'];
  readonly #output: RecordOutput;

  constructor(handle: SubscriptionOptions['handle'], produce: ProduceFn) {
    this.#handle = handle;
    this.#output = {
      produce: async (topic, records) => {
        await produce(topic, records);
      },
    };
  }

  prepare(): Promise<number | undefined> {
    return Promise.resolve(undefined);
  }

  process(record: DeliveredRecord): Promise<void> {
    return this.#handle(record, this.#output);
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
