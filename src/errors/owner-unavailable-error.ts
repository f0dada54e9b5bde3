import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A key-routed query could not reach the instance owning its partition: the owner is unknown
 * (a rebalance is in progress), unreachable, or instances disagree on who it is. The query server
 * answers 503 with Retry-After; the same request succeeds once the group has settled.
 */
export class OwnerUnavailableError extends StreamwiseError {
  static override readonly code = ErrorCodes.OWNER_UNAVAILABLE;

  readonly service: string;
  readonly topic: string;
  readonly partition: number;

  constructor(service: string, topic: string, partition: number, problem: string, cause?: unknown) {
    super(
      ErrorCodes.OWNER_UNAVAILABLE,
      `No owner reachable; retry. ${problem} (service "${service}", ${topic}[${partition}]). Retry after the Retry-After delay; if this persists, check that every instance of "${service}" is running and reachable from the others.`,
      { retriable: true, cause },
    );
    this.service = service;
    this.topic = topic;
    this.partition = partition;
  }
}
