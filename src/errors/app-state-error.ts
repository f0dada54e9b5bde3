import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class AppStateError extends StreamwiseError {
  static override readonly code = ErrorCodes.APP_STATE;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ErrorCodes.APP_STATE, message, options);
  }
}
