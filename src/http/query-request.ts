import type { IncomingHttpHeaders } from 'node:http';

/** The last argument of every @Query method, after its path params. */
export interface QueryRequest {
  /** The query string; of a repeated name, the first value. */
  readonly query: Readonly<Record<string, string>>;
  /** The parsed JSON body (or the text of a text/plain one); undefined when there is none. */
  readonly body: unknown;
  readonly headers: Readonly<IncomingHttpHeaders>;
  /** Aborts when the client disconnects or the server stops; pass it to waitUntil. */
  readonly signal: AbortSignal;
  /** From `?timeout=<ms>` (0..600000): how long the caller is willing to wait (long polling). */
  readonly timeoutMs: number | undefined;
}
