import { ConfigurationError } from '../errors/configuration-error';
import type { TopicSpec } from '../transport/transport';
import type { ServiceDescription } from './service/service-description';

/** The compacted topic that records every change of a service's state store. */
export function changelogTopicName(service: string, store: string): string {
  return `${service}-${store}-changelog`;
}

/** Store shards follow input partitions, so every handled topic must have the same count. */
export function storePartitions(description: ServiceDescription): number {
  if (description.stores.length === 0 && description.windowedStores.length === 0) return 0;
  const counts = [...new Set(description.handlers.map((h) => h.topic.partitions))];
  if (counts.length !== 1) {
    throw new ConfigurationError(
      counts.length === 0
        ? `${description.className} has a @State, @Windowed or @WindowedJoin store but no @EventHandler: only handlers can write stores.`
        : `${description.className} has @State stores, so every topic it handles must have the same number of partitions (found ${counts.join(', ')}); co-partition its inputs.`,
    );
  }
  return counts[0];
}

/** The compacted changelog topics of a service's stores. */
export function changelogSpecs(description: ServiceDescription): TopicSpec[] {
  const partitions = storePartitions(description);
  return [...description.stores, ...description.windowedStores].map((store) => ({
    name: changelogTopicName(description.name, store.name),
    partitions,
    compacted: true,
  }));
}
