import { randomUUID } from 'node:crypto';
import type { MaterializeMetadata } from '../../decorators/materialize';
import type { Clock } from '../clock/clock';
import { ConfigurationError } from '../errors/configuration-error';
import type { Logger } from '../logging/logger';
import type { TopicKey } from '../topic/key-serde';
import type { TopicValues } from '../schema/topic-values';
import type { Transport } from '../transport/transport';
import { MaterializedTable } from './materialized-table';
import { MemoryTableStore } from './memory-table-store';
import { PartitionedTableSync } from './partitioned-table-sync';
import { TableFeeder } from './table-feeder';

export interface TableStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly lag: { partition: number; lag: number }[];
}

/** The @Materialize tables of one service instance: built, caught up, injected, stopped. */
export class TableHost {
  readonly #service: string;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #values: TopicValues;
  readonly #feeders: { name: string; feeder: TableFeeder<TopicKey, unknown> }[] = [];
  readonly #partitioned: { name: string; sync: PartitionedTableSync }[] = [];

  constructor(
    service: string,
    transport: Transport,
    clock: Clock,
    logger: Logger,
    values: TopicValues,
  ) {
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
    const built = tables.map((metadata) => {
      assertSupported(className, metadata);
      const topic = metadata.topic;
      const name = `${this.#service}.${metadata.property}`;
      const table = new MaterializedTable<TopicKey, unknown>(
        name,
        new MemoryTableStore(),
        this.#clock,
      );
      const logger = this.#logger.child({ table: name });
      if (metadata.mode === 'partitioned') {
        const sync = new PartitionedTableSync(topic, table, this.#transport, this.#values, logger);
        this.#partitioned.push({ name, sync });
        return { metadata, table };
      }
      const groupId = `${this.#service}.table.${topic.name}.${randomUUID()}`;
      const feeder = new TableFeeder(topic, table, this.#transport, groupId, logger, this.#values);
      this.#feeders.push({ name, feeder });
      return { metadata, table };
    });
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
  }
}

function assertSupported(className: string, metadata: MaterializeMetadata): void {
  if (metadata.store !== 'memory') {
    throw new ConfigurationError(
      `${className}.${metadata.property}: @Materialize with store '${metadata.store}' is not available in this version; use store: 'memory' (the default), which rebuilds the view from the log at start.`,
    );
  }
}
