import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';

import { coPartitionAssigner, fromGroupAssignments } from './platformatic-assigner';

function metadata(counts: Record<string, number>): ClusterMetadata {
  return {
    id: 'c',
    brokers: new Map(),
    controllerId: 1,
    lastUpdate: 0,
    topics: new Map(
      Object.entries(counts).map(([topic, partitionsCount]) => [
        topic,
        { id: topic, partitions: [], partitionsCount, lastUpdate: 0 },
      ]),
    ),
  };
}

describe('coPartitionAssigner', () => {
  it('gives partition i of co-partitioned topics to one member, members ordered by id', () => {
    const members = new Map<string, ExtendedGroupProtocolSubscription>(
      ['m-b', 'm-a'].map((memberId) => [memberId, { memberId, version: 0, topics: ['x', 'y'] }]),
    );
    const result = coPartitionAssigner(
      'm-a',
      members,
      new Set(['x', 'y']),
      metadata({ x: 4, y: 4 }),
    );
    const byMember = new Map(
      result.map(({ memberId, assignments }) => [
        memberId,
        fromGroupAssignments([...assignments.values()]),
      ]),
    );
    expect(byMember.get('m-a')).toEqual([
      { topic: 'x', partition: 0 },
      { topic: 'x', partition: 1 },
      { topic: 'y', partition: 0 },
      { topic: 'y', partition: 1 },
    ]);
    expect(byMember.get('m-b')).toEqual([
      { topic: 'x', partition: 2 },
      { topic: 'x', partition: 3 },
      { topic: 'y', partition: 2 },
      { topic: 'y', partition: 3 },
    ]);
  });

  it('reads a missing assignment as none', () => {
    expect(fromGroupAssignments(null)).toEqual([]);
  });
});
