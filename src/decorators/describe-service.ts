import 'reflect-metadata';

import { MissingServiceDecoratorError } from '../errors/missing-service-decorator-error';
import type { ServiceDescription } from '../model/service/service-description';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { readEventHandlers } from './read-event-handlers';
import { readMaterialized } from './read-materialized';
import { readOwnedTopics } from './read-owned-topics';
import { readQueries } from './read-queries';
import { readServiceMetadata } from './read-service-metadata';
import { readStateStores } from './read-state-stores';
import { readWindowedStores } from './read-windowed-stores';

/** Reads every decorator of a service class into one typed description. */
export function describeService(
  target: abstract new (...args: never[]) => object,
): ServiceDescription {
  const service = readServiceMetadata(target);
  if (service === undefined) throw new MissingServiceDecoratorError(target.name);
  const handlers = readEventHandlers(target);
  const materialized = readMaterialized(target);
  const consumes = new Map<string, TopicDefinition>();
  for (const topic of [...handlers.map((h) => h.topic), ...materialized.map((m) => m.topic)]) {
    consumes.set(topic.name, topic);
  }
  return {
    target,
    className: target.name,
    name: service.name,
    options: service.options,
    owns: readOwnedTopics(target),
    handlers,
    materialized,
    queries: readQueries(target),
    stores: readStateStores(target),
    windowedStores: readWindowedStores(target),
    consumes: [...consumes.values()],
  };
}
