import type { RetryOptions } from './retry-options';

export interface ServiceOptions {
  /** Where a new consumer group starts: 'earliest' replays history (default), 'latest' skips it. */
  readonly startFrom?: 'earliest' | 'latest';
  /** Retry policy for every handler of this service (a handler can override it). */
  readonly retry?: RetryOptions;
  /**
   * A record written by a service other than the topic's declared owner: send it to the
   * dead-letter topic (default) or log a warning and handle it.
   */
  readonly onForeignProducer?: 'dead-letter' | 'warn';
  /** Read-process-write in transactions: each record's output and its offset commit together. */
  readonly exactlyOnce?: boolean;
}
