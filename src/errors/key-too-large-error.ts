import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A record key above the documented limit was refused before anything was written (HTTP 400). */
export class KeyTooLargeError extends StreamwiseError {
  static override readonly code = ErrorCodes.KEY_TOO_LARGE;

  readonly topic: string;
  readonly bytes: number;
  readonly limit: number;

  constructor(topic: string, bytes: number, limit: number) {
    super(
      ErrorCodes.KEY_TOO_LARGE,
      `The key of a record for "${topic}" is ${bytes} bytes; keys may be at most ${limit} bytes (UTF-8). Nothing was written: use a shorter id.`,
      { retriable: false },
    );
    this.topic = topic;
    this.bytes = bytes;
    this.limit = limit;
  }
}
