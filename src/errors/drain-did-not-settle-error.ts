import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class DrainDidNotSettleError extends StreamwiseError {
  static override readonly code = ErrorCodes.APP_STATE;

  constructor(records: number) {
    super(
      ErrorCodes.APP_STATE,
      `drain() gave up after ${records} records were written without the services settling: records keep flowing. Look for a handler that publishes to a topic it (or another service) consumes without an end condition.`,
    );
  }
}
