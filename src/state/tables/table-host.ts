import { randomUUID } from 'node:crypto';

import type { Clock } from '../../clock/clock';
import type { RecordGate } from '../../codec/record-gate';
import type { TopicCodec } from '../../codec/topic-codec';
import { ConfigurationError } from '../../errors/configuration-error';
import type { Logger } from '../../logging/logger';
import { tableFeederGroupPrefix } from '../../model/consumer-group-names';
import type { MaterializeMetadata } from '../../model/service/materialize-metadata';
import type { TopicKey } from '../../model/topics/key-serde';
import type { Transport } from '../../transport/transport';
import {
  type RestoreProgressListener,
  type RestoreReporting,
  RestoreTracker,
} from '../restore-progress';
import { MaterializedTable } from './materialized-table';
import { MemoryTableStore } from './memory-table-store';
import { openPersistentTableStore } from './open-persistent-table-store';
import { PartitionedTableSync } from './partitioned-table-sync';
import { TableFeeder } from './table-feeder';
import type { TableStorageOptions } from './table-storage-options';
import { tableStoreDir } from './table-storage-options';
import type { TableStore } from './table-store';

export interface TableStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly lag: { partition: number; lag: number }[];
}

interface BuiltTable {
  readonly metadata: MaterializeMetadata;
  readonly table: MaterializedTable<TopicKey, unknown>;
}

/** The @Materialize tables of one service instance: built, caught up, injected, stopped. */
export class TableHost {
  readonly #service: string;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #values: TopicCodec;
  readonly #feeders: { name: string; feeder: TableFeeder<TopicKey, unknown> }[] = [];
  readonly #partitioned: { name: string; sync: PartitionedTableSync }[] = [];
  readonly #storage: TableStorageOptions;
  readonly #onRestoreProgress: RestoreProgressListener | undefined;
  /** Every store opened, closed on stop (persistent ones release their folder). */
  readonly #stores: TableStore<TopicKey, unknown>[] = [];
  /** The service's producer and key checks: a record its handlers would reject, a view skips. */
  readonly #gate: RecordGate | undefined;

  constructor(
    service: string,
    transport: Transport,
    clock: Clock,
    logger: Logger,
    values: TopicCodec,
    storage: TableStorageOptions = {},
    onRestoreProgress?: RestoreProgressListener,
    gate?: RecordGate,
  ) {
    this.#gate = gate;
    this.#storage = storage;
    this.#onRestoreProgress = onRestoreProgress;
    this.#service = service;
    this.#transport = transport;
    this.#clock = clock;
    this.#logger = logger;
    this.#values = values;
  }

  /**
   * Builds each table, waits until all caught up with the log's end at start, then defines each
   * as a read-only property of the instance (before onStart, so onStart can use them).
   */
  async start(
    instance: object,
    className: string,
    tables: readonly MaterializeMetadata[],
  ): Promise<void> {
    for (const metadata of tables) assertSupported(className, metadata);
    const built: BuiltTable[] = [];
    for (const metadata of tables) built.push(await this.#build(metadata));
    await Promise.all(this.#feeders.map(({ feeder }) => feeder.start()));
    for (const { metadata, table } of built) {
      Object.defineProperty(instance, metadata.property, {
        value: table.readOnlyView(),
        writable: false,
        enumerable: true,
        configurable: false,
      });
    }
  }

  async #build(metadata: MaterializeMetadata): Promise<BuiltTable> {
    const topic = metadata.topic;
    const name = `${this.#service}.${metadata.property}`;
    const logger = this.#logger.child({ table: name });
    const table = new MaterializedTable<TopicKey, unknown>(
      name,
      await this.#openStore(metadata, name, logger),
      this.#clock,
    );
    const reporting: RestoreReporting = {
      clock: this.#clock,
      logger,
      listener: this.#onRestoreProgress,
    };
    const tracker = (): RestoreTracker =>
      new RestoreTracker(reporting, { kind: 'table', name, topic: topic.name });
    if (metadata.mode === 'partitioned') {
      const sync = new PartitionedTableSync(
        topic,
        table,
        this.#transport,
        this.#values,
        logger,
        tracker,
        this.#gate,
      );
      this.#partitioned.push({ name, sync });
      return { metadata, table };
    }
    const groupId = `${tableFeederGroupPrefix(this.#service)}${topic.name}.${randomUUID()}`;
    const feeder = new TableFeeder(
      topic,
      table,
      this.#transport,
      groupId,
      logger,
      this.#values,
      tracker(),
      this.#gate,
    );
    this.#feeders.push({ name, feeder });
    return { metadata, table };
  }

  /** A memory store, or the table's persistent store under stateDir (resumed or emptied). */
  async #openStore(
    metadata: MaterializeMetadata,
    name: string,
    logger: Logger,
  ): Promise<TableStore<TopicKey, unknown>> {
    if (metadata.store === 'memory') {
      // Only a partitioned table gives partitions back (on revocation) and must find their rows.
      const store = new MemoryTableStore<TopicKey, unknown>({
        trackPartitions: metadata.mode === 'partitioned',
      });
      this.#stores.push(store);
      return store;
    }
    const dir = tableStoreDir(this.#storage, this.#service, metadata.property);
    const { store, rebuildReason } = await openPersistentTableStore<TopicKey, unknown>({
      table: name,
      dir,
      topic: metadata.topic.name,
      partitions: metadata.topic.partitions,
      rebuild: this.#storage.rebuildTables === true,
    });
    this.#stores.push(store);
    if (rebuildReason === undefined) {
      logger.info('persistent table resumes where it stopped', {
        dir,
        positions: Object.fromEntries(store.positions()),
      });
    } else {
      logger.info('persistent table is read from offset 0', { dir, reason: rebuildReason });
    }
    return store;
  }

  status(): TableStatus[] {
    return [
      ...this.#feeders.map(({ name, feeder }) => ({
        name,
        ready: feeder.ready,
        lag: feeder.lag(),
      })),
      ...this.#partitioned.map(({ name, sync }) => ({ name, ready: sync.ready, lag: [] })),
    ];
  }

  /** Partitioned tables: their topics join the service's consumer group. */
  get partitioned(): readonly PartitionedTableSync[] {
    return this.#partitioned.map(({ sync }) => sync);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#feeders.splice(0).map(({ feeder }) => feeder.stop()));
    await Promise.all(this.#stores.splice(0).map((store) => store.close()));
  }
}

function assertSupported(className: string, metadata: MaterializeMetadata): void {
  if (metadata.store === 'persistent' && metadata.mode === 'partitioned') {
    throw new ConfigurationError(
      `${className}.${metadata.property}: @Materialize with mode 'partitioned' and store 'persistent' is not available in this version: the partitions an instance holds change with every rebalance. Use store: 'memory' (read from the log on assignment), or mode: 'global' with store: 'persistent'.`,
    );
  }
}
