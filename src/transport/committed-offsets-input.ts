import { TransportError } from '../errors/transport-error';

/**
 * Checks offsets given to setCommittedOffsets (index = partition) against the topic's partition
 * count before any group is touched: one offset per partition at most, each a whole number >= 0.
 */
export function assertCommittedOffsetsInput(
  groupId: string,
  topic: string,
  offsets: readonly number[],
  partitionCount: number,
): void {
  const where = `Kafka: cannot set committed offsets of group "${groupId}" on "${topic}"`;
  if (offsets.length > partitionCount) {
    throw new TransportError(
      `${where}: ${offsets.length} offsets were given but the topic has ${partitionCount} partitions; pass one offset per partition (index = partition).`,
      { retriable: false },
    );
  }
  offsets.forEach((offset, partition) => {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TransportError(
        `${where}: the offset for partition ${partition} is ${String(offset)}; use a whole number >= 0 (e.g. from startOffsets or offsetsForTimestamp).`,
        { retriable: false },
      );
    }
  });
}
