import { ErrorCodes } from './error-codes';
import { TransportError } from './transport-error';

/**
 * The broker refused a record as larger than the topic takes (Kafka's MESSAGE_TOO_LARGE,
 * max.message.bytes): a TransportError that is never retriable, since the same record is refused
 * again. HTTP 413.
 */
export class RecordTooLargeError extends TransportError {
  static override readonly code = ErrorCodes.RECORD_TOO_LARGE;

  /** What was refused, e.g. `produce to "orders"`. */
  readonly action: string;

  constructor(action: string, detail: string, cause?: unknown) {
    super(
      `Cannot ${action}: the broker refused a record as larger than the topic takes (MESSAGE_TOO_LARGE: ${detail}). Send smaller records, or raise the topic's max.message.bytes.`,
      { retriable: false, cause },
      ErrorCodes.RECORD_TOO_LARGE,
    );
    this.action = action;
  }
}
