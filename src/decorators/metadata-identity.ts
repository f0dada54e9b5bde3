import type { EventHandlerMetadata } from './event-handler';
import type { MaterializeMetadata } from './materialize';
import type { QueryMetadata } from './query';
import type { StateStoreMetadata } from './state';

/** What makes two entries "the same declaration", so a subclass's replaces its parent's. */
export const handlerIdentity = (h: Pick<EventHandlerMetadata, 'method' | 'topic'>): string =>
  `${h.method}\u0000${h.topic.name}`;
export const materializeIdentity = (m: MaterializeMetadata): string => m.property;
export const stateStoreIdentity = (s: StateStoreMetadata): string => s.property;
/** Routes differing only in parameter names are the same route. */
export const queryIdentity = (q: Pick<QueryMetadata, 'httpMethod' | 'path'>): string =>
  `${q.httpMethod} ${q.path.replace(/:[^/]+/g, ':')}`;
