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
  /** Read-process-write in transactions: a batch's outputs and its input offsets commit together. */
  readonly exactlyOnce?: boolean;
  /**
   * Key-ordered concurrency within a partition: up to `perPartition` records with different keys
   * are handled at once (records of one key never overlap). Default 1. Worth it for handlers that
   * wait on I/O; not allowed with partition state (@State, @Windowed, @WindowedJoin, partitioned
   * @Materialize), which a partition's records share.
   */
  readonly concurrency?: { readonly perPartition: number };
}
