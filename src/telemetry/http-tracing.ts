import type { Tracer } from '@opentelemetry/api';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

import { registeredTracer } from './providers';
import { failSpan } from './span-outcome';
import { spanContextFrom } from './trace-headers';

/** What the server span of one request describes. */
export interface ServedRequest {
  readonly method: string;
  /** The route template, e.g. /v1/orders/:id. */
  readonly route: string;
  /** The path as requested. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * SERVER spans for @Query requests under the HTTP semantic conventions. The span is the active
 * one while the query runs, so the events it publishes are its children; a caller's traceparent
 * makes it part of the caller's trace.
 */
export class HttpTracing {
  readonly #tracer: Tracer;

  private constructor(tracer: Tracer) {
    this.#tracer = tracer;
  }

  /** Undefined when no tracer provider is registered. */
  static detect(): HttpTracing | undefined {
    const tracer = registeredTracer();
    return tracer === undefined ? undefined : new HttpTracing(tracer);
  }

  /** Runs `answer` in the request's span; `status` reads the status code it answered with. */
  serve(request: ServedRequest, answer: () => Promise<void>, status: () => number): Promise<void> {
    const caller = spanContextFrom(request.headers);
    const parent = caller === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, caller);
    const span = this.#tracer.startSpan(
      `${request.method} ${request.route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': request.route,
          'url.path': request.path,
          'url.scheme': 'http',
        },
      },
      parent,
    );
    return context.with(trace.setSpan(parent, span), async () => {
      try {
        await answer();
        const code = status();
        span.setAttribute('http.response.status_code', code);
        // Server spans count only 5xx as errors: a 4xx is the caller's.
        if (code >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
