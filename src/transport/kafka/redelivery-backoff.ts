/** Wait before redelivering a record whose handler rejected `attempt` times (1-based): doubling, capped. */
export function redeliveryDelayMs(
  attempt: number,
  { initialMs, maxMs }: { readonly initialMs: number; readonly maxMs: number },
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(initialMs * 2 ** exponent, maxMs);
}
