import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A key-routed query could not reach the instance holding its partition: the holder is unknown
 * (a rebalance is in progress), unreachable, or instances disagree on who holds it. The query server
 * answers 503 with Retry-After; the same request succeeds once the group has settled.
 */
export class HolderUnavailableError extends StreamwiseError {
  static override readonly code = ErrorCodes.HOLDER_UNAVAILABLE;

  readonly service: string;
  readonly topic: string;
  readonly partition: number;

  constructor(service: string, topic: string, partition: number, problem: string, cause?: unknown) {
    super(
      ErrorCodes.HOLDER_UNAVAILABLE,
      `No instance holding the partition is reachable; retry. ${problem} (service "${service}", ${topic}[${partition}]). Retry after the Retry-After delay; if this persists, check that every instance of "${service}" is running and reachable from the others.`,
      { retriable: true, cause },
    );
    this.service = service;
    this.topic = topic;
    this.partition = partition;
  }
}
