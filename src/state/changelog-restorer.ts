import { randomUUID } from 'node:crypto';

import type { DeliveredRecord, Transport } from '../transport/transport';
import type { RestoreTracker } from './restore-progress';

/**
 * Reads chosen partitions of a topic (a changelog, or a co-partitioned table) from the beginning up to the end offsets they have now,
 * handing each record to `apply`; resolves once every chosen partition reached its end. The
 * transport has no partition assignment without a group, so it reads in a group of its own and
 * skips the partitions it was not asked for. `tracker` is told how far it got (restore progress).
 */
export async function restoreChangelog(
  transport: Transport,
  topic: string,
  partitions: readonly number[],
  apply: (record: DeliveredRecord) => Promise<void> | void,
  tracker?: RestoreTracker,
): Promise<void> {
  if (partitions.length === 0) return;
  const [ends, starts] = await Promise.all([
    transport.endOffsets(topic),
    tracker === undefined ? [] : transport.startOffsets(topic),
  ]);
  const wanted = new Map(partitions.map((p) => [p, ends[p] ?? 0]));
  if ([...wanted.values()].every((end) => end === 0)) return;
  tracker?.begin(new Map(partitions.map((p) => [p, starts[p] ?? 0])), wanted);
  const positions = new Map<number, number>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const check = (): void => {
    for (const [partition, end] of wanted) if ((positions.get(partition) ?? 0) < end) return;
    tracker?.finish();
    done();
  };
  const advance = (partition: number, next: number): void => {
    positions.set(partition, Math.max(next, positions.get(partition) ?? 0));
    tracker?.advance(partition, next);
    check();
  };
  check();
  const subscription = await transport.subscribe({
    groupId: `${topic}.restore.${randomUUID()}`,
    topics: [topic],
    offsetReset: 'earliest',
    onPosition: (_topic, partition, next) => advance(partition, next),
    handle: async (record) => {
      if (wanted.has(record.partition) && record.offset < (wanted.get(record.partition) ?? 0)) {
        await apply(record);
      }
      advance(record.partition, record.offset + 1);
    },
  });
  try {
    await finished;
  } finally {
    await subscription.stop();
  }
}
