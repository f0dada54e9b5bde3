import type { TopicDefinition } from '../topics/topic-definition';
import type { EventHandlerMetadata } from './handler-metadata';
import type { MaterializeMetadata } from './materialize-metadata';
import type { QueryMetadata } from './query-metadata';
import type { ReplicaMetadata } from './replica-metadata';
import type { ServiceOptions } from './service-options';
import type { StateStoreMetadata } from './state-store-metadata';
import type { WindowedStoreMetadata } from './windowed-store-metadata';

/** Everything the decorators recorded about one service class, validated. */
export interface ServiceDescription {
  readonly target: abstract new (...args: never[]) => object;
  readonly className: string;
  readonly name: string;
  readonly options: ServiceOptions;
  readonly owns: readonly TopicDefinition[];
  readonly handlers: readonly EventHandlerMetadata[];
  readonly materialized: readonly MaterializeMetadata[];
  /** @Replicate tables in a database, each fed by a consumer group of its own. */
  readonly replicas: readonly ReplicaMetadata[];
  readonly queries: readonly QueryMetadata[];
  readonly stores: readonly StateStoreMetadata[];
  /** @Windowed aggregations and @WindowedJoin joins. */
  readonly windowedStores: readonly WindowedStoreMetadata[];
  /** Topics the service reads: handler inputs, materialized views and replicas, without repeats. */
  readonly consumes: readonly TopicDefinition[];
}
