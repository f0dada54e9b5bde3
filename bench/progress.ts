import type { Admin } from 'kafkajs';

/**
 * Calls `read` every `intervalMs` until it returns at least `target`; resolves with the last value.
 * Rejects once `timeoutMs` passed, naming `what` and how far it got.
 */
export async function pollUntil(
  what: string,
  read: () => Promise<number>,
  target: number,
  intervalMs: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value >= target) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${value} of ${target}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Sum over partitions of the log end offsets (high watermarks) of `topic`. */
export async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

/** Sum over partitions of `groupId`'s committed offsets on `topic` (no commit counts as 0). */
export async function committedOffsetSum(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<number> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  if (result === undefined) return 0;
  return result.partitions.reduce(
    (sum, partition) => sum + Math.max(0, Number(partition.offset)),
    0,
  );
}
