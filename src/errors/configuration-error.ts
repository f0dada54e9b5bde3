import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** An option or combination of options that cannot work; the message names the option and the fix. */
export class ConfigurationError extends StreamwiseError {
  static override readonly code = ErrorCodes.CONFIGURATION;

  constructor(message: string) {
    super(ErrorCodes.CONFIGURATION, message);
  }
}
