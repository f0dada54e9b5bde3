import type { Kafka } from 'kafkajs';

/**
 * Deletes every topic and consumer group whose name starts with `prefix` (the benchmark's run id),
 * dead-letter topics the apps created included. Returns how many topics and groups it deleted.
 */
export async function deleteByPrefix(
  kafka: Kafka,
  prefix: string,
): Promise<{ topics: number; groups: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const { groups } = await admin.listGroups();
    const ours = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    // A group that still has members (it should not) stays; the topics are what matter.
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
    return { topics: topics.length, groups: ours.length };
  } finally {
    await admin.disconnect();
  }
}
