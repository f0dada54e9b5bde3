import type { Meter } from '@opentelemetry/api';

import type { MetricsSource } from '../http/metrics-route';
import type { PartitionClaims } from '../http/partition-claims';
import { QueryServer } from '../http/query-server';
import type { ReadinessProvider } from '../http/readiness-provider';
import { routingForService } from '../http/routing-for-service';
import type { Logger } from '../logging/logger';
import type { HttpOptions } from './http-options';
import type { ServiceHost } from './service-host';

export interface AppHttpContext {
  readonly http: HttpOptions | false | undefined;
  readonly hosts: readonly ServiceHost[];
  readonly readiness: ReadinessProvider;
  readonly registry: PartitionClaims | undefined;
  readonly logger: Logger;
  /** GET /metrics reads this (metrics.prometheus), with `meter` for the request metrics. */
  readonly metrics?: { readonly meter: Meter; readonly scrape: MetricsSource };
}

/**
 * The app's query server with every service's @Query routes, the health probes and, when asked,
 * GET /metrics mounted, not started yet; undefined when the app serves no HTTP (`http: false`, or
 * no option, no @Query route and no metrics).
 */
export function createAppHttp(context: AppHttpContext): QueryServer | undefined {
  const { http, hosts, metrics } = context;
  const hasQueries = hosts.some((h) => h.description.queries.length > 0);
  if (http === false || (http === undefined && !hasQueries && metrics === undefined)) {
    return undefined;
  }
  const server = new QueryServer({
    logger: context.logger,
    host: http?.host,
    port: http?.port,
    directory: context.registry,
    meter: metrics?.meter,
  });
  for (const host of hosts) {
    const { name, queries } = host.description;
    if (queries.length > 0) {
      server.mount(name, host.instance, queries, {
        routing: routingForService(host.description),
      });
    }
  }
  server.mountHealth(context.readiness);
  if (metrics !== undefined) server.mountMetrics(metrics.scrape);
  return server;
}
