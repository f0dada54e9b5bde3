import type { RetryOptions } from '../model/service/retry-options';

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 100,
  multiplier: 2,
  maxDelayMs: 10_000,
};

/** Later layers override earlier ones field by field: app defaults, then service, then handler. */
export function resolveRetry(...layers: readonly (RetryOptions | undefined)[]): RetryPolicy {
  const policy: { -readonly [F in keyof RetryPolicy]: number } = { ...DEFAULT_RETRY };
  for (const layer of layers) {
    if (layer === undefined) continue;
    // An explicit `undefined` field keeps the value below it rather than erasing it.
    for (const [field, value] of Object.entries(layer) as [
      keyof RetryPolicy,
      number | undefined,
    ][]) {
      if (value !== undefined) policy[field] = value;
    }
  }
  return policy;
}

/** Delay before attempt `failedAttempts + 1`. */
export function retryDelay(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(
    policy.initialDelayMs * policy.multiplier ** (failedAttempts - 1),
    policy.maxDelayMs,
  );
}
