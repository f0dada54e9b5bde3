import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A record handed to a window or a join without a usable event time; dead-letter the record. */
export class InvalidEventTimeError extends StreamwiseError {
  static override readonly code = ErrorCodes.INVALID_EVENT_TIME;

  readonly timestamp: number;

  constructor(where: string, timestamp: number) {
    super(
      ErrorCodes.INVALID_EVENT_TIME,
      `${where}: ${String(timestamp)} is not an event time. Pass the record's timestamp in epoch milliseconds, a whole number >= 0; a record without one (Kafka's -1) cannot be windowed, so take the time from its value or dead-letter it.`,
    );
    this.timestamp = timestamp;
  }
}
