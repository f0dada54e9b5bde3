import type { FastifyReply } from 'fastify';

import { HttpTracing } from '../telemetry/http-tracing';
import { pathOf } from './fastify-path';
import type { QueryRouteRequest } from './forward-if-elsewhere';

/**
 * What a @Query route reports when the app registered an OpenTelemetry SDK: the request's server
 * span. undefined from `detect` otherwise, and the route answers without any of it.
 */
export class QueryTelemetry {
  readonly #tracing: HttpTracing;

  private constructor(tracing: HttpTracing) {
    this.#tracing = tracing;
  }

  static detect(): QueryTelemetry | undefined {
    const tracing = HttpTracing.detect();
    return tracing === undefined ? undefined : new QueryTelemetry(tracing);
  }

  answer(
    route: string,
    request: QueryRouteRequest,
    reply: FastifyReply,
    answer: () => Promise<void>,
  ): Promise<void> {
    return this.#tracing.serve(
      { method: request.method, route, path: pathOf(request), headers: request.headers },
      answer,
      () => reply.statusCode,
    );
  }
}

type QueryHandler = (request: QueryRouteRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * The route's handler, observed when the app registered an OpenTelemetry SDK (checked once, when
 * the route is mounted); the handler itself otherwise.
 */
export function observeQuery(route: string, handler: QueryHandler): QueryHandler {
  const telemetry = QueryTelemetry.detect();
  if (telemetry === undefined) return handler;
  return async (request, reply) => {
    await telemetry.answer(route, request, reply, async () => void (await handler(request, reply)));
    return reply;
  };
}
