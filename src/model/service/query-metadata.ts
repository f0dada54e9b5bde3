export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface QueryMetadata {
  readonly method: string;
  readonly httpMethod: HttpMethod;
  readonly path: string;
  /** Names of `:params` in the path, in order; they are passed to the method in this order. */
  readonly params: readonly string[];
  /**
   * The `:param` holding a key of the service's partitioned data: the request is answered by the
   * instance that holds that key's partition (others forward it there).
   */
  readonly routeBy?: string;
}

export interface QueryOptions {
  /** See QueryMetadata.routeBy. */
  readonly routeBy?: string;
}
