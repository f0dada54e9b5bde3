import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * Stands in for an unexpected error thrown by a @Query method: callers get this message (500)
 * while the original, kept as `cause`, goes to the service log, so internals never leak.
 */
export class QueryFailedError extends StreamwiseError {
  static override readonly code = ErrorCodes.QUERY_FAILED;

  constructor(cause: unknown) {
    super(ErrorCodes.QUERY_FAILED, 'internal error; see the service log', { cause });
  }
}
