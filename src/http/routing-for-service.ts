import { ConfigurationError } from '../errors/configuration-error';
import type { ServiceDescription } from '../model/service/service-description';
import { partitionForKey } from '../transport/partitioner';
import type { QueryRouting } from './query-routing';

/**
 * Routing functions for a service's `@Query(..., { routeBy })` methods: the key in the named
 * param hashes to a partition of the topics the service's group reads (co-partitioned, so any of
 * them names the same partition), and the instance holding that partition answers.
 */
export function routingForService(description: ServiceDescription): Record<string, QueryRouting> {
  const routed = description.queries.filter((q) => q.routeBy !== undefined);
  if (routed.length === 0) return {};
  const topic =
    description.handlers[0]?.topic ??
    description.materialized.find((m) => m.mode === 'partitioned')?.topic;
  if (topic === undefined) {
    throw new ConfigurationError(
      `${description.className}.${routed[0].method} routes by "${String(routed[0].routeBy)}", but the service holds no partitioned data: add an @EventHandler or a partitioned @Materialize, or drop routeBy.`,
    );
  }
  const routing: Record<string, QueryRouting> = {};
  for (const query of routed) {
    const param = query.routeBy as string;
    routing[query.method] = (params) => {
      const key = params[param];
      if (key === undefined) return undefined;
      return {
        topic: topic.name,
        partition: partitionForKey(Buffer.from(key, 'utf8'), topic.partitions),
      };
    };
  }
  return routing;
}
