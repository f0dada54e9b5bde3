import type { EventHandlerMetadata } from '../model/service/handler-metadata';
import type { MaterializeMetadata } from '../model/service/materialize-metadata';
import type { QueryMetadata } from '../model/service/query-metadata';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { StateStoreMetadata } from '../model/service/state-store-metadata';

/** What makes two entries "the same declaration", so a subclass's replaces its parent's. */
export const handlerIdentity = (h: Pick<EventHandlerMetadata, 'method' | 'topic'>): string =>
  `${h.method}\u0000${h.topic.name}`;
export const materializeIdentity = (m: MaterializeMetadata): string => m.property;
export const stateStoreIdentity = (s: StateStoreMetadata): string => s.property;
/** Routes differing only in parameter names are the same route. */
export const queryIdentity = (q: Pick<QueryMetadata, 'httpMethod' | 'path'>): string =>
  `${q.httpMethod} ${q.path.replace(/:[^/]+/g, ':')}`;
export const replicaIdentity = (r: ReplicaMetadata): string => r.property;
