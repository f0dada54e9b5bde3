import type { Consumer } from '@platformatic/kafka';

import { partitionKey } from '../partition-key';
import type { TopicPartition } from '../transport';

type FetchRequestTopic = Parameters<Consumer['fetch']>[0]['topics'][number];
type ClusterMetadata = Awaited<ReturnType<Consumer['metadata']>>;

/** The most a fetch asks per partition (Java's max.partition.fetch.bytes). */
const PARTITION_MAX_BYTES = 1024 * 1024;

/** A partition to fetch and the offset to fetch it from (none: it is left out). */
export interface FetchFrom {
  readonly target: TopicPartition;
  readonly offset: bigint | undefined;
}

export interface FetchRequests {
  /** The partitions to ask each leader (by node id) for. */
  readonly byLeader: ReadonlyMap<number, FetchRequestTopic[]>;
  /** Topic names by the ids the answers carry. */
  readonly names: ReadonlyMap<string, string>;
  /** The offset each partition is fetched from, by partitionKey. */
  readonly from: ReadonlyMap<string, bigint>;
}

/** Groups the partitions by their leader; those without an offset or a known leader are left out. */
export function fetchRequests(
  metadata: ClusterMetadata,
  requests: readonly FetchFrom[],
): FetchRequests {
  const byLeader = new Map<number, FetchRequestTopic[]>();
  const names = new Map<string, string>();
  const from = new Map<string, bigint>();
  for (const { target, offset: fetchOffset } of requests) {
    const topic = metadata.topics.get(target.topic);
    const partition = topic?.partitions[target.partition];
    if (topic === undefined || partition === undefined || fetchOffset === undefined) continue;
    names.set(topic.id, target.topic);
    from.set(partitionKey(target), fetchOffset);
    const leaderRequests = byLeader.get(partition.leader) ?? [];
    byLeader.set(partition.leader, leaderRequests);
    leaderRequests.push({
      topicId: topic.id,
      partitions: [
        {
          partition: target.partition,
          fetchOffset,
          partitionMaxBytes: PARTITION_MAX_BYTES,
          currentLeaderEpoch: partition.leaderEpoch,
          lastFetchedEpoch: -1,
        },
      ],
    });
  }
  return { byLeader, names, from };
}
