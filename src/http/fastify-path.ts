/**
 * A @Query path in fastify's syntax. Both use `:name` for a whole-segment param; a colon inside a
 * segment is literal for @Query (it records only whole-segment params), so it is escaped as `::`.
 */
export function toFastifyPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? segment : segment.replace(/:/g, '::')))
    .join('/');
}

/** A request's path without its query string. */
export function pathOf(request: { readonly url: string }): string {
  return request.url.split('?')[0] ?? request.url;
}
