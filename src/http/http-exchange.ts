import type { IncomingHttpHeaders } from 'node:http';

import { Agent } from 'undici';

/** An answer read whole: forwarded query answers are small JSON documents. */
export interface ExchangeResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ExchangeRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * One request and its whole answer over kept-alive connections. Forwarding sends every request of
 * a key-routed query another instance holds to that instance, so its cost per request bounds a
 * forwarded query under load. undici's dispatcher (kept-alive pools per instance, no web streams)
 * lifted `query-forwarded` by a fifth to a third over node:http with a keep-alive agent, which in
 * turn had replaced fetch (bench/RESULTS.md, session q).
 */
export class HttpExchange {
  readonly #agent = new Agent();

  async send(url: URL, request: ExchangeRequest): Promise<ExchangeResponse> {
    const response = await this.#agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: Buffer.from(await response.body.arrayBuffer()),
    };
  }

  /** Closes the kept-alive sockets, and any request still open (the server is stopping). */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}
