import { AssignerProtocol, type Cluster, type GroupMember, type Logger } from 'kafkajs';

import {
  CO_PARTITION_PROTOCOL,
  coPartitionAssigner,
  fromAssignment,
  toAssignment,
} from './co-partition-assigner';

function fakeCluster(partitions: Record<string, number>, added: string[][] = []): Cluster {
  const cluster: Pick<Cluster, 'addMultipleTargetTopics' | 'findTopicPartitionMetadata'> = {
    addMultipleTargetTopics: (topics) => {
      added.push(topics);
      return Promise.resolve();
    },
    findTopicPartitionMetadata: (topic) =>
      Array.from({ length: partitions[topic] ?? 0 }, (_, partitionId) => ({
        partitionId,
        partitionErrorCode: 0,
        leader: 1,
        replicas: [1],
        isr: [1],
      })),
  };
  return cluster as Cluster;
}

function member(memberId: string, topics: string[]): GroupMember {
  return {
    memberId,
    memberMetadata: AssignerProtocol.MemberMetadata.encode({
      version: 0,
      topics,
      userData: Buffer.alloc(0),
    }),
  };
}

async function assign(
  partitions: Record<string, number>,
  members: GroupMember[],
  added?: string[][],
) {
  const assigner = coPartitionAssigner({
    cluster: fakeCluster(partitions, added),
    groupId: 'g',
    logger: {} as Logger,
  });
  const result = await assigner.assign({ members, topics: ['orders'] });
  return new Map(
    result.map(({ memberId, memberAssignment }) => [
      memberId,
      AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment ?? {},
    ]),
  );
}

describe('coPartitionAssigner', () => {
  it('announces its protocol with the subscribed topics', () => {
    const assigner = coPartitionAssigner({
      cluster: fakeCluster({}),
      groupId: 'g',
      logger: {} as Logger,
    });
    const state = assigner.protocol({ topics: ['a', 'b'] });
    expect(state.name).toBe(CO_PARTITION_PROTOCOL);
    expect(AssignerProtocol.MemberMetadata.decode(state.metadata)?.topics).toEqual(['a', 'b']);
  });

  it('puts partition i of co-partitioned topics on the same member (range per topic)', async () => {
    const result = await assign({ orders: 6, customers: 6 }, [
      member('m-b', ['orders', 'customers']),
      member('m-a', ['orders', 'customers']),
    ]);
    expect(result.get('m-a')).toEqual({ customers: [0, 1, 2], orders: [0, 1, 2] });
    expect(result.get('m-b')).toEqual({ customers: [3, 4, 5], orders: [3, 4, 5] });
  });

  it('assigns each member only its own topics and fetches metadata for all of them', async () => {
    const added: string[][] = [];
    const result = await assign(
      { orders: 3, audit: 2 },
      [member('m-1', ['orders']), member('m-2', ['orders', 'audit'])],
      added,
    );
    expect(added).toEqual([['orders', 'audit']]);
    expect(result.get('m-1')).toEqual({ orders: [0, 1] });
    expect(result.get('m-2')).toEqual({ orders: [2], audit: [0, 1] });
  });

  it('gives a member nothing when there are more members than partitions', async () => {
    const result = await assign({ orders: 1 }, [member('a', ['orders']), member('b', ['orders'])]);
    expect(result.get('a')).toEqual({ orders: [0] });
    expect(result.get('b')).toEqual({});
  });
});

describe('assignment conversions', () => {
  it('round-trips and sorts', () => {
    const partitions = fromAssignment({ b: [2, 0], a: [1] });
    expect(partitions).toEqual([
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 0 },
      { topic: 'b', partition: 2 },
    ]);
    expect(toAssignment(partitions)).toEqual({ a: [1], b: [0, 2] });
  });
});
