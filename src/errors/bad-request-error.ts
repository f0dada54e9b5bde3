import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A request the caller must change before sending again (a malformed body, an invalid parameter);
 * the query server answers 400. The message says what is wrong and what is expected.
 */
export class BadRequestError extends StreamwiseError {
  static override readonly code = ErrorCodes.BAD_REQUEST;

  constructor(message: string, cause?: unknown) {
    super(ErrorCodes.BAD_REQUEST, message, { cause });
  }
}
