import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A retry was abandoned because the service is stopping; the record stays uncommitted and is redelivered. */
export class ShutdownInterruptedError extends StreamwiseError {
  static override readonly code = ErrorCodes.SHUTDOWN_INTERRUPTED;

  constructor(topic: string, partition: number, offset: number) {
    super(
      ErrorCodes.SHUTDOWN_INTERRUPTED,
      `Stopped while retrying ${topic}[${partition}]@${offset}; it was not committed and will be delivered again.`,
      { retriable: true },
    );
  }
}
