import { type CommitOptionsPartition, Consumer, FetchIsolationLevels } from '@platformatic/kafka';

import type { Logger } from '../../logging/logger';
import type { CommitOffsets } from '../fetched-batch';
import { CO_PARTITION_PROTOCOL } from '../kafka/co-partition-assigner';
import { retryWithin } from '../retry-within';
import { coPartitionAssigner } from './platformatic-assigner';
import {
  platformaticClientOptions,
  platformaticPrincipal,
  type ResolvedPlatformaticConfig,
} from './platformatic-config';
import { toPlatformaticTransportError } from './platformatic-errors';

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

/**
 * Joins the classic group. On a new cluster the group coordinator is not there yet
 * (__consumer_offsets is being created): it is waited for within startupTimeoutMs, as
 * KafkaTransport does.
 */
export async function joinClassicGroup(
  consumer: Consumer,
  groupId: string,
  config: ResolvedPlatformaticConfig,
  { logger, stopped }: { readonly logger: Logger; readonly stopped: () => boolean },
): Promise<void> {
  const action = `join group "${groupId}"`;
  const principal = platformaticPrincipal(config);
  await retryWithin(
    () =>
      consumer.joinGroup({}).catch((error: unknown) => {
        throw toPlatformaticTransportError(error, action, principal);
      }),
    {
      waitingFor: `the coordinator of group "${groupId}"`,
      deadlineMs: config.startupTimeoutMs,
      logger,
      stopped,
    },
  );
}
