import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class TransportClosedError extends StreamwiseError {
  static override readonly code = ErrorCodes.TRANSPORT_CLOSED;

  constructor(action: string) {
    super(
      ErrorCodes.TRANSPORT_CLOSED,
      `Cannot ${action}: the transport is not connected. Start the app (or call transport.connect()) first, and do not use it after stop().`,
    );
  }
}
