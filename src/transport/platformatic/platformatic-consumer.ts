import { type CommitOptionsPartition, Consumer, FetchIsolationLevels } from '@platformatic/kafka';

import type { CommitOffsets } from '../fetched-batch';
import { CO_PARTITION_PROTOCOL } from '../kafka/co-partition-assigner';
import { coPartitionAssigner } from './platformatic-assigner';
import { platformaticClientOptions, type ResolvedPlatformaticConfig } from './platformatic-config';

/**
 * The client a subscription fetches with, and (classic protocol) its group membership with the
 * co-partitioning assignor. A KIP-848 subscription never makes it join: it only fetches.
 */
export function groupConsumer(config: ResolvedPlatformaticConfig, groupId: string): Consumer {
  const { consumer } = config;
  return new Consumer({
    ...platformaticClientOptions(config, 'consumer'),
    groupId,
    autocommit: false,
    sessionTimeout: consumer.sessionTimeoutMs,
    heartbeatInterval: consumer.heartbeatIntervalMs,
    rebalanceTimeout: consumer.rebalanceTimeoutMs,
    maxWaitTime: consumer.maxWaitTimeMs,
    // read_committed: aborted transactional writes are never delivered.
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    protocols: [{ name: CO_PARTITION_PROTOCOL, version: 0 }],
    partitionAssigner: coPartitionAssigner,
  });
}

/** Commit offsets in the client's shape. */
export function commitEntries(offsets: CommitOffsets): CommitOptionsPartition[] {
  return offsets.topics.flatMap(({ topic, partitions }) =>
    partitions.map(({ partition, offset }) => ({
      topic,
      partition,
      offset: BigInt(offset),
      leaderEpoch: -1,
    })),
  );
}
