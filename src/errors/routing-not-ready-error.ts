import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * start() gave up waiting to see this instance's own partition claims on the instance-claims
 * topic, so it could not route key-routed queries to itself.
 */
export class RoutingNotReadyError extends StreamwiseError {
  static override readonly code = ErrorCodes.ROUTING_NOT_READY;

  constructor(services: readonly string[], timeoutMs: number, cause?: unknown) {
    super(
      ErrorCodes.ROUTING_NOT_READY,
      `start() waited ${timeoutMs} ms for this instance's partition claims of ${services.map((s) => `"${s}"`).join(', ')} to come back from the instance-claims topic (_streamwise-instances) and gave up, so key-routed queries could not be answered. Check that the topic is readable and the broker healthy, then start the app again; the transport's startupTimeoutMs sets how long start() waits.`,
      { retriable: true, cause },
    );
  }
}
