import type { IncomingHttpHeaders } from 'node:http';

import { HolderUnavailableError } from '../errors/holder-unavailable-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { activeTraceHeaders, TRACEPARENT, TRACESTATE } from '../telemetry/trace-headers';
import type { HttpExchange } from './http-exchange';
import type { InstanceAddress } from './instance-directory';
import type { PartitionRef } from './query-routing';

/** Marks a forwarded request with the forwarding instance's id; a marked request is never forwarded again. */
export const FORWARDED_BY_HEADER = 'x-streamwise-forwarded-by';

/** End-to-end headers worth passing on; hop-by-hop ones (host, connection, length) are not. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'traceparent',
  'tracestate',
  'x-request-id',
] as const;

const RELAYED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after'] as const;

export interface IncomingQuery {
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, if any. */
  readonly body: string | undefined;
}

export interface ForwardTarget {
  readonly service: string;
  readonly ref: PartitionRef;
  readonly holder: InstanceAddress;
  readonly selfId: string;
}

/** The holder's answer, to send back unchanged. */
export interface RelayedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Sends a request on to the instance owning its partition and returns the answer. Fails with
 * HolderUnavailableError when the holder cannot be reached within `timeoutMs`, or with the reason
 * `signal` aborted with (the client left, the server is stopping).
 */
export async function forwardRequest(
  request: IncomingQuery,
  target: ForwardTarget,
  options: {
    readonly timeoutMs: number;
    readonly signal: AbortSignal;
    readonly exchange: HttpExchange;
  },
): Promise<RelayedResponse> {
  const { holder } = target;
  const unavailable = (problem: string, cause?: unknown): HolderUnavailableError =>
    new HolderUnavailableError(
      target.service,
      target.ref.topic,
      target.ref.partition,
      problem,
      cause,
    );

  // One signal for both ways of giving up, cleaned up below so nothing outlives the request.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();
  const timer = setTimeout(() => {
    controller.abort(
      unavailable(
        `Instance "${holder.instanceId}" at ${holder.url} did not answer within ${options.timeoutMs} ms`,
      ),
    );
  }, options.timeoutMs);

  try {
    const response = await options.exchange.send(
      new URL(`${holder.url.replace(/\/+$/, '')}${request.url}`),
      {
        method: request.method,
        headers: forwardedHeaders(request.headers, target.selfId),
        body: hasBody(request) ? request.body : undefined,
        signal: controller.signal,
      },
    );
    const headers: Record<string, string> = {};
    for (const name of RELAYED_RESPONSE_HEADERS) {
      const value = response.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return { status: response.status, headers, body: response.body };
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof StreamwiseError) throw reason;
    throw unavailable(
      `Instance "${holder.instanceId}" at ${holder.url} could not be reached (${describe(error)})`,
      error,
    );
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}

function forwardedHeaders(incoming: IncomingHttpHeaders, selfId: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // The holder's span continues this instance's server span (the caller's trace, or a new one).
  const trace = activeTraceHeaders();
  if (trace !== undefined) {
    delete headers[TRACEPARENT];
    delete headers[TRACESTATE];
    Object.assign(headers, trace);
  }
  headers[FORWARDED_BY_HEADER] = selfId;
  return headers;
}

function hasBody(request: IncomingQuery): boolean {
  return request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
}

/** The error's message, and its cause's where a client wraps the useful part (ECONNREFUSED...). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
