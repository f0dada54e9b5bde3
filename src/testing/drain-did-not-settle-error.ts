import { ErrorCodes } from '../core/errors/error-codes';
import { StreamwiseError } from '../core/errors/streamwise-error';

export class DrainDidNotSettleError extends StreamwiseError {
  constructor(rounds: number) {
    super(
      ErrorCodes.APP_STATE,
      `drain() gave up after ${rounds} rounds: records keep flowing. Look for a handler that publishes to a topic it (or another service) consumes without an end condition.`,
    );
  }
}
