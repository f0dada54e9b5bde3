/** How long a partition waits before a record whose handler rejected is delivered again. */
export interface RedeliveryBackoff {
  /** Wait before the first redelivery. */
  readonly initialMs: number;
  /** The wait doubles per failed attempt up to this cap. */
  readonly maxMs: number;
}

/**
 * 100 ms doubling, capped at 5 s: the Kafka transport's defaults (KAFKA_DEFAULTS), and what the
 * memory transport always uses.
 */
export const DEFAULT_REDELIVERY_BACKOFF: RedeliveryBackoff = { initialMs: 100, maxMs: 5_000 };

/** Wait before redelivering a record whose handler rejected `attempt` times (1-based): doubling, capped. */
export function redeliveryDelayMs(
  attempt: number,
  { initialMs, maxMs }: RedeliveryBackoff = DEFAULT_REDELIVERY_BACKOFF,
): number {
  // Capping the exponent keeps 2 ** exponent finite for any attempt count.
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(initialMs * 2 ** exponent, maxMs);
}
