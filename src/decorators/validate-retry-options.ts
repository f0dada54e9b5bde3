import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { RetryOptions } from '../model/service/retry-options';

export function validateRetryOptions(
  decorator: string,
  className: string,
  member: string | undefined,
  retry: RetryOptions | undefined,
): void {
  if (retry === undefined) return;
  if (typeof retry !== 'object' || retry === null) {
    throw new DecoratorMisuseError(
      decorator,
      className,
      member,
      'retry must be an object such as { attempts: 5 }.',
    );
  }
  const fail = (problem: string): never => {
    throw new DecoratorMisuseError(decorator, className, member, `retry.${problem}`);
  };
  if (retry.attempts !== undefined && (!Number.isInteger(retry.attempts) || retry.attempts < 1)) {
    fail('attempts must be an integer >= 1 (1 means no retry).');
  }
  for (const field of ['initialDelayMs', 'maxDelayMs'] as const) {
    const value = retry[field];
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      fail(`${field} must be a number >= 0.`);
  }
  if (
    retry.multiplier !== undefined &&
    (!Number.isFinite(retry.multiplier) || retry.multiplier < 1)
  ) {
    fail('multiplier must be a number >= 1.');
  }
  if (
    retry.initialDelayMs !== undefined &&
    retry.maxDelayMs !== undefined &&
    retry.maxDelayMs < retry.initialDelayMs
  ) {
    fail('maxDelayMs must be >= initialDelayMs.');
  }
}
