import { ForeignProducerError } from '../errors/foreign-producer-error';
import { KeyMismatchError } from '../errors/key-mismatch-error';
import type { StreamwiseError } from '../errors/streamwise-error';
import { UnsignedRecordError } from '../errors/unsigned-record-error';
import type { Logger } from '../logging/logger';
import { RateLimitedLog } from '../logging/rate-limited-log';
import { envelopeField } from '../model/topics/envelope-header';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import { DEFAULT_UNSIGNED_RECORDS } from '../model/topics/unsigned-records';
import { partitionForKey } from '../transport/partitioner';
import type { DeliveredRecord } from '../transport/transport';

export type RejectionReason = 'foreign-producer' | 'unsigned-record' | 'key-mismatch';

/** Why a record does not belong on its topic; handlers dead-letter it, views skip it. */
export interface Rejection {
  readonly reason: RejectionReason;
  readonly error: StreamwiseError;
}

export interface RecordGateOptions {
  /** The topic's single writer, when known (TopicWriters.ownerOf). */
  readonly ownerOf: (topic: string) => string | undefined;
  /** The app's default for topics that do not set unsignedRecords. */
  readonly unsignedRecords?: UnsignedRecordsPolicy;
  /** The service's onForeignProducer: 'warn' lets foreign records through with a warning. */
  readonly onForeignProducer?: 'dead-letter' | 'warn';
  readonly logger: Logger;
}

/**
 * Whether a consumed record belongs on its topic: written by the topic's owner (the producer in
 * its envelope), or unsigned under a policy that takes it, and keyed where Kafka's default
 * partitioner puts its key (and, given its value, with the key the topic's key function gives).
 * The one check that both the dispatcher (which dead-letters) and @Materialize views (which skip)
 * apply. On the record path: a passing record costs two map lookups, the producer's slice of its
 * envelope (one short string) and one murmur2 of its key bytes.
 */
export class RecordGate {
  readonly #options: RecordGateOptions;
  readonly #log: RateLimitedLog;

  constructor(options: RecordGateOptions) {
    this.#options = options;
    this.#log = new RateLimitedLog(options.logger);
  }

  /** The producer and key-bytes checks, on the raw record (tombstones included). */
  check(topic: TopicDefinition, record: DeliveredRecord): Rejection | undefined {
    return this.#checkProducer(topic, record) ?? checkKeyBytes(topic, record);
  }

  /** The key against the topic's key function, once the value is decoded and conformed. */
  checkKey(
    topic: TopicDefinition,
    record: DeliveredRecord,
    key: TopicKey | undefined,
    value: unknown,
  ): Rejection | undefined {
    let expected: TopicKey | undefined;
    try {
      expected = topic.keyOf(value);
    } catch {
      expected = undefined;
    }
    if (expected === key) return undefined;
    return keyMismatch(
      record,
      `its key ${JSON.stringify(key)} is not the key the topic's key function gives for its value (${JSON.stringify(expected)})`,
    );
  }

  /** For callers that skip instead of dead-lettering (views): logged once per topic-partition, reason and interval, then summarized with a count. */
  reportSkipped(record: DeliveredRecord, rejection: Rejection): void {
    this.#log.warn(
      `skipped:${rejection.reason}:${record.topic}:${record.partition}`,
      'view skipped a record that does not belong on its topic',
      () => ({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        reason: rejection.reason,
        error: rejection.error,
      }),
    );
  }

  #checkProducer(topic: TopicDefinition, record: DeliveredRecord): Rejection | undefined {
    const producer = envelopeField(record.headers, 'producer');
    if (producer === undefined) return this.#checkUnsigned(topic, record);
    const owner = this.#options.ownerOf(record.topic);
    if (owner === undefined || producer === owner) return undefined;
    if (this.#options.onForeignProducer === 'warn') {
      this.#log.warn(
        `foreign:${record.topic}:${record.partition}`,
        'record written by a service that does not own the topic',
        () => ({
          topic: record.topic,
          partition: record.partition,
          producer,
          owner,
          offset: record.offset,
        }),
      );
      return undefined;
    }
    return {
      reason: 'foreign-producer',
      error: new ForeignProducerError(record.topic, producer, owner),
    };
  }

  #checkUnsigned(topic: TopicDefinition, record: DeliveredRecord): Rejection | undefined {
    const policy =
      topic.unsignedRecords ?? this.#options.unsignedRecords ?? DEFAULT_UNSIGNED_RECORDS;
    if (policy === 'accept') return undefined;
    if (policy === 'warn') {
      this.#log.warn(
        `unsigned:${record.topic}:${record.partition}`,
        'record without a producer (no sw-envelope nor sw-producer header): its writer is unknown',
        () => ({ topic: record.topic, partition: record.partition, offset: record.offset }),
      );
      return undefined;
    }
    return { reason: 'unsigned-record', error: new UnsignedRecordError(record.topic) };
  }
}

/**
 * Every streamwise topic is keyed: a record needs a key, and the key bytes must hash (murmur2, as
 * Java's default partitioner) to the record's partition of the topic's declared partition count.
 */
function checkKeyBytes(topic: TopicDefinition, record: DeliveredRecord): Rejection | undefined {
  const key = record.key;
  if (key === null || key.length === 0) return keyMismatch(record, 'it has no key');
  // One partition: every key belongs there, no hash needed.
  if (topic.partitions === 1) return undefined;
  const expected = partitionForKey(key, topic.partitions);
  if (expected === record.partition) return undefined;
  return keyMismatch(
    record,
    `its key hashes to partition ${expected} of ${topic.partitions} (murmur2), not to ${record.partition}`,
  );
}

function keyMismatch(record: DeliveredRecord, problem: string): Rejection {
  return {
    reason: 'key-mismatch',
    error: new KeyMismatchError(record.topic, record.partition, problem),
  };
}
