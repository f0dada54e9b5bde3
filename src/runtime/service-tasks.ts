import type { StoreHost } from '../state/stores/store-host';
import type { PartitionedTableSync } from '../state/tables/partitioned-table-sync';
import type {
  DeliveredRecord,
  RecordBatch,
  RecordOutput,
  TopicPartition,
} from '../transport/transport';
import { PartitionLanes } from './partition-lanes';
import type { ServiceDispatcher } from './service-dispatcher';

/**
 * A service's partition tasks, as Kafka Streams has one task per partition number: task i owns
 * partition i of every co-partitioned input, its store shards and its table partitions, and runs
 * one record at a time (its lane) when it holds such state. A record's way in is
 * `handle`: the partitioned table it belongs to takes it first (so handlers see the change),
 * then the dispatcher. The transport owns offsets and outputs (see transport/partition-task.ts).
 */
export class ServiceTasks {
  readonly #dispatcher: ServiceDispatcher;
  readonly #stores: StoreHost;
  readonly #tables: ReadonlyMap<string, PartitionedTableSync>;
  readonly #lanes = new PartitionLanes();
  /** Aborted when the service stops: a restore in progress is abandoned, not awaited. */
  readonly #stopping: AbortSignal | undefined;
  /** Store shards or table partitions: records of one partition number must not overlap. */
  readonly hasPartitionState: boolean;

  constructor(
    dispatcher: ServiceDispatcher,
    stores: StoreHost,
    tables: readonly PartitionedTableSync[],
    stopping?: AbortSignal,
  ) {
    this.#dispatcher = dispatcher;
    this.#stopping = stopping;
    this.#stores = stores;
    this.#tables = new Map(tables.map((sync) => [sync.topic.name, sync]));
    this.hasPartitionState = stores.hasStores || tables.length > 0;
  }

  /** Every topic the service's consumer group reads: handled topics and partitioned tables. */
  get topics(): string[] {
    return [...new Set([...this.#dispatcher.topics, ...this.#tables.keys()])];
  }

  readonly handle = (record: DeliveredRecord, output: RecordOutput): Promise<void> =>
    this.hasPartitionState
      ? this.#lanes.run(record.partition, () => this.#work(record, output))
      : this.#dispatcher.handle(record, output);

  /**
   * A partition's records in one call (the memory transport's records in the log, a Kafka
   * fetch): straight to the dispatcher's loop when there is no partition state; undefined (one
   * `handle` per record) when lanes and table applies must wrap each record.
   */
  get handleBatch(): ((batch: RecordBatch) => Promise<void>) | undefined {
    return this.hasPartitionState ? undefined : this.#dispatcher.handleBatch;
  }

  /** New partitions: open and restore their store shards and table partitions. */
  async assigned(partitions: readonly TopicPartition[]): Promise<void> {
    await Promise.all([
      this.#stores.assigned(partitions, this.#stopping),
      ...[...this.#tables.values()].map((table) => table.assigned(partitions, this.#stopping)),
    ]);
  }

  async revoked(partitions: readonly TopicPartition[]): Promise<void> {
    this.#stores.revoked(partitions);
    await Promise.all([...this.#tables.values()].map((table) => table.revoked(partitions)));
  }

  /**
   * Outputs since the last commit were lost and their records come again: the state they changed
   * is dropped and restored from its changelog first, or it would count them twice. Tables need
   * nothing: they are rebuilt from their own topic, and applying a record again is idempotent.
   */
  async rollback(partitions: readonly TopicPartition[]): Promise<void> {
    await Promise.all(
      partitions.map((tp) =>
        this.#lanes.run(tp.partition, async () => {
          this.#stores.revoked([tp]);
          await this.#stores.assigned([tp], this.#stopping);
        }),
      ),
    );
  }

  async #work(record: DeliveredRecord, output: RecordOutput): Promise<void> {
    const table = this.#tables.get(record.topic);
    if (table !== undefined) await table.apply(record);
    await this.#dispatcher.handle(record, output);
  }
}
