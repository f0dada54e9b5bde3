/**
 * One fetched batch of one partition, as the partition tasks and the batch loop see it. It is
 * the part of kafkajs' EachBatchPayload they use (kafkajs hands its payload over as it is) and
 * what the platformatic subscription builds from its own fetches, so both clients share the
 * record path above the fetch.
 */

/** Header bytes as a client delivers them: an array when a name repeats, in order. */
export type FetchedHeaders = Readonly<
  Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>
>;

export interface FetchedMessage {
  /**
   * A decimal string as kafkajs gives it (offsets may exceed 2^53 in principle), or a number
   * where the client's offset fits one exactly (@platformatic/kafka, below 2^53).
   */
  readonly offset: string | number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: FetchedHeaders;
  /** Epoch ms, as a decimal string (kafkajs) or a number. */
  readonly timestamp: string | number;
}

export interface FetchedRecords {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly FetchedMessage[];
  /** Offset of the first message; null when the batch is empty. */
  firstOffset(): string | null;
  /** The last offset the fetch moved past (it may be a transaction marker, not a message). */
  lastOffset(): string;
}

/** Next offsets per partition, as a commit carries them. */
export interface CommitOffsets {
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

export interface FetchedBatch {
  readonly batch: FetchedRecords;
  /** The records up to `offset` are done: the consumer's position moves past it. */
  resolveOffset(offset: string): void;
  /** Keeps the group membership alive during a long batch; may reject on a rebalance. */
  heartbeat(): Promise<void>;
  /** False once the consumer stops. */
  isRunning(): boolean;
  /** True once the batch's partition was revoked or sought elsewhere. */
  isStale(): boolean;
  /** Stops fetching the batch's partition until the returned function is called. */
  pause(): () => void;
  /** The resolved offsets of the member not committed yet. */
  uncommittedOffsets(): CommitOffsets;
  commitOffsetsIfNecessary(offsets: CommitOffsets): Promise<void>;
}
