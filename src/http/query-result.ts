/**
 * A @Query method's answer when plain 200-with-JSON does not fit. Return one of the helpers
 * below; any other value is sent as JSON with 200, and undefined as a 404.
 */
export class QueryResult {
  readonly status: 201 | 202 | 204;
  readonly body: unknown;
  readonly location: string | undefined;

  private constructor(status: 201 | 202 | 204, body: unknown, location: string | undefined) {
    this.status = status;
    this.body = body;
    this.location = location;
  }

  /** 201 Created, with a Location header pointing at the new resource (see created()). */
  static created(location: string, body?: unknown): QueryResult {
    return new QueryResult(201, body, location);
  }

  /** 202 Accepted: the command was taken and will take effect later (through the log). */
  static accepted(body?: unknown, location?: string): QueryResult {
    return new QueryResult(202, body, location);
  }

  /** 204 No Content: done, nothing to say. */
  static noContent(): QueryResult {
    return new QueryResult(204, undefined, undefined);
  }
}

/**
 * `return created(locationOf('/v1/orders', id), order)`: 201 with a Location header. Build the
 * location with locationOf, which percent-encodes each id as one path segment; characters a
 * header cannot carry are percent-encoded in any case, so the answer never fails once written.
 */
export function created(location: string, body?: unknown): QueryResult {
  return QueryResult.created(location, body);
}

/** `return accepted()`: 202, the command will take effect through the log. */
export function accepted(body?: unknown, location?: string): QueryResult {
  return QueryResult.accepted(body, location);
}

/** `return noContent()`: 204. */
export function noContent(): QueryResult {
  return QueryResult.noContent();
}
