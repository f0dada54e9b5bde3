import type { SpanContext } from '@opentelemetry/api';
import { createTraceState, isSpanContextValid, trace } from '@opentelemetry/api';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** Version, trace id, span id, flags; later versions may append fields, which are ignored. */
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The W3C trace context headers of a span. Written by streamwise itself rather than through the
 * global propagator, so a record carries its trace whichever propagators the app registered.
 */
export function traceHeaders(span: SpanContext): Record<string, string> {
  const flags = span.traceFlags.toString(16).padStart(2, '0');
  const headers: Record<string, string> = {
    [TRACEPARENT]: `00-${span.traceId}-${span.spanId}-${flags}`,
  };
  const state = span.traceState?.serialize();
  if (state !== undefined && state !== '') headers[TRACESTATE] = state;
  return headers;
}

/**
 * The trace headers of the active span (a @Query's server span), so an outgoing request continues
 * the trace; undefined when no span is active (no tracer provider, or no context manager).
 */
export function activeTraceHeaders(): Record<string, string> | undefined {
  const active = trace.getActiveSpan()?.spanContext();
  return active !== undefined && isSpanContextValid(active) ? traceHeaders(active) : undefined;
}

type HeaderValue = string | readonly string[] | undefined;

/** The remote span a record's (or a request's) traceparent names; undefined when absent or malformed. */
export function spanContextFrom(
  headers: Readonly<Record<string, HeaderValue>>,
): SpanContext | undefined {
  const parent = single(headers[TRACEPARENT]);
  if (parent === undefined) return undefined;
  const match = TRACEPARENT_PATTERN.exec(parent.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  // Version ff is forbidden, and version 00 has no further fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const state = single(headers[TRACESTATE]);
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16),
    isRemote: true,
    ...(state === undefined ? {} : { traceState: createTraceState(state) }),
  };
  return isSpanContextValid(context) ? context : undefined;
}

function single(value: HeaderValue): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
