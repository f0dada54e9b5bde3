import type { Span } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';

/** Records `error` on the span and marks it failed. */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(asException(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
}

export function asException(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
