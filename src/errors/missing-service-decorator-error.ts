import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class MissingServiceDecoratorError extends StreamwiseError {
  static override readonly code = ErrorCodes.MISSING_SERVICE_DECORATOR;

  constructor(className: string) {
    super(
      ErrorCodes.MISSING_SERVICE_DECORATOR,
      `${className} is not a streamwise service: add @Service('<name>') to the class and make it extend StreamService.`,
    );
  }
}
