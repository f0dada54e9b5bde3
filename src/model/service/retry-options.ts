/** How a failing handler is retried before its record goes to the dead-letter topic. */
export interface RetryOptions {
  /** Total attempts including the first (default 3). 1 means no retry. */
  readonly attempts?: number;
  /** Delay before the first retry in ms (default 100). */
  readonly initialDelayMs?: number;
  /** Delay growth per retry (default 2). */
  readonly multiplier?: number;
  /** Upper bound of a delay in ms (default 10000). */
  readonly maxDelayMs?: number;
}
