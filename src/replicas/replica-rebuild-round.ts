import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { DeliveredRecord, Transport } from '../transport/transport';
import { replicaChanges } from './replica-changes';
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
  /** Told the records passed over (they do not belong on the topic, or their fold threw). */
  readonly onSkipped?: (record: DeliveredRecord) => void;
  /** Told after each batch written: per input, the next offset per partition the new version holds. */
  readonly onWritten?: (offsets: OffsetsByTopic) => void;
}

/** Per input topic, an offset per partition (index = partition). */
export type OffsetsByTopic = ReadonlyMap<string, readonly number[]>;

/**
 * Fills a version table from `from` up to `bound` (per input partition, exclusive), never beyond:
 * a rebuild must end exactly where the live version's offsets are. Reads every input through the
 * consumer group `streamwise-replica-rebuild.<version table>`, each partition sought to its `from`
 * (the offsets the version table holds), and writes batches with their offsets like the live
 * replica (a projection folds them the same way).
 */
export async function readRound(
  reading: RebuildReading,
  target: ReplicaMetadata,
  from: OffsetsByTopic,
  bound: OffsetsByTopic,
): Promise<void> {
  const changes = replicaChanges(target);
  const pending = new ReplicaPending(changes.rules);
  const open = new Set<string>();
  const done = new Map([...from].map(([topic, offsets]) => [topic, [...offsets]]));
  const limit = (topic: string, partition: number): number => bound.get(topic)?.[partition] ?? 0;
  const partitions = Math.max(0, ...[...from.values()].map((offsets) => offsets.length));
  for (let partition = 0; partition < partitions; partition++) {
    const stored = new Map([...from].map(([topic, offsets]) => [topic, offsets[partition] ?? 0]));
    pending.assign(partition, stored);
    for (const [topic, offset] of stored) {
      if (offset < limit(topic, partition)) open.add(`${topic}/${partition}`);
    }
  }
  if (open.size === 0) return;
  const resolve = changes.resolver(target, (step) => {
    reading.onSkipped?.(step.record);
    return Promise.resolve();
  });
  let writing: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    writing ??= (async () => {
      const batch = pending.drain();
      if (batch.length === 0) return;
      // No live check: the version being built is not live, and the switch holds the catalog row.
      await writeBatch(reading.database, target, batch, undefined, resolve);
      pending.written(batch);
      for (const part of batch) {
        for (const range of part.offsets) {
          const offsets = done.get(range.topic);
          if (offsets !== undefined) offsets[part.partition] = range.to;
        }
      }
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
  const reached = (topic: string, partition: number, next: number): void => {
    const slot = `${topic}/${partition}`;
    const end = limit(topic, partition);
    if (!open.has(slot) || next < end) return;
    // Offsets up to the bound that carried no record (compaction, markers) count as read.
    if (pending.accepts(topic, partition, end - 1)) pending.take(topic, partition, end - 1, '');
    open.delete(slot);
    if (open.size === 0) flush().then(() => finish(), finish);
  };
  const maxPending = reading.maxPendingRows ?? 10_000;
  const subscription = await reading.transport.subscribe({
    groupId: `streamwise-replica-rebuild.${target.table}`,
    topics: [...from.keys()],
    offsetReset: 'earliest',
    onAssigned: (assigned, seek) => {
      for (const tp of assigned) {
        seek(tp.topic, tp.partition, done.get(tp.topic)?.[tp.partition] ?? 0);
      }
    },
    onPosition: (topic, partition, next) => reached(topic, partition, next),
    handle: async (record) => {
      const { topic, partition, offset } = record;
      if (offset >= limit(topic, partition) || !pending.accepts(topic, partition, offset)) return;
      if (pending.size >= maxPending) await flush();
      const change = await replicaChange(target, reading.values, reading.gate, record);
      if (change.kind === 'bad') {
        reading.onSkipped?.(record);
        pending.take(topic, partition, offset, '');
      } else {
        pending.take(topic, partition, offset, change.key, changes.pendingOf(change, record));
      }
      reached(topic, partition, offset + 1);
    },
  });
  try {
    await finished;
  } finally {
    await subscription.stop();
    await writing?.catch(() => undefined);
  }
}
