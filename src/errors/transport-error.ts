import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A failure talking to the broker; `retriable` comes from the underlying client where it knows. */
export class TransportError extends StreamwiseError {
  static override readonly code = ErrorCodes.TRANSPORT;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(ErrorCodes.TRANSPORT, message, options);
  }
}
