import type { Meter } from '@opentelemetry/api';
import type { FastifyReply } from 'fastify';

import { HttpMetrics } from '../telemetry/http-metrics';
import { HttpTracing } from '../telemetry/http-tracing';
import { pathOf } from './fastify-path';
import type { QueryRouteRequest } from './forward-if-elsewhere';
import { firstValues } from './query-values';

type QueryHandler = (request: QueryRouteRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * The route's handler, in a server span and counted when the app registered an OpenTelemetry
 * SDK (checked once, when the route is mounted) or gave its own `meter`; the handler itself
 * otherwise.
 */
export function observeQuery(route: string, handler: QueryHandler, meter?: Meter): QueryHandler {
  const tracing = HttpTracing.detect();
  const metrics = HttpMetrics.detect(meter);
  if (tracing === undefined && metrics === undefined) return handler;
  return async (request, reply) => {
    const started = performance.now();
    const done =
      firstValues(request.query).timeout === undefined ? undefined : metrics?.longPoll(route);
    const answer = async (): Promise<void> => void (await handler(request, reply));
    try {
      await (tracing?.serve(
        { method: request.method, route, path: pathOf(request), headers: request.headers },
        answer,
        () => reply.statusCode,
      ) ?? answer());
    } finally {
      done?.();
      const seconds = (performance.now() - started) / 1_000;
      metrics?.answered(request.method, route, reply.statusCode, seconds);
    }
    return reply;
  };
}
