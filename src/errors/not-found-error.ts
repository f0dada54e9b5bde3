import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * What a query asked for does not exist; the query server answers 404. Throw it from a @Query
 * method with a message the caller can act on, e.g. `Order "42" does not exist.`
 */
export class NotFoundError extends StreamwiseError {
  static override readonly code = ErrorCodes.NOT_FOUND;

  constructor(message: string) {
    super(ErrorCodes.NOT_FOUND, message);
  }
}
