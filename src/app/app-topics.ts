import { INSTANCE_CLAIMS_SPEC } from '../http/partition-claims';
import { routesQueries } from '../model/service/routed-queries';
import type { ServiceDescription } from '../model/service/service-description';
import { planTopics } from '../model/topic-plan';
import type { TopicWriters } from '../runtime/topic-writers';
import type { TopicSpec } from '../transport/transport';

/**
 * Every topic an app of these services needs on the broker: the plan (owned and read topics,
 * dead letters, changelogs) and, when a query is key-routed and HTTP is on, the partition claims.
 * The app creates them at start; `streamwise topics apply` creates and alters them ahead of it.
 */
export function appTopicSpecs(
  descriptions: readonly ServiceDescription[],
  options: { readonly http: boolean },
): TopicSpec[] {
  const claims = routesQueries(descriptions, options.http) ? [INSTANCE_CLAIMS_SPEC] : [];
  return [...planTopics(descriptions), ...claims];
}

/**
 * The topics services here read whose owner (the single writer, from the definitions and the
 * `owners` option) is not among them, by owner: the owner's app creates them, not this one.
 */
export function foreignTopics(
  descriptions: readonly ServiceDescription[],
  writers: Pick<TopicWriters, 'ownerOf'>,
): Map<string, string> {
  const here = new Set(descriptions.map((d) => d.name));
  const foreign = new Map<string, string>();
  for (const topic of descriptions.flatMap((d) => d.consumes)) {
    const owner = writers.ownerOf(topic.name);
    if (owner !== undefined && !here.has(owner)) foreign.set(topic.name, owner);
  }
  return foreign;
}
