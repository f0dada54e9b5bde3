import { DrainDidNotSettleError } from '../../errors/drain-did-not-settle-error';
import { RecordTooLargeError } from '../../errors/record-too-large-error';
import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import { NO_HEADERS } from '../delivered-record';
import { maxMessageBytes, recordBatchBytes, recordBatchBytesAtMost } from '../record-batch-size';
import type {
  DeliveredRecord,
  OutgoingRecord,
  RecordHeaders,
  RecordMetadata,
  TopicSpec,
} from '../transport';
import { MemoryGroup } from './memory-group';
import { MemoryTopic } from './memory-topic';
import type { PartitionPump } from './partition-pump';

/**
 * An in-process Kafka "cluster": topics, partitions, consumer groups. Several transports (apps,
 * service instances) can share one broker, exactly as processes share a Kafka cluster.
 *
 * It also knows whether anything is in flight: every partition pump reports its state, so
 * `settled()` can resolve the moment all consumers are caught up (or only waiting on a clock),
 * which is what TestBed's drain() builds on.
 */
interface SettleWaiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly giveUpAt: number;
}

export class MemoryBroker {
  readonly #topics = new Map<string, MemoryTopic>();
  readonly #groups = new Map<string, MemoryGroup>();
  readonly #pumps = new Set<PartitionPump>();
  #rebalancing = 0;
  #sequence = 0;
  #waiters: SettleWaiter[] = [];

  createTopic(spec: TopicSpec): boolean {
    if (this.#topics.has(spec.name)) return false;
    this.#topics.set(
      spec.name,
      new MemoryTopic(spec.name, spec.partitions, spec.compacted, { ...(spec.config ?? {}) }),
    );
    return true;
  }

  deleteTopic(name: string): void {
    this.#topics.delete(name);
    for (const group of this.#groups.values()) group.forgetTopic(name);
  }

  topic(name: string): MemoryTopic | undefined {
    return this.#topics.get(name);
  }

  requireTopic(name: string): MemoryTopic {
    const topic = this.#topics.get(name);
    if (topic === undefined) throw new UnknownTopicError(name);
    return topic;
  }

  topicNames(): string[] {
    return [...this.#topics.keys()].sort();
  }

  group(groupId: string): MemoryGroup {
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      group = new MemoryGroup(groupId);
      this.#groups.set(groupId, group);
    }
    return group;
  }

  /** Checks a produce request the way the broker would, before anything is appended. */
  validate(topicName: string, records: readonly OutgoingRecord[]): MemoryTopic {
    const topic = this.requireTopic(topicName);
    for (const record of records) {
      if (
        !Number.isInteger(record.partition) ||
        record.partition < 0 ||
        record.partition >= topic.partitions.length
      ) {
        throw new TransportError(
          `Topic "${topicName}" has ${topic.partitions.length} partition(s); partition ${record.partition} does not exist.`,
          { retriable: false },
        );
      }
      if (topic.compacted && record.key === null) {
        throw new TransportError(
          `Compacted topic "${topicName}" cannot accept a record without a key: give every record a key.`,
          { retriable: false },
        );
      }
    }
    this.#checkBatchSizes(topic, records);
    return topic;
  }

  /** Kafka refuses a batch above the topic's max.message.bytes with MESSAGE_TOO_LARGE. */
  #checkBatchSizes(topic: MemoryTopic, records: readonly OutgoingRecord[]): void {
    const limit = maxMessageBytes(topic.config);
    if (recordBatchBytesAtMost(records) <= limit) return;
    const byPartition = new Map<number, OutgoingRecord[]>();
    for (const record of records) {
      const batch = byPartition.get(record.partition);
      if (batch === undefined) byPartition.set(record.partition, [record]);
      else batch.push(record);
    }
    for (const [partition, batch] of byPartition) {
      const size = recordBatchBytes(batch);
      if (size <= limit) continue;
      throw new RecordTooLargeError(
        `produce to "${topic.name}"`,
        `the request included a message larger than the max message size the server will accept, a batch of ${size} bytes for partition ${partition}, max.message.bytes ${limit}`,
      );
    }
  }

  /**
   * Stores a produce request as a Kafka broker does: a copy of every record's bytes (a producer may
   * reuse its Buffers), appended partition by partition (a producer's batches are per partition,
   * and a broker writes each to its partition's log). A partition's records then lie together in
   * memory, as a consumer reads them; appended in request order, they were spread over the heap,
   * and reading one of several partitions cost a cache miss per record.
   */
  append(topicName: string, records: readonly OutgoingRecord[], now: number): RecordMetadata[] {
    const topic = this.validate(topicName, records);
    const first = this.#sequence;
    this.#sequence += records.length;
    const metadata = new Array<RecordMetadata>(records.length);
    for (const index of partitionOrder(records)) {
      const record = records[index];
      const { headers, rawHeaders } = deliveredHeaders(record);
      const offset = topic.partitions[record.partition].append({
        key: copyOf(record.key),
        value: copyOf(record.value),
        headers,
        rawHeaders,
        timestamp: record.timestamp ?? now,
        sequence: first + index,
      });
      metadata[index] = { topic: topicName, partition: record.partition, offset };
    }
    this.#checkRunaway();
    return metadata;
  }

  /** Runs Kafka's compaction on every partition of a compacted topic now. */
  compact(topicName: string, options: { dropTombstones?: boolean } = {}): void {
    const topic = this.requireTopic(topicName);
    if (!topic.compacted) {
      throw new TransportError(
        `Topic "${topicName}" is not compacted; only compacted topics can be compacted.`,
        {
          retriable: false,
        },
      );
    }
    for (const partition of topic.partitions) partition.compact(options.dropTombstones ?? false);
  }

  registerPump(pump: PartitionPump): void {
    this.#pumps.add(pump);
    this.stateChanged();
  }

  unregisterPump(pump: PartitionPump): void {
    this.#pumps.delete(pump);
    this.stateChanged();
  }

  /** Brackets a rebalance, during which the broker is never settled. */
  async rebalancing<T>(work: () => Promise<T>): Promise<T> {
    this.#rebalancing++;
    try {
      return await work();
    } finally {
      this.#rebalancing--;
      this.stateChanged();
    }
  }

  /** True when no record is being handled and no rebalance runs (parked work waits on a clock). */
  isSettled(): boolean {
    if (this.#rebalancing > 0) return false;
    for (const pump of this.#pumps) if (pump.state === 'running') return false;
    return true;
  }

  /** True when some handler or redelivery is waiting for clock time to pass. */
  hasParkedWork(): boolean {
    for (const pump of this.#pumps) if (pump.state === 'parked') return true;
    return false;
  }

  /**
   * Resolves when the broker is settled. Rejects with DrainDidNotSettleError if `maxAppends`
   * records are written first: a feedback loop would otherwise never settle.
   */
  settled(maxAppends = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.#waiters.push({ resolve, reject, giveUpAt: this.#sequence + maxAppends }),
    );
  }

  stateChanged(): void {
    if (this.#waiters.length === 0 || !this.isSettled()) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  #checkRunaway(): void {
    const exceeded = this.#waiters.filter((w) => this.#sequence >= w.giveUpAt);
    if (exceeded.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => this.#sequence < w.giveUpAt);
    for (const waiter of exceeded) waiter.reject(new DrainDidNotSettleError(this.#sequence));
  }
}

/** The indexes of `records` grouped by partition, in request order within each partition. */
function partitionOrder(records: readonly OutgoingRecord[]): number[] {
  const indexes = records.map((_record, index) => index);
  if (records.every((record) => record.partition === records[0].partition)) return indexes;
  // Array.prototype.sort is stable: equal partitions keep their request order.
  return indexes.sort((a, b) => records[a].partition - records[b].partition);
}

function copyOf(bytes: Buffer | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes);
}

/**
 * The headers a consumer sees, as Kafka delivers them: text only when every header is text (no
 * extra copy), else the raw bytes too, with each name's last value decoded for `headers`.
 */
function deliveredHeaders(record: OutgoingRecord): Pick<DeliveredRecord, 'headers' | 'rawHeaders'> {
  const text = record.headers;
  if (record.rawHeaders === undefined) {
    return { headers: text === undefined || !hasAny(text) ? NO_HEADERS : { ...text } };
  }
  const headers: RecordHeaders = {};
  const raw: Record<string, Buffer | readonly Buffer[]> = {};
  for (const [name, value] of Object.entries(record.rawHeaders)) {
    raw[name] = Buffer.isBuffer(value) ? Buffer.from(value) : value.map((b) => Buffer.from(b));
    const last = Buffer.isBuffer(value) ? value : value[value.length - 1];
    if (last !== undefined) headers[name] = last.toString('utf8');
  }
  for (const [name, value] of Object.entries(text ?? {})) {
    headers[name] = value;
    raw[name] = Buffer.from(value, 'utf8');
  }
  return { headers, rawHeaders: raw };
}

function hasAny(headers: RecordHeaders): boolean {
  for (const _name in headers) return true;
  return false;
}
