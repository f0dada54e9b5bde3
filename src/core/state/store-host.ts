import type { ServiceDescription } from '../../decorators/service-description';
import { ConfigurationError } from '../errors/configuration-error';
import { textKeySerde } from '../topic/key-serde';
import type { TopicKey } from '../topic/key-serde';
import type { TopicPartition, TopicSpec, Transport } from '../transport/transport';
import { changelogTopicName } from './changelog-topic';
import { restoreChangelog } from './changelog-restorer';
import { PartitionedStateStore } from './partitioned-state-store';
import type { StreamStateMetadata } from '../../decorators/windowed';
import { WindowJoin } from '../stream/window-join';
import { WindowedAggregator } from '../stream/windowed-aggregator';
import type { ChangelogEngine } from './changelog-engine';
import { EngineStateStore } from './engine-state-store';
import { JoinStore } from './join-store';
import { WindowedStore } from './windowed-store';

/**
 * The @State stores of one service instance. Shards follow the consumer group's assignment: on
 * assignment the new partitions are restored from their changelog before any record is handled
 * (the transports run onAssigned first); on revocation their shards are dropped.
 */
export class StoreHost {
  readonly #transport: Transport;
  readonly #stores: PartitionedStateStore<TopicKey, unknown>[];
  readonly #engines: { metadata: StreamStateMetadata; store: EngineStateStore<ChangelogEngine> }[];

  constructor(description: ServiceDescription, transport: Transport) {
    this.#transport = transport;
    const partitions = storePartitions(description);
    this.#stores = description.stores.map(
      (store) =>
        new PartitionedStateStore<TopicKey, unknown>(
          description.name,
          store.name,
          changelogTopicName(description.name, store.name),
          partitions,
          textKeySerde(store.keyType),
        ),
    );
    this.#engines = description.streamStates.map((metadata) => ({
      metadata,
      store: new EngineStateStore<ChangelogEngine>(
        description.name,
        metadata.name,
        changelogTopicName(description.name, metadata.name),
        () => createEngine(metadata),
      ),
    }));
  }

  get hasStores(): boolean {
    return this.#stores.length > 0 || this.#engines.length > 0;
  }

  /** Defines each store as a read-only property of the instance (the store itself is writable). */
  inject(instance: object, description: ServiceDescription): void {
    description.stores.forEach((metadata, index) => {
      Object.defineProperty(instance, metadata.property, {
        value: this.#stores[index],
        writable: false,
        enumerable: true,
        configurable: false,
      });
    });
  }
  /** Defines each stream state (windows, joins) as a read-only property of the instance. */
  injectStreamStates(instance: object): void {
    for (const { metadata, store } of this.#engines) {
      Object.defineProperty(instance, metadata.property, {
        value:
          metadata.kind === 'windowed'
            ? new WindowedStore(store as never, metadata.options.window)
            : new JoinStore(store as never, metadata.options.graceMs ?? 0),
        writable: false,
        enumerable: true,
        configurable: false,
      });
    }
  }

  async assigned(assignment: readonly TopicPartition[]): Promise<void> {
    const partitions = [...new Set(assignment.map((tp) => tp.partition))];
    await Promise.all(
      this.#engines.map(({ store }) => store.assigned(assignment, this.#transport)),
    );
    await Promise.all(
      this.#stores.map(async (store) => {
        const fresh = partitions.filter((p) => !store.heldPartitions().includes(p));
        for (const partition of fresh) store.openShard(partition);
        await restoreChangelog(this.#transport, store.changelogTopic, fresh, (record) => {
          if (record.key !== null) store.restore(record.partition, record.key, record.value);
        });
      }),
    );
  }

  revoked(revoked: readonly TopicPartition[]): void {
    for (const { store } of this.#engines) store.revoked(revoked);
    for (const store of this.#stores) {
      for (const partition of new Set(revoked.map((tp) => tp.partition)))
        store.dropShard(partition);
    }
  }
}

/** Store shards follow input partitions, so every handled topic must have the same count. */
export function storePartitions(description: ServiceDescription): number {
  if (description.stores.length === 0 && description.streamStates.length === 0) return 0;
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
  return [...description.stores, ...description.streamStates].map((store) => ({
    name: changelogTopicName(description.name, store.name),
    partitions,
    compacted: true,
  }));
}

function createEngine(metadata: StreamStateMetadata): ChangelogEngine {
  return metadata.kind === 'windowed'
    ? new WindowedAggregator(metadata.options)
    : new WindowJoin(metadata.options);
}
