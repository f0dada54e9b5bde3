import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * app.stop() did not finish within stopTimeoutMs. The stop goes on in the background: a later
 * stop() waits for the same one again. `pending` names the steps it was still waiting for.
 */
export class StopTimeoutError extends StreamwiseError {
  static override readonly code = ErrorCodes.STOP_TIMEOUT;

  readonly pending: readonly string[];

  constructor(timeoutMs: number, pending: readonly string[]) {
    super(
      ErrorCodes.STOP_TIMEOUT,
      `app.stop() did not finish within ${timeoutMs} ms (stopTimeoutMs); it was still waiting for ${describePending(pending)}. The stop goes on: call stop() again to keep waiting, or end the process. Records still in flight are not committed and are delivered again; a handler or a client call that never settles is the usual cause.`,
    );
    this.pending = pending;
  }
}

/** The steps a stop still waits for, as one phrase. */
export function describePending(pending: readonly string[]): string {
  return pending.length === 0 ? 'nothing it could name' : pending.join('; ');
}
