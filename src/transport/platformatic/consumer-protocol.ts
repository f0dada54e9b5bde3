import type { Consumer } from '@platformatic/kafka';

import { ConfigurationError } from '../../errors/configuration-error';
import type { Logger } from '../../logging/logger';
import type { CommitOffsets } from '../fetched-batch';
import type { KafkaBatchLoop } from '../kafka/kafka-batch-loop';
import { errorMessage } from '../kafka/kafka-errors';
import { partitionKey } from '../partition-key';
import type { RebalanceCallbacks } from '../rebalance-callbacks';
import type { RecordProcessor } from '../record-processor';
import type { RedeliveryPauses } from '../redelivery-pauses';
import type { TopicPartition } from '../transport';
import { ConsumerGroupMember } from './consumer-group-member';
import { GroupCoordinatorLink } from './group-coordinator-link';
import { IncrementalAssignment } from './incremental-assignment';
import type { PartitionPositions } from './partition-positions';
import type { ResolvedPlatformaticConfig } from './platformatic-config';
import { platformaticErrorType } from './platformatic-errors';
import type { MembershipHold } from './platformatic-transactions';

/**
 * The broker-side assignor a KIP-848 member asks for. Kafka's server-side `range` assignor gives
 * partition p of every topic with the same partition count to one member when the members
 * subscribe to the same topics (its documented co-partitioning property); `uniform` balances
 * partitions without that promise.
 */
export const CONSUMER_PROTOCOL_ASSIGNOR = 'range';

export interface ConsumerProtocolDeps {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly config: ResolvedPlatformaticConfig;
  readonly consumer: Consumer;
  readonly positions: PartitionPositions;
  readonly batches: () => KafkaBatchLoop;
  readonly pauses: RedeliveryPauses;
  readonly callbacks: RebalanceCallbacks;
  readonly processor: RecordProcessor;
  readonly logger: Logger;
  readonly wake: () => void;
}

/** A subscription's KIP-848 membership: the group member and its incremental assignment. */
export function consumerProtocol(deps: ConsumerProtocolDeps): {
  member: ConsumerGroupMember;
  incremental: IncrementalAssignment;
  /** At stop: revoke what is held (committing it), then leave the group. */
  leave: () => Promise<void>;
  /** An exactly-once batch's hold on the membership (see platformatic-exactly-once.ts). */
  hold: (partition: TopicPartition) => MembershipHold;
} {
  const { consumer, positions, logger, topics } = deps;
  const metadata = async (refresh: boolean) => {
    if (refresh) consumer.clearMetadata();
    return consumer.metadata({ topics: [...topics] });
  };
  const commit = async (offsets: CommitOffsets): Promise<void> => {
    await member.commit(offsets);
    positions.committed(offsets);
  };
  const incremental = new IncrementalAssignment({
    groupId: deps.groupId,
    callbacks: deps.callbacks,
    backoff: deps.config.redeliveryBackoff,
    logger,
    assignor: CONSUMER_PROTOCOL_ASSIGNOR,
    // Exactly-once offsets are committed in their transactions only, never outside one.
    uncommitted: (partitions) =>
      deps.processor.consumerCommits ? only(positions.uncommitted(), partitions) : { topics: [] },
    commit,
    release: async (partitions) => {
      for (const target of partitions) {
        positions.forget(target);
        deps.batches().forgetFloor(partitionKey(target));
        deps.pauses.forget(partitionKey(target));
      }
      await deps.processor.release(partitions).catch((error: unknown) => {
        logger.warn('releasing revoked partitions failed', { error: errorMessage(error) });
      });
    },
    partitionCounts: async () => {
      const { topics: found } = await metadata(false);
      return new Map([...found].map(([name, topic]) => [name, topic.partitionsCount]));
    },
    wake: deps.wake,
  });
  const link = new GroupCoordinatorLink(deps.config, deps.groupId);
  const member = new ConsumerGroupMember({
    link,
    groupId: deps.groupId,
    topics,
    rebalanceTimeoutMs: deps.config.consumer.rebalanceTimeoutMs,
    assignor: CONSUMER_PROTOCOL_ASSIGNOR,
    topicNames: async (refresh) => {
      const { topics: found } = await metadata(refresh);
      return new Map([...found].map(([name, topic]) => [topic.id, name]));
    },
    host: incremental,
    logger,
  });
  const leave = async (): Promise<void> => {
    incremental.close();
    await incremental.revoke(incremental.assignment(), false);
    await member.leave();
  };
  const hold = (partition: TopicPartition): MembershipHold => {
    const fencings = member.fencings;
    const key = partitionKey(partition);
    return {
      current: () => {
        // The epoch now, not the batch's first: a rebalance that left the partition here bumped
        // it. At the member's current epoch the coordinator takes a commit of any partition (it
        // checks the partition only for an older epoch), so a partition given up is refused here.
        const held =
          member.fencings === fencings &&
          member.epoch > 0 &&
          member.owned().some((owned) => partitionKey(owned) === key);
        if (!held) return undefined;
        const { memberId, epoch: generationId } = member;
        return { consumer, generationId, memberId };
      },
    };
  };
  return { member, incremental, leave, hold };
}

function only(offsets: CommitOffsets, partitions: readonly TopicPartition[]): CommitOffsets {
  const keys = new Set(partitions.map(partitionKey));
  return {
    topics: offsets.topics
      .map(({ topic, partitions: entries }) => ({
        topic,
        partitions: entries.filter(({ partition }) => keys.has(partitionKey({ topic, partition }))),
      }))
      .filter((entry) => entry.partitions.length > 0),
  };
}

/** A broker that does not run KIP-848 groups answers the first heartbeat UNSUPPORTED_VERSION. */
export function unsupportedConsumerProtocol(error: unknown, groupId: string): void {
  if (platformaticErrorType(error) !== 'UNSUPPORTED_VERSION') return;
  throw new ConfigurationError(
    `PlatformaticKafkaTransport: group "${groupId}" cannot join with groupProtocol "consumer": the broker does not run the KIP-848 consumer group protocol. It needs Kafka 4.0 or later with "consumer" in group.coordinator.rebalance.protocols (the default); or use groupProtocol "classic".`,
  );
}
