import type { ServiceDescription } from '../../decorators/service-description';
import type { RetryOptions } from '../../decorators/retry-options';
import type { Clock } from '../clock/clock';
import { ServiceDispatcher } from '../dispatch/service-dispatcher';
import type { Logger } from '../logging/logger';
import type { OwnershipRegistry } from '../ownership/ownership-registry';
import type { TopicValues } from '../schema/topic-values';
import { Publisher } from '../publish/publisher';
import { bindServiceRuntime, unbindServiceRuntime } from '../service/service-runtime';
import type { StreamService } from '../service/stream-service';
import { StoreHost } from '../state/store-host';
import { TableHost } from '../state/table-host';
import type { TableStatus } from '../state/table-host';
import type { Subscription, Transport } from '../transport/transport';

export interface ServiceHostContext {
  readonly transport: Transport;
  readonly ownership: OwnershipRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retry: RetryOptions | undefined;
  readonly values: TopicValues;
}

/** Runs one service instance: its runtime binding, lifecycle hooks and consumer group. */
export class ServiceHost {
  readonly description: ServiceDescription;
  readonly instance: StreamService;
  readonly #context: ServiceHostContext;
  readonly #logger: Logger;
  #dispatcher: ServiceDispatcher | undefined;
  #subscription: Subscription | undefined;
  #tables: TableHost | undefined;

  constructor(
    description: ServiceDescription,
    instance: StreamService,
    context: ServiceHostContext,
  ) {
    this.description = description;
    this.instance = instance;
    this.#context = context;
    this.#logger = context.logger.child({ service: description.name });
  }

  get subscription(): Subscription | undefined {
    return this.#subscription;
  }

  /** Readiness and lag of each @Materialize table. */
  tables(): TableStatus[] {
    return this.#tables?.status() ?? [];
  }

  async start(): Promise<void> {
    const { transport, ownership, clock, values } = this.#context;
    bindServiceRuntime(this.instance, {
      name: this.description.name,
      publisher: new Publisher(this.description.name, transport, ownership, clock, values),
      logger: this.#logger,
    });
    this.#tables = new TableHost(this.description.name, transport, clock, this.#logger, values);
    await this.#tables.start(
      this.instance,
      this.description.className,
      this.description.materialized,
    );
    const stores = new StoreHost(this.description, transport);
    stores.inject(this.instance, this.description);
    await this.instance.onStart();
    const dispatcher = new ServiceDispatcher(this.description, this.instance, {
      ownership,
      clock,
      logger: this.#logger,
      defaultRetry: this.#context.retry,
      values,
    });
    this.#dispatcher = dispatcher;
    if (dispatcher.topics.length === 0) return;
    this.#subscription = await transport.subscribe({
      groupId: this.description.name,
      topics: dispatcher.topics,
      offsetReset: this.description.options.startFrom ?? 'earliest',
      exactlyOnce: this.description.options.exactlyOnce ?? false,
      handle: dispatcher.handle,
      ...(stores.hasStores
        ? {
            onAssigned: (partitions) => stores.assigned(partitions),
            onRevoked: (partitions) => stores.revoked(partitions),
          }
        : {}),
    });
    this.#logger.info('service started', {
      consumes: dispatcher.topics,
      owns: this.description.owns.map((t) => t.name),
    });
  }

  /** Stop fetching, finish in-flight records (abandoning retries), commit, leave, then onStop. */
  async stop(): Promise<void> {
    this.#dispatcher?.abort();
    await this.#subscription?.stop();
    this.#subscription = undefined;
    await this.#tables?.stop();
    try {
      await this.instance.onStop();
    } finally {
      unbindServiceRuntime(this.instance);
    }
    this.#logger.info('service stopped');
  }
}
