import type { Meter } from '@opentelemetry/api';

import type { Clock } from '../clock/clock';
import { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import { ConfigurationError } from '../errors/configuration-error';
import type { PartitionClaims } from '../http/partition-claims';
import type { Logger } from '../logging/logger';
import type { RetryOptions } from '../model/service/retry-options';
import { hasRoutedQueries } from '../model/service/routed-queries';
import type { ServiceDescription } from '../model/service/service-description';
import type { EnvelopeHeaders } from '../model/topics/envelope-header';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import type { ReplicaDatabase } from '../replicas/replica-database';
import type { ReplicaStatus } from '../replicas/replica-feeder';
import { ReplicaHost } from '../replicas/replica-host';
import { requireReplicaDatabase } from '../replicas/require-replica-database';
import { Publisher } from '../runtime/publisher';
import { ServiceDispatcher } from '../runtime/service-dispatcher';
import { bindServiceRuntime, unbindServiceRuntime } from '../runtime/service-runtime';
import { ServiceTasks } from '../runtime/service-tasks';
import type { StreamService } from '../runtime/stream-service';
import { type TopicWriters, warnUnownedTopics } from '../runtime/topic-writers';
import type { RestoreProgressListener } from '../state/restore-progress';
import { StoreHost } from '../state/stores/store-host';
import type { TableStatus } from '../state/tables/table-host';
import { TableHost } from '../state/tables/table-host';
import type { TableStorageOptions } from '../state/tables/table-storage-options';
import type { ConsumerSpanParent } from '../telemetry/messaging-tracing';
import type { Subscription, TopicPartition, Transport } from '../transport/transport';
import { AssignmentRestores } from './assignment-restores';
import type { ShutdownProgress } from './shutdown-progress';
import { stoppedDuringStart } from './stopped-during-start';

export interface ServiceHostContext {
  readonly transport: Transport;
  readonly writers: TopicWriters;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retry: RetryOptions | undefined;
  readonly values: TopicCodec;
  /** Where instances advertise the partitions they hold, when some query is key-routed. */
  readonly registry?: PartitionClaims;
  /** Where persistent @Materialize tables live, and whether they are rebuilt at start. */
  readonly tableStorage?: TableStorageOptions;
  /** Told how far each view and store restore got (the app option onRestoreProgress). */
  readonly onRestoreProgress?: RestoreProgressListener;
  /** The app's policy for records without a producer (topics may set their own). */
  readonly unsignedRecords?: UnsignedRecordsPolicy;
  readonly consumerSpans?: ConsumerSpanParent;
  /** Where @Replicate tables live (the app option replicaDatabase). */
  readonly replicaDatabase?: ReplicaDatabase;
  /** The app's own meter (metrics.prometheus); the global provider's otherwise. */
  readonly meter?: Meter;
  /** How publishes write the envelope (the app option envelopeHeaders). */
  readonly envelopeHeaders?: EnvelopeHeaders;
}

/** Runs one service instance: its runtime binding, lifecycle hooks and consumer group. */
export class ServiceHost {
  readonly description: ServiceDescription;
  readonly instance: StreamService;
  /** Whether partitions wait for a state restore that failed (readiness). */
  readonly restores: AssignmentRestores;
  readonly #context: ServiceHostContext;
  readonly #logger: Logger;
  #dispatcher: ServiceDispatcher | undefined;
  #subscription: Subscription | undefined;
  #tables: TableHost | undefined;
  #replicas: ReplicaHost | undefined;
  #started = false;
  /** Aborted by stop(): restores still running are abandoned instead of holding the stop. */
  #stopping = new AbortController();

  constructor(
    description: ServiceDescription,
    instance: StreamService,
    context: ServiceHostContext,
  ) {
    this.description = description;
    this.instance = instance;
    this.#context = context;
    this.#logger = context.logger.child({ service: description.name });
    this.restores = new AssignmentRestores(description.name);
  }

  get subscription(): Subscription | undefined {
    return this.#subscription;
  }

  /** Readiness and lag of each @Materialize table. */
  tables(): TableStatus[] {
    return this.#tables?.status() ?? [];
  }

  /** Readiness of each @Replicate table. */
  replicas(): ReplicaStatus[] {
    return this.#replicas?.status() ?? [];
  }

  async start(): Promise<void> {
    this.#started = true;
    this.#stopping = new AbortController();
    const { transport, writers, clock, values } = this.#context;
    warnUnownedTopics(writers, this.description.consumes, this.#logger);
    bindServiceRuntime(this.instance, {
      name: this.description.name,
      publisher: new Publisher(this.description.name, transport, writers, clock, values, {
        meter: this.#context.meter,
        envelopeHeaders: this.#context.envelopeHeaders,
      }),
      logger: this.#logger,
    });
    this.#tables = new TableHost(
      this.description.name,
      transport,
      clock,
      this.#logger,
      values,
      this.#context.tableStorage,
      this.#context.onRestoreProgress,
      new RecordGate({
        ownerOf: (topic) => writers.ownerOf(topic),
        unsignedRecords: this.#context.unsignedRecords,
        onForeignProducer: this.description.options.onForeignProducer,
        logger: this.#logger,
      }),
    );
    await this.#tables.start(
      this.instance,
      this.description.className,
      this.description.materialized,
    );
    this.#throwIfStopping();
    const stores = new StoreHost(this.description, transport, {
      clock,
      logger: this.#logger,
      listener: this.#context.onRestoreProgress,
    });
    stores.inject(this.instance, this.description);
    stores.injectWindowedStores(this.instance);
    await this.#startReplicas();
    this.#throwIfStopping();
    await this.instance.onStart();
    this.#throwIfStopping();
    const dispatcher = new ServiceDispatcher(this.description, this.instance, {
      writers,
      clock,
      logger: this.#logger,
      defaultRetry: this.#context.retry,
      values,
      unsignedRecords: this.#context.unsignedRecords,
      consumerSpans: this.#context.consumerSpans,
      meter: this.#context.meter,
    });
    this.#dispatcher = dispatcher;
    const tables = this.#tables.partitioned;
    assertCoPartitioned(
      this.description,
      tables.map((sync) => sync.topic),
    );
    const tasks = new ServiceTasks(dispatcher, stores, tables, this.#stopping.signal);
    const topics = tasks.topics;
    if (topics.length === 0) return;
    const registry = hasRoutedQueries(this.description) ? this.#context.registry : undefined;
    const service = this.description.name;
    const routingTopic = topics[0];
    // The claim is every partition held: an incremental rebalance (KIP-848) revokes and assigns
    // only the partitions that move, so the claim follows both callbacks, not the last one.
    const held = new Set<number>();
    const claim = (): Promise<void> => registry?.claim(service, [...held]) ?? Promise.resolve();
    const routed = (partitions: readonly TopicPartition[]): number[] =>
      partitions.filter((tp) => tp.topic === routingTopic).map((tp) => tp.partition);
    this.#subscription = await transport.subscribe({
      groupId: this.description.name,
      topics,
      offsetReset: this.description.options.startFrom ?? 'earliest',
      exactlyOnce: this.description.options.exactlyOnce ?? false,
      concurrency: this.description.options.concurrency?.perPartition ?? 1,
      handle: tasks.handle,
      handleBatch: tasks.handleBatch,
      ...(tasks.hasPartitionState || registry !== undefined
        ? {
            onAssigned: (partitions) =>
              this.restores.attempt(partitions, async () => {
                await tasks.assigned(partitions);
                // Claimed only once the data is restored: a forwarded query finds it complete.
                for (const partition of routed(partitions)) held.add(partition);
                await claim();
              }),
            onRollback: (partitions) => tasks.rollback(partitions),
            onRevoked: async (partitions) => {
              this.restores.revoked(partitions);
              await tasks.revoked(partitions);
              for (const partition of routed(partitions)) held.delete(partition);
              await claim();
            },
          }
        : {}),
    });
    if (this.#stopping.signal.aborted) {
      // stop() came during the join and found no subscription to stop yet.
      await this.#subscription.stop();
      this.#subscription = undefined;
      throw stoppedDuringStart();
    }
    this.#logger.info('service started', {
      consumes: dispatcher.topics,
      owns: this.description.owns.map((t) => t.name),
    });
  }

  /** Stop fetching, finish in-flight records (abandoning retries), commit, leave, then onStop. */
  async stop(progress: ShutdownProgress): Promise<void> {
    if (!this.#started) return;
    this.#stopping.abort();
    this.#dispatcher?.abort();
    const step = <T>(what: string, work: () => Promise<T>): Promise<T> =>
      progress.step(`service "${this.description.name}": ${what}`, work);
    const subscription = this.#subscription;
    if (subscription !== undefined) {
      await step('finishing its records in flight, committing and leaving its group', () =>
        subscription.stop(),
      );
    }
    this.#subscription = undefined;
    this.#dispatcher?.flushLogs();
    const registry = this.#context.registry;
    if (hasRoutedQueries(this.description) && registry !== undefined) {
      await step('withdrawing its partition claim', () =>
        registry
          .withdraw(this.description.name)
          .catch((error: unknown) =>
            this.#logger.warn('could not withdraw the partition claim', { error }),
          ),
      );
    }
    const replicas = this.#replicas;
    if (replicas !== undefined) await step('stopping its replicas', () => replicas.stop());
    const tables = this.#tables;
    if (tables !== undefined) await step('closing its tables', () => tables.stop());
    try {
      await step('its onStop()', () => Promise.resolve(this.instance.onStop()));
    } finally {
      unbindServiceRuntime(this.instance);
    }
    this.#logger.info('service stopped');
  }

  #throwIfStopping(): void {
    if (this.#stopping.signal.aborted) throw stoppedDuringStart();
  }

  /** Each replica reads with a group of its own; the service's record path is not involved. */
  async #startReplicas(): Promise<void> {
    const { replicas, options } = this.description;
    if (replicas.length === 0) return;
    const database = requireReplicaDatabase([this.description], this.#context.replicaDatabase);
    if (database === undefined) return;
    const { transport, writers, clock, values } = this.#context;
    this.#replicas = new ReplicaHost({
      service: this.description.name,
      transport,
      database,
      values,
      gate: new RecordGate({
        ownerOf: (topic) => writers.ownerOf(topic),
        unsignedRecords: this.#context.unsignedRecords,
        onForeignProducer: options.onForeignProducer,
        logger: this.#logger,
      }),
      clock,
      logger: this.#logger,
    });
    this.#replicas.inject(this.instance, replicas);
    await this.#replicas.start(replicas);
  }
}

/** A partitioned table holds the partitions of the inputs it sits beside: same counts required. */
function assertCoPartitioned(
  description: ServiceDescription,
  tables: readonly TopicDefinition[],
): void {
  const counts = new Set([
    ...description.handlers.map((h) => h.topic.partitions),
    ...tables.map((t) => t.partitions),
  ]);
  if (tables.length > 0 && counts.size > 1) {
    throw new ConfigurationError(
      `${description.className} has partitioned @Materialize tables, so its tables and the topics it handles must have the same number of partitions (found ${[...counts].join(', ')}). Use mode 'global', or co-partition the topics.`,
    );
  }
}
