import type { TopicDefinition } from '../core/topic/topic-definition';
import type { EventHandlerMetadata } from './event-handler';
import type { MaterializeMetadata } from './materialize';
import type { QueryMetadata } from './query';
import type { ServiceOptions } from './service-options';
import type { StateStoreMetadata } from './state';

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
  /** Topics the service reads: handler inputs and materialized views, without repeats. */
  readonly consumes: readonly TopicDefinition[];
}
