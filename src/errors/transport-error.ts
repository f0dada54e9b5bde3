import { type ErrorCode, ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A failure talking to the broker; `retriable` comes from the underlying client where it knows. */
export class TransportError extends StreamwiseError {
  static override readonly code: ErrorCode | undefined = ErrorCodes.TRANSPORT;

  constructor(
    message: string,
    options: { retriable: boolean; cause?: unknown },
    /** A subclass's own code (authorization, authentication); SW_TRANSPORT otherwise. */
    code: ErrorCode = ErrorCodes.TRANSPORT,
  ) {
    super(code, message, options);
  }
}
