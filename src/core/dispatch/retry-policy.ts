import type { RetryOptions } from '../../decorators/retry-options';

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 100,
  multiplier: 2,
  maxDelayMs: 10_000,
};

/** Later layers override earlier ones field by field: app defaults, then service, then handler. */
export function resolveRetry(...layers: readonly (RetryOptions | undefined)[]): RetryPolicy {
  return Object.assign({}, DEFAULT_RETRY, ...layers.filter((l) => l !== undefined)) as RetryPolicy;
}

/** Delay before attempt `failedAttempts + 1`. */
export function retryDelay(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(
    policy.initialDelayMs * policy.multiplier ** (failedAttempts - 1),
    policy.maxDelayMs,
  );
}
