import { Kafka, logLevel } from 'kafkajs';

import { waitFor } from './wait-for';

const OFFSETS_TOPIC = '__consumer_offsets';

/** The partition of __consumer_offsets whose coordinator serves `groupId`: Kafka's abs(hashCode) % n. */
export function coordinatorPartition(groupId: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) {
    hash = (Math.imul(31, hash) + groupId.charCodeAt(i)) | 0;
  }
  return (hash & 0x7fffffff) % partitions;
}

/** One group name per partition of __consumer_offsets. */
export function probeGroups(partitions: number): string[] {
  const groups = new Map<number, string>();
  for (let i = 0; groups.size < partitions; i++) {
    const name = `streamwise-coordinator-probe-${i}`;
    const partition = coordinatorPartition(name, partitions);
    if (!groups.has(partition)) groups.set(partition, name);
  }
  return [...groups.values()];
}

/**
 * Waits until every group coordinator of the broker answers. On a brand-new broker the first
 * FindCoordinator creates __consumer_offsets, whose partitions answer COORDINATOR_NOT_AVAILABLE
 * and then COORDINATOR_LOAD_IN_PROGRESS for a few seconds; a consumer that joins its first group
 * in that window fails with "Failed to find group coordinator" once its kafkajs retries run out.
 * Describing one group per partition of __consumer_offsets proves that any group a test creates
 * next has a coordinator that answers.
 */
export async function waitForGroupCoordinators(
  brokers: string[],
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const admin = new Kafka({
    clientId: 'streamwise-coordinator-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  const options = { timeoutMs, intervalMs: 200 };
  try {
    await waitFor(
      async () => {
        await admin.connect();
        await admin.describeGroups([probeGroups(1)[0]]);
        return true;
      },
      `the broker at ${brokers.join(',')} to create ${OFFSETS_TOPIC}`,
      options,
    );
    const metadata = await admin.fetchTopicMetadata({ topics: [OFFSETS_TOPIC] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    // One group at a time (a few dozen FindCoordinator requests at once trip Node's listener
    // warning on kafkajs's socket); groups that answered stay answered across retries.
    const unanswered = probeGroups(partitions);
    await waitFor(
      async () => {
        while (unanswered.length > 0) {
          await admin.describeGroups([unanswered[0]]);
          unanswered.shift();
        }
        return true;
      },
      `a group coordinator on each of the ${partitions} partitions of ${OFFSETS_TOPIC}`,
      options,
    );
  } finally {
    await admin.disconnect();
  }
}
