import { AppStateError } from '../errors/app-state-error';

const MESSAGE =
  'stop() was called while start() was running: start() gave up, and everything it had started is stopped. Create a new StreamwiseApp to start again.';

/**
 * What start() rejects with when stop() came while it ran. `cause` is the error the interrupted
 * step ended with, if it failed rather than noticed the stop itself.
 */
export function stoppedDuringStart(cause?: unknown): AppStateError {
  return new AppStateError(MESSAGE, cause === undefined ? {} : { cause });
}

export function isStoppedDuringStart(error: unknown): boolean {
  return error instanceof AppStateError && error.message === MESSAGE;
}
