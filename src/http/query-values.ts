/**
 * The query string as name → value. fastify gives arrays for repeated names; queries see the
 * first value, which keeps QueryRequest.query a simple record.
 */
export function firstValues(query: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return values;
  for (const [name, value] of Object.entries(query)) {
    const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string') values[name] = first;
  }
  return values;
}
