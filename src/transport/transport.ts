/**
 * The one boundary between streamwise and a broker. Everything above it (dispatcher, publisher,
 * state) is written against this interface; `memory` and `kafka` implement it, and the transport
 * contract suite proves they behave alike.
 *
 * Keys and values cross this boundary as bytes: serialization happens once, above it, so the
 * bytes that are partitioned are exactly the bytes that are stored.
 */

/** Header values are UTF-8 strings; streamwise's own headers are all text. */
export type RecordHeaders = Record<string, string>;

/**
 * Headers as the bytes on the wire: one Buffer per name, or an array when a name repeats (in
 * order). What a dead-letter copy carries, so non-UTF-8 values and repeated names survive.
 */
export type RawHeaders = Readonly<Record<string, Buffer | readonly Buffer[]>>;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** cleanup.policy=compact: the broker keeps the latest record per key; a null value is a tombstone. */
  readonly compacted: boolean;
  /** Extra broker-level topic configs (Kafka config names), e.g. retention.ms. */
  readonly config?: Readonly<Record<string, string>>;
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  readonly compacted: boolean;
}

export interface OutgoingRecord {
  readonly key: Buffer | null;
  /** null is a tombstone on a compacted topic. */
  readonly value: Buffer | null;
  readonly headers?: RecordHeaders;
  /** Headers sent as these exact bytes (before `headers`; a name in both takes the text value). */
  readonly rawHeaders?: RawHeaders;
  /**
   * Event time in epoch ms; defaults to the transport clock's now. Kafka 4 brokers reject
   * timestamps more than message.timestamp.after.max.ms (default 1 hour) ahead of their clock.
   */
  readonly timestamp?: number;
  /** The partition chosen by the caller (streamwise always chooses, with the Java default partitioner). */
  readonly partition: number;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface DeliveredRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Each header's last value decoded as UTF-8 (what streamwise reads). */
  readonly headers: RecordHeaders;
  /**
   * The headers' bytes as delivered, repeated names included. Both transports fill it for records
   * whose headers are not all plain text (Kafka: always, as kafkajs hands them over); undefined
   * means `headers` is the whole truth.
   */
  readonly rawHeaders?: RawHeaders;
  readonly timestamp: number;
}

export interface ProduceOptions {
  /**
   * Send now and wait for the broker: resolves once the records (and every output buffered
   * before them on the same partition task) are acknowledged. With exactly-once they are sent in
   * the open transaction, so "acknowledged" still means "visible only if the transaction commits".
   */
  readonly flush?: boolean;
}

/**
 * What a handler writes while handling one record. Outputs join the partition task's pending
 * output and resolve at once; the transport sends a batch's outputs in as few produce requests as
 * it can and commits the input offsets only after they are acknowledged (at-least-once), or in
 * the batch's one transaction together with the input offsets (exactly-once). A failed send
 * means the records from the last committed offset on are delivered again.
 */
export interface RecordOutput {
  produce(
    topic: string,
    records: readonly OutgoingRecord[],
    options?: ProduceOptions,
  ): Promise<void>;
}

/**
 * Records of one partition handed to the subscriber together, in offset order (see
 * SubscriptionOptions.handleBatch). The subscriber runs them one after another and reports each
 * as it finishes; the transport commits what was reported, as it would after `handle` resolved.
 */
export interface RecordBatch {
  readonly records: readonly DeliveredRecord[];
  /** Where the handler of `record` writes: the same RecordOutput `handle` would get. */
  output(record: DeliveredRecord): RecordOutput;
  /**
   * `record`, the last one given an output, was handled (its outputs are final): the transport may
   * commit it. In offset order.
   */
  handled(record: DeliveredRecord): void;
  /**
   * True when the batch must end before its next record: the member stops, a seek, a revoke, or
   * (Kafka) the transport has work to do between records. Records not reported handled come again:
   * in the next batch, or redelivered.
   */
  halted(): boolean;
}

/** Moves an assigned partition's position: its next delivered record is at `offset`. */
export type SeekPartition = (topic: string, partition: number, offset: number) => void;

/** Where a group starts reading a partition for which it has no committed offset. */
export type OffsetReset = 'earliest' | 'latest';

export interface SubscriptionOptions {
  /** Consumer group; instances with the same group share the partitions. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly offsetReset: OffsetReset;
  /**
   * Called once per record, in offset order within a partition; partitions may run concurrently.
   * Resolving commits the record (at-least-once). Rejecting does NOT commit: the transport
   * delivers the same record again after a backoff, and the partition waits for it.
   */
  readonly handle: (record: DeliveredRecord, output: RecordOutput) => Promise<void>;
  /**
   * For a reader that writes nothing (a table view): the records of one fetched batch of one
   * partition at once, in offset order, instead of `handle` per record, so a restore of hundreds
   * of thousands of records costs a call per batch rather than a promise per record. It must do
   * what `handle` would do for each record in turn: the Kafka transports call it, the memory
   * transport calls `handle` (or `handleBatch`) instead. Resolving commits the whole batch; rejecting commits
   * none of it, and the batch is delivered again after a backoff, so the reader skips what it
   * had already applied. Not with `exactlyOnce` or `concurrency` above 1.
   */
  readonly readBatch?: (records: readonly DeliveredRecord[]) => Promise<void> | void;
  /**
   * Optional, the same work as `handle` for a batch of one partition's records: every transport
   * calls it instead of `handle` when `concurrency` is 1 (and there is no `readBatch`), so the
   * subscriber pays for one call and its own loop rather than a promise chain per record. The
   * memory transport hands over the records already in the log; the Kafka transports a fetched
   * batch, in RecordBatches that halt after about 10 ms of handling (or when the pending output
   * is full) so the transport can heartbeat and commit between them. It reports each handled
   * record (RecordBatch.handled) in offset order and stops when `halted()`. Rejecting means the
   * record after the last one reported was not handled: it is delivered again after a backoff,
   * as when `handle` rejects.
   */
  readonly handleBatch?: (batch: RecordBatch) => Promise<void>;
  /**
   * Read-process-write in transactions: the outputs of a batch and its input offsets commit together.
   * Kafka: transactional producers (kafkajs: one per input partition; @platformatic/kafka: one
   * per subscription, EOS v2) and read_committed.
   */
  readonly exactlyOnce?: boolean;
  /**
   * Records of a partition that may be handled at once (default 1: strictly one at a time). Above
   * 1, records with different keys run concurrently while records with equal keys (byte-equal,
   * null keys all equal) never overlap and run in offset order; a partition's offsets are
   * committed only below its lowest unfinished record.
   */
  readonly concurrency?: number;
  /**
   * After a rebalance, before any record of the new assignment is handled. Rebalances are eager
   * (kafkajs, the memory transport, @platformatic/kafka's classic protocol): every rebalance
   * revokes the whole assignment, then assigns the new one (possibly the same partitions). With
   * @platformatic/kafka's `groupProtocol: 'consumer'` (KIP-848) they are incremental: onRevoked
   * and onAssigned get only the partitions that move, so a caller keeping the whole assignment
   * adds and removes sets instead of replacing it. A callback that rejects (e.g. a state restore that failed) is logged at error
   * and its partitions stay paused: none of their records is delivered, and onAssigned is called
   * again for them after the redelivery backoff until it succeeds (they resume) or they are
   * revoked (onRevoked as usual, no more retries); stop() ends the retries at once.
   *
   * `seek` moves a partition of `partitions` to an offset the caller keeps itself (e.g. next to
   * data in a database): its first delivered record is the one at that offset, whatever the
   * group committed. It works on the first assignment too, before subscribe() has resolved.
   */
  readonly onAssigned?: (
    partitions: readonly TopicPartition[],
    seek: SeekPartition,
  ) => Promise<void> | void;
  /**
   * Called when the member's position on a partition moved past offsets that carried no record to
   * handle (transaction markers, aborted records, a compacted tail) or reached the end of the
   * partition. A reader that must know when it caught up with an end offset needs this: the last
   * record's offset + 1 can stay below the end offset forever.
   */
  readonly onPosition?: (topic: string, partition: number, nextOffset: number) => void;
  /**
   * The outputs of records handled on these partitions since their last commit could not be
   * written (or their transaction was aborted), so those records will be delivered again. State
   * the records changed in memory must be rolled back (e.g. restored from its changelog) before,
   * or redelivery would apply them twice. Never called by the memory transport, whose writes
   * cannot fail once validated.
   */
  readonly onRollback?: (partitions: readonly TopicPartition[]) => Promise<void> | void;
  /** Before partitions are taken away, after their in-flight records finished and were committed. */
  readonly onRevoked?: (partitions: readonly TopicPartition[]) => Promise<void> | void;
}

export interface Subscription {
  readonly groupId: string;
  /** Partitions currently assigned to this member. */
  assignment(): readonly TopicPartition[];
  /** Continue an assigned partition from `offset` once its in-flight record (if any) is done. */
  seek(topic: string, partition: number, offset: number): void;
  /**
   * Stop fetching, finish in-flight records, commit, leave the group. Idempotent. Waits for
   * running handlers, so do not await it from inside `handle`.
   */
  stop(): Promise<void>;
}

export interface Transport {
  readonly kind: 'memory' | 'kafka';
  /** How long start-up work waits for the broker (the Kafka option); undefined: no own limit. */
  readonly startupTimeoutMs?: number;
  connect(): Promise<void>;
  /** Disconnects producer, admin and every subscription still running (stopping them cleanly). */
  disconnect(): Promise<void>;

  /** Creates the topics that do not exist; existing ones are left as they are. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** undefined when the topic does not exist. */
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  listTopics(): Promise<string[]>;
  deleteTopics(names: readonly string[]): Promise<void>;

  /** Appends in order; resolves once the records are durable (acks=all on Kafka). */
  produce(topic: string, records: readonly OutgoingRecord[]): Promise<RecordMetadata[]>;

  subscribe(options: SubscriptionOptions): Promise<Subscription>;

  /**
   * Per partition (index = partition), the end a read_committed reader reaches: the last stable
   * offset, which is the log end (high watermark) unless a transaction is still open there.
   */
  endOffsets(topic: string): Promise<number[]>;
  /**
   * Per partition, the log end (high watermark), records of transactions not yet ended included:
   * where a restore of a changelog reads to. A transaction's commit answers before its commit
   * markers are written, and until they are the read_committed end stops before its records; a
   * restore that ended there would start its task without writes that are committed. A
   * read_committed read reaches the log end once its transactions end. KafkaTransport answers
   * `endOffsets` here: kafkajs lists only the read_committed end.
   */
  restoreEndOffsets(topic: string): Promise<number[]>;
  /** Log start offset per partition, index = partition. */
  startOffsets(topic: string): Promise<number[]>;
  /** Per partition, the first offset whose timestamp is >= `timestamp`, or the end offset if none. */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]>;
  /** Committed offset per partition (the next offset to read), undefined where none. */
  committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]>;
  /** Rewinds or forwards an inactive group's committed offsets: replay is one call. */
  setCommittedOffsets(groupId: string, topic: string, offsets: readonly number[]): Promise<void>;
}
