import type { TopicDefinition } from '../core/topic/topic-definition';
import type { EventHandlerMetadata } from './event-handler';
import type { MaterializeMetadata } from './materialize';
import type { QueryMetadata } from './query';
import type { ServiceOptions } from './service-options';
import type { StateStoreMetadata } from './state';
import type { StreamStateMetadata } from './windowed';

/** Everything the decorators recorded about one service class, validated. */
export interface ServiceDescription {
  readonly target: abstract new (...args: never[]) => object;
  readonly className: string;
  readonly name: string;
  readonly options: ServiceOptions;
  readonly owns: readonly TopicDefinition[];
  readonly handlers: readonly EventHandlerMetadata[];
  readonly materialized: readonly MaterializeMetadata[];
  readonly queries: readonly QueryMetadata[];
  readonly stores: readonly StateStoreMetadata[];
  /** @Windowed aggregations and @WindowedJoin joins. */
  readonly streamStates: readonly StreamStateMetadata[];
  /** Topics the service reads: handler inputs and materialized views, without repeats. */
  readonly consumes: readonly TopicDefinition[];
}
