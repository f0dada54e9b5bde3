import { changelogTopicName, storePartitions } from '../../model/changelog-topic';
import type { ServiceDescription } from '../../model/service/service-description';
import type { WindowedStoreMetadata } from '../../model/service/windowed-store-metadata';
import type { TopicKey } from '../../model/topics/key-serde';
import { textKeySerde } from '../../model/topics/key-serde';
import type { TopicPartition, Transport } from '../../transport/transport';
import { restoreChangelog } from '../changelog-restorer';
import { type RestoreReporting, RestoreTracker } from '../restore-progress';
import type { ChangelogEngine } from '../windows/changelog-engine';
import { EngineStateStore } from '../windows/engine-state-store';
import { JoinStore } from '../windows/join-store';
import { WindowJoin } from '../windows/window-join';
import { WindowedAggregator } from '../windows/windowed-aggregator';
import { WindowedStore } from '../windows/windowed-store';
import { PartitionedStateStore } from './partitioned-state-store';

/**
 * The @State stores of one service instance. Shards follow the consumer group's assignment: on
 * assignment the new partitions are restored from their changelog before any record is handled
 * (the transports run onAssigned first); on revocation their shards are dropped.
 */
export class StoreHost {
  readonly #transport: Transport;
  readonly #service: string;
  readonly #reporting: RestoreReporting | undefined;
  readonly #stores: PartitionedStateStore<TopicKey, unknown>[];
  readonly #engines: {
    metadata: WindowedStoreMetadata;
    store: EngineStateStore<ChangelogEngine>;
  }[];

  /** `reporting`: where the progress of each changelog restore goes (none when undefined). */
  constructor(description: ServiceDescription, transport: Transport, reporting?: RestoreReporting) {
    this.#transport = transport;
    this.#service = description.name;
    this.#reporting = reporting;
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
    this.#engines = description.windowedStores.map((metadata) => ({
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
  injectWindowedStores(instance: object): void {
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

  /** Opens and restores the new partitions' shards; `signal` abandons the restores (a stop). */
  async assigned(assignment: readonly TopicPartition[], signal?: AbortSignal): Promise<void> {
    const partitions = [...new Set(assignment.map((tp) => tp.partition))];
    await Promise.all(
      this.#engines.map(({ store }) =>
        store.assigned(assignment, this.#transport, this.#tracker(store), signal),
      ),
    );
    await Promise.all(
      this.#stores.map(async (store) => {
        const fresh = partitions.filter((p) => !store.heldPartitions().includes(p));
        for (const partition of fresh) store.openShard(partition);
        try {
          await restoreChangelog(
            this.#transport,
            store.changelogTopic,
            fresh,
            (record) => {
              if (record.key !== null) store.restore(record.partition, record.key, record.value);
            },
            { tracker: this.#tracker(store), signal },
          );
        } catch (error) {
          // Not restored: drop the half-filled shards, so the next attempt restores them afresh
          // instead of taking them as held.
          for (const partition of fresh) store.dropShard(partition);
          throw error;
        }
      }),
    );
  }

  #tracker(store: { name: string; changelogTopic: string }): RestoreTracker | undefined {
    if (this.#reporting === undefined) return undefined;
    return new RestoreTracker(this.#reporting, {
      kind: 'store',
      name: `${this.#service}.${store.name}`,
      topic: store.changelogTopic,
    });
  }

  revoked(revoked: readonly TopicPartition[]): void {
    for (const { store } of this.#engines) store.revoked(revoked);
    for (const store of this.#stores) {
      for (const partition of new Set(revoked.map((tp) => tp.partition)))
        store.dropShard(partition);
    }
  }
}

function createEngine(metadata: WindowedStoreMetadata): ChangelogEngine {
  return metadata.kind === 'windowed'
    ? new WindowedAggregator(metadata.options)
    : new WindowJoin(metadata.options);
}
