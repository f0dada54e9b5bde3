import type { GroupAssignment, GroupPartitionsAssigner } from '@platformatic/kafka';

import { type AssignmentMember, assignPartitions } from '../assign-partitions';
import type { TopicPartition } from '../transport';

/**
 * The group leader's assignment for @platformatic/kafka members: the shared `assignPartitions`
 * (range per topic over members sorted by id), so partition i of co-partitioned topics lands on
 * one member, as with KafkaTransport and the memory transport.
 */
export const coPartitionAssigner: GroupPartitionsAssigner = (
  _current,
  members,
  topics,
  metadata,
) => {
  const assignmentMembers: AssignmentMember[] = [...members.values()].map((member) => ({
    memberId: member.memberId,
    topics: member.topics ?? [...topics],
  }));
  const partitionCounts = new Map<string, number>();
  for (const topic of new Set(assignmentMembers.flatMap((member) => member.topics))) {
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    if (count > 0) partitionCounts.set(topic, count);
  }
  const assigned = assignPartitions(assignmentMembers, partitionCounts);
  return assignmentMembers.map(({ memberId }) => {
    const assignments = new Map<string, GroupAssignment>();
    for (const { topic, partition } of assigned.get(memberId) ?? []) {
      let entry = assignments.get(topic);
      if (entry === undefined) assignments.set(topic, (entry = { topic, partitions: [] }));
      entry.partitions.push(partition);
    }
    return { memberId, assignments };
  });
};

/** The member's assignment as a sorted list. */
export function fromGroupAssignments(
  assignments: readonly GroupAssignment[] | null | undefined,
): TopicPartition[] {
  return [...(assignments ?? [])]
    .sort((a, b) => a.topic.localeCompare(b.topic))
    .flatMap(({ topic, partitions }) =>
      [...partitions].sort((a, b) => a - b).map((partition) => ({ topic, partition })),
    );
}
