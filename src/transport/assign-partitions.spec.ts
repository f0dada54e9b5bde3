import type { AssignmentMember } from './assign-partitions';
import { assignPartitions } from './assign-partitions';
import type { TopicPartition } from './transport';

function partitionsOf(
  assignment: Map<string, TopicPartition[]>,
  member: string,
  topic: string,
): number[] {
  return (assignment.get(member) ?? [])
    .filter((tp) => tp.topic === topic)
    .map((tp) => tp.partition);
}

describe('assignPartitions', () => {
  it('splits 6 partitions over 2 members into contiguous ranges 0-2 and 3-5', () => {
    const assignment = assignPartitions(
      [
        { memberId: 'a', topics: ['orders'] },
        { memberId: 'b', topics: ['orders'] },
      ],
      new Map([['orders', 6]]),
    );
    expect(assignment.get('a')).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
      { topic: 'orders', partition: 2 },
    ]);
    expect(assignment.get('b')).toEqual([
      { topic: 'orders', partition: 3 },
      { topic: 'orders', partition: 4 },
      { topic: 'orders', partition: 5 },
    ]);
  });

  it('gives the extra partitions to the first members: 7 over 3 is 3, 2, 2', () => {
    const assignment = assignPartitions(
      ['m1', 'm2', 'm3'].map((memberId) => ({ memberId, topics: ['orders'] })),
      new Map([['orders', 7]]),
    );
    expect(partitionsOf(assignment, 'm1', 'orders')).toEqual([0, 1, 2]);
    expect(partitionsOf(assignment, 'm2', 'orders')).toEqual([3, 4]);
    expect(partitionsOf(assignment, 'm3', 'orders')).toEqual([5, 6]);
  });

  it('leaves members without partitions when there are more members than partitions', () => {
    const assignment = assignPartitions(
      ['a', 'b', 'c'].map((memberId) => ({ memberId, topics: ['orders'] })),
      new Map([['orders', 2]]),
    );
    expect(partitionsOf(assignment, 'a', 'orders')).toEqual([0]);
    expect(partitionsOf(assignment, 'b', 'orders')).toEqual([1]);
    expect(assignment.get('c')).toEqual([]);
  });

  it('sorts members by id, whatever the input order', () => {
    const members: AssignmentMember[] = [
      { memberId: 'consumer-c', topics: ['orders'] },
      { memberId: 'consumer-a', topics: ['orders'] },
      { memberId: 'consumer-b', topics: ['orders'] },
    ];
    const forward = assignPartitions(members, new Map([['orders', 6]]));
    const reversed = assignPartitions([...members].reverse(), new Map([['orders', 6]]));
    expect(partitionsOf(forward, 'consumer-a', 'orders')).toEqual([0, 1]);
    expect(partitionsOf(forward, 'consumer-b', 'orders')).toEqual([2, 3]);
    expect(partitionsOf(forward, 'consumer-c', 'orders')).toEqual([4, 5]);
    for (const id of ['consumer-a', 'consumer-b', 'consumer-c']) {
      expect(reversed.get(id)).toEqual(forward.get(id));
    }
  });

  it('co-partitions: partition i of topics with equal counts goes to the same member', () => {
    const members: AssignmentMember[] = ['z', 'x', 'y'].map((memberId) => ({
      memberId,
      topics: ['payments', 'orders'],
    }));
    const assignment = assignPartitions(
      members,
      new Map([
        ['orders', 8],
        ['payments', 8],
      ]),
    );
    for (const { memberId } of members) {
      expect(partitionsOf(assignment, memberId, 'orders')).toEqual(
        partitionsOf(assignment, memberId, 'payments'),
      );
    }
    const all = members.flatMap(({ memberId }) => partitionsOf(assignment, memberId, 'orders'));
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('assigns each topic only among the members subscribed to it', () => {
    const assignment = assignPartitions(
      [
        { memberId: 'a', topics: ['orders', 'payments'] },
        { memberId: 'b', topics: ['orders'] },
        { memberId: 'c', topics: ['payments'] },
      ],
      new Map([
        ['orders', 4],
        ['payments', 4],
      ]),
    );
    expect(partitionsOf(assignment, 'a', 'orders')).toEqual([0, 1]);
    expect(partitionsOf(assignment, 'b', 'orders')).toEqual([2, 3]);
    expect(partitionsOf(assignment, 'a', 'payments')).toEqual([0, 1]);
    expect(partitionsOf(assignment, 'c', 'payments')).toEqual([2, 3]);
    expect(partitionsOf(assignment, 'b', 'payments')).toEqual([]);
    expect(partitionsOf(assignment, 'c', 'orders')).toEqual([]);
  });

  it('gives a member with no topics an empty list', () => {
    const assignment = assignPartitions(
      [
        { memberId: 'idle', topics: [] },
        { memberId: 'busy', topics: ['orders'] },
      ],
      new Map([['orders', 3]]),
    );
    expect(assignment.get('idle')).toEqual([]);
    expect(partitionsOf(assignment, 'busy', 'orders')).toEqual([0, 1, 2]);
  });

  it('skips a topic whose partition count is unknown', () => {
    const assignment = assignPartitions(
      [{ memberId: 'a', topics: ['orders', 'not-created-yet'] }],
      new Map([['orders', 2]]),
    );
    expect(assignment.get('a')).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
  });

  it('lists a member partitions grouped by topic in name order', () => {
    const assignment = assignPartitions(
      [{ memberId: 'a', topics: ['zeta', 'alpha'] }],
      new Map([
        ['zeta', 1],
        ['alpha', 2],
      ]),
    );
    expect(assignment.get('a')).toEqual([
      { topic: 'alpha', partition: 0 },
      { topic: 'alpha', partition: 1 },
      { topic: 'zeta', partition: 0 },
    ]);
  });

  it('returns an entry for every member and nothing else', () => {
    const assignment = assignPartitions(
      [
        { memberId: 'b', topics: ['orders'] },
        { memberId: 'a', topics: [] },
      ],
      new Map([['orders', 1]]),
    );
    expect([...assignment.keys()].sort()).toEqual(['a', 'b']);
  });

  it('returns an empty map for no members', () => {
    expect(assignPartitions([], new Map([['orders', 3]])).size).toBe(0);
  });
});
