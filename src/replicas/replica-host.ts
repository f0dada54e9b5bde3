import type { Clock } from '../clock/clock';
import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import type { Logger } from '../logging/logger';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { Transport } from '../transport/transport';
import type { ReplicaDatabase } from './replica-database';
import type { ReplicaStatus } from './replica-feeder';
import { ReplicaFeeder } from './replica-feeder';
import { replicaFingerprint } from './replica-fingerprint';
import { ReplicaReader } from './replica-reader';
import { rebuildReplica } from './replica-rebuild';
import { prepareReplica, type ReplicaVersion } from './replica-versions';

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
      const reader = new ReplicaReader(
        this.#context.database,
        replica.table,
        replica.keyColumn,
        replica.inputs.map((input) => input.topic.name),
      );
      Object.defineProperty(instance, replica.property, {
        value: reader,
        writable: false,
        enumerable: true,
        configurable: true,
      });
    }
  }

  /**
   * Creates each table (a first version and the view readers read) or finds its live version,
   * rebuilds it when its mapping changed, then feeds it from the offsets its database holds.
   */
  async start(replicas: readonly ReplicaMetadata[]): Promise<void> {
    const { database } = this.#context;
    for (const replica of replicas) {
      const logger = this.#context.logger.child({ replica: replica.table });
      const live = await this.#live(replica, logger);
      const feeder = new ReplicaFeeder({ ...this.#context, replica, live, database, logger });
      this.#feeders.push(feeder);
      await feeder.start();
    }
  }

  /**
   * The live version, built under this code's mapping. A live version of another mapping is not
   * written in its old shape: a new version is built from offset 0 first (readers keep seeing the
   * old one meanwhile), the same path as `streamwise replicas rebuild`.
   */
  async #live(replica: ReplicaMetadata, logger: Logger): Promise<ReplicaVersion> {
    const fingerprint = replicaFingerprint(replica);
    const live = await prepareReplica(this.#context.database, replica, fingerprint);
    if (live.fingerprint === fingerprint) return live;
    logger.warn(
      `the mapping of replica "${replica.table}" changed since its live version ${live.version} was built: building a new version from offset 0 before feeding it (readers see version ${live.version} until then)`,
      { table: replica.table, was: live.fingerprint, now: fingerprint },
    );
    const result = await rebuildReplica(replica, { ...this.#context, logger });
    return result.current;
  }

  status(): ReplicaStatus[] {
    return this.#feeders.map((feeder) => feeder.status());
  }

  async stop(): Promise<void> {
    await Promise.all(this.#feeders.splice(0).map((feeder) => feeder.stop()));
  }
}
