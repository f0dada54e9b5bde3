import type { TopicPartition } from './transport';

/**
 * The partitions a member holds that break co-partitioning: it holds partition p of a topic but
 * not partition p of another subscribed topic with the same partition count. The classic
 * assignment (assign-partitions.ts) never does; a broker-side assignor is only trusted, so the
 * member checks what it was given. Empty when every co-partitioned pair is whole.
 */
export function coPartitionGaps(
  owned: readonly TopicPartition[],
  partitionCounts: ReadonlyMap<string, number>,
): TopicPartition[] {
  const held = new Set(owned.map(({ topic, partition }) => `${topic}\u0000${partition}`));
  const gaps: TopicPartition[] = [];
  for (const { topic, partition } of owned) {
    const count = partitionCounts.get(topic);
    if (count === undefined) continue;
    for (const [other, otherCount] of partitionCounts) {
      if (other === topic || otherCount !== count) continue;
      const key = `${other}\u0000${partition}`;
      if (held.has(key)) continue;
      held.add(key);
      gaps.push({ topic: other, partition });
    }
  }
  return gaps.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** The message a member logs for gaps (at error: joins and tables would read the wrong data). */
export function coPartitionGapMessage(
  groupId: string,
  gaps: readonly TopicPartition[],
  assignor: string,
): string {
  const missing = gaps.map(({ topic, partition }) => `${topic}[${partition}]`).join(', ');
  return `group "${groupId}": this member holds co-partitioned partitions without their partners (missing ${missing}); partition p of topics with equal partition counts must stay on one member. The broker's "${assignor}" assignor should keep them together: check that the broker's group.consumer.assignors includes "${assignor}", or use groupProtocol "classic".`;
}
