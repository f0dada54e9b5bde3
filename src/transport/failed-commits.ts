import type { Logger } from '../logging/logger';
import { RateLimitedLog } from '../logging/rate-limited-log';
import { errorMessage } from './kafka/kafka-errors';

const LOG_KEY = 'commit';

/**
 * The at-least-once commits of one consumer that failed in a row. While they fail, no new record
 * may start: the records handled since the last commit are delivered again if the group moves on
 * without it (a coordinator lost, a rebalance), and every record started meanwhile would join
 * them. So a lost coordinator costs at most what was handled since the last commit (about a
 * second's worth), not everything handled until the member joins again. Java's consumer holds
 * its loop alike: commitSync retries until it succeeds or its timeout ends.
 *
 * Repeats of the failure are written once per 10 s with their count, so a commit that cannot
 * succeed (an ACL missing on the group) stays visible without flooding the log.
 */
export class FailedCommits {
  readonly #logger: Logger;
  readonly #log: RateLimitedLog;
  #failures = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#log = new RateLimitedLog(logger);
  }

  /** Failed commits since the last one that succeeded. */
  get failures(): number {
    return this.#failures;
  }

  get failing(): boolean {
    return this.#failures > 0;
  }

  failed(error: unknown): void {
    this.#failures++;
    this.#log.warn(
      LOG_KEY,
      'committing offsets failed; no new record starts until a commit succeeds, and the records handled since the last commit may be delivered again',
      () => ({ failedAttempts: this.#failures, error: errorMessage(error) }),
    );
  }

  /** A commit went through, or nothing was left to commit: records may start again. */
  succeeded(): void {
    if (this.#failures === 0) return;
    this.#log.flush();
    this.#logger.info('committing offsets works again; new records start', {
      failedAttempts: this.#failures,
    });
    this.#failures = 0;
  }
}
