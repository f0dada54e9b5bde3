import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The services a CREATED order passes through, each as its own consumer group. */
export const ORDER_TRACE_GROUPS = [
  'orders-service',
  'order-details-service',
  'inventory-service',
  'fraud-service',
  'email-service',
];

/** The spans of the one trace that the POST of `orderId` started, and what they show. */
export function orderTrace(
  spans: readonly ReadableSpan[],
  orderId: string,
): { roots: string[]; groups: string[]; sends: string[]; traces: number } {
  const posts = spans.filter(
    (s) => s.name === 'POST /v1/orders' && s.attributes['url.path'] === '/v1/orders',
  );
  const traceIds = new Set(
    spans
      .filter((s) => s.name.startsWith('process ') && hasOrder(s, orderId))
      .map((s) => s.spanContext().traceId),
  );
  const traceId = posts.find((p) => traceIds.has(p.spanContext().traceId))?.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  return {
    roots: inTrace.filter((s) => s.parentSpanContext === undefined).map((s) => s.name),
    groups: [
      ...new Set(
        inTrace
          .filter((s) => s.name.startsWith('process '))
          .map((s) => String(s.attributes['messaging.consumer.group.name'])),
      ),
    ].sort(),
    sends: inTrace.filter((s) => s.name.startsWith('send ')).map((s) => s.name),
    traces: traceIds.size,
  };
}

/** Event ids name the key: `orders-service-Order-<id>-v1-…`. */
function hasOrder(span: ReadableSpan, orderId: string): boolean {
  const id = span.attributes['messaging.message.id'];
  return typeof id === 'string' && id.includes(`-${orderId}-`);
}

/**
 * `o-1: one trace from POST /v1/orders: 9 publishes, handled by email-service, … (1 more trace
 * has its records)`: the demo's line per order. The payment is published outside any request, so
 * it starts a trace of its own.
 */
export function traceLine(spans: readonly ReadableSpan[], orderId: string): string {
  const trace = orderTrace(spans, orderId);
  if (trace.roots.length !== 1) return `${orderId}: no single trace from its POST`;
  const others = trace.traces - 1;
  const more =
    others > 0 ? ` (${others} more trace${others === 1 ? '' : 's'} has its records)` : '';
  return `${orderId}: one trace from ${trace.roots[0]}: ${trace.sends.length} publishes, handled by ${trace.groups.join(', ')}${more}`;
}
