import type { LogFields, Logger } from './logger';

/**
 * Logs a recurring event once per key and then at each power of ten of its count (1, 10, 100…),
 * with the count: a stream of bad records costs a handful of lines, and the count still shows.
 */
export class RateLimitedLog {
  readonly #logger: Logger;
  readonly #counts = new Map<string, number>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  warn(key: string, message: string, fields: () => LogFields): void {
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    if (!isPowerOfTen(count)) return;
    this.#logger.warn(message, { ...fields(), count });
  }
}

function isPowerOfTen(count: number): boolean {
  let n = count;
  while (n % 10 === 0) n /= 10;
  return n === 1;
}
