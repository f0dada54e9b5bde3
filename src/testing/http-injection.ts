/** An HTTP request for TestBed.inject: what a client would send, without a socket. */
export interface InjectRequest {
  /** Default GET. */
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Path and query string, e.g. `/v1/orders/o-1?timeout=100`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body: an object or array is sent as JSON (content-type application/json unless
   * `headers` say otherwise); a string or Buffer is sent as it is.
   */
  readonly payload?: unknown;
}

/** The answer to an injected request, as the client of the query server would see it. */
export interface InjectResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** The body as text. */
  readonly body: string;
  /** The body parsed as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
}
