import { INSTANCE_CLAIMS_SPEC } from '../http/partition-claims';
import type { ServiceDescription } from '../model/service/service-description';
import { planTopics } from '../model/topic-plan';
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
  const routed =
    options.http && descriptions.some((d) => d.queries.some((q) => q.routeBy !== undefined));
  return [...planTopics(descriptions), ...(routed ? [INSTANCE_CLAIMS_SPEC] : [])];
}
