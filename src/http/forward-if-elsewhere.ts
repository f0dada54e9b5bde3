import type { FastifyRequest } from 'fastify';

import type { RelayedResponse } from './forward-request';
import { FORWARDED_BY_HEADER, forwardRequest } from './forward-request';
import type { HttpExchange } from './http-exchange';
import type { InstanceDirectory } from './instance-directory';
import { rawBodyOf } from './json-body-parser';
import type { MountedQuery } from './mounted-query';
import { partitionHolder } from './partition-holder';

export type QueryRouteRequest = FastifyRequest<{ Params: Record<string, string> }>;

/**
 * For a key-routed query whose partition another instance holds: that instance's answer.
 * undefined when this instance answers itself (not routed, no directory, or it holds the key).
 */
export async function forwardIfElsewhere(
  query: MountedQuery,
  params: Record<string, string>,
  request: QueryRouteRequest,
  options: {
    readonly directory: InstanceDirectory | undefined;
    /** How long a forward may take beyond the caller's ?timeout (a long poll at the holder). */
    readonly forwardTimeoutMs: number;
    /** The caller's ?timeout, if any: also how long to wait for a holder while none is known. */
    readonly requestTimeoutMs: number | undefined;
    readonly signal: AbortSignal;
    /** The server's connections to the other instances. */
    readonly exchange: HttpExchange;
  },
): Promise<RelayedResponse | undefined> {
  const ref = query.routing?.(params);
  const { directory, forwardTimeoutMs, requestTimeoutMs } = options;
  if (ref === undefined || directory === undefined) return undefined;
  const forwardedBy = request.headers[FORWARDED_BY_HEADER];
  const holder = await partitionHolder(
    directory,
    query.service,
    ref,
    forwardedBy === undefined ? undefined : String(forwardedBy),
    // Without ?timeout, a request waits for a holder as long as a forward may take.
    { timeoutMs: requestTimeoutMs ?? forwardTimeoutMs, signal: options.signal },
  );
  if (holder === undefined) return undefined;
  return forwardRequest(
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: rawBodyOf(request),
    },
    { service: query.service, ref, holder, selfId: directory.self.instanceId },
    {
      timeoutMs: forwardTimeoutMs + (requestTimeoutMs ?? 0),
      signal: options.signal,
      exchange: options.exchange,
    },
  );
}
