import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A record that reached a window or a join after its windows had closed (stream time had moved
 * past them by more than the grace period). It changed nothing; the runtime dead-letters it with
 * this error so the loss is visible and countable.
 */
export class LateRecordError extends StreamwiseError {
  static override readonly code = ErrorCodes.LATE_RECORD;

  readonly timestamp: number;
  readonly streamTime: number;
  readonly graceMs: number;

  constructor(timestamp: number, streamTime: number, graceMs: number) {
    super(
      ErrorCodes.LATE_RECORD,
      `A record with event time ${timestamp} (${new Date(timestamp).toISOString()}) arrived after its windows closed: stream time was ${streamTime}, ${streamTime - timestamp} ms later, and the grace period is ${graceMs} ms. It was not aggregated or joined. If records this late are normal for the stream, raise graceMs (results emitted on close then wait that much longer).`,
    );
    this.timestamp = timestamp;
    this.streamTime = streamTime;
    this.graceMs = graceMs;
  }
}
