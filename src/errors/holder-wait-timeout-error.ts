import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * No instance claimed a key-routed query's partition within the request's timeout (a rebalance
 * that has not settled, or no instance of the service running). The query server answers 504.
 */
export class HolderWaitTimeoutError extends StreamwiseError {
  static override readonly code = ErrorCodes.HOLDER_WAIT_TIMEOUT;

  readonly service: string;
  readonly topic: string;
  readonly partition: number;
  readonly timeoutMs: number;

  constructor(service: string, topic: string, partition: number, timeoutMs: number) {
    super(
      ErrorCodes.HOLDER_WAIT_TIMEOUT,
      `No instance of "${service}" claimed ${topic}[${partition}] within ${timeoutMs} ms: the group is probably still rebalancing. Ask again, or wait longer with ?timeout=<ms>; if this persists, check that instances of "${service}" are running.`,
      { retriable: true },
    );
    this.service = service;
    this.topic = topic;
    this.partition = partition;
    this.timeoutMs = timeoutMs;
  }
}
