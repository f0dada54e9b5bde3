import { randomBytes } from 'node:crypto';

import type { DeliveredRecord, Transport } from '../transport/transport';

/** Offsets [from, to) of one partition to read. */
export interface PartitionRange {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Reads the given ranges through a throwaway consumer group and resolves once every partition
 * reached its `to` (the end offsets read before starting, so a busy topic cannot keep it going)
 * or `max` records arrived. The group starts at `from` because its offsets are committed there
 * first; the caller deletes the group afterwards (its name is returned).
 */
export async function readRanges(
  broker: Transport,
  topic: string,
  ranges: readonly PartitionRange[],
  max: number,
): Promise<{ records: DeliveredRecord[]; groupId: string }> {
  const groupId = `streamwise-cli-peek-${randomBytes(6).toString('hex')}`;
  const records: DeliveredRecord[] = [];
  const open = new Map(ranges.filter((r) => r.from < r.to).map((r) => [r.partition, r]));
  if (open.size === 0 || max <= 0) return { records, groupId };
  // Partitions outside the ranges start at their end: the group reads nothing there.
  const ends = await broker.endOffsets(topic);
  await broker.setCommittedOffsets(
    groupId,
    topic,
    ends.map((end, p) => open.get(p)?.from ?? end),
  );
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const reached = (partition: number, next: number) => {
    const range = open.get(partition);
    if (range !== undefined && next >= range.to) open.delete(partition);
    if (open.size === 0) finish();
  };
  const subscription = await broker.subscribe({
    groupId,
    topics: [topic],
    offsetReset: 'earliest',
    handle: (record) => {
      const range = open.get(record.partition);
      if (range !== undefined && record.offset < range.to && records.length < max) {
        records.push(record);
        if (records.length >= max) finish();
      }
      reached(record.partition, record.offset + 1);
      return Promise.resolve();
    },
    onPosition: (_topic, partition, next) => reached(partition, next),
  });
  try {
    await finished;
  } finally {
    await subscription.stop();
  }
  return { records, groupId };
}
