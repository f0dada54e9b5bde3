import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A query stopped waiting because its request went away: the client disconnected or the server
 * is stopping. Retriable: another attempt (perhaps on another instance) can succeed.
 */
export class QueryAbortedError extends StreamwiseError {
  static override readonly code = ErrorCodes.QUERY_ABORTED;

  constructor(reason: string, cause?: unknown) {
    super(ErrorCodes.QUERY_ABORTED, `The query was abandoned: ${reason}. Send it again.`, {
      retriable: true,
      cause,
    });
  }
}
