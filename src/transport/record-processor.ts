import type { OutputSink } from './batch-output';
import type { TopicRecords } from './kafka/kafka-records';
import type { TopicPartition } from './transport';

/** Where a subscription's handler outputs go and where its input offsets are committed. */
export interface RecordProcessor {
  /**
   * true: the consumer commits offsets itself once a batch's outputs are acknowledged
   * (at-least-once). false: the sink commits them in the outputs' transaction and the consumer
   * only moves on.
   */
  readonly consumerCommits: boolean;
  /**
   * Before the first record of `partition` in each assignment. Returns the group's committed
   * offset when records below it must be skipped (they were already processed), else undefined.
   */
  prepare(partition: TopicPartition): Promise<number | undefined>;
  /** Where the outputs of `partition`'s records go, until they are committed. */
  sink(partition: TopicPartition): OutputSink;
  /** Writes outputs that came after their batch was committed: acknowledged, no transaction. */
  readonly sendLate: SendFn;
  /** The partitions were revoked: drop what was kept for them. */
  release(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * The subscription is stopping: batches in flight still commit, but none waits any more for
   * what may take as long as the brokers are gone (the outcome of a commit whose answer was lost;
   * the partition's next holder settles it).
   */
  halt(): void;
  close(): Promise<void>;
}

export type SendFn = (entries: readonly TopicRecords[]) => Promise<void>;

/** At-least-once: outputs go to the shared idempotent producer; the consumer commits. */
export class AtLeastOnceProcessor implements RecordProcessor {
  readonly consumerCommits = true;
  readonly #sink: OutputSink;
  readonly sendLate: SendFn;

  constructor(send: SendFn) {
    this.sendLate = send;
    this.#sink = {
      transactional: false,
      send,
      commit: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    };
  }

  prepare(): Promise<number | undefined> {
    return Promise.resolve(undefined);
  }

  sink(): OutputSink {
    return this.#sink;
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  halt(): void {
    // Nothing waits on the brokers here beyond the send itself.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
