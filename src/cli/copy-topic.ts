import { TopicMismatchError } from '../errors/topic-mismatch-error';
import { UnknownTopicError } from '../errors/unknown-topic-error';
import { partitionForKey } from '../transport/partitioner';
import type {
  DeliveredRecord,
  OutgoingRecord,
  RawHeaders,
  RecordHeaders,
  Transport,
} from '../transport/transport';

/** What a record becomes in the target; undefined drops it. */
export interface CopiedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: RecordHeaders;
  readonly rawHeaders?: RawHeaders;
}

export interface CopyOptions {
  readonly from: string;
  readonly to: string;
  /** Partitions of the target when it must be created; an existing target must have as many. */
  readonly partitions: number;
  /** The consumer group whose committed offsets are the copy's progress. */
  readonly group: string;
  readonly map: (record: DeliveredRecord) => Promise<CopiedRecord | undefined>;
  /** Called after every handled record and position move: records done of the total to copy. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CopyResult {
  /** Source records read in this run (those before the group's committed offsets excluded). */
  readonly read: number;
  readonly written: number;
  readonly total: number;
}

/**
 * Copies a topic into another through `map`: the engine of `migrate` and `repartition`.
 *
 * Exactly once without a database: the copy is a consumer group of its own on the exactly-once
 * transport, so each batch's target records and the source offsets they came from commit in one
 * Kafka transaction. An interrupted run leaves an open transaction that the next run (same
 * transactional ids) aborts, and continues from the committed offsets; a finished copy has
 * committed the end of the source, so running it again writes nothing. Records are handled one at
 * a time per partition and a key always lands on one target partition, so per-key order holds.
 */
export async function copyTopic(transport: Transport, options: CopyOptions): Promise<CopyResult> {
  const { from, to, group } = options;
  const source = await transport.describeTopic(from);
  if (source === undefined) throw new UnknownTopicError(from);
  const target = await transport.describeTopic(to);
  if (target === undefined) {
    await transport.createTopics([
      { name: to, partitions: options.partitions, compacted: source.compacted },
    ]);
  } else if (target.partitions !== options.partitions) {
    throw new TopicMismatchError(
      to,
      `it has ${target.partitions} partition(s) and the copy needs ${options.partitions}; pick a new target topic`,
    );
  }
  const [starts, ends, committed] = await Promise.all([
    transport.startOffsets(from),
    transport.endOffsets(from),
    transport.committedOffsets(group, from),
  ]);
  const positions = ends.map((_, p) => Math.max(committed[p] ?? starts[p], starts[p]));
  const total = ends.reduce((sum, end, p) => sum + Math.max(0, end - positions[p]), 0);
  const counts = { read: 0, written: 0 };
  const done = () => ends.reduce((sum, end, p) => sum + Math.min(end, positions[p]), 0);
  const base = done();
  const report = () => options.onProgress?.(done() - base, total);
  if (total === 0) return { ...counts, total };
  report();

  let finished!: () => void;
  let failed!: (error: unknown) => void;
  const caughtUp = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const advance = (partition: number, next: number) => {
    positions[partition] = Math.max(positions[partition], next);
    report();
    if (positions.every((position, p) => position >= ends[p])) finished();
  };
  const subscription = await transport.subscribe({
    groupId: group,
    topics: [from],
    offsetReset: 'earliest',
    exactlyOnce: true,
    handle: async (record, output) => {
      counts.read++;
      let copied: CopiedRecord | undefined;
      try {
        copied = await options.map(record);
      } catch (error) {
        // Not committed: the next run starts again at this record, once the transform is fixed.
        failed(error);
        throw error;
      }
      if (copied !== undefined) {
        await output.produce(to, [targetRecord(record, copied, options.partitions)]);
        counts.written++;
      }
      advance(record.partition, record.offset + 1);
    },
    onPosition: (_topic, partition, next) => advance(partition, next),
  });
  try {
    await caughtUp;
  } finally {
    await subscription.stop();
  }
  return { ...counts, total };
}

/** A key keeps its hash partition (Java's default partitioner); keyless records keep theirs. */
function targetRecord(
  record: DeliveredRecord,
  copied: CopiedRecord,
  partitions: number,
): OutgoingRecord {
  return {
    key: copied.key,
    value: copied.value,
    ...(copied.headers === undefined ? {} : { headers: copied.headers }),
    ...(copied.rawHeaders === undefined ? {} : { rawHeaders: copied.rawHeaders }),
    timestamp: record.timestamp,
    partition:
      copied.key === null ? record.partition % partitions : partitionForKey(copied.key, partitions),
  };
}
