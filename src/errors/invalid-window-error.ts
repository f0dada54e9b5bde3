import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A window or stream-processing option that cannot work (a zero size, an advance larger than the
 * size, session windows without a merge function); the message names the option and the fix.
 */
export class InvalidWindowError extends StreamwiseError {
  static override readonly code = ErrorCodes.INVALID_WINDOW;

  constructor(where: string, problem: string) {
    super(ErrorCodes.INVALID_WINDOW, `${where}: ${problem}`);
  }
}
