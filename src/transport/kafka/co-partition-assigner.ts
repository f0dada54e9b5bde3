import {
  type Assigner,
  AssignerProtocol,
  type Assignment,
  type GroupMember,
  type GroupMemberAssignment,
  type PartitionAssigner,
} from 'kafkajs';

import { type AssignmentMember, assignPartitions } from '../assign-partitions';
import type { TopicPartition } from '../transport';

/** Group protocol name; every member of a streamwise group must use this assigner. */
export const CO_PARTITION_PROTOCOL = 'streamwise-copartition';
const VERSION = 0;

/**
 * kafkajs partition assigner that delegates to the shared `assignPartitions` (range assignment per
 * topic over members sorted by id), so partition i of co-partitioned topics lands on the same
 * member, exactly as the memory transport assigns. Runs on the group leader only.
 */
export const coPartitionAssigner: PartitionAssigner = ({ cluster }): Assigner => ({
  name: CO_PARTITION_PROTOCOL,
  version: VERSION,

  async assign({ members, topics }): Promise<GroupMemberAssignment[]> {
    const assignmentMembers: AssignmentMember[] = members.map((member) => ({
      memberId: member.memberId,
      topics: subscribedTopics(member) ?? topics,
    }));
    const allTopics = [...new Set(assignmentMembers.flatMap((member) => member.topics))];
    try {
      // The leader's metadata covers its own topics; other members may subscribe to more.
      await cluster.addMultipleTargetTopics(allTopics);
    } catch {
      // A topic that no longer exists gets no partitions below; the others are still assigned.
    }
    const partitionCounts = new Map<string, number>();
    for (const topic of allTopics) {
      const count = knownPartitionCount(() => cluster.findTopicPartitionMetadata(topic).length);
      if (count > 0) partitionCounts.set(topic, count);
    }
    const assigned = assignPartitions(assignmentMembers, partitionCounts);
    return members.map(({ memberId }) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: VERSION,
        assignment: toAssignment(assigned.get(memberId) ?? []),
        userData: Buffer.alloc(0),
      }),
    }));
  },

  protocol({ topics }) {
    return {
      name: CO_PARTITION_PROTOCOL,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: VERSION,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});

export function toAssignment(partitions: readonly TopicPartition[]): Assignment {
  const assignment: Assignment = {};
  for (const { topic, partition } of partitions) {
    (assignment[topic] ??= []).push(partition);
  }
  return assignment;
}

/** kafkajs' per-member assignment ({ topic: [partitions] }) as a sorted list. */
export function fromAssignment(
  assignment: Readonly<Record<string, readonly number[]>>,
): TopicPartition[] {
  return Object.keys(assignment)
    .sort()
    .flatMap((topic) =>
      [...(assignment[topic] ?? [])]
        .sort((a, b) => a - b)
        .map((partition) => ({ topic, partition })),
    );
}

function subscribedTopics(member: GroupMember): string[] | undefined {
  try {
    const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
    return metadata?.topics;
  } catch {
    return undefined;
  }
}

function knownPartitionCount(count: () => number): number {
  try {
    return count();
  } catch {
    return 0;
  }
}
