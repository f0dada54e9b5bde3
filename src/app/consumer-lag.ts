import type { Logger } from '../logging/logger';
import type { PartitionLag } from '../telemetry/consumer-lag-metrics';
import type { OffsetReset, Subscription, TopicPartition, Transport } from '../transport/transport';
import type { ServiceHost } from './service-host';

/** A running consumer group member, and where its group starts on a partition without commits. */
export interface LagSource {
  readonly subscription: Subscription;
  readonly offsetReset: OffsetReset;
}

/** The consumer group members of the app's running services. */
export function lagSources(hosts: readonly ServiceHost[]): LagSource[] {
  return hosts.flatMap(({ subscription, description }) =>
    subscription === undefined
      ? []
      : [{ subscription, offsetReset: description.options.startFrom ?? 'earliest' }],
  );
}

function byTopic(assignment: readonly TopicPartition[]): Map<string, number[]> {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of assignment) {
    topics.set(topic, [...(topics.get(topic) ?? []), partition]);
  }
  return topics;
}

async function lagOf(
  transport: Transport,
  { subscription, offsetReset }: LagSource,
): Promise<PartitionLag[]> {
  const lags: PartitionLag[] = [];
  const group = subscription.groupId;
  for (const [topic, partitions] of byTopic(subscription.assignment())) {
    const [ends, committed] = await Promise.all([
      transport.endOffsets(topic),
      transport.committedOffsets(group, topic),
    ]);
    // Without a commit the group reads from the log start ('earliest') or the end ('latest').
    const starts =
      offsetReset === 'earliest' && committed.some((offset) => offset === undefined)
        ? await transport.startOffsets(topic)
        : ends;
    for (const partition of partitions) {
      const position = committed[partition] ?? starts[partition];
      lags.push({ group, topic, partition, lag: Math.max(0, ends[partition] - position) });
    }
  }
  return lags;
}

/**
 * The lag of every partition the app's consumer groups hold now, from the transport's end and
 * committed offsets: two look-ups per topic per collection, nothing on the record path. A failed
 * look-up (the broker away) reports nothing for that group rather than failing the collection.
 */
export async function consumerLag(
  transport: Transport,
  sources: readonly LagSource[],
  logger: Logger,
): Promise<PartitionLag[]> {
  const results = await Promise.all(
    sources.map((source) =>
      lagOf(transport, source).catch((error: unknown) => {
        logger.debug('could not read consumer lag', { group: source.subscription.groupId, error });
        return [];
      }),
    ),
  );
  return results.flat();
}
