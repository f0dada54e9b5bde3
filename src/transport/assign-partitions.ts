import type { TopicPartition } from './transport';

export interface AssignmentMember {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/**
 * Range assignment per topic over the members sorted by id, as Kafka's RangeAssignor does: with
 * the same member list and the same partition count, partition i of every topic goes to the same
 * member, so co-partitioned topics (joins, tables keyed like the input) stay together.
 * Both transports use this one function so they assign identically.
 */
export function assignPartitions(
  members: readonly AssignmentMember[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, TopicPartition[]> {
  const result = new Map<string, TopicPartition[]>();
  for (const member of members) result.set(member.memberId, []);

  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const count = partitionCounts.get(topic);
    if (count === undefined) continue;
    const subscribers = members
      .filter((m) => m.topics.includes(topic))
      .map((m) => m.memberId)
      .sort();
    if (subscribers.length === 0) continue;
    const perMember = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    let next = 0;
    subscribers.forEach((memberId, index) => {
      const take = perMember + (index < extra ? 1 : 0);
      const owned = result.get(memberId) as TopicPartition[];
      for (let p = next; p < next + take; p++) owned.push({ topic, partition: p });
      next += take;
    });
  }
  return result;
}
