import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class AppStateError extends StreamwiseError {
  constructor(message: string) {
    super(ErrorCodes.APP_STATE, message);
  }
}
