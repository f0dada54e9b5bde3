import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class ServiceNotStartedError extends StreamwiseError {
  static override readonly code = ErrorCodes.SERVICE_NOT_STARTED;

  constructor(className: string, action: string) {
    super(
      ErrorCodes.SERVICE_NOT_STARTED,
      `${className} cannot ${action}: it is not running in a started app. Let StreamwiseApp or TestBed create it (do not call new), and act from handlers or after start().`,
    );
  }
}
