import { ErrorCodes } from '../errors/error-codes';
import { StreamwiseError } from '../errors/streamwise-error';

/** A command line that cannot be run as given; the message says what to type instead. */
export class CliUsageError extends StreamwiseError {
  constructor(message: string) {
    super(ErrorCodes.CONFIGURATION, message);
  }
}
