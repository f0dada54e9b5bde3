import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { DeliveredRecord, Transport } from '../transport/transport';
import type { ReplicaDatabase } from './replica-database';
import { ReplicaPending } from './replica-pending';
import { replicaChange } from './replica-record';
import { writeBatch } from './replica-table';

/** What a rebuild reads with: the same database, broker, codec and checks as the live replica. */
export interface RebuildReading {
  readonly database: ReplicaDatabase;
  readonly transport: Transport;
  readonly values: TopicCodec;
  readonly gate: RecordGate;
  /** Rows pending before a batch is written (default 10,000). */
  readonly maxPendingRows?: number;
  /** Told the records passed over (they do not belong on the topic: see replicaChange). */
  readonly onSkipped?: (record: DeliveredRecord) => void;
  /** Told after each batch written: the next offset per partition the new version holds. */
  readonly onWritten?: (offsets: readonly number[]) => void;
}

/**
 * Fills a version table from `from` up to `bound` (per partition, exclusive), never beyond: a
 * rebuild must end exactly where the live version's offsets are. Reads through the consumer group
 * `streamwise-replica-rebuild.<version table>`, each partition sought to its `from` (the offsets
 * the version table holds), and writes batches with their offsets like the live replica.
 */
export async function readRound(
  reading: RebuildReading,
  target: ReplicaMetadata,
  from: readonly number[],
  bound: readonly number[],
): Promise<void> {
  const pending = new ReplicaPending();
  const open = new Set<number>();
  const done = [...from];
  from.forEach((offset, partition) => {
    pending.assign(partition, offset);
    if (offset < bound[partition]) open.add(partition);
  });
  if (open.size === 0) return;
  let writing: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    writing ??= (async () => {
      const batch = pending.drain();
      if (batch.length === 0) return;
      // No live check: the version being built is not live, and the switch holds the catalog row.
      await writeBatch(reading.database, target, batch);
      pending.written(batch);
      for (const part of batch) done[part.partition] = part.to;
      reading.onWritten?.(done);
    })()
      .catch((error: unknown) => {
        // The round ends here; a rerun continues from the offsets the version table holds.
        finish(error);
        throw error;
      })
      .finally(() => {
        writing = undefined;
      });
    return writing;
  };
  let finish: (error?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => {
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
    };
  });
  const reached = (partition: number, next: number): void => {
    if (!open.has(partition) || next < bound[partition]) return;
    // Offsets up to the bound that carried no record (compaction, markers) count as read.
    if (pending.accepts(partition, bound[partition] - 1)) {
      pending.take(partition, bound[partition] - 1, '');
    }
    open.delete(partition);
    if (open.size === 0) flush().then(() => finish(), finish);
  };
  const maxPending = reading.maxPendingRows ?? 10_000;
  const subscription = await reading.transport.subscribe({
    groupId: `streamwise-replica-rebuild.${target.table}`,
    topics: [target.topic.name],
    offsetReset: 'earliest',
    onAssigned: (partitions, seek) => {
      for (const tp of partitions) seek(tp.topic, tp.partition, done[tp.partition] ?? 0);
    },
    onPosition: (_topic, partition, next) => reached(partition, next),
    handle: async (record) => {
      const { partition, offset } = record;
      if (offset >= (bound[partition] ?? 0) || !pending.accepts(partition, offset)) return;
      if (pending.size >= maxPending) await flush();
      const change = await replicaChange(target, reading.values, reading.gate, record);
      if (change.kind === 'bad') {
        reading.onSkipped?.(record);
        pending.take(partition, offset, '');
      } else {
        pending.take(partition, offset, change.key, change.kind === 'row' ? change.row : null);
      }
      reached(partition, offset + 1);
    },
  });
  try {
    await finished;
  } finally {
    await subscription.stop();
    await writing?.catch(() => undefined);
  }
}
