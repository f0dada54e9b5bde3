import type { Clock } from '../clock/clock';
import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import type { Logger } from '../logging/logger';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { Transport } from '../transport/transport';
import type { ReplicaDatabase } from './replica-database';
import type { ReplicaStatus } from './replica-feeder';
import { ReplicaFeeder } from './replica-feeder';
import { ReplicaReader } from './replica-reader';
import { prepareReplicaTable } from './replica-table';

export interface ReplicaHostContext {
  readonly service: string;
  readonly transport: Transport;
  readonly database: ReplicaDatabase;
  readonly values: TopicCodec;
  readonly gate: RecordGate;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The @Replicate tables of one service instance: readers injected, tables fed, stopped. */
export class ReplicaHost {
  readonly #context: ReplicaHostContext;
  readonly #feeders: ReplicaFeeder[] = [];

  constructor(context: ReplicaHostContext) {
    this.#context = context;
  }

  /** Readers go in before onStart, so the service can read its tables from the first moment. */
  inject(instance: object, replicas: readonly ReplicaMetadata[]): void {
    for (const replica of replicas) {
      const reader = new ReplicaReader(this.#context.database, replica.table, replica.keyColumn);
      Object.defineProperty(instance, replica.property, {
        value: reader,
        writable: false,
        enumerable: true,
        configurable: true,
      });
    }
  }

  /** Creates or checks each table, then feeds it from the offsets its database holds. */
  async start(replicas: readonly ReplicaMetadata[]): Promise<void> {
    const { database } = this.#context;
    for (const replica of replicas) {
      await prepareReplicaTable(database, replica);
      const feeder = new ReplicaFeeder({
        ...this.#context,
        replica,
        database,
        logger: this.#context.logger.child({ replica: replica.table }),
      });
      this.#feeders.push(feeder);
      await feeder.start();
    }
  }

  status(): ReplicaStatus[] {
    return this.#feeders.map((feeder) => feeder.status());
  }

  async stop(): Promise<void> {
    await Promise.all(this.#feeders.splice(0).map((feeder) => feeder.stop()));
  }
}
